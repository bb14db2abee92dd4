"""From the staged PATSTAT tables to the canonical tables, in DuckDB SQL (docs/patstat.md).

One publication per tls211 row (the accounting unit), with the application's tls201 attributes;
its children (parties from tls207 x tls206, IPC from tls209, CPC from tls224, the PCT application
from tls201, technology fields from tls230) repeat on every publication of the application, as
PATSTAT attaches them to the application. Legal events (tls231) belong to the application.

Typing (``doc_type``), PATSTAT's own flags first (rule ``source:patstat``): ``ipr_type`` UM is a
utility model and DE a design; a PI publication with ``publn_first_grant`` is the invention grant;
a PI publication the kind-code table calls a grant but PATSTAT does not flag as the first grant is
a later grant publication (``other``: each grant is counted once). Every other PI publication is
typed by the dated kind-code table (rule ``kind_code``), joined on office, kind and date.

Each ``write_*`` function COPYs one canonical table to ``<out>/<table>.parquet`` with the
columns of ``model.schema``; row counts are returned for the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.sources.patstat.staging import sql_text

if TYPE_CHECKING:
    import duckdb

SOURCE_FORMAT = "patstat"
DOC_TYPE_RULE = "source:patstat"
TECHNOLOGY_FIELD_SOURCE = "patstat:tls230"
HAN_PREFIX = "han:"


@dataclass(slots=True)
class Mapped:
    """What the mapping wrote: the unit counts (tls211 rows) and rows per canonical table."""

    stored: int = 0
    quarantined: int = 0
    skipped: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    warning_counts: dict[str, int] = field(default_factory=dict)  # message kind -> rows


# zstd level 1 and no bloom filters, as pyarrow writes every other reader's parts (PartWriter):
# DuckDB's defaults (level 3, bloom filters on dictionary columns) cost about a fifth more CPU per
# written row for files about as large (bench/patstat.py, BENCHMARKS.md "PATSTAT delivery ingest").
# A small dictionary limit keeps dictionaries for the few-valued columns (scheme, role, office,
# ingest_id) and gives up at once on the many-valued ones (pub_id, symbol, names), which DuckDB
# otherwise hashes into a dictionary per row group before falling back to plain: 10-20% less CPU
# per COPY at 1 million publications (issue 20), files within a few percent of the same size.
PARQUET_OPTIONS = (
    "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, WRITE_BLOOM_FILTER false, DICTIONARY_SIZE_LIMIT 1000"
)


def _copy(con: duckdb.DuckDBPyConnection, select: str, target: Path) -> int:
    """COPY a query to Parquet; DuckDB returns the number of rows written."""
    return con.execute(f"COPY ({select}) TO {sql_text(str(target))} ({PARQUET_OPTIONS})").fetchone()[0]


def refuse_duplicate_keys(con: duckdb.DuckDBPyConnection) -> None:
    """tls201 ``appln_id`` and tls206 ``person_id`` are primary keys: a delivery that repeats one
    cannot be mapped without guessing which row is right, so it is refused (one aggregate each,
    cheaper than de-duplicating every join)."""
    from patentreach.sources.patstat.staging import DeliveryError

    for table, key in (("tls201_appln", "appln_id"), ("tls206_person", "person_id")):
        found = con.execute(
            f"SELECT {key}, count(*) FROM s_{table} GROUP BY {key} HAVING count(*) > 1 ORDER BY {key} LIMIT 3"
        ).fetchall()
        if found:
            listed = ", ".join(f"{k} ({n} rows)" for k, n in found)
            raise DeliveryError(f"{table}: {key} repeated, the table's key is broken: {listed}")


def application_number_sql(alias: str) -> str:
    """The application number in the DOCDB reader's spelling: the original form where given,
    else the DOCDB number (``exchange_document``: ``original`` before ``docdb``)."""
    return f"coalesce(pr_text({alias}.appln_nr_original), pr_text({alias}.appln_nr))"


def classify_publications(con: duckdb.DuckDBPyConnection) -> None:
    """Table ``pub_rows``: every tls211 row once, with its fate (store, skip, or quarantine with the
    reason) and, for the rows to store, the publication's columns computed from tls211 x tls201;
    view ``pub_keys``: the stored rows, which the child tables join on ``appln_id``."""
    con.execute(
        """
        CREATE OR REPLACE TABLE pub_rows AS
        WITH repeated AS (
            SELECT pat_publn_id FROM s_tls211_pat_publn GROUP BY pat_publn_id HAVING count(*) > 1
        ),
        checked AS (
            SELECT p.*, r.pat_publn_id IS NOT NULL AS repeated, a.appln_id IS NULL AS orphan,
                   a.appln_nr AS a_nr, a.appln_nr_original AS a_nr_original, a.appln_filing_date,
                   a.ipr_type, a.internat_appln_id, a.int_phase, a.reg_phase, a.nat_phase, a.earliest_filing_date,
                   a.docdb_family_id
            FROM s_tls211_pat_publn p
            LEFT JOIN repeated r USING (pat_publn_id)
            LEFT JOIN s_tls201_appln a USING (appln_id)
        ),
        fated AS (
            SELECT *,
                   CASE
                     WHEN pr_text(publn_nr) IS NULL THEN 'skip'
                     WHEN repeated OR orphan OR pr_text(publn_auth) IS NULL OR pr_text(publn_kind) IS NULL
                       OR pr_date(publn_date) IS NULL OR NOT pr_flag_ok(publn_first_grant) THEN 'quarantine'
                     ELSE 'store'
                   END AS fate
            FROM checked
        )
        SELECT pat_publn_id AS record_index, appln_id, part_label, fate,
               CASE WHEN fate <> 'store' THEN concat_ws('; ',
                 CASE WHEN pr_text(publn_nr) IS NULL
                      THEN 'placeholder publication without a number (publn_nr empty)' END,
                 CASE WHEN repeated THEN 'pat_publn_id ' || pat_publn_id || ' appears more than once' END,
                 CASE WHEN orphan THEN 'appln_id ' || appln_id || ': no tls201_appln row' END,
                 CASE WHEN pr_text(publn_auth) IS NULL THEN 'publn_auth: empty' END,
                 CASE WHEN pr_text(publn_kind) IS NULL THEN 'publn_kind: empty' END,
                 CASE WHEN pr_date(publn_date) IS NULL
                      THEN 'publn_date: missing (9999-12-31 is PATSTAT''s missing date)' END,
                 CASE WHEN NOT pr_flag_ok(publn_first_grant)
                      THEN 'publn_first_grant: ' || publn_first_grant || ' is not Y, N, 1 or 0' END) END AS reason,
               CASE WHEN fate <> 'store' THEN concat_ws(',', pat_publn_id, publn_auth, publn_nr, publn_nr_original,
                 publn_kind, appln_id, publn_date, publn_lg, publn_first_grant, publn_claims) END AS raw,
               pr_pub_id(publn_auth, publn_nr, publn_kind) AS pub_id, pr_number(publn_nr) AS number,
               upper(trim(publn_auth)) AS office, upper(trim(publn_kind)) AS kind, publn_date AS pub_date,
               upper(trim(ipr_type)) AS ipr_type, pr_flag(publn_first_grant) AS first_grant,
               coalesce(pr_text(a_nr_original), pr_text(a_nr)) AS application_number,
               pr_date(appln_filing_date) AS application_date,
               pr_date(earliest_filing_date) AS earliest_priority_date,
               CAST(pr_id(docdb_family_id) AS VARCHAR) AS family_id,
               CASE
                 WHEN upper(trim(publn_auth)) IN (SELECT office FROM regional_offices) THEN 'regional'
                 WHEN upper(trim(publn_auth)) <> 'WO' AND (coalesce(internat_appln_id, 0) <> 0
                      OR (pr_flag(int_phase) AND (pr_flag(nat_phase) OR pr_flag(reg_phase)))) THEN 'pct'
                 ELSE 'direct'
               END AS route,
               lower(pr_text(publn_lg)) AS language, internat_appln_id
        FROM fated
        """
    )
    con.execute("CREATE OR REPLACE VIEW pub_keys AS SELECT * FROM pub_rows WHERE fate = 'store'")
    con.execute(
        """
        CREATE OR REPLACE TABLE kind_types AS
        SELECT t.office, t.kind, t.pub_date, k.doc_type
        FROM (SELECT DISTINCT office, kind, pub_date FROM pub_keys) t
        LEFT JOIN kind_code_rows k ON k.office = t.office AND k.kind = t.kind
          AND (k.valid_from IS NULL OR k.valid_from <= t.pub_date)
          AND (k.valid_to IS NULL OR t.pub_date <= k.valid_to)
        QUALIFY row_number() OVER (PARTITION BY t.office, t.kind, t.pub_date ORDER BY k.valid_from NULLS FIRST) = 1
        """
    )


def write_publications(con: duckdb.DuckDBPyConnection, out: Path, ingest_id: str, reader_version: str) -> int:
    select = f"""
        SELECT pub_id, office, number, kind,
               CASE
                 WHEN ipr_type = 'UM' THEN 'utility_model'
                 WHEN ipr_type = 'DE' THEN 'design'
                 WHEN ipr_type = 'PI' AND first_grant THEN 'invention_grant'
                 WHEN ipr_type = 'PI' AND table_type = 'invention_grant' THEN 'other'
                 ELSE table_type
               END AS doc_type,
               pub_date, application_number, application_date, earliest_priority_date, family_id, route,
               CAST(NULL AS VARCHAR) AS title, language, '{SOURCE_FORMAT}' AS source_format,
               CAST(part_label AS VARCHAR) AS source_file, record_index, {sql_text(reader_version)} AS reader_version,
               CASE
                 WHEN ipr_type IN ('UM', 'DE') OR (ipr_type = 'PI' AND (first_grant OR table_type = 'invention_grant'))
                   THEN '{DOC_TYPE_RULE}'
                 ELSE 'kind_code'
               END AS doc_type_rule,
               {sql_text(ingest_id)} AS ingest_id
        FROM (SELECT k.*, coalesce(t.doc_type, 'other') AS table_type FROM pub_keys k
              LEFT JOIN kind_types t USING (office, kind, pub_date))"""
    return _copy(con, select, out / "publications.parquet")


def write_parties(con: duckdb.DuckDBPyConnection, out: Path, ingest_id: str) -> int:
    """Applicants (``applt_seq_nr`` > 0) and inventors (``invt_seq_nr`` > 0); one tls207 row may
    give both. Kind: inventors are persons; an applicant is a person when ``psn_sector`` says
    INDIVIDUAL, or, without a sector, when the same tls207 row also gives an inventor sequence
    number (PATSTAT's one row per person and application); otherwise an organisation."""
    select = f"""
        WITH roles AS (
            SELECT appln_id, person_id, 'applicant' AS role, applt_seq_nr AS sequence, invt_seq_nr > 0 AS also_inventor
            FROM s_tls207_pers_appln WHERE applt_seq_nr > 0
            UNION ALL
            SELECT appln_id, person_id, 'inventor' AS role, invt_seq_nr AS sequence, true
            FROM s_tls207_pers_appln WHERE invt_seq_nr > 0
        ),
        people AS (  -- each person's columns computed once, not once per publication of each application
            SELECT pe.person_id,
                   coalesce(pr_text(pe.person_name), pr_text(pe.person_name_orig_lg)) AS name,
                   upper(pr_text(pe.psn_sector)) AS sector,
                   pr_text(pe.person_ctry_code) AS country_raw, cc.code AS country,
                   pr_text(pe.person_address) AS address,
                   CASE WHEN coalesce(pe.han_id, 0) <> 0 THEN '{HAN_PREFIX}' || pe.han_id END AS source_entity_id
            FROM s_tls206_person pe
            LEFT JOIN country_codes cc ON cc.raw = pr_text(pe.person_ctry_code)
            WHERE coalesce(pr_text(pe.person_name), pr_text(pe.person_name_orig_lg)) IS NOT NULL
        ),
        per_application AS (
            SELECT r.appln_id, r.role, r.sequence, pe.name,
                   CASE
                     WHEN r.role = 'inventor' THEN 'person'
                     WHEN pe.sector = 'INDIVIDUAL' THEN 'person'
                     WHEN pe.sector IS NOT NULL THEN 'organisation'
                     WHEN r.also_inventor THEN 'person'
                     ELSE 'organisation'
                   END AS kind,
                   pe.country_raw, pe.country, pe.address, pe.source_entity_id, pe.sector AS source_type_code
            FROM roles r JOIN people pe USING (person_id)
        )
        SELECT k.pub_id, a.role, a.sequence, a.name, a.kind,
               CAST(NULL AS VARCHAR) AS city, CAST(NULL AS VARCHAR) AS state,
               a.country_raw, a.country, a.address, a.source_entity_id, a.source_type_code,
               k.record_index, {sql_text(ingest_id)} AS ingest_id
        FROM per_application a
        JOIN pub_keys k ON k.appln_id = a.appln_id"""
    return _copy(con, select, out / "parties.parquet")


def write_classifications(con: duckdb.DuckDBPyConnection, out: Path, ingest_id: str) -> int:
    """IPC (tls209) and CPC (tls224), one row per application, scheme and symbol. PATSTAT's row
    order means nothing, so the order is: the symbol flagged F (``ipc_position``) first, then
    inventive (``ipc_value`` I), then by symbol. Position: ``first`` for the F symbol, or where none
    is flagged (always for CPC: tls224 has no position) the first in that order, as the DOCDB
    reader does; then ``inventive`` or ``additional``."""
    con.execute(
        """CREATE OR REPLACE TABLE symbol_map AS
           SELECT raw, pr_symbol(raw) AS symbol FROM (
               SELECT DISTINCT ipc_class_symbol AS raw FROM s_tls209_appln_ipc
               UNION SELECT DISTINCT cpc_class_symbol FROM s_tls224_appln_cpc)"""
    )  # symbols repeat a lot: normalise each spelling once
    select = f"""
        WITH ipc AS (
            SELECT i.appln_id, m.symbol, bool_or(upper(trim(i.ipc_position)) = 'F') AS flagged,
                   bool_or(upper(trim(i.ipc_value)) = 'I') AS inventive
            FROM s_tls209_appln_ipc i JOIN symbol_map m ON m.raw = i.ipc_class_symbol
            WHERE m.symbol IS NOT NULL GROUP BY ALL
        ),
        cpc AS (
            SELECT DISTINCT c.appln_id, m.symbol
            FROM s_tls224_appln_cpc c JOIN symbol_map m ON m.raw = c.cpc_class_symbol
            WHERE m.symbol IS NOT NULL
        ),
        ranked AS (  -- one window per scheme, partitioned on the integer id alone: cheaper than on (id, scheme)
            SELECT appln_id, 'IPC' AS scheme, symbol, inventive,
                   row_number() OVER (PARTITION BY appln_id ORDER BY flagged DESC, inventive DESC, symbol) - 1
                   AS sequence
            FROM ipc
            UNION ALL
            SELECT appln_id, 'CPC', symbol, false, row_number() OVER (PARTITION BY appln_id ORDER BY symbol) - 1
            FROM cpc
        )
        SELECT k.pub_id, c.scheme, c.symbol,
               CASE WHEN c.sequence = 0 THEN 'first' WHEN c.inventive THEN 'inventive' ELSE 'additional' END
                 AS position,
               c.sequence, k.record_index, {sql_text(ingest_id)} AS ingest_id
        FROM ranked c JOIN pub_keys k USING (appln_id)"""
    return _copy(con, select, out / "classifications.parquet")


def write_priorities(con: duckdb.DuckDBPyConnection, out: Path, ingest_id: str) -> int:
    """The PCT application of a national/regional phase (``internat_appln_id``), where tls201 has it."""
    select = f"""
        SELECT k.pub_id, upper(trim(w.appln_auth)) AS office, {application_number_sql('w')} AS number,
               pr_date(w.appln_filing_date) AS date, 'pct' AS kind, 0 AS sequence,
               k.record_index, {sql_text(ingest_id)} AS ingest_id
        FROM pub_keys k
        JOIN s_tls201_appln w ON w.appln_id = k.internat_appln_id
        WHERE coalesce(k.internat_appln_id, 0) <> 0 AND k.office <> 'WO'"""
    return _copy(con, select, out / "priorities.parquet")


def write_technology_fields(con: duckdb.DuckDBPyConnection, out: Path, ingest_id: str) -> int:
    select = f"""
        SELECT k.pub_id, CAST(t.techn_field_nr AS BIGINT) AS field, CAST(t.weight AS DOUBLE) AS weight,
               '{TECHNOLOGY_FIELD_SOURCE}' AS source, k.record_index, {sql_text(ingest_id)} AS ingest_id
        FROM s_tls230_appln_techn_field t JOIN pub_keys k USING (appln_id)
        WHERE t.techn_field_nr BETWEEN 1 AND 35"""
    return _copy(con, select, out / "technology_fields.parquet")


def write_legal_events(con: duckdb.DuckDBPyConnection, out: Path, ingest_id: str, reader_version: str) -> int:
    """tls231 rows of applications tls201 knows; ``event_id`` is spelled ``patstat:<event_id>``."""
    select = f"""
        SELECT 'patstat:' || e.event_id AS event_id, upper(trim(a.appln_auth)) AS office,
               {application_number_sql('a')} AS application_number,
               CAST(pr_id(a.docdb_family_id) AS VARCHAR) AS family_id, e.event_seq_nr AS sequence,
               upper(trim(e.event_auth)) AS event_authority, trim(e.event_code) AS event_code,
               pr_text(e.event_type) AS event_type, pr_date(e.event_filing_date) AS event_filing_date,
               pr_date(e.event_publn_date) AS event_publication_date,
               pr_date(e.event_effective_date) AS effective_date, pr_text(e.event_text) AS text,
               pr_text(e.party_type) AS party_type, pr_text(e.party_new) AS party_new,
               pr_text(e.party_old) AS party_old, pr_text(e.designated_states) AS designated_states,
               pr_text(e.extension_states) AS extension_states, pr_text(e.fee_country) AS fee_country,
               pr_date(e.fee_payment_date) AS fee_payment_date, pr_year(e.fee_renewal_year) AS fee_renewal_year,
               pr_text(e.lapse_country) AS lapse_country, pr_date(e.lapse_date) AS lapse_date,
               pr_text(e.reinstate_country) AS reinstate_country, pr_date(e.reinstate_date) AS reinstate_date,
               pr_text(e.spc_nr) AS spc_number, pr_date(e.spc_patent_expiry_date) AS spc_patent_expiry_date,
               '{SOURCE_FORMAT}' AS source_format, CAST(e.part_label AS VARCHAR) AS source_file,
               e.event_id AS record_index,
               {sql_text(reader_version)} AS reader_version, {sql_text(ingest_id)} AS ingest_id
        FROM s_tls231_inpadoc_legal_event e
        JOIN s_tls201_appln a USING (appln_id)"""
    return _copy(con, select, out / "legal_events.parquet")


def write_quarantine(con: duckdb.DuckDBPyConnection, out: Path, ingest_id: str) -> tuple[int, int]:
    """tls211 rows refused by the CSV types (file, line, column) or by the keys (named by their
    pat_publn_id), with their reason; returns (quarantined, skipped) units."""
    select = f"""
        SELECT part_label AS source_file, CAST(line - 2 AS BIGINT) AS record_index, CAST(line AS BIGINT) AS line,
               'tls211_pat_publn line ' || line || ': ' || message AS reason, coalesce(csv_line, '') AS raw,
               '{SOURCE_FORMAT}' AS source_format, {sql_text(ingest_id)} AS ingest_id
        FROM rejected_tls211_pat_publn
        UNION ALL
        SELECT CAST(part_label AS VARCHAR), record_index, CAST(NULL AS BIGINT),
               'tls211_pat_publn pat_publn_id ' || record_index || ': ' || reason, raw,
               '{SOURCE_FORMAT}', {sql_text(ingest_id)}
        FROM pub_rows WHERE fate = 'quarantine'"""
    quarantined = _copy(con, select, out / "quarantine.parquet")
    skipped = con.execute("SELECT count(*) FROM pub_rows WHERE fate = 'skip'").fetchone()[0]
    return quarantined, skipped


WARNING_QUERIES: dict[str, str] = {
    "tls201_appln rows refused by the CSV types": "rejected:tls201_appln",
    "tls206_person rows refused by the CSV types": "rejected:tls206_person",
    "tls207_pers_appln rows refused by the CSV types": "rejected:tls207_pers_appln",
    "tls209_appln_ipc rows refused by the CSV types": "rejected:tls209_appln_ipc",
    "tls224_appln_cpc rows refused by the CSV types": "rejected:tls224_appln_cpc",
    "tls230_appln_techn_field rows refused by the CSV types": "rejected:tls230_appln_techn_field",
    "tls231_inpadoc_legal_event rows refused by the CSV types": "rejected:tls231_inpadoc_legal_event",
    "tls207_pers_appln rows whose appln_id has no tls201_appln row": (
        "SELECT part_label, -1 AS record_index, 'tls207_pers_appln: appln_id ' || appln_id || ', person_id '"
        " || person_id || ': no tls201_appln row' AS message FROM s_tls207_pers_appln"
        " ANTI JOIN s_tls201_appln USING (appln_id)"
    ),
    "tls207_pers_appln rows whose person_id has no tls206_person row": (
        "SELECT part_label, -1, 'tls207_pers_appln: appln_id ' || appln_id || ', person_id ' || person_id"
        " || ': no tls206_person row' FROM s_tls207_pers_appln ANTI JOIN s_tls206_person USING (person_id)"
    ),
    "tls206_person rows without a name (not stored as parties)": (
        "SELECT part_label, -1, 'tls206_person: person_id ' || person_id || ': person_name and"
        " person_name_orig_lg are empty' FROM s_tls206_person"
        " WHERE coalesce(pr_text(person_name), pr_text(person_name_orig_lg)) IS NULL"
    ),
    "tls209_appln_ipc symbols that are not IPC symbols": (
        "SELECT part_label, -1, 'tls209_appln_ipc: appln_id ' || appln_id || ': ' || coalesce(ipc_class_symbol, '')"
        " || ' is not an IPC symbol' FROM s_tls209_appln_ipc i LEFT JOIN symbol_map m ON m.raw = i.ipc_class_symbol"
        " WHERE m.symbol IS NULL"
    ),
    "tls224_appln_cpc symbols that are not CPC symbols": (
        "SELECT part_label, -1, 'tls224_appln_cpc: appln_id ' || appln_id || ': ' || coalesce(cpc_class_symbol, '')"
        " || ' is not a CPC symbol' FROM s_tls224_appln_cpc c LEFT JOIN symbol_map m ON m.raw = c.cpc_class_symbol"
        " WHERE m.symbol IS NULL"
    ),
    "tls230_appln_techn_field rows outside fields 1-35": (
        "SELECT part_label, -1, 'tls230_appln_techn_field: appln_id ' || appln_id || ': techn_field_nr '"
        " || techn_field_nr || ' is not a WIPO field (1-35)' FROM s_tls230_appln_techn_field"
        " WHERE NOT techn_field_nr BETWEEN 1 AND 35"
    ),
    "tls231_inpadoc_legal_event rows whose appln_id has no tls201_appln row": (
        "SELECT part_label, -1, 'tls231_inpadoc_legal_event: event_id ' || event_id || ', appln_id ' || appln_id"
        " || ': no tls201_appln row' FROM s_tls231_inpadoc_legal_event ANTI JOIN s_tls201_appln USING (appln_id)"
    ),
}


def _warning_select(query: str) -> str:
    if query.startswith("rejected:"):
        table = query.split(":", 1)[1]
        return (
            f"SELECT part_label, CAST(line - 2 AS BIGINT) AS record_index,"
            f" '{table} line ' || line || ': ' || message AS message FROM rejected_{table}"
        )
    return query


LEGAL_EVENT_ORPHANS = "tls231_inpadoc_legal_event rows whose appln_id has no tls201_appln row"
SYMBOL_WARNINGS = (
    "tls209_appln_ipc symbols that are not IPC symbols",
    "tls224_appln_cpc symbols that are not CPC symbols",
)


def kinds_known_empty(con: duckdb.DuckDBPyConnection, legal_events_staged: int, legal_events_written: int) -> set[str]:
    """Warning kinds that cannot have a row, known without scanning the big tables again: no
    orphaned legal event when every staged tls231 row was written (tls201's key is unique, so the
    join keeps each row at most once), and no bad symbol when ``symbol_map`` (every distinct raw
    spelling of both tables, NULL included) normalised them all. Their queries would each join
    millions of rows to find nothing (issue 20)."""
    empty: set[str] = set()
    if legal_events_staged == legal_events_written:
        empty.add(LEGAL_EVENT_ORPHANS)
    if not con.execute("SELECT count(*) FROM symbol_map WHERE symbol IS NULL").fetchone()[0]:
        empty.update(SYMBOL_WARNINGS)
    return empty


def write_warnings(
    con: duckdb.DuckDBPyConnection, out: Path, ingest_id: str, known_empty: set[str] | frozenset[str] = frozenset()
) -> dict[str, int]:
    """``ingest_warnings`` rows for bad or orphaned rows of the other tables (stored nowhere else);
    returns their number per kind. The kinds in ``known_empty`` (``kinds_known_empty``) are not queried."""
    parts = [
        f"SELECT {i} AS kind, CAST(part_label AS VARCHAR) AS part_label, record_index, message"
        f" FROM ({_warning_select(q)}) AS w(part_label, record_index, message)"
        for i, (name, q) in enumerate(WARNING_QUERIES.items())
        if name not in known_empty
    ]
    con.execute(
        "CREATE OR REPLACE TABLE warning_rows AS SELECT kind, part_label AS source_file, record_index, message"
        " FROM (" + " UNION ALL ".join(parts) + ")"
    )
    names = list(WARNING_QUERIES)
    counts = {names[k]: n for k, n in con.execute("SELECT kind, count(*) FROM warning_rows GROUP BY kind").fetchall()}
    _copy(
        con,
        "SELECT source_file, CAST(record_index AS BIGINT) AS record_index, message,"
        f" {sql_text(ingest_id)} AS ingest_id FROM warning_rows",
        out / "ingest_warnings.parquet",
    )
    return counts
