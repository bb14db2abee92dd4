"""``g_patent`` mapped a batch at a time in DuckDB SQL, joined to its mapped siblings (issue 20).

The sibling files are read and mapped once per ``g_patent.tsv`` (``g_staging.SiblingRows``); each
Arrow batch of ``g_patent`` rows is mapped to its publications, which are then joined to the
sibling rows by the raw ``patent_id`` (as ``g_siblings`` looks them up) for the parties,
classifications and priorities, repeating ``g_patent.record_from_g`` value for value.
``doc_type`` (a Python rule) runs once per distinct kind and date of the batch. A row the per-row
reader would quarantine (a missing or bad field, a sibling value the SQL does not decide) raises
``NeedsRowReader``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.model.records import Route
from patentreach.model.schema import CLASSIFICATIONS, PARTIES, PRIORITIES, PUBLICATIONS
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources.native_tables import NativeBatch, NativePlan, NeedsRowReader, py_collapse
from patentreach.sources.patentsview.g_staging import SiblingRows, blank, count, date_ok, stripped

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa


def g_patent_plan(columns: list[str], path: Path, source_format: str, reader_version: str) -> NativePlan:
    """The plan for ``path`` (a g_patent.tsv); its siblings are staged at the first batch."""
    state: dict = {}

    def map_batch(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
        if "index" not in state:
            import duckdb

            try:
                state["index"] = SiblingRows(path.parent)
            except duckdb.Error as exc:  # a sibling without its columns: the per-row reader says so
                raise NeedsRowReader(str(exc)) from exc
        index: SiblingRows = state["index"]
        if first and "ordered" not in state:  # a second batch: more will follow
            index.order_by_patent()
            state["ordered"] = True
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
        return f'"{name}"' if name in present else "CAST(NULL AS VARCHAR)"

    date_text = stripped("date_raw")
    con.register("g_batch", rows)
    try:
        # make_pub_id: strip_leading_zeros only where the number does not start with 1-9
        con.execute(rf"""
            CREATE OR REPLACE TEMP TABLE g AS
            WITH b AS (
                SELECT __index, {col('patent_id')} AS raw_id,
                       {stripped(col('withdrawn'))} IN ('1', '1.0') AS withdrawn,
                       {stripped(col('patent_id'))} AS num, upper({stripped(col('wipo_kind'))}) AS kind,
                       {col('patent_date')} AS date_raw,
                       nullif({py_collapse(f"coalesce({col('patent_title')}, '')")}, '') AS title
                FROM g_batch),
            c AS (SELECT *, {date_text} AS date_text, replace(replace(upper(num), ',', ''), ' ', '') AS digits FROM b)
            SELECT __index, raw_id, withdrawn, kind, title,
                   NOT withdrawn AND (num = '' OR kind = '' OR regexp_matches(num || kind, '[^\x01-\x7f]')
                                      OR {blank('date_raw')} OR NOT {date_ok('date_text')}) AS bad,
                   try_cast(left(date_text, 10) AS DATE) AS pub_date,
                   'US-' || CASE WHEN left(digits, 1) BETWEEN '1' AND '9' THEN digits
                                 ELSE regexp_replace(digits, '^([A-Z]*)0+([0-9])', '\1\2') END
                         || '-' || kind AS pub_id
            FROM c""")
        bad = count(con, "SELECT count(*) FROM g WHERE bad")
        if bad:
            raise NeedsRowReader(f"{bad} g_patent row(s) to judge one by one")
        return _mapped(index, source_file, ingest_id, source_format, reader_version, batch.num_rows)
    finally:
        con.execute("DROP TABLE IF EXISTS g")
        for name in ("g_batch", "g_types"):
            con.unregister(name)


_PUBS = "(SELECT * FROM g WHERE NOT withdrawn)"


def _mapped(
    index: SiblingRows, source_file: str, ingest_id: str, source_format: str, reader_version: str, num_rows: int,
) -> NativeBatch:
    """The batch's canonical tables from its rows in temp table ``g`` and the staged siblings."""
    con = index.connection
    if index.needs_row_reader:
        bad = count(con, f"SELECT count(*) FROM {_PUBS} p JOIN s_needs ON s_needs.pid = p.raw_id")
        if bad:
            raise NeedsRowReader(f"{bad} g_patent row(s) with sibling values to judge one by one")
    _types(con)
    publications = con.sql(f"""
        SELECT p.pub_id, 'US' AS office, split_part(p.pub_id, '-', 2) AS number, p.kind, t.doc_type, p.pub_date,
               a.application_number, a.application_date,
               CASE WHEN a.application_date IS NULL THEN e.earliest
                    WHEN e.earliest IS NULL THEN a.application_date
                    ELSE least(a.application_date, e.earliest) END AS earliest_priority_date,
               NULL AS family_id, ? AS route, p.title, 'en' AS language, ? AS source_format, ? AS source_file,
               p.__index AS record_index, ? AS reader_version, 'kind_code' AS doc_type_rule, ? AS ingest_id
        FROM {_PUBS} p JOIN g_types t ON t.kind = p.kind AND t.pub_date = p.pub_date
        LEFT JOIN s_application a ON a.pid = p.raw_id LEFT JOIN s_earliest e ON e.pid = p.raw_id
        ORDER BY p.__index""",
        params=[Route.DIRECT.value, source_format, source_file, reader_version, ingest_id]).to_arrow_table()
    parties = con.sql(f"""
        SELECT p.pub_id, s.role, s.sequence, s.name, s.kind, s.city, s.state, s.country_raw, s.country,
               NULL AS address, s.source_entity_id, s.source_type_code, p.__index AS record_index, ? AS ingest_id
        FROM {_PUBS} p JOIN s_party s ON s.pid = p.raw_id
        WHERE s.name <> ''
        ORDER BY p.__index, s.role_order, s.n""", params=[ingest_id]).to_arrow_table()
    classifications = con.sql(f"""
        SELECT p.pub_id, s.scheme, s.symbol, s.position, s.sequence, p.__index AS record_index, ? AS ingest_id
        FROM {_PUBS} p JOIN s_class s ON s.pid = p.raw_id
        ORDER BY p.__index, s.sequence""", params=[ingest_id]).to_arrow_table()
    priorities = con.sql(f"""
        SELECT p.pub_id, s.office, s.number, s.date, s.kind, s.n - 1 AS sequence, p.__index AS record_index,
               ? AS ingest_id
        FROM {_PUBS} p JOIN s_prio s ON s.pid = p.raw_id
        ORDER BY p.__index, s.n""", params=[ingest_id]).to_arrow_table()
    tables = {
        "publications": _cast(publications, PUBLICATIONS),
        "parties": _cast(parties, PARTIES),
        "classifications": _cast(classifications, CLASSIFICATIONS),
        "priorities": _cast(priorities, PRIORITIES),
    }
    stored = publications.num_rows
    return NativeBatch(tables, stored=stored, skipped=num_rows - stored)


def _types(con: duckdb.DuckDBPyConnection) -> None:
    """``doc_type`` (a Python rule) once per distinct kind and date of the batch."""
    import pyarrow as pa

    keys = con.execute("SELECT DISTINCT kind, pub_date FROM g WHERE NOT withdrawn").fetchall()
    con.register("g_types", pa.table({
        "kind": pa.array([k[0] for k in keys], pa.string()), "pub_date": pa.array([k[1] for k in keys], pa.date32()),
        "doc_type": pa.array([doc_type("US", k[0], k[1]) for k in keys], pa.string())}))


def _cast(table: pa.Table, schema: pa.Schema) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_arrays([table.column(i).cast(f.type) for i, f in enumerate(schema)], schema=schema)
