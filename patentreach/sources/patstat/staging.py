"""Read a delivery's CSV part files into typed staging tables with DuckDB's own CSV reader.

The staging tables live in an in-memory DuckDB database (spilled to ``staging/<ingest_id>/work``
beyond its memory limit), not in Parquet nor in a database file: both cost a compression pass the
joins then undo, and the file was half of the staging time. Only the columns the mapping reads are
kept (``PatstatTable.mapped``); the other typed columns are still converted, by a filter that reads
them, so a bad value anywhere in a row refuses the row as before. Each row's part is an ENUM value
(the part's label), from a CASE on the scanned file name, not a join of every row on its path.

Each table's parts are read in one ``read_csv`` call with explicit column types (from the file's
own header and ``tables``), so no row passes through Python. Rows that do not fit the types or the
column count are not fatal: ``store_rejects`` keeps each with its file, line, column and DuckDB's
message, and the mapping turns them into quarantine (tls211) or warning rows (other tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.sources.patstat.tables import TEXT, PatstatTable

if TYPE_CHECKING:
    import duckdb


class DeliveryError(ValueError):
    """The delivery cannot be read as a whole (a required table missing, parts that disagree)."""


@dataclass(slots=True)
class TablePart:
    """One part file of a table, as staged on disk, with the label the user knows it by."""

    path: Path
    label: str
    columns: list[str]
    temporary: bool = False  # extracted from a zip for this ingest: deleted once staged


@dataclass(slots=True)
class StagedTable:
    table: PatstatTable
    rows: int = 0  # rows that passed the types
    rejected_lines: int = 0  # lines refused by read_csv (counted once per line)
    extra_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.rows + self.rejected_lines


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def stage_table(
    con: duckdb.DuckDBPyConnection, table: PatstatTable, parts: list[TablePart]
) -> StagedTable:
    """The DuckDB table ``s_<table>`` with every known column (absent ones NULL) plus ``part_label``;
    the rejected lines land in ``rejected_<table>`` (part, line, first column, messages, raw line)."""
    columns = parts[0].columns
    for part in parts[1:]:
        if part.columns != columns:
            raise DeliveryError(
                f"{part.label}: its header differs from {parts[0].label} (parts of {table.name} must agree)"
            )
    known = table.types()
    types = {c: known.get(c, TEXT) for c in columns}
    staged = StagedTable(
        table,
        extra_columns=[c for c in columns if c not in known],
        missing_columns=[c for c, _ in table.columns if c not in columns],
    )
    files = "[" + ", ".join(sql_text(str(p.path)) for p in parts) + "]"
    type_spec = "{" + ", ".join(f"{sql_text(c)}: {sql_text(t)}" for c, t in types.items()) + "}"
    labels = ", ".join(f"({sql_text(str(p.path))}, {sql_text(p.label)})" for p in parts)
    con.execute(f"CREATE OR REPLACE TEMP TABLE labels_{table.name} AS SELECT * FROM (VALUES {labels}) v(path, label)")
    enum = f"part_{table.name}"
    con.execute(f"CREATE TYPE {enum} AS ENUM ({', '.join(sql_text(label) for label in _unique_labels(parts))})")
    if len(parts) == 1:
        label = f"CAST({sql_text(parts[0].label)} AS {enum})"
    else:  # the file name is a constant per scanned chunk: the CASE costs little, unlike a join per row
        cases = " ".join(f"WHEN {sql_text(str(p.path))} THEN {sql_text(p.label)}" for p in parts)
        label = f"CAST(CASE r.source_path {cases} END AS {enum})"
    kept = table.kept()
    select = ", ".join(f"r.{c}" if c in columns else f"CAST(NULL AS {t}) AS {c}" for c, t in table.columns if c in kept)
    checks = [f"(r.{c} IS NULL) IS NOT NULL" for c in columns if c not in kept and types[c] != TEXT]
    where = f"WHERE {' AND '.join(checks)}" if checks else ""
    filename = ", filename = 'source_path'" if len(parts) > 1 else ""
    staged.rows = con.execute(
        f"""CREATE OR REPLACE TABLE s_{table.name} AS
            SELECT {select}, {label} AS part_label
            FROM read_csv({files}, header = true, columns = {type_spec}, delim = ',', quote = '"',
                          escape = '"', dateformat = '%Y-%m-%d'{filename},
                          store_rejects = true, rejects_table = 'rejects_{table.name}',
                          rejects_scan = 'scan_{table.name}', strict_mode = true, parallel = true) r
            {where}"""
    ).fetchone()[0]
    staged.rejected_lines = con.execute(
        f"SELECT count(*) FROM (SELECT DISTINCT file_id, line FROM rejects_{table.name})"
    ).fetchone()[0]
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE rejected_{table.name} AS
            SELECT l.label AS part_label, r.line AS line, first(r.column_name ORDER BY r.column_idx) AS column_name,
                   string_agg(coalesce(r.column_name, '') || ': ' || r.error_message, '; ') AS message,
                   first(r.csv_line) AS csv_line
            FROM rejects_{table.name} r JOIN scan_{table.name} s USING (scan_id, file_id)
            JOIN labels_{table.name} l ON l.path = s.file_path
            GROUP BY ALL"""
    )
    for part in parts:
        if part.temporary:
            part.path.unlink(missing_ok=True)
    return staged


def _unique_labels(parts: list[TablePart]) -> list[str]:
    return list(dict.fromkeys(p.label for p in parts))
