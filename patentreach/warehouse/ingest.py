"""Ingest files into the warehouse: detect, split, parse (in ``jobs`` processes), store, commit.

Guarantees, per input file:

* read = stored + quarantined + skipped, recorded in the ingest log;
* the file's rows become visible all at once, when its ingest-log entry is written; an ingest
  killed at any point leaves only invisible leftovers, removed by the next run;
* content already committed (same sha256) is not stored again, so re-running never duplicates.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from patentreach.model.ingest import IngestLogEntry
from patentreach.sources import source_named
from patentreach.sources.base import Source, Unit
from patentreach.sources.detect import HEAD_BYTES, DetectionError, detect
from patentreach.warehouse import ingest_log
from patentreach.warehouse.arrow_batches import BatchResult, collect
from patentreach.warehouse.inputs import (
    Input,
    InputError,
    PeekableRaw,
    buffered,
    content_sha256,
    expand,
    open_content,
)
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.part_writer import PartWriter, remove_uncommitted
from patentreach.warehouse.views import write_database

BATCH_BYTES = 2 * 1024 * 1024
BATCH_UNITS = 256


class IngestError(RuntimeError):
    pass


@dataclass(slots=True)
class FileOutcome:
    label: str
    status: str  # ingested | already-ingested | error
    reader: str = ""
    format_version: str = ""
    read: int = 0
    stored: int = 0
    quarantined: int = 0
    skipped: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IngestReport:
    files: list[FileOutcome]

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "error"]

    @property
    def nothing_ingested(self) -> bool:
        """True when every file failed: the only case that makes the command exit non-zero."""
        return bool(self.files) and len(self.failed) == len(self.files)


class ProgressHook:
    """What the ingest tells a progress display; the CLI supplies a Rich implementation."""

    def start(self, total_bytes: int) -> None: ...
    def file(self, label: str) -> None: ...
    def advance(self, n_bytes: int) -> None: ...


def ingest(
    paths: list[Path],
    warehouse: Warehouse,
    jobs: int = 1,
    format_name: str | None = None,
    progress: ProgressHook | None = None,
) -> IngestReport:
    progress = progress or ProgressHook()
    inputs = expand(paths)
    warehouse.create()
    with _exclusive(warehouse):
        remove_uncommitted(warehouse, ingest_log.committed_ids(warehouse))
        forced = source_named(format_name) if format_name else None
        progress.start(sum(_disk_share(i, inputs) for i in inputs))
        if jobs > 1:
            _warm_reference_tables()
        pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
        try:
            outcomes = [_ingest_one(i, warehouse, forced, pool, jobs, progress) for i in inputs]
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)
        write_database(warehouse)
    return IngestReport(outcomes)


def _warm_reference_tables() -> None:
    """Load the lookup tables readers use before forking workers, so that every worker inherits
    them instead of parsing the CSVs again."""
    from patentreach.refdata.countries import normalise_country
    from patentreach.refdata.kind_codes import doc_type
    from patentreach.refdata.offices import is_regional

    normalise_country("US")
    doc_type("US", "B2")
    is_regional("EP")


def _disk_share(item: Input, inputs: list[Input]) -> int:
    """Bytes of the progress total for one input (a zip's size split over its members)."""
    siblings = sum(1 for i in inputs if i.path == item.path)
    return item.disk_size // siblings


@contextmanager
def _exclusive(warehouse: Warehouse) -> Iterator[None]:
    with open(warehouse.lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestError(f"{warehouse.root}: another ingest is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _known_by_path(warehouse: Warehouse) -> dict[tuple[str, int], str]:
    return {(e["path"], e["size"]): e["sha256"] for e in ingest_log.read_entries(warehouse)}


def _ingest_one(
    item: Input,
    warehouse: Warehouse,
    forced: Source | None,
    pool: ProcessPoolExecutor | None,
    jobs: int,
    progress: ProgressHook,
) -> FileOutcome:
    progress.file(item.label)
    started = datetime.now(UTC)
    entries = ingest_log.read_entries(warehouse)
    committed_shas = {e["sha256"]: e["path"] for e in entries}
    # Same path and size as a committed ingest: confirm by hash before reading it again.
    if (item.label, _content_size(item)) in _known_by_path(warehouse):
        try:
            if content_sha256(item) in committed_shas:
                progress.advance(_disk_share(item, [item]))
                return FileOutcome(item.label, "already-ingested")
        except (OSError, InputError, EOFError) as exc:
            return FileOutcome(item.label, "error", error=f"{item.label}: cannot be read ({exc})")
    ingest_id = uuid.uuid4().hex[:16]
    writer = PartWriter(warehouse, ingest_id)
    outcome = FileOutcome(item.label, "ingested")
    try:
        with open_content(item, progress.advance) as content:
            peek = PeekableRaw(content, HEAD_BYTES)
            stream = buffered(peek)
            if forced is not None:
                source, version = forced, (forced.sniff(peek.head) or _no_sniff()).version
            else:
                detection = detect(peek.head)
                source, version = detection.source, detection.sniff.version
            outcome.reader, outcome.format_version = source.name, version
            for result in _parse_all(source, source.units(stream), item.label, ingest_id, pool, jobs):
                for table, rows in result.tables.items():
                    writer.add(table, rows)
                writer.add("quarantine", result.quarantine)
                writer.add("ingest_warnings", result.warning_rows)
                outcome.read += result.read
                outcome.stored += result.stored
                outcome.quarantined += result.quarantined
                outcome.skipped += result.skipped
                outcome.warnings.extend(result.warnings)
            sha = content.sha256.hexdigest()
            size = content.size
    except DetectionError as exc:
        writer.abandon()
        return FileOutcome(item.label, "error", error=f"{item.label}: {exc}")
    except (OSError, EOFError, ValueError) as exc:
        writer.abandon()
        return FileOutcome(item.label, "error", error=f"{item.label}: cannot be read ({exc})")
    assert outcome.read == outcome.stored + outcome.quarantined + outcome.skipped
    if sha in committed_shas:
        writer.abandon()
        outcome.status = "already-ingested"
        return outcome
    writer.finish()
    writer.move_into_place()
    ingest_log.write_entry(
        warehouse,
        IngestLogEntry(
            ingest_id=ingest_id,
            path=item.label,
            size=size,
            sha256=sha,
            reader=source.name,
            reader_version=source.reader_version,
            read=outcome.read,
            stored=outcome.stored,
            quarantined=outcome.quarantined,
            skipped=outcome.skipped,
            warnings=len(outcome.warnings),
            started_at=started,
            finished_at=datetime.now(UTC),
        ),
        format_version=outcome.format_version,
    )
    return outcome


def _no_sniff():  # type: ignore[no-untyped-def]
    from patentreach.sources.base import Sniff

    return Sniff(0.0, "")


def _content_size(item: Input) -> int:
    if item.member is not None:
        import zipfile

        with zipfile.ZipFile(item.path) as archive:
            return archive.getinfo(item.member).file_size
    if item.path.suffix.lower() == ".gz":
        with open(item.path, "rb") as handle:
            handle.seek(-4, os.SEEK_END)
            return int.from_bytes(handle.read(4), "little")
    return item.disk_size


def _batches(units: Iterator[Unit]) -> Iterator[list[Unit]]:
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
    parsed = [source.parse(unit, source_file) for unit in units]
    return collect(parsed, source_file, source_name, ingest_id)


def _parse_all(
    source: Source,
    units: Iterator[Unit],
    source_file: str,
    ingest_id: str,
    pool: ProcessPoolExecutor | None,
    jobs: int,
) -> Iterator[BatchResult]:
    if pool is None:
        for batch in _batches(units):
            yield parse_batch(source.name, batch, source_file, ingest_id)
        return
    pending: deque[Future[BatchResult]] = deque()
    for batch in _batches(units):
        pending.append(pool.submit(parse_batch, source.name, batch, source_file, ingest_id))
        while len(pending) >= 2 * jobs:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


ProgressCallback = Callable[[int], None]
