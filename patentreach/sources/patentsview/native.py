"""PatentsView tables mapped a batch at a time in DuckDB SQL (the native path of issue 20).

Covered: the legacy ``patent`` table (publications, withdrawn patents skipped) and every table
whose rows the per-row reader only skips (legacy ``assignee`` and ``uspatentcitation``, the
``g_*`` siblings read on their own, tables outside the model); ``g_patent`` with its siblings is
``native_g``'s. The SQL repeats ``legacy_patent.record_from_legacy``
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
from patentreach.sources.native_tables import NativeBatch, NativePlan, NeedsRowReader, py_collapse, py_strip
from patentreach.sources.patentsview.tables import OTHER, SIBLINGS, Table

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

SKIP_ONLY = frozenset({"assignee", "uspatentcitation", "g_location_disambiguated", OTHER, *SIBLINGS})


def plan_for(table: Table, source_format: str, reader_version: str) -> NativePlan | None:
    """The native plan for a table, or None when only the per-row reader reads it."""
    if table.name == "patent":
        connection: list = []

        def legacy(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
            if not connection:
                import duckdb

                connection.append(duckdb.connect())
                connection[0].execute("SET enable_progress_bar = false")  # the ingest shows its own
            return _legacy_patent(connection[0], batch, first, source_file, ingest_id, source_format,
                                  reader_version)

        def close() -> None:
            for con in connection:
                con.close()

        return NativePlan(table.columns, "\t", legacy, close)
    if table.name in SKIP_ONLY:
        return NativePlan(table.columns, "\t", _skip_all)
    return None


def _skip_all(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
    """Rows of a table the model does not store are skipped, each counted once."""
    check_bounds(batch)
    return NativeBatch(skipped=batch.num_rows)


def check_bounds(batch: pa.RecordBatch) -> None:
    """Records ``csv_records`` would cut as a runaway quote (over ``MAX_RECORD_LINES`` lines or
    ``max_document_bytes``) go to the per-row reader (NUL bytes were refused by the byte scan).
    The sum of the columns' longest values settles almost every batch without a row pass."""
    import pyarrow.compute as pc

    if batch.num_rows == 0:
        return
    lengths = [pc.binary_length(column) for column in batch.columns]
    margin = 2 * len(lengths) + 2  # quotes and delimiters around the values
    ceiling = min(MAX_RECORD_LINES, limits.current().max_document_bytes - margin)
    if sum(pc.max(length).as_py() or 0 for length in lengths) < ceiling:
        return
    row_bytes = lengths[0]
    for length in lengths[1:]:
        row_bytes = pc.add(row_bytes, length)
    if pc.max(row_bytes).as_py() + margin > limits.current().max_document_bytes:
        raise NeedsRowReader("a record near max_document_bytes")
    row_lines = pc.count_substring(batch.columns[0], "\n")
    for column in batch.columns[1:]:
        row_lines = pc.add(row_lines, pc.count_substring(column, "\n"))
    if pc.max(row_lines).as_py() + 1 >= MAX_RECORD_LINES:
        raise NeedsRowReader("a record near MAX_RECORD_LINES lines")


def _legacy_patent(
    con: duckdb.DuckDBPyConnection, batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str,
    source_format: str, reader_version: str,
) -> NativeBatch:
    import numpy as np
    import pyarrow as pa

    check_bounds(batch)
    used = [n for n in ("withdrawn", "number", "id", "kind", "country", "date", "title") if n in batch.schema.names]
    names = set(used)
    rows = pa.Table.from_batches([batch.select(used)]).append_column(
        "__index", pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64)))

    def col(name: str) -> str:
        return f'coalesce("{name}", \'\')' if name in names else "''"

    try:
        con.register("batch", rows)
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE mapped AS
            SELECT __index,
                   {py_strip(col('withdrawn'))} IN ('1', '1.0') AS withdrawn,
                   {py_strip(f"CASE WHEN {col('number')} <> '' THEN {col('number')} ELSE {col('id')} END")} AS num,
                   upper({py_strip(col('kind'))}) AS kind,
                   CASE WHEN {col('country')} = '' THEN 'US' ELSE upper({py_strip(col('country'))}) END AS office,
                   {py_strip(col('date'))} AS date_text,
                   nullif({py_collapse(col('title'))}, '') AS title
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
                           replace(replace(upper({py_strip('num')}), ',', ''), ' ', ''),
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
        con.execute("DROP TABLE IF EXISTS mapped")
        for name in ("batch", "types"):
            con.unregister(name)
    table = pa.Table.from_arrays(
        [publications.column(i).cast(f.type) for i, f in enumerate(PUBLICATIONS)], schema=PUBLICATIONS)
    return NativeBatch({"publications": table}, stored=table.num_rows, skipped=int(skipped[0]) if skipped else 0)
