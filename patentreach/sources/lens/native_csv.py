"""The Lens CSV export mapped a batch at a time in DuckDB SQL (the native path of issue 20).

Most rows of a Lens export are plain: printable ASCII in the columns parsed by a pattern
(jurisdiction, kind, document numbers, dates, priority and owner entries), valid dates and
classification symbols. For those the SQL below repeats ``csv_export.record_from_row`` and
``owner_history.owner_transfers`` value for value; the few Python rules without an SQL twin
(``cpc_symbol``, ``type_document``, ``name_key`` of a name outside ASCII) run once per distinct
value of the batch. Every other row (a problem to quarantine, a character where Python's and
RE2's patterns differ) is not decided here: it is handed back in ``LensBatch.units``, with its
record index and line, and the warehouse runs the reader's own ``parse`` on it, so its record,
quarantine reason and warnings are the per-row reader's. Unlike PatentsView's plans, one such
row does not send the whole file back: the real export holds rows without a publication date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from patentreach.model.records import PartyKind, Role, Route
from patentreach.model.schema import (
    CLASSIFICATIONS,
    PARTIES,
    PRIORITIES,
    PUBLICATIONS,
    TRANSFER_PARTIES,
    TRANSFER_PROPERTIES,
    TRANSFERS,
)
from patentreach.model.transfers import ConveyanceType, TransferScope, TransferSide
from patentreach.sources.base import Unit
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol
from patentreach.sources.lens.owner_history import OFFICE as OWNER_OFFICE
from patentreach.sources.lens.party_kinds import name_key
from patentreach.sources.lens.publication_type import type_document
from patentreach.sources.native_tables import NativeBatch, NativePlan, py_collapse, py_strip

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

# Export column -> the short name the SQL uses (an absent column reads as empty, as row.get does).
COLUMNS = {
    "Jurisdiction": "j", "Kind": "k", "Publication Number": "pn", "Lens ID": "lid", "Publication Date": "pd",
    "Application Number": "an", "Application Date": "ad", "Priority Numbers": "prio",
    "Earliest Priority Date": "epd", "Title": "title", "Applicants": "app", "Inventors": "inv",
    "Owners (US)": "own", "Type": "type", "CPC Classifications": "cpc", "IPCR Classifications": "ipcr",
    "US Classifications": "usc",
}
# Columns read by a pattern: outside printable ASCII, Python's \s, \d and str.upper differ from
# RE2's and DuckDB's, so such a row is left to the reader.
_PATTERNED = ("j", "k", "pn", "pd", "an", "ad", "prio", "epd", "own")
# lens_values' patterns; on printable ASCII, RE2 reads them as Python does.
_DOC_NUMBER = r"^\s*([A-Z]{2})\s+(.+?)\s+([A-Z]\d?)(?:\s+\d{8})?\s*$"
_PRIORITY = r"^\s*([A-Z]{2})\s+(\S+(?:\s\S+)*?)\s+([A-Z]\d?)\s+(\d{8})\s*$"
_OWNER = r"^(.*?)\s*\((\d{4}-\d{2}-\d{2})\)\s*$"


@dataclass(slots=True)
class LensBatch(NativeBatch):
    """A batch's SQL-mapped tables plus the rows left to the reader's own ``parse``."""

    units: list[Unit] = field(default_factory=list)


def lens_csv_plan(header: list[str], source_format: str, reader_version: str) -> NativePlan:
    """The plan for a Lens export whose header is ``header``; one DuckDB connection per file."""
    state: dict = {"line": 2}

    def map_batch(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
        if "con" not in state:
            import duckdb

            state["con"] = duckdb.connect()
            state["con"].execute("SET enable_progress_bar = false")
        lines = _lines(batch, state["line"])
        state["line"] = int(lines[-1] + _newlines(batch)[-1] + 1) if batch.num_rows else state["line"]
        return _map(state["con"], batch, first, lines, source_file, ingest_id, source_format, reader_version)

    def close() -> None:
        if "con" in state:
            state.pop("con").close()

    return NativePlan(header, ",", map_batch, close)


def _newlines(batch: pa.RecordBatch):
    """Line breaks inside each row's quoted values (a row spans one line more per break)."""
    import numpy as np
    import pyarrow.compute as pc

    total = np.zeros(batch.num_rows, dtype=np.int64)
    for column in batch.columns:
        total += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
    return total


