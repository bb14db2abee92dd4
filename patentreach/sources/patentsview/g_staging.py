"""The sibling tables of a ``g_patent.tsv``, read once each and mapped once, keyed by patent id.

Everything the canonical tables take from a sibling row depends on that row and its patent's
other sibling rows only, never on the ``g_patent`` row: so each sibling file is read by DuckDB's
``read_csv`` (the same call as ``g_siblings``, whose values the per-row reader maps) straight
into its mapped rows, in one SQL statement per output (parties, classifications, priorities,
application and earliest priority date), and a batch of ``g_patent`` only joins them to its pub
ids (``native_g``). Each row is numbered within its patent as ``g_siblings`` orders its lists
(a window instead of ``g_siblings``' list aggregation, which costs several times a read of the
file). Values are stripped where there are fewest of them (a location's city once, not once per
inventor living there). The Python rules without an SQL twin (``from_parts``, ``cpc_symbol``,
``normalise_country``) run once per distinct value of the file.

``s_needs`` lists the patent ids whose sibling rows the SQL does not decide as the per-row reader
does (a classification that is not a symbol, a bad priority or filing date, non-ASCII sequence
numbers or offices): a batch holding one of them goes to the per-row reader.

Temporary tables live in a DuckDB database in a temporary folder, so they spill to disk beyond
the memory limit; nothing is checkpointed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.model.ipc import from_parts
from patentreach.model.records import PartyKind, PriorityKind, Role
from patentreach.refdata.countries import normalise_country
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol
from patentreach.sources.native_tables import py_strip
from patentreach.sources.patentsview.g_siblings import _READ, _quoted, sibling_files
from patentreach.sources.patentsview.tables import SIBLINGS

if TYPE_CHECKING:
    import duckdb

_DATE_OK = ("(regexp_matches({t}, '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            "AND try_cast(left({t}, 10) AS DATE) IS NOT NULL AND year(try_cast(left({t}, 10) AS DATE)) >= 1)")
_NON_ASCII = r"'[^\x01-\x7f]'"

# The columns each sibling contributes (a missing file reads as an empty table of them).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "g_location_disambiguated": ("location_id", "disambig_city", "disambig_state", "disambig_country"),
    "g_application": ("application_id", "patent_id", "filing_date"),
    "g_assignee_disambiguated": (
        "patent_id", "assignee_sequence", "assignee_id", "disambig_assignee_organization",
        "disambig_assignee_individual_name_first", "disambig_assignee_individual_name_last", "assignee_type",
        "location_id"),
    "g_inventor_disambiguated": ("patent_id", "inventor_sequence", "inventor_id", "disambig_inventor_name_first",
                                 "disambig_inventor_name_last", "location_id"),
    "g_ipc_at_issue": ("patent_id", "ipc_sequence", "section", "ipc_class", "subclass", "main_group", "subgroup",
                       "symbol_position", "classification_value"),
    "g_cpc_current": ("patent_id", "cpc_sequence", "cpc_group", "cpc_type"),
    "g_foreign_priority": ("patent_id", "priority_claim_sequence", "foreign_country_filed",
                           "foreign_application_id", "filing_date"),
}


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """The one number a query returns, its result fetched to the end (DuckDB refuses other work
    on a connection with a result still open)."""
    return int(con.execute(sql).fetchall()[0][0] or 0)


def date_ok(text: str) -> str:
    """SQL for "``parse_iso_date`` reads this stripped text" (a date, year 1 or later)."""
    return _DATE_OK.format(t=text)


def blank(sql: str) -> str:
    """Python's ``not value`` for a text that may be NULL."""
    return f"coalesce({sql}, '') = ''"


def stripped(sql: str) -> str:
    """Python's ``(value or "").strip()``."""
    return py_strip(f"coalesce({sql}, '')")


def numbering(regular: bool, group: str = "pid") -> str:
    """SQL for ``n``, a row's 1-based place within its patent by its number ``k``
    (``try_cast(sequence AS INTEGER)``), as ``g_siblings`` orders a patent's list: ``k + 1`` when
    the numbers are 0, 1, 2, ... (``SiblingRows._regular``), else a window ranks them (several
    times the cost of the check)."""
    return "k + 1" if regular else f"row_number() OVER (PARTITION BY {group} ORDER BY k)"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _date_of(raw: str) -> str:
    """``_date``: NULL for an empty value, else the date of the stripped text (NULL if bad)."""
    return (f"CASE WHEN {blank(raw)} OR {stripped(raw)} = '' THEN NULL "
            f"ELSE try_cast(left({stripped(raw)}, 10) AS DATE) END")


