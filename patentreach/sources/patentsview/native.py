"""PatentsView tables mapped a batch at a time in DuckDB SQL (the native path of issue 20).

Covered: the legacy ``patent`` table (publications, withdrawn patents skipped) and every table
whose rows the per-row reader only skips (legacy ``assignee`` and ``uspatentcitation``, the
``g_*`` siblings read on their own, tables outside the model). ``g_patent`` joins its sibling
files and stays with the per-row reader. The SQL repeats ``legacy_patent.record_from_legacy``
value for value (Python whitespace, ``make_pub_id``'s leading zeros, ``pub_id.split('-')[1]``);
rows it cannot decide identically (missing or malformed fields, non-ASCII identifiers, values
over the per-record bounds of ``csv_records``) raise ``NeedsRowReader``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patentreach.model.records import Route
from patentreach.model.schema import PUBLICATIONS
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources import limits
from patentreach.sources.csv_records import MAX_RECORD_LINES
from patentreach.sources.native_tables import PY_SPACE, NativeBatch, NativePlan, NeedsRowReader
from patentreach.sources.patentsview.tables import OTHER, SIBLINGS, Table

if TYPE_CHECKING:
    import pyarrow as pa

SKIP_ONLY = frozenset({"assignee", "uspatentcitation", "g_location_disambiguated", OTHER, *SIBLINGS})


def plan_for(table: Table, source_format: str, reader_version: str) -> NativePlan | None:
    """The native plan for a table, or None when only the per-row reader reads it."""
    if table.name == "patent":
        def legacy(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
            return _legacy_patent(batch, first, source_file, ingest_id, source_format, reader_version)
        return NativePlan(table.columns, "\t", legacy)
    if table.name in SKIP_ONLY:
        return NativePlan(table.columns, "\t", _skip_all)
    return None


def _skip_all(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
    """Rows of a table the model does not store are skipped, each counted once."""
    check_bounds(batch)
    return NativeBatch(skipped=batch.num_rows)


def check_bounds(batch: pa.RecordBatch) -> None:
    """Values ``csv_records`` would cut as a runaway quote (a record over ``MAX_RECORD_LINES``
    lines or ``max_document_bytes``) or flag (a NUL byte) go to the per-row reader."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if batch.num_rows == 0:
        return
    row_bytes = None
    row_lines = None
    for column in batch.columns:
        lengths = pc.binary_length(column)
        row_bytes = lengths if row_bytes is None else pc.add(row_bytes, lengths)
        if pc.any(pc.match_substring(column, "\x00")).as_py():
            raise NeedsRowReader("a NUL byte")
        if pc.any(pc.match_substring(column, "\n")).as_py():
            lines = pc.count_substring(column, "\n")
            row_lines = lines if row_lines is None else pc.add(row_lines, lines)
    assert row_bytes is not None
    if pc.max(row_bytes).as_py() + len(batch.columns) * 2 + 2 > limits.current().max_document_bytes:
        raise NeedsRowReader("a record near max_document_bytes")
    if row_lines is not None and pc.max(row_lines).as_py() + 1 >= MAX_RECORD_LINES:
        raise NeedsRowReader("a record near MAX_RECORD_LINES lines")
    del pa


def _strip(sql: str) -> str:
    return f"regexp_replace({sql}, '^{PY_SPACE}+|{PY_SPACE}+$', '', 'g')"


def _legacy_patent(
    batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str, source_format: str, reader_version: str
) -> NativeBatch:
    import duckdb
    import numpy as np
    import pyarrow as pa

    check_bounds(batch)
    names = set(batch.schema.names)
    rows = pa.Table.from_batches([batch]).append_column(
        "__index", pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64)))

    def col(name: str) -> str:
        return f'coalesce("{name}", \'\')' if name in names else "''"

    con = duckdb.connect()
    try:
        con.register("batch", rows)
        con.execute(f"""
            CREATE TEMP TABLE mapped AS
            SELECT __index,
                   {_strip(col('withdrawn'))} IN ('1', '1.0') AS withdrawn,
                   {_strip(f"CASE WHEN {col('number')} <> '' THEN {col('number')} ELSE {col('id')} END")} AS num,
                   upper({_strip(col('kind'))}) AS kind,
                   CASE WHEN {col('country')} = '' THEN 'US' ELSE upper({_strip(col('country'))}) END AS office,
                   {_strip(col('date'))} AS date_text,
                   nullif(regexp_replace({_strip(col('title'))}, '{PY_SPACE}+', ' ', 'g'), '') AS title
            FROM batch""")
        bad = con.execute(r"""
            SELECT count(*) FROM mapped WHERE NOT withdrawn AND (
                num = '' OR kind = '' OR office = ''
                OR regexp_matches(num || kind || office, '[^\x01-\x7f]')
                OR NOT regexp_matches(date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}')
                OR try_cast(left(date_text, 10) AS DATE) IS NULL
                OR year(try_cast(left(date_text, 10) AS DATE)) < 1)""").fetchone()
        if bad and bad[0]:
            raise NeedsRowReader(f"{bad[0]} row(s) to judge one by one")
        skipped = con.execute("SELECT count(*) FROM mapped WHERE withdrawn").fetchone()
        keys = con.execute("""
            SELECT DISTINCT office, kind, CAST(left(date_text, 10) AS DATE) FROM mapped WHERE NOT withdrawn
        """).fetchall()
        con.register("types", pa.table({
            "office": [k[0] for k in keys], "kind": [k[1] for k in keys], "pub_date": [k[2] for k in keys],
            "doc_type": [doc_type(k[0], k[1], k[2]) for k in keys],
        }))
        # make_pub_id: office-strip_leading_zeros(number)-kind; ``number`` is pub_id.split("-")[1].
        publications = con.sql(rf"""
            WITH ids AS (
                SELECT *, CAST(left(date_text, 10) AS DATE) AS pub_date,
                       office || '-' || regexp_replace(
                           replace(replace(upper({_strip('num')}), ',', ''), ' ', ''),
                           '^([A-Z]*)0+([0-9])', '\1\2') || '-' || kind AS pub_id
                FROM mapped WHERE NOT withdrawn)
            SELECT ids.pub_id, ids.office, split_part(ids.pub_id, '-', 2) AS number, ids.kind,
                   types.doc_type, ids.pub_date,
                   NULL AS application_number, NULL AS application_date, NULL AS earliest_priority_date,
                   NULL AS family_id, ? AS route, ids.title, 'en' AS language,
                   ? AS source_format, ? AS source_file, ids.__index AS record_index,
                   ? AS reader_version, 'kind_code' AS doc_type_rule, ? AS ingest_id
            FROM ids JOIN types USING (office, kind, pub_date)
            ORDER BY ids.__index""",
            params=[Route.DIRECT.value, source_format, source_file, reader_version, ingest_id]).to_arrow_table()
    finally:
        con.close()
    table = pa.Table.from_arrays(
        [publications.column(i).cast(f.type) for i, f in enumerate(PUBLICATIONS)], schema=PUBLICATIONS)
    return NativeBatch({"publications": table}, stored=table.num_rows, skipped=int(skipped[0]) if skipped else 0)
