"""The ingest log: one Parquet file per committed ingest, written atomically and last.

Its presence is the commit: parts whose ingest id has no log entry are leftovers of an
interrupted ingest and are never read (and are removed by the next ingest).

A file that failed is logged apart, in ``ingest_failures/`` (``FAILURE_LOG``): with its error and
how many records were read before it, but never as committed content, so the views and the sha256
idempotence ignore it and the next ingest of that path tries it again. Once the path is committed
(or found already ingested) its failure entries are removed: the folder lists what is still
unresolved.
"""


from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from patentreach.model.ingest import IngestLogEntry
from patentreach.model.schema import schema_of
from patentreach.warehouse.layout import Warehouse

INGEST_LOG = schema_of(IngestLogEntry, [pa.field("format_version", pa.string())])


@dataclass(slots=True)
class FailedIngest:
    """A file (or archive member) that could not be ingested: nothing of it was committed."""

    ingest_id: str
    path: str
    reader: str
    read_before_failure: int  # records parsed before the error; none of them is stored
    error: str
    started_at: datetime
    finished_at: datetime


FAILURE_LOG = schema_of(FailedIngest)


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


def write_failure(warehouse: Warehouse, failure: FailedIngest) -> None:
    """Log a failed file; best effort, since the cause may be a full or read-only disk (the
    failure is reported on the terminal either way)."""
    final = warehouse.failures_dir / f"{failure.ingest_id}.parquet"
    tmp = final.with_suffix(".parquet.tmp")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([dataclasses.asdict(failure)], schema=FAILURE_LOG), tmp)
        os.replace(tmp, final)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def read_failures(warehouse: Warehouse) -> list[dict]:
    """Failed files not yet ingested since, oldest first."""
    folder = warehouse.failures_dir
    rows: list[dict] = []
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        rows.extend(pq.read_table(path).to_pylist())
    return sorted(rows, key=lambda row: row["started_at"])


def failure_parts(warehouse: Warehouse) -> dict[str, list[Path]]:
    """The failure entries by the path they name: read once per ingest run, so that clearing
    the failures of each file does not read every entry again."""
    folder = warehouse.failures_dir
    parts: dict[str, list[Path]] = {}
    for part in folder.glob("*.parquet") if folder.is_dir() else []:
        with contextlib.suppress(OSError):
            parts.setdefault(pq.read_table(part, columns=["path"]).column("path")[0].as_py(), []).append(part)
    return parts


def clear_failures(warehouse: Warehouse, path: str, parts: dict[str, list[Path]] | None = None) -> None:
    """Forget the failures of ``path`` (it has now been committed or found already ingested);
    ``parts`` is ``failure_parts`` read earlier in the run (read now when not given)."""
    found = (failure_parts(warehouse) if parts is None else parts).pop(path, [])
    for part in found:
        with contextlib.suppress(OSError):
            part.unlink()


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
