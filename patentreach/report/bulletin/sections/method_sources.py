"""The warehouse behind the bulletin, as the methods annex lists it: per source format the files,
records and the dates they cover; every input file with its sha256 (the ingest log); the
coverage of origin and sector (``warehouse/coverage.py``).

The ingest log is the record of what went in (``warehouse/ingest_log.py``); dates come from the
stored records (publication dates, transfers' recording dates), so the annex says what the
figures could see, not what the files were named.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from patentreach.warehouse import Warehouse


def ingested(warehouse: Warehouse) -> list[dict[str, Any]]:
    """The ingest log's entries, oldest first (then by path)."""
    from patentreach.warehouse.ingest_log import read_entries

    return sorted(read_entries(warehouse), key=lambda e: (e["finished_at"], e["path"]))


def _ranges(engine: Any, table: str, column: str) -> dict[str, tuple[date | None, date | None]]:
    """Per ``source_format``: the first and last date of ``column`` in ``table`` (none if absent)."""
    from patentreach.warehouse.engines import MissingTable

    try:
        t = engine.table(table)
    except MissingTable:
        return {}
    expr = t.group_by("source_format").aggregate(first=t[column].min(), last=t[column].max())
    return {row["source_format"]: (row["first"], row["last"]) for row in expr.to_pyarrow().to_pylist()}


def source_rows(warehouse: Warehouse, engine: Any) -> list[dict[str, Any]]:
    """One row per source format (reader): files, records read, stored and quarantined, dates covered."""
    totals: dict[str, dict[str, Any]] = defaultdict(lambda: {"files": 0, "read": 0, "stored": 0, "quarantined": 0})
    for entry in ingested(warehouse):
        row = totals[entry["reader"]]
        row["files"] += 1
        for column in ("read", "stored", "quarantined"):
            row[column] += int(entry[column] or 0)
    ranges: dict[str, list[date]] = defaultdict(list)
    for table, column in (("publications", "pub_date"), ("transfers", "record_date")):
        for source, bounds in _ranges(engine, table, column).items():
            ranges[source] += [d for d in bounds if d is not None]
    return [{"source": source, **row,
             "first": min(ranges[source]).isoformat() if ranges[source] else "",
             "last": max(ranges[source]).isoformat() if ranges[source] else ""}
            for source, row in sorted(totals.items())]


def coverage_rows(warehouse: Warehouse) -> list[dict[str, Any]]:
    """``coverage_of``'s rows as dicts (per source and office, then ``(all)``)."""
    from patentreach.warehouse.coverage import coverage_of

    columns, rows = coverage_of(warehouse)
    return [dict(zip(columns, row, strict=True)) for row in rows]
