"""Read one PATSTAT delivery (its part files already on disk as CSV) into canonical Parquet files.

Memory stays bounded whatever the input size: DuckDB works in memory with a ``memory_limit`` and
spills to ``temp_directory`` in the work folder beyond it; nothing is collected in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.sources.patstat import mapping
from patentreach.sources.patstat.lookups import register_countries, register_lookups
from patentreach.sources.patstat.macros import define_macros
from patentreach.sources.patstat.staging import DeliveryError, StagedTable, TablePart, sql_text, stage_table
from patentreach.sources.patstat.tables import TABLES, PatstatTable

if TYPE_CHECKING:
    import duckdb

def default_memory_limit() -> str:
    """A quarter of the machine's memory, between 1 and 4 GB. DuckDB spills to the staging folder
    beyond it, so memory is bounded whatever the delivery's size. A smaller limit spills more and
    is slower (bench/patstat.py, BENCHMARKS.md "PATSTAT"): 1 GB took 3.8x DuckDB's bare read_csv at
    5 million publications. The database is in memory since only the mapped columns are staged
    (issue 20); when every column was staged, an in-memory database spilled at 4 million
    publications and a file in the staging folder was kept instead."""
    import os

    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "1GB"
    gigabytes = max(1, min(4, physical // (4 * 1024**3)))
    return f"{gigabytes}GB"


@dataclass(slots=True)
class DeliveryResult:
    read: int  # tls211 rows (units)
    stored: int
    quarantined: int
    skipped: int
    rows_read: dict[str, int]  # per PATSTAT table, rows read (including refused ones)
    rows_written: dict[str, int]  # per canonical table
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one summary line per kind of warning row
    warning_rows: int = 0


def read_delivery(
    parts: dict[str, list[TablePart]],
    work_dir: Path,
    out_dir: Path,
    ingest_id: str,
    reader_version: str,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> DeliveryResult:
    """Stage every table present, map them, and write ``out_dir/<canonical table>.parquet``."""
    import duckdb

    missing = [t.name for t in TABLES if t.needed and not parts.get(t.name)]
    if missing:
        raise DeliveryError(f"the delivery has no {' and no '.join(missing)} part: cannot read publications without it")
    work_dir.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()  # in memory: spills to work_dir/spill beyond memory_limit
    try:
        con.execute(f"SET memory_limit = {sql_text(memory_limit or default_memory_limit())}")
        con.execute(f"SET temp_directory = {sql_text(str(work_dir / 'spill'))}")
        con.execute("SET preserve_insertion_order = false")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        define_macros(con)
        register_lookups(con)
        notes: list[str] = []
        staged: dict[str, StagedTable] = {}
        for table in TABLES:
            table_parts = parts.get(table.name)
            if table_parts:
                try:
                    staged[table.name] = stage_table(con, table, table_parts)
                except duckdb.Error as exc:
                    first = " ".join(str(exc).split())[:300]
                    raise DeliveryError(f"{table.name}: DuckDB could not read its parts ({first})") from exc
                for column in staged[table.name].extra_columns:
                    notes.append(f"{table.name}: column {column} is not read (not in the layout this reader knows)")
                for column in staged[table.name].missing_columns:
                    notes.append(f"{table.name}: column {column} is absent from this edition (read as empty)")
            else:
                notes.append(f"{table.name}: not in the delivery; what it holds is missing from the warehouse")
                _empty_table(con, table)
        raw_codes = [r[0] for r in con.execute(
            "SELECT DISTINCT pr_text(person_ctry_code) FROM s_tls206_person WHERE pr_text(person_ctry_code) IS NOT NULL"
            " ORDER BY 1"
        ).fetchall()]
        unknown = register_countries(con, raw_codes)
        if unknown:
            listed = ", ".join(unknown)
            notes.append(f"tls206_person: country codes no country row explains (country left empty): {listed}")

        mapping.refuse_duplicate_keys(con)
        mapping.classify_publications(con)
        written = {
            "publications": mapping.write_publications(con, out_dir, ingest_id, reader_version),
            "parties": mapping.write_parties(con, out_dir, ingest_id),
            "classifications": mapping.write_classifications(con, out_dir, ingest_id),
            "priorities": mapping.write_priorities(con, out_dir, ingest_id),
            "technology_fields": mapping.write_technology_fields(con, out_dir, ingest_id),
            "legal_events": mapping.write_legal_events(con, out_dir, ingest_id, reader_version),
        }
        quarantined, skipped = mapping.write_quarantine(con, out_dir, ingest_id)
        legal_events = staged.get("tls231_inpadoc_legal_event")
        known_empty = mapping.kinds_known_empty(con, legal_events.rows if legal_events else 0, written["legal_events"])
        warning_counts = mapping.write_warnings(con, out_dir, ingest_id, known_empty)
        stored = written["publications"]
        rows_read = {name: s.read for name, s in staged.items()}
        warnings = [f"{n:,} {kind} (see ingest_warnings)" for kind, n in warning_counts.items() if n]
        if skipped:
            notes.append(f"tls211_pat_publn: {skipped:,} placeholder publications without a number (publn_nr empty)"
                         " skipped: PATSTAT's stand-ins for unpublished applications")
        for name, count in rows_read.items():
            notes.append(f"{name}: {count:,} rows read from {len(parts[name])} part(s)")
        return DeliveryResult(
            read=rows_read["tls211_pat_publn"],
            stored=stored,
            quarantined=quarantined,
            skipped=skipped,
            rows_read=rows_read,
            rows_written=written,
            notes=notes,
            warnings=warnings,
            warning_rows=sum(warning_counts.values()),
        )
    finally:
        con.close()


def _empty_table(con: duckdb.DuckDBPyConnection, table: PatstatTable) -> None:
    """An empty view standing for an optional table the delivery does not have."""
    columns = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in table.columns)
    con.execute(
        f"CREATE OR REPLACE VIEW s_{table.name} AS SELECT {columns}, CAST(NULL AS VARCHAR) AS part_label WHERE false"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE rejected_{table.name} AS SELECT CAST(NULL AS VARCHAR) AS part_label,"
        " CAST(NULL AS BIGINT) AS line, CAST(NULL AS VARCHAR) AS column_name, CAST(NULL AS VARCHAR) AS message,"
        " CAST(NULL AS VARCHAR) AS csv_line WHERE false"
    )