def _lines(batch: pa.RecordBatch, first_line: int):
    """The file line each row starts on, as ``csv_records`` numbers them when the file has no
    blank lines (the warehouse checks that before it trusts these numbers)."""
    import numpy as np

    spans = 1 + _newlines(batch)
    return first_line + np.concatenate(([0], np.cumsum(spans)[:-1])).astype(np.int64)


def _strip_list(sql: str) -> str:
    """``split_multi``: the ``;;``-separated parts, stripped as Python strips, blanks dropped."""
    return f"list_filter(list_transform(string_split({sql}, ';;'), lambda s: {py_strip('s')}), lambda s: s <> '')"


def _iso_ok(t: str) -> str:
    """``parse_iso_date`` of a stripped printable-ASCII text accepts it as YYYY-MM-DD."""
    return (f"(regexp_matches(left({t}, 10), '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$') "
            f"AND try_cast(left({t}, 10) AS DATE) IS NOT NULL AND year(try_cast(left({t}, 10) AS DATE)) >= 1)")


def _iso(t: str) -> str:
    return f"CASE WHEN {t} = '' THEN NULL ELSE CAST(left({t}, 10) AS DATE) END"


def _squeeze(sql: str) -> str:
    return f"regexp_replace({sql}, '[ /,.-]', '', 'g')"


def _no_leading_zeros(sql: str) -> str:
    r"""``strip_leading_zeros`` (its lookahead ``0+(?=\d)`` as a captured digit)."""
    return (f"regexp_replace(replace(replace(upper(trim({sql})), ',', ''), ' ', ''), "
            r"'^([A-Z]*)0+([0-9])', '\1\2')")


