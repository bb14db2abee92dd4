"""The ingest log: one Parquet file per committed ingest, written atomically and last.

Its presence is the commit: parts whose ingest id has no log entry are leftovers of an
interrupted ingest and are never read (and are removed by the next ingest).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from patentreach.model.ingest import IngestLogEntry
from patentreach.model.schema import schema_of
from patentreach.warehouse.layout import Warehouse

INGEST_LOG = schema_of(IngestLogEntry, [pa.field("format_version", pa.string())])


def write_entry(warehouse: Warehouse, entry: IngestLogEntry, format_version: str) -> None:
    row = dataclasses.asdict(entry) | {"format_version": format_version}
    table = pa.Table.from_pylist([row], schema=INGEST_LOG)
    final = warehouse.log_dir / f"{entry.ingest_id}.parquet"
    tmp = final.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp)
    _fsync(tmp)
    os.replace(tmp, final)
    _fsync_dir(final.parent)


def committed_ids(warehouse: Warehouse) -> set[str]:
    if not warehouse.log_dir.is_dir():
        return set()
    return {p.stem for p in warehouse.log_dir.glob("*.parquet")}


def read_entries(warehouse: Warehouse) -> list[dict]:
    files = sorted(warehouse.log_dir.glob("*.parquet")) if warehouse.log_dir.is_dir() else []
    rows: list[dict] = []
    for path in files:
        rows.extend(pq.read_table(path).to_pylist())
    return rows


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
