"""``g_patent`` and its sibling tables mapped a batch at a time in DuckDB SQL (issue 20).

The siblings are staged once per file, row by row, each row numbered within its patent in the
order ``g_siblings`` gives its lists (``SiblingRows``); each batch of ``g_patent`` rows is joined
to them in SQL into the canonical tables, repeating ``g_patent.record_from_g`` value for value.
The few Python rules that have no SQL twin (``ipc.from_parts``, ``cpc_symbol``,
``normalise_country``, ``doc_type``) run once per distinct value of the batch, never per row.
A row the per-row reader would quarantine (a missing or bad field, a symbol that is not one)
raises ``NeedsRowReader``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.model.ipc import from_parts
from patentreach.model.records import PartyKind, PriorityKind, Role, Route
from patentreach.model.schema import CLASSIFICATIONS, PARTIES, PRIORITIES, PUBLICATIONS
from patentreach.refdata.countries import normalise_country
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol
from patentreach.sources.native_tables import NativeBatch, NativePlan, NeedsRowReader, py_collapse, py_strip
from patentreach.sources.patentsview.g_siblings import _READ, _quoted, sibling_files
from patentreach.sources.patentsview.tables import SIBLINGS

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

_DATE_OK = ("(regexp_matches({t}, '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            "AND try_cast(left({t}, 10) AS DATE) IS NOT NULL AND year(try_cast(left({t}, 10) AS DATE)) >= 1)")


class SiblingRows:
    """The sibling tables of a ``g_patent.tsv``, staged row by row in DuckDB temporary tables
    (they spill to the temporary folder beyond the memory limit; nothing is checkpointed), each
    row numbered within its patent as ``g_siblings`` orders its lists (a window instead of
    ``g_siblings``' list aggregation, which costs several times a read of the file)."""

    def __init__(self, folder: Path):
        import duckdb

        self.files = sibling_files(folder)
        self._tmp = Path(tempfile.mkdtemp(prefix="patentreach-g-native-"))
        self.connection = duckdb.connect(str(self._tmp / "siblings.duckdb"))
        con = self.connection
        con.execute(f"SET temp_directory = '{_quoted(str(self._tmp))}'")
        con.execute("SET enable_progress_bar = false")
        try:
            self._stage()
        except Exception:
            self.close()
            raise

    def _stage(self) -> None:
        con = self.connection
        read = {name: _READ.format(path=_quoted(str(path))) for name, path in self.files.items()}

        def source(name: str, columns: tuple[str, ...]) -> str:
            if name in read:
                return read[name]
            nulls = ", ".join(f"NULL::VARCHAR AS {c}" for c in columns)
            return f"(SELECT {nulls} WHERE false)"

        location = source("g_location_disambiguated", ("location_id", "disambig_city", "disambig_state",
                                                       "disambig_country"))
        con.execute(f"CREATE TEMP TABLE s_location AS SELECT location_id, disambig_city, disambig_state, "
                    f"disambig_country FROM {location}")
        application = source("g_application", ("application_id", "patent_id", "filing_date"))
        con.execute(f"""CREATE TEMP TABLE s_application AS SELECT patent_id, first(application_id) AS application_id,
                        first(filing_date) AS filing_date FROM {application} GROUP BY patent_id""")
        assignees = source("g_assignee_disambiguated", (
            "patent_id", "assignee_sequence", "assignee_id", "disambig_assignee_organization",
            "disambig_assignee_individual_name_first", "disambig_assignee_individual_name_last", "assignee_type",
            "location_id"))
        inventors = source("g_inventor_disambiguated", (
            "patent_id", "inventor_sequence", "inventor_id", "disambig_inventor_name_first",
            "disambig_inventor_name_last", "location_id"))
        con.execute(f"""CREATE TEMP TABLE s_people AS
            SELECT a.patent_id, 0 AS role_order,
                   row_number() OVER (PARTITION BY a.patent_id ORDER BY try_cast(a.assignee_sequence AS INTEGER))
                       AS n,
                   a.assignee_sequence AS seq, a.assignee_id AS id, a.disambig_assignee_organization AS org,
                   a.disambig_assignee_individual_name_first AS first_name,
                   a.disambig_assignee_individual_name_last AS last_name, a.assignee_type AS type,
                   l.disambig_city AS city, l.disambig_state AS state, l.disambig_country AS country
            FROM {assignees} a LEFT JOIN s_location l ON l.location_id = a.location_id
            UNION ALL
            SELECT a.patent_id, 1,
                   row_number() OVER (PARTITION BY a.patent_id ORDER BY try_cast(a.inventor_sequence AS INTEGER)),
                   a.inventor_sequence, a.inventor_id, NULL::VARCHAR, a.disambig_inventor_name_first,
                   a.disambig_inventor_name_last, NULL::VARCHAR, l.disambig_city, l.disambig_state,
                   l.disambig_country
            FROM {inventors} a LEFT JOIN s_location l ON l.location_id = a.location_id""")
        ipc = source("g_ipc_at_issue", ("patent_id", "ipc_sequence", "section", "ipc_class", "subclass",
                                        "main_group", "subgroup", "symbol_position", "classification_value"))
        con.execute(f"""CREATE TEMP TABLE s_ipc AS
            SELECT patent_id, row_number() OVER (PARTITION BY patent_id ORDER BY try_cast(ipc_sequence AS INTEGER))
                       AS n,
                   section, ipc_class AS klass, subclass, main_group, subgroup, symbol_position AS position,
                   classification_value AS value
            FROM {ipc}""")
        cpc = source("g_cpc_current", ("patent_id", "cpc_sequence", "cpc_group", "cpc_type"))
        con.execute(f"""CREATE TEMP TABLE s_cpc AS
            SELECT patent_id, row_number() OVER (PARTITION BY patent_id ORDER BY try_cast(cpc_sequence AS INTEGER))
                       AS n,
                   cpc_sequence AS seq, cpc_group AS code, cpc_type AS type
            FROM {cpc}""")
        prio = source("g_foreign_priority", ("patent_id", "priority_claim_sequence", "foreign_country_filed",
                                             "foreign_application_id", "filing_date"))
        con.execute(f"""CREATE TEMP TABLE s_prio AS
            SELECT patent_id,
                   row_number() OVER (PARTITION BY patent_id ORDER BY try_cast(priority_claim_sequence AS INTEGER))
                       AS n,
                   foreign_country_filed AS country, foreign_application_id AS number, filing_date AS date
            FROM {prio}""")

    @property
    def missing(self) -> list[str]:
        return [name for name in SIBLINGS if name not in self.files]

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self._tmp, ignore_errors=True)