def _map(
    con: duckdb.DuckDBPyConnection, batch: pa.RecordBatch, first: int, lines, source_file: str, ingest_id: str,
    source_format: str, reader_version: str,
) -> LensBatch:
    import numpy as np
    import pyarrow as pa

    from patentreach.sources.patentsview.native import check_bounds

    check_bounds(batch)
    names = batch.schema.names
    empty = pa.array([""] * batch.num_rows, pa.string())
    arrays = [batch.column(names.index(c)) if c in names else empty for c in COLUMNS]
    arrays += [pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64)), pa.array(lines, pa.int64())]
    rows = pa.table(arrays, names=[*COLUMNS.values(), "__index", "__line"])
    con.register("lens_batch", rows)
    try:
        return _mapped(con, batch, first, source_file, ingest_id, source_format, reader_version)
    finally:
        for table in ("r", "r_prio", "r_own", "r_cls", "r_names", "r_ok", "r_keys", "r_inventor_keys"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        for name in ("lens_batch", "lens_symbols", "lens_keys", "lens_types"):
            con.unregister(name)


def _mapped(
    con: duckdb.DuckDBPyConnection, batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str,
    source_format: str, reader_version: str,
) -> LensBatch:
    import pyarrow as pa

    exotic = " OR ".join(rf"regexp_matches({c}, '[^\x20-\x7e]')" for c in _PATTERNED)
    con.execute(rf"""
        CREATE TEMP TABLE r AS
        WITH base AS (
            SELECT __index, __line, lid, type, title, app, inv, ipcr, cpc, usc, prio, own, {exotic} AS exotic,
                   upper(trim(j)) AS office, upper(trim(k)) AS kind,
                   regexp_matches(pn, '{_DOC_NUMBER}') AS pn_ok,
                   regexp_extract(pn, '{_DOC_NUMBER}', ['cc', 'num', 'kind']) AS pn_parts,
                   regexp_matches(an, '{_DOC_NUMBER}') AS an_ok,
                   regexp_extract(an, '{_DOC_NUMBER}', ['cc', 'num', 'kind']) AS an_parts,
                   trim(pd) AS pd, trim(ad) AS ad, trim(epd) AS epd
            FROM lens_batch)
        SELECT *,
               exotic OR office = '' OR kind = '' OR NOT pn_ok OR pn_parts.cc <> office OR pn_parts.kind <> kind
                 OR pd = '' OR NOT {_iso_ok('pd')}
                 OR (ad <> '' AND NOT {_iso_ok('ad')}) OR (epd <> '' AND NOT {_iso_ok('epd')}) AS judge,
               office || '-' || {_no_leading_zeros(_squeeze('pn_parts.num'))} || '-' || kind AS pub_id,
               CASE WHEN an_ok THEN an_parts.cc END AS app_cc,
               CASE WHEN an_ok THEN {_squeeze('an_parts.num')} END AS app_num,
               CASE WHEN an_ok THEN an_parts.kind END AS app_kind
        FROM base""")
    # Priority entries, in printed order (n from 1), with the claims' kept order.
    con.execute(rf"""
        CREATE TEMP TABLE r_prio AS
        WITH parts AS (
            SELECT __index, office, app_cc, app_num, unnest(l) AS part, generate_subscripts(l, 1) AS n
            FROM (SELECT __index, office, app_cc, app_num, {_strip_list('prio')} AS l FROM r WHERE NOT judge)),
        parsed AS (
            SELECT *, regexp_matches(part, '{_PRIORITY}') AS ok,
                   regexp_extract(part, '{_PRIORITY}', ['cc', 'num', 'kind', 'd']) AS p FROM parts),
        dated AS (
            SELECT *, {_squeeze('p.num')} AS number,
                   try_cast(left(p.d, 4) || '-' || substr(p.d, 5, 2) || '-' || right(p.d, 2) AS DATE) AS date
            FROM parsed)
        SELECT __index, n, ok AND date IS NOT NULL AND year(date) >= 1 AS ok, p.cc AS office, number, date,
               CASE WHEN p.kind = 'W' OR p.cc = 'WO' THEN 'pct' WHEN p.cc <> office THEN 'paris'
                    ELSE 'domestic_continuation' END AS kind,
               app_cc IS NOT NULL AND p.cc = app_cc AND number = app_num AS is_application
        FROM dated""")
    con.execute(rf"""
        CREATE TEMP TABLE r_own AS
        WITH parts AS (
            SELECT __index, unnest(l) AS part, generate_subscripts(l, 1) AS n
            FROM (SELECT __index, {_strip_list('own')} AS l FROM r WHERE NOT judge)),
        parsed AS (
            SELECT *, regexp_matches(part, '{_OWNER}') AS matched,
                   regexp_extract(part, '{_OWNER}', ['name', 'd']) AS p FROM parts)
        SELECT __index, n, CASE WHEN matched THEN trim(p.name) ELSE part END AS name,
               CASE WHEN matched THEN try_cast(p.d AS DATE) END AS date,
               NOT matched OR (try_cast(p.d AS DATE) IS NOT NULL AND year(try_cast(p.d AS DATE)) >= 1) AS ok
        FROM parsed""")
    con.execute(f"""
        CREATE TEMP TABLE r_cls AS
        WITH parts AS (
            SELECT __index, 0 AS scheme_order, unnest(l) AS code, generate_subscripts(l, 1) AS n
            FROM (SELECT __index, {_strip_list('ipcr')} AS l FROM r WHERE NOT judge)
            UNION ALL
            SELECT __index, 1, unnest(l), generate_subscripts(l, 1)
            FROM (SELECT __index, {_strip_list('cpc')} AS l FROM r WHERE NOT judge)
            UNION ALL
            SELECT __index, 2, unnest(l), generate_subscripts(l, 1)
            FROM (SELECT __index, {_strip_list('usc')} AS l FROM r WHERE NOT judge))
        SELECT * FROM parts""")
    codes = [c for (c,) in con.execute("SELECT DISTINCT code FROM r_cls WHERE scheme_order < 2").fetchall()]
    con.register("lens_symbols", pa.table({"code": pa.array(codes, pa.string()),
                                           "symbol": pa.array([cpc_symbol(c) for c in codes], pa.string())}))
    con.execute("""
        CREATE TEMP TABLE r_ok AS
        SELECT __index FROM r WHERE NOT judge
        EXCEPT SELECT __index FROM r_prio WHERE NOT ok
        EXCEPT SELECT __index FROM r_own WHERE NOT ok
        EXCEPT SELECT __index FROM r_cls c JOIN lens_symbols s USING (code) WHERE c.scheme_order < 2
                                                                       AND s.symbol IS NULL""")
    # Names: Python's name_key, in SQL for printable ASCII, in Python once per other name.
    con.execute(f"""
        CREATE TEMP TABLE r_names AS
        SELECT __index, 0 AS role_order, unnest(l) AS name, generate_subscripts(l, 1) AS n
        FROM (SELECT __index, {_strip_list('app')} AS l FROM r JOIN r_ok USING (__index))
        UNION ALL
        SELECT __index, 1, unnest(l), generate_subscripts(l, 1)
        FROM (SELECT __index, {_strip_list('inv')} AS l FROM r JOIN r_ok USING (__index))""")
    others = [n for (n,) in con.execute(r"""
        SELECT DISTINCT name FROM (SELECT name FROM r_names UNION ALL SELECT name FROM r_own)
        WHERE regexp_matches(name, '[^\x20-\x7e]')""").fetchall()]
    con.register("lens_keys", pa.table({"name": pa.array(others, pa.string()),
                                        "key": pa.array([name_key(n) for n in others], pa.string())}))
    con.execute(r"""
        CREATE TEMP TABLE r_keys AS
        SELECT name, coalesce(k.key, trim(regexp_replace(upper(name), '[^A-Z0-9]+', ' ', 'g'))) AS key
        FROM (SELECT DISTINCT name FROM (SELECT name FROM r_names UNION ALL SELECT name FROM r_own))
        LEFT JOIN lens_keys k USING (name)""")
    con.execute("""
        CREATE TEMP TABLE r_inventor_keys AS
        SELECT DISTINCT __index, key FROM r_names JOIN r_keys USING (name) WHERE role_order = 1 AND key <> ''""")
    types = con.execute("""
        SELECT DISTINCT r.type, r.office, r.kind, CAST(left(r.pd, 10) AS DATE) FROM r JOIN r_ok USING (__index)
    """).fetchall()
    typed = [type_document(t, o, k, d, "") for t, o, k, d in types]
    con.register("lens_types", pa.table({
        "type": pa.array([t[0] for t in types], pa.string()), "office": pa.array([t[1] for t in types], pa.string()),
        "kind": pa.array([t[2] for t in types], pa.string()), "pub_date": pa.array([t[3] for t in types], pa.date32()),
        "doc_type": pa.array([t.doc_type for t in typed], pa.string()),
        "rule": pa.array([t.rule for t in typed], pa.string()),
        "warns": pa.array([t.warning is not None for t in typed], pa.bool_())}))
    publications = con.sql("""
        WITH claims AS (
            SELECT __index, min(date) AS earliest FROM r_prio JOIN r_ok USING (__index)
            WHERE NOT is_application GROUP BY __index),
        pubs AS (
            SELECT r.*, CAST(left(r.pd, 10) AS DATE) AS pub_date, """ + _iso("r.ad") + """ AS application_date,
                   """ + _iso("r.epd") + """ AS epd_date
            FROM r JOIN r_ok USING (__index))
        SELECT pub_id, pubs.office, split_part(pub_id, '-', 2) AS number, pubs.kind, t.doc_type, pubs.pub_date,
               app_num AS application_number, application_date,
               least(application_date, epd_date, claims.earliest) AS earliest_priority_date,
               NULL AS family_id,
               CASE WHEN app_kind = 'W' AND pubs.office <> 'WO' THEN ? ELSE ? END AS route,
               nullif(""" + py_collapse("pubs.title") + """, '') AS title, NULL AS language,
               ? AS source_format, ? AS source_file, pubs.__index AS record_index, ? AS reader_version,
               t.rule AS doc_type_rule, ? AS ingest_id, t.warns, pubs.type AS lens_type
        FROM pubs JOIN lens_types t ON t.type = pubs.type AND t.office = pubs.office AND t.kind = pubs.kind
                                    AND t.pub_date = pubs.pub_date
        LEFT JOIN claims USING (__index)
        ORDER BY pubs.__index""",
        params=[Route.PCT.value, Route.DIRECT.value, source_format, source_file, reader_version,
                ingest_id]).to_arrow_table()
    parties = con.sql("""
        WITH ids AS (SELECT __index, pub_id FROM r JOIN r_ok USING (__index)),
        current AS (
            SELECT __index, arg_max(name, struct_pack(d := coalesce(date, DATE '0001-01-01'), n := n)) AS name
            FROM r_own JOIN r_ok USING (__index) GROUP BY __index),
        named AS (
            SELECT __index, role_order, n, name, key FROM r_names JOIN r_keys USING (name)
            UNION ALL
            SELECT __index, 2, 1, name, key FROM current JOIN r_keys USING (name))
        SELECT ids.pub_id, CASE role_order WHEN 0 THEN ? WHEN 1 THEN ? ELSE ? END AS role, n AS sequence, name,
               CASE WHEN role_order = 1 OR (key <> '' AND EXISTS (
                        SELECT 1 FROM r_inventor_keys i WHERE i.__index = named.__index AND i.key = named.key))
                    THEN ? ELSE ? END AS kind,
               NULL AS city, NULL AS state, NULL AS country_raw, NULL AS country, NULL AS address,
               NULL AS source_entity_id, NULL AS source_type_code, named.__index AS record_index, ? AS ingest_id
        FROM named JOIN ids USING (__index)
        ORDER BY named.__index, role_order, n""",
        params=[Role.APPLICANT.value, Role.INVENTOR.value, Role.ASSIGNEE.value, PartyKind.PERSON.value,
                PartyKind.ORGANISATION.value, ingest_id]).to_arrow_table()
    classifications = con.sql(f"""
        WITH kept AS (
            SELECT c.__index, c.scheme_order, c.n,
                   CASE WHEN c.scheme_order = 2 THEN {py_collapse('c.code')} ELSE s.symbol END AS symbol
            FROM r_cls c JOIN r_ok USING (__index) LEFT JOIN lens_symbols s ON c.scheme_order < 2 AND s.code = c.code),
        first_seen AS (
            SELECT *, row_number() OVER (PARTITION BY __index, scheme_order, symbol ORDER BY n) AS seen FROM kept)
        SELECT r.pub_id, CASE scheme_order WHEN 0 THEN 'IPC' WHEN 1 THEN 'CPC' ELSE 'national' END AS scheme,
               symbol, CASE WHEN n = 1 THEN 'first' ELSE 'additional' END AS position,
               row_number() OVER (PARTITION BY f.__index ORDER BY scheme_order, n) - 1 AS sequence,
               f.__index AS record_index, ? AS ingest_id
        FROM first_seen f JOIN r USING (__index)
        WHERE seen = 1 OR scheme_order = 2
        ORDER BY f.__index, sequence""", params=[ingest_id]).to_arrow_table()
    priorities = con.sql("""
        SELECT r.pub_id, p.office, p.number, p.date, p.kind,
               row_number() OVER (PARTITION BY p.__index ORDER BY p.n) - 1 AS sequence,
               p.__index AS record_index, ? AS ingest_id
        FROM r_prio p JOIN r_ok USING (__index) JOIN r USING (__index)
        WHERE NOT p.is_application
        ORDER BY p.__index, sequence""", params=[ingest_id]).to_arrow_table()
    transfers = con.sql("""
        WITH ordered AS (
            SELECT o.__index, o.name, o.date, k.key,
                   row_number() OVER (PARTITION BY o.__index ORDER BY coalesce(o.date, DATE '0001-01-01'), o.n) AS n
            FROM r_own o JOIN r_ok USING (__index) JOIN r_keys k USING (name))
        SELECT 'LENS-' || CASE WHEN r.lid <> '' THEN r.lid ELSE 'row' || (o.__index + 1) END || '-OWNER-' || o.n
                   AS transfer_id,
               o.__index AS record_index, o.name, o.date, o.key, r.pub_id, r.office, r.kind, r.app_num,
               EXISTS (SELECT 1 FROM r_inventor_keys i WHERE i.__index = o.__index AND i.key = o.key) AS person
        FROM ordered o JOIN r USING (__index)
        ORDER BY o.__index, o.n""").to_arrow_table()
    judged = con.execute("""
        SELECT __index, __line FROM r EXCEPT SELECT __index, __line FROM r JOIN r_ok USING (__index) ORDER BY 1
    """).fetchall()
    return _batch(batch, first, publications, parties, classifications, priorities, transfers, judged, ingest_id,
                  source_format, source_file, reader_version)


def _batch(
    batch: pa.RecordBatch, first: int, publications: pa.Table, parties: pa.Table, classifications: pa.Table,
    priorities: pa.Table, transfers: pa.Table, judged: list[tuple[int, int]], ingest_id: str,
    source_format: str, source_file: str, reader_version: str,
) -> LensBatch:
    import pyarrow as pa

    warnings = []  # type_document's warning names the pub_id: made again for the few rows that warn
    warns = publications.filter(publications.column("warns")).to_pylist() if publications.num_rows else []
    for row in warns:
        typed = type_document(row["lens_type"], row["office"], row["kind"], row["pub_date"], row["pub_id"])
        if typed.warning:
            warnings.append((row["record_index"], typed.warning))
    n = transfers.num_rows
    heads = pa.table({
        "transfer_id": transfers.column("transfer_id"), "office": [OWNER_OFFICE] * n,
        "conveyance_type": [ConveyanceType.OTHER.value] * n, "conveyance_text": pa.nulls(n, pa.string()),
        "event_code": pa.nulls(n, pa.string()), "reel_frame": pa.nulls(n, pa.string()),
        "execution_date": pa.nulls(n, pa.date32()), "record_date": transfers.column("date"),
        "scope": [TransferScope.PROPERTY.value] * n, "source_format": [source_format] * n,
        "source_file": [source_file] * n, "record_index": transfers.column("record_index"),
        "reader_version": [reader_version] * n, "ingest_id": [ingest_id] * n})
    person = transfers.column("person").to_pylist()
    sides = pa.table({
        "transfer_id": transfers.column("transfer_id"), "side": [TransferSide.ASSIGNEE.value] * n, "sequence": [1] * n,
        "name": transfers.column("name"),
        "kind": [PartyKind.PERSON.value if p else PartyKind.ORGANISATION.value for p in person],
        **{c: pa.nulls(n, pa.string()) for c in ("city", "state", "country_raw", "country", "address")},
        "execution_date": pa.nulls(n, pa.date32()), "record_index": transfers.column("record_index"),
        "ingest_id": [ingest_id] * n})
    props = pa.table({
        "transfer_id": transfers.column("transfer_id"), "sequence": [1] * n, "office": transfers.column("office"),
        "pub_id": transfers.column("pub_id"), "application_number": transfers.column("app_num"),
        "kind": transfers.column("kind"), "title": pa.nulls(n, pa.string()),
        "record_index": transfers.column("record_index"), "ingest_id": [ingest_id] * n})
    tables = {
        "publications": _cast(publications, PUBLICATIONS), "parties": _cast(parties, PARTIES),
        "classifications": _cast(classifications, CLASSIFICATIONS), "priorities": _cast(priorities, PRIORITIES),
        "transfers": _cast(heads, TRANSFERS), "transfer_parties": _cast(sides, TRANSFER_PARTIES),
        "transfer_properties": _cast(props, TRANSFER_PROPERTIES),
    }
    units = []
    if judged:
        rows = batch.take(pa.array([i - first for i, _ in judged], pa.int64())).to_pylist()
        units = [Unit(index, line, row) for (index, line), row in zip(judged, rows, strict=True)]
    return LensBatch(tables, stored=publications.num_rows, warnings=warnings, units=units)


def _cast(table: pa.Table, schema: pa.Schema) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_arrays([table.column(f.name).cast(f.type) for f in schema], schema=schema)
