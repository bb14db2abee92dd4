"""Parse a reader's units into Arrow batches: the step shared by the in-process path, the batch
workers and the byte-range workers of ``ingest``."""

from __future__ import annotations

from collections.abc import Iterator

from patentreach.sources import source_named
from patentreach.sources.base import Parsed, Quarantined, Source, Unit
from patentreach.warehouse.arrow_batches import BatchResult, collect

BATCH_BYTES = 2 * 1024 * 1024
BATCH_UNITS = 256


class RecordFailure(Exception):
    """A reader raised on one record: becomes its file's error (with the record's index and line)."""


class StoreFailure(Exception):
    """Writing a file's parts or its log entry failed (disk full, read-only, ...)."""


def batches(units: Iterator[Unit]) -> Iterator[list[Unit]]:
    """Units grouped by about ``BATCH_BYTES`` (at most ``BATCH_UNITS``), so memory stays flat."""
    batch: list[Unit] = []
    size = 0
    for unit in units:
        batch.append(unit)
        size += len(unit.data) if isinstance(unit.data, bytes | str) else 1024
        if size >= BATCH_BYTES or len(batch) >= BATCH_UNITS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def parse_batch(source_name: str, units: list[Unit], source_file: str, ingest_id: str) -> BatchResult:
    """Parse one batch; runs in a worker process when ``jobs > 1``."""
    source = source_named(source_name)
    parsed = [parse_unit(source, unit, source_file) for unit in units]
    return collect(parsed, source_file, source_name, ingest_id)


def parse_unit(source: Source, unit: Unit, source_file: str) -> Parsed:
    """One unit's outcome. A unit the splitter already quarantined (``data`` is a ``Quarantined``,
    e.g. a document over ``max_document_mb``) is stored as such without calling the reader; a
    reader that raises names the record in a ``RecordFailure``."""
    if isinstance(unit.data, Quarantined):
        return Parsed(quarantined=unit.data)
    try:
        return source.parse(unit, source_file)
    except Exception as exc:
        where = f"record {unit.index}" + (f" (line {unit.line})" if unit.line is not None else "")
        raise RecordFailure(f"{where}: the {source.name} reader failed: {type(exc).__name__}: {exc}") from exc