def _date_ok(text: str) -> str:
    return _DATE_OK.format(t=text)


def _blank(sql: str) -> str:
    """Python's ``not value`` for a text that may be NULL."""
    return f"coalesce({sql}, '') = ''"


def g_patent_plan(columns: list[str], path: Path, source_format: str, reader_version: str) -> NativePlan:
    """The plan for ``path`` (a g_patent.tsv); its siblings are aggregated at the first batch."""
    state: dict = {}

    def map_batch(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
        if "index" not in state:
            import duckdb

            try:
                state["index"] = SiblingRows(path.parent)
            except duckdb.Error as exc:  # a sibling without its columns: the per-row reader says so
                raise NeedsRowReader(str(exc)) from exc
        index: SiblingRows = state["index"]
        mapped = _map(index, batch, first, source_file, ingest_id, source_format, reader_version)
        stored = mapped.tables["publications"]
        if first == 0 and index.missing and stored.num_rows and stored.column("record_index")[0].as_py() == 0:
            # the per-row reader's note, on the first record (when it is stored)
            mapped.warnings.append((0, f"g_patent: sibling tables not found beside it: {', '.join(index.missing)}"))
        return mapped

    def close() -> None:
        if "index" in state:
            state.pop("index").close()

    return NativePlan(columns, "\t", map_batch, close)


def _map(
    index: SiblingRows, batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str,
    source_format: str, reader_version: str,
) -> NativeBatch:
    import numpy as np
    import pyarrow as pa

    from patentreach.sources.patentsview.native import check_bounds

    check_bounds(batch)
    con = index.connection
    present = batch.schema.names
    used = [n for n in ("patent_id", "wipo_kind", "patent_date", "patent_title", "withdrawn") if n in present]
    rows = pa.Table.from_batches([batch.select(used)]).append_column(
        "__index", pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64)))

    def col(name: str) -> str:
        return f'b."{name}"' if name in present else "CAST(NULL AS VARCHAR)"

    con.register("g_batch", rows)
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE g AS
            SELECT b.__index, b.patent_id AS raw_id,
                   {py_strip(f"coalesce({col('withdrawn')}, '')")} IN ('1', '1.0') AS withdrawn,
                   {py_strip(f"coalesce({col('patent_id')}, '')")} AS num,
                   upper({py_strip(f"coalesce({col('wipo_kind')}, '')")}) AS kind,
                   {col('patent_date')} AS date_raw,
                   nullif({py_collapse(f"coalesce({col('patent_title')}, '')")}, '') AS title,
                   s_application.application_id, s_application.filing_date
            FROM g_batch b LEFT JOIN s_application ON s_application.patent_id = b.patent_id""")
        return _mapped(con, source_file, ingest_id, source_format, reader_version, batch.num_rows)
    finally:
        for table in ("g", "g_ipc", "g_cpc", "g_people", "g_prio", "g_pubs"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        for name in ("g_batch", "g_types", "g_ipc_symbols", "g_cpc_symbols", "g_countries", "g_pub_rows"):
            con.unregister(name)


def _mapped(
    con: duckdb.DuckDBPyConnection, source_file: str, ingest_id: str, source_format: str, reader_version: str,
    num_rows: int,
) -> NativeBatch:
    """The batch's canonical tables from the joined rows in temp table ``g``."""
    date_text = py_strip("date_raw")
    bad = con.execute(rf"""
        SELECT count(*) FROM g WHERE NOT withdrawn AND (
            num = '' OR kind = '' OR regexp_matches(num || kind, '[^\x01-\x7f]')
            OR {_blank('date_raw')} OR NOT {_date_ok(date_text)}
            OR (NOT {_blank('filing_date')} AND {py_strip('filing_date')} <> ''
                AND NOT {_date_ok(py_strip('filing_date'))}))""").fetchone()
    if bad and bad[0]:
        raise NeedsRowReader(f"{bad[0]} g_patent row(s) to judge one by one")
    # The children: the sibling rows of the batch's patents, with their 1-based position in the
    # patent's list (``SiblingRows``).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE g_ipc AS
        SELECT g.__index, struct_pack(section := s.section, klass := s.klass, subclass := s.subclass,
                 main_group := s.main_group, subgroup := s.subgroup, position := s.position, value := s.value) AS item,
               s.n
        FROM g JOIN s_ipc s ON s.patent_id = g.raw_id WHERE NOT g.withdrawn""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE g_cpc AS
        SELECT g.__index, coalesce((SELECT count(*) FROM g_ipc i WHERE i.__index = g.__index), 0) AS n_ipc,
               struct_pack(seq := s.seq, code := s.code, type := s.type) AS item, s.n
        FROM g JOIN s_cpc s ON s.patent_id = g.raw_id WHERE NOT g.withdrawn""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE g_people AS
        SELECT g.__index, s.role_order, struct_pack(seq := s.seq, id := s.id, org := s.org,
                 first_name := s.first_name, last_name := s.last_name, type := s.type, city := s.city,
                 state := s.state, country := s.country) AS item, s.n
        FROM g JOIN s_people s ON s.patent_id = g.raw_id WHERE NOT g.withdrawn""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE g_prio AS
        SELECT g.__index, struct_pack(country := s.country, number := s.number, date := s.date) AS item, s.n
        FROM g JOIN s_prio s ON s.patent_id = g.raw_id WHERE NOT g.withdrawn""")
    prio_date = py_strip("item.date")
    bad = con.execute(rf"""
        SELECT (SELECT count(*) FROM g_prio WHERE NOT {_blank('item.date')} AND {prio_date} <> ''
                  AND NOT {_date_ok(prio_date)})
             + (SELECT count(*) FROM g_prio
                WHERE regexp_matches({py_strip("coalesce(item.country, '')")}, '[^\x01-\x7f]'))
             + (SELECT count(*) FROM g_people WHERE regexp_matches(coalesce(item.seq, ''), '[^\x01-\x7f]'))
    """).fetchone()
    if bad and bad[0]:
        raise NeedsRowReader(f"{bad[0]} sibling value(s) to judge one by one")
    _lookups(con)
    publications = con.sql(f"""
        WITH prio AS (
            SELECT __index, min(try_cast(left({prio_date}, 10) AS DATE)) AS earliest FROM g_prio GROUP BY __index),
        pubs AS (
            SELECT g.*, CAST(left({py_strip('date_raw')}, 10) AS DATE) AS pub_date,
                   'US-' || regexp_replace(replace(replace(upper(num), ',', ''), ' ', ''),
                                          '^([A-Z]*)0+([0-9])', '\\1\\2') || '-' || kind AS pub_id,
                   CASE WHEN {_blank('filing_date')} OR {py_strip('filing_date')} = '' THEN NULL
                        ELSE CAST(left({py_strip('filing_date')}, 10) AS DATE) END AS application_date
            FROM g WHERE NOT withdrawn)
        SELECT pub_id, 'US' AS office, split_part(pub_id, '-', 2) AS number, pubs.kind, t.doc_type, pubs.pub_date,
               nullif({py_strip("coalesce(application_id, '')")}, '') AS application_number, application_date,
               CASE WHEN application_date IS NULL THEN prio.earliest
                    WHEN prio.earliest IS NULL THEN application_date
                    ELSE least(application_date, prio.earliest) END AS earliest_priority_date,
               NULL AS family_id, ? AS route, title, 'en' AS language, ? AS source_format, ? AS source_file,
               pubs.__index AS record_index, ? AS reader_version, 'kind_code' AS doc_type_rule, ? AS ingest_id
        FROM pubs JOIN g_types t ON t.kind = pubs.kind AND t.pub_date = pubs.pub_date
        LEFT JOIN prio USING (__index)
        ORDER BY pubs.__index""",
        params=[Route.DIRECT.value, source_format, source_file, reader_version, ingest_id]).to_arrow_table()
    con.register("g_pub_rows", publications.select(["record_index", "pub_id"]))
    con.execute("CREATE OR REPLACE TEMP TABLE g_pubs AS SELECT record_index AS __index, pub_id FROM g_pub_rows")
    parties = con.sql(f"""
        WITH named AS (
            SELECT p.__index, p.role_order, p.n, p.item, {py_strip("coalesce(item.org, '')")} AS org,
                   concat_ws(' ', CASE WHEN {py_strip("coalesce(item.first_name, '')")} <> '' THEN item.first_name END,
                                  CASE WHEN {py_strip("coalesce(item.last_name, '')")} <> '' THEN item.last_name END)
                       AS person,
                   nullif({py_strip("coalesce(item.country, '')")}, '') AS country_raw,
                   {py_strip("coalesce(item.type, '')")} AS type_text
            FROM g_people p),
        typed AS (
            SELECT *, CASE WHEN suffix(type_text, '.0') THEN left(type_text, length(type_text) - 2)
                           ELSE type_text END AS type_code
            FROM named)
        SELECT g_pubs.pub_id, CASE WHEN role_order = 0 THEN ? ELSE ? END AS role,
               CASE WHEN regexp_matches(coalesce(item.seq, ''), '^[0-9]+$') THEN CAST(item.seq AS BIGINT) + 1
                    ELSE n END AS sequence,
               CASE WHEN org <> '' THEN org ELSE person END AS name,
               CASE WHEN org <> '' THEN ? ELSE ? END AS kind,
               nullif({py_strip("coalesce(item.city, '')")}, '') AS city,
               nullif({py_strip("coalesce(item.state, '')")}, '') AS state,
               typed.country_raw, c.country, NULL AS address,
               nullif({py_strip("coalesce(item.id, '')")}, '') AS source_entity_id,
               CASE WHEN role_order = 1 OR type_code = '' THEN NULL
                    WHEN ltrim(type_code, '0') = '' THEN type_code ELSE ltrim(type_code, '0') END AS source_type_code,
               typed.__index AS record_index, ? AS ingest_id
        FROM typed JOIN g_pubs USING (__index) LEFT JOIN g_countries c ON c.country_raw = typed.country_raw
        WHERE (CASE WHEN org <> '' THEN org ELSE person END) <> ''
        ORDER BY typed.__index, role_order, n""",
        params=[Role.ASSIGNEE.value, Role.INVENTOR.value, PartyKind.ORGANISATION.value, PartyKind.PERSON.value,
                ingest_id]).to_arrow_table()
    classifications = con.sql("""
        WITH ipc AS (
            SELECT i.__index, 'IPC' AS scheme, s.symbol,
                   CASE WHEN i.item.position = 'F' AND i.n = min(CASE WHEN i.item.position = 'F' THEN i.n END)
                             OVER (PARTITION BY i.__index) THEN 'first'
                        WHEN i.item.value = 'I' THEN 'inventive' ELSE 'additional' END AS position,
                   i.n - 1 AS sequence
            FROM g_ipc i LEFT JOIN g_ipc_symbols s
              ON s.section IS NOT DISTINCT FROM i.item.section AND s.klass IS NOT DISTINCT FROM i.item.klass
             AND s.subclass IS NOT DISTINCT FROM i.item.subclass
             AND s.main_group IS NOT DISTINCT FROM i.item.main_group
             AND s.subgroup IS NOT DISTINCT FROM i.item.subgroup),
        cpc AS (
            SELECT c.__index, 'CPC' AS scheme, s.symbol,
                   CASE WHEN c.n = 1 THEN 'first'
                        WHEN starts_with(lower(coalesce(c.item.type, '')), 'invent') THEN 'inventive'
                        ELSE 'additional' END AS position,
                   c.n_ipc + c.n - 1 AS sequence
            FROM g_cpc c LEFT JOIN g_cpc_symbols s ON s.code IS NOT DISTINCT FROM c.item.code)
        SELECT g_pubs.pub_id, scheme, symbol, position, sequence, x.__index AS record_index, ? AS ingest_id
        FROM (SELECT * FROM ipc UNION ALL SELECT * FROM cpc) x JOIN g_pubs USING (__index)
        ORDER BY x.__index, sequence""", params=[ingest_id]).to_arrow_table()
    if classifications.num_rows and classifications.column("symbol").null_count:
        raise NeedsRowReader("a classification that is not a symbol")
    priorities = con.sql(f"""
        SELECT g_pubs.pub_id, nullif(upper({py_strip("coalesce(item.country, '')")}), '') AS office,
               nullif({py_strip("coalesce(item.number, '')")}, '') AS number,
               CASE WHEN {_blank('item.date')} OR {prio_date} = '' THEN NULL
                    ELSE CAST(left({prio_date}, 10) AS DATE) END AS date,
               ? AS kind, p.n - 1 AS sequence, p.__index AS record_index, ? AS ingest_id
        FROM g_prio p JOIN g_pubs USING (__index)
        ORDER BY p.__index, p.n""", params=[PriorityKind.PARIS.value, ingest_id]).to_arrow_table()
    tables = {
        "publications": _cast(publications, PUBLICATIONS),
        "parties": _cast(parties, PARTIES),
        "classifications": _cast(classifications, CLASSIFICATIONS),
        "priorities": _cast(priorities, PRIORITIES),
    }
    stored = publications.num_rows
    return NativeBatch(tables, stored=stored, skipped=num_rows - stored)


def _lookups(con: duckdb.DuckDBPyConnection) -> None:
    """The Python rules, once per distinct value of the batch."""
    import pyarrow as pa

    keys = con.execute(f"""
        SELECT DISTINCT kind, CAST(left({py_strip('date_raw')}, 10) AS DATE) FROM g WHERE NOT withdrawn""").fetchall()
    con.register("g_types", pa.table({
        "kind": pa.array([k[0] for k in keys], pa.string()), "pub_date": pa.array([k[1] for k in keys], pa.date32()),
        "doc_type": pa.array([doc_type("US", k[0], k[1]) for k in keys], pa.string())}))
    ipcs = con.execute("""SELECT DISTINCT item.section, item.klass, item.subclass, item.main_group, item.subgroup
                          FROM g_ipc""").fetchall()
    symbols = []
    for parts in ipcs:
        texts = [str(p or "") for p in parts]
        symbols.append(from_parts(*texts) if all(texts[:4]) else None)
    names = ("section", "klass", "subclass", "main_group", "subgroup")
    con.register("g_ipc_symbols", pa.table(
        {**{n: pa.array([p[i] for p in ipcs], pa.string()) for i, n in enumerate(names)},
         "symbol": pa.array(symbols, pa.string())}))
    codes = [c[0] for c in con.execute("SELECT DISTINCT item.code FROM g_cpc").fetchall()]
    con.register("g_cpc_symbols", pa.table({"code": pa.array(codes, pa.string()),
                                            "symbol": pa.array([cpc_symbol(c) for c in codes], pa.string())}))
    raws = [c[0] for c in con.execute(f"""
        SELECT DISTINCT nullif({py_strip("coalesce(item.country, '')")}, '') FROM g_people""").fetchall()
        if c[0] is not None]
    con.register("g_countries", pa.table({"country_raw": pa.array(raws, pa.string()),
                                          "country": pa.array([normalise_country(r) for r in raws], pa.string())}))


def _cast(table: pa.Table, schema: pa.Schema) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_arrays([table.column(i).cast(f.type) for i, f in enumerate(schema)], schema=schema)