def _bad_date(raw: str) -> str:
    """A non-empty value ``parse_iso_date`` refuses: the per-row reader quarantines its patent."""
    return f"(NOT {blank(raw)} AND {stripped(raw)} <> '' AND NOT {date_ok(stripped(raw))})"


class SiblingRows:
    """The mapped sibling rows of one folder, in temporary tables ``s_application``
    (patent id -> application number and date), ``s_earliest`` (-> earliest priority date),
    ``s_party``, ``s_class``, ``s_prio`` (one row per output row, numbered within the patent)
    and ``s_needs`` (see the module's docstring); ``needs_row_reader`` counts ``s_needs``."""

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

    def _source(self, name: str) -> str:
        if name in self.files:
            return _READ.format(path=_quoted(str(self.files[name])))
        nulls = ", ".join(f"NULL::VARCHAR AS {c}" for c in _COLUMNS[name])
        return f"(SELECT {nulls} WHERE false)"

    def _numbered(self, table: str, name: str, sequence: str, columns: str) -> str:
        """Stage a sibling's columns as ``table`` and return SQL for its rows with ``n``, each row's
        1-based place within its patent (``numbering``)."""
        self.connection.execute(f"""CREATE TEMP TABLE {table} AS
                                    SELECT patent_id AS pid, try_cast({sequence} AS INTEGER) AS k, {columns}
                                    FROM {self._source(name)}""")
        return f"(SELECT *, {numbering(self._regular(table, 'pid'))} AS n FROM {table})"

    def _regular(self, table: str, group: str) -> bool:
        """Whether the numbers ``k`` of each ``group`` of ``table`` are exactly 0, 1, 2, ... (as
        PatentsView numbers a patent's rows): as many distinct numbers as rows, from 0 to rows - 1."""
        return not count(self.connection, f"""
            SELECT count(*) FROM (
                SELECT sum(c) AS c, count(k) AS distinct_numbers, min(k) AS lo, max(k) AS hi
                FROM (SELECT {group}, k, count(*) AS c FROM {table} GROUP BY {group}, k) GROUP BY {group})
            WHERE distinct_numbers <> c OR lo <> 0 OR hi <> c - 1""")

    def _stage(self) -> None:
        self._locations()
        self._application()
        self._parties()
        self._classifications()
        self._priorities()
        con = self.connection
        con.execute("""
            CREATE TEMP TABLE s_needs AS SELECT DISTINCT pid FROM (
                SELECT pid FROM s_application WHERE needs_row
                UNION ALL SELECT pid FROM s_party WHERE needs_row
                UNION ALL SELECT pid FROM s_class WHERE symbol IS NULL
                UNION ALL SELECT pid FROM s_prio WHERE needs_row)""")
        self.needs_row_reader = count(con, "SELECT count(*) FROM s_needs")

    def _locations(self) -> None:
        """Locations stripped once; their countries normalised once per distinct value."""
        import pyarrow as pa

        con = self.connection
        con.execute(f"""
            CREATE TEMP TABLE s_location_raw AS
            SELECT location_id, nullif({stripped('disambig_city')}, '') AS city,
                   nullif({stripped('disambig_state')}, '') AS state,
                   nullif({stripped('disambig_country')}, '') AS country_raw
            FROM {self._source('g_location_disambiguated')}""")
        raws = [r[0] for r in con.execute(
            "SELECT DISTINCT country_raw FROM s_location_raw WHERE country_raw IS NOT NULL").fetchall()]
        con.register("g_countries", pa.table({
            "country_raw": pa.array(raws, pa.string()),
            "country": pa.array([normalise_country(r) for r in raws], pa.string())}))
        try:
            con.execute("""
                CREATE TEMP TABLE s_location AS
                SELECT l.location_id, l.city, l.state, l.country_raw, c.country
                FROM s_location_raw l LEFT JOIN g_countries c USING (country_raw)""")
        finally:
            con.unregister("g_countries")
            con.execute("DROP TABLE s_location_raw")

    def _application(self) -> None:
        """One application per patent (``g_siblings``' ``first``), and its earliest date."""
        self.connection.execute(f"""
            CREATE TEMP TABLE s_application AS
            SELECT pid, nullif({stripped('application_id')}, '') AS application_number,
                   {_date_of('filing_date')} AS application_date, {_bad_date('filing_date')} AS needs_row
            FROM (SELECT patent_id AS pid, first(application_id) AS application_id, first(filing_date) AS filing_date
                  FROM {self._source('g_application')} GROUP BY patent_id)""")

    def _parties(self) -> None:
        """Assignees then inventors, as ``g_patent._people`` maps them (nameless rows kept for
        their numbering; the batch drops them), in one pass over each file: numbered as
        PatentsView numbers them, checked, and staged again with a window only if they are not."""
        people = f"""
            SELECT pid, 0 AS role_order, k, seq, id, org, first_name, last_name, type, location_id FROM (
                SELECT patent_id AS pid, try_cast(assignee_sequence AS INTEGER) AS k, assignee_sequence AS seq,
                       assignee_id AS id, disambig_assignee_organization AS org,
                       disambig_assignee_individual_name_first AS first_name,
                       disambig_assignee_individual_name_last AS last_name, assignee_type AS type, location_id
                FROM {self._source('g_assignee_disambiguated')})
            UNION ALL
            SELECT patent_id, 1, try_cast(inventor_sequence AS INTEGER), inventor_sequence, inventor_id,
                   NULL::VARCHAR, disambig_inventor_name_first, disambig_inventor_name_last, NULL::VARCHAR, location_id
            FROM {self._source('g_inventor_disambiguated')}"""
        self.connection.execute(self._party_sql(people, numbering(True)))
        if not self._regular("s_party", "pid, role_order"):
            self.connection.execute(self._party_sql(people, numbering(False, "pid, role_order")))

    def _party_sql(self, people: str, n: str) -> str:
        """``s_party`` from the ``people`` rows, numbered by ``n``."""
        type_text = stripped("type")
        type_code = f"CASE WHEN suffix({type_text}, '.0') THEN left({type_text}, length({type_text}) - 2) " \
                    f"ELSE {type_text} END"
        return f"""
            CREATE OR REPLACE TEMP TABLE s_party AS
            WITH people AS (SELECT *, {n} AS n FROM ({people})),
            named AS (
                SELECT *, {stripped('org')} AS org_text,
                       concat_ws(' ', CASE WHEN {stripped('first_name')} <> '' THEN first_name END,
                                      CASE WHEN {stripped('last_name')} <> '' THEN last_name END) AS person,
                       CASE WHEN role_order = 0 THEN {type_code} ELSE '' END AS type_code,
                       coalesce(k >= 0 AND CAST(k AS VARCHAR) = seq, false) AS plain  -- "0", "1", ...: no regex
                FROM people)
            SELECT pid, role_order, n, k,
                   CASE WHEN role_order = 0 THEN {_text(Role.ASSIGNEE.value)} ELSE {_text(Role.INVENTOR.value)} END
                       AS role,
                   CASE WHEN plain THEN k + 1
                        WHEN regexp_matches(coalesce(seq, ''), '^[0-9]+$') THEN try_cast(seq AS BIGINT) + 1
                        ELSE n END AS sequence,
                   CASE WHEN org_text <> '' THEN org_text ELSE person END AS name,
                   CASE WHEN org_text <> '' THEN {_text(PartyKind.ORGANISATION.value)}
                        ELSE {_text(PartyKind.PERSON.value)} END AS kind,
                   l.city, l.state, l.country_raw, l.country,
                   nullif({stripped('id')}, '') AS source_entity_id,
                   CASE WHEN type_code = '' THEN NULL
                        WHEN ltrim(type_code, '0') = '' THEN type_code ELSE ltrim(type_code, '0') END
                       AS source_type_code,
                   -- int(seq) where isdigit() holds for non-ASCII digits, or past BIGINT
                   NOT plain AND (regexp_matches(coalesce(seq, ''), {_NON_ASCII})
                       OR (regexp_matches(coalesce(seq, ''), '^[0-9]+$') AND try_cast(seq AS BIGINT) IS NULL))
                       AS needs_row
            FROM named LEFT JOIN s_location l ON l.location_id = named.location_id"""

    def _classifications(self) -> None:
        """IPC rows then CPC rows of each patent, as ``g_patent._classifications`` numbers them;
        a row whose symbol is NULL is one the per-row reader quarantines."""
        import pyarrow as pa

        con = self.connection
        ipc = self._numbered(
            "s_ipc_rows", "g_ipc_at_issue", "ipc_sequence",
            "coalesce(section, '') AS section, coalesce(ipc_class, '') AS klass, coalesce(subclass, '') AS subclass, "
            "coalesce(main_group, '') AS main_group, coalesce(subgroup, '') AS subgroup, "
            "symbol_position AS position, classification_value AS value")
        cpc = self._numbered("s_cpc_rows", "g_cpc_current", "cpc_sequence", "cpc_group AS code, cpc_type AS type")
        names = ("section", "klass", "subclass", "main_group", "subgroup")
        parts = con.execute(f"SELECT DISTINCT {', '.join(names)} FROM s_ipc_rows").fetchall()
        con.register("g_ipc_symbols", pa.table({
            **{n: pa.array([p[i] for p in parts], pa.string()) for i, n in enumerate(names)},
            "symbol": pa.array([from_parts(*p) if all(p[:4]) else None for p in parts], pa.string())}))
        codes = [c[0] for c in con.execute("SELECT DISTINCT code FROM s_cpc_rows").fetchall()]
        con.register("g_cpc_symbols", pa.table({"code": pa.array(codes, pa.string()),
                                                "symbol": pa.array([cpc_symbol(c) for c in codes], pa.string())}))
        try:
            con.execute(f"""
                CREATE TEMP TABLE s_class AS
                WITH ipc AS (SELECT * FROM {ipc})
                SELECT i.pid, 'IPC' AS scheme, s.symbol,
                       CASE WHEN i.position = 'F' AND i.n = f.first_n THEN 'first'
                            WHEN i.value = 'I' THEN 'inventive' ELSE 'additional' END AS position,
                       i.n - 1 AS sequence
                FROM ipc i LEFT JOIN g_ipc_symbols s USING ({', '.join(names)})
                LEFT JOIN (SELECT pid, min(n) AS first_n FROM ipc WHERE position = 'F' GROUP BY pid) f USING (pid)
                UNION ALL
                SELECT c.pid, 'CPC', s.symbol,
                       CASE WHEN c.n = 1 THEN 'first'
                            WHEN starts_with(lower(coalesce(c.type, '')), 'invent') THEN 'inventive'
                            ELSE 'additional' END,
                       coalesce(k.n_ipc, 0) + c.n - 1
                FROM {cpc} c LEFT JOIN (SELECT pid, count(*) AS n_ipc FROM s_ipc_rows GROUP BY pid) k USING (pid)
                LEFT JOIN g_cpc_symbols s ON s.code IS NOT DISTINCT FROM c.code""")
        finally:
            for name in ("g_ipc_symbols", "g_cpc_symbols"):
                con.unregister(name)
            con.execute("DROP TABLE s_ipc_rows")
            con.execute("DROP TABLE s_cpc_rows")

    def _priorities(self) -> None:
        """Foreign priorities as ``g_patent._priorities`` maps them, and each patent's earliest."""
        country = stripped("country")
        prio = self._numbered("s_prio_rows", "g_foreign_priority", "priority_claim_sequence",
                              "foreign_country_filed AS country, foreign_application_id AS number, filing_date AS date")
        self.connection.execute(f"""
            CREATE TEMP TABLE s_prio AS
            SELECT pid, n, nullif(upper({country}), '') AS office, nullif({stripped('number')}, '') AS number,
                   {_date_of('date')} AS date, {_text(PriorityKind.PARIS.value)} AS kind,
                   -- Python's and DuckDB's upper() differ beyond ASCII
                   {_bad_date('date')} OR regexp_matches({country}, {_NON_ASCII}) AS needs_row
            FROM {prio}""")
        self.connection.execute("DROP TABLE s_prio_rows")
        self.connection.execute("CREATE TEMP TABLE s_earliest AS SELECT pid, min(date) AS earliest FROM s_prio "
                                "GROUP BY pid")

    def order_by_patent(self) -> None:
        """Store the per-patent tables in patent id order, once, for a file of several batches:
        a batch's join then reads only the row groups between its smallest and largest id
        (DuckDB's zone maps) instead of the whole table for every batch. The row tables keep the
        files' order, which PatentsView sorts by patent id; the aggregates come out in hash order."""
        con = self.connection
        for table in ("s_application", "s_earliest"):
            con.execute(f"CREATE TEMP TABLE {table}_ordered AS SELECT * FROM {table} ORDER BY pid")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE {table}_ordered RENAME TO {table}")

    @property
    def missing(self) -> list[str]:
        return [name for name in SIBLINGS if name not in self.files]

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self._tmp, ignore_errors=True)
