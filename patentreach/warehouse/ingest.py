"""Ingest files into the warehouse: detect, split, parse (in ``jobs`` processes), store, commit.

Guarantees, per input file (or archive member):

* read = stored + quarantined + skipped, recorded in the ingest log;
* the file's rows become visible all at once, when its ingest-log entry is written; an ingest
  killed at any point leaves only invisible leftovers, removed by the next run;
* content already committed (same sha256) is not stored again, so re-running never duplicates;
* it succeeds or fails on its own: whatever goes wrong while reading, parsing or writing it
  (a corrupt archive, a reader's bug, a full disk, a limit) becomes its ``error`` outcome, one
  line naming it (and the record where known), logged in ``ingest_failures/``; nothing of it is
  committed and the next file is read. Only problems that stop the whole run before any file is
  read (a missing path, an unknown reader, a warehouse that cannot be locked) raise ``IngestError``.
"""

from __future__ import annotations

import difflib
import gc
import os
import uuid
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from patentreach.model.ingest import IngestLogEntry
from patentreach.sources import SOURCES, limits, source_named
from patentreach.sources.base import Source, Unit
from patentreach.sources.detect import HEAD_BYTES, DetectionError, detect
from patentreach.warehouse import ingest_log, native_ingest, ranged_ingest, table_delivery
from patentreach.warehouse.arrow_batches import BatchResult, spare_pandas_import
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
from patentreach.warehouse.lock import WarehouseLockError, exclusive
from patentreach.warehouse.part_writer import PartWriter, remove_uncommitted
from patentreach.warehouse.unit_parse import RecordFailure, StoreFailure, batches, parse_batch
from patentreach.warehouse.unit_parse import parse_unit as parse_unit  # re-exported

MESSAGE_CHARS = 400


class IngestError(RuntimeError):
    """Nothing could start: the message is one line, the CLI exits 2."""


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
    warnings: list[str] = field(default_factory=list)  # readers' warnings, one per ingest_warnings row
    notes: list[str] = field(default_factory=list)  # about the file itself (e.g. recovered from a cut zip)


@dataclass(slots=True)
class IngestReport:
    files: list[FileOutcome]
    database_error: str | None = None

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "error"]

    @property
    def nothing_ingested(self) -> bool:
        """True when every file failed."""
        return bool(self.files) and len(self.failed) == len(self.files)

    @property
    def complete(self) -> bool:
        """Every file is in the warehouse (ingested now or before) and the views were written."""
        return not self.failed and self.database_error is None


class ProgressHook:
    """What the ingest tells a progress display; the CLI supplies a Rich implementation."""

    def start(self, total_bytes: int) -> None: ...
    def file(self, label: str) -> None: ...
    def advance(self, n_bytes: int) -> None: ...


def ingest(
    paths: list[Path],
    warehouse: Warehouse,
    jobs: int = 1,
    reader: str | None = None,
    progress: ProgressHook | None = None,
    files: FilesStep | None = None,
) -> IngestReport:
    """``files`` replaces the per-file step (``spark_ingest`` runs it on Spark executors)."""
    progress = progress or ProgressHook()
    spare_pandas_import()  # before workers fork, so that they inherit it
    inputs = expand(paths)
    forced = reader_named(reader) if reader else None
    try:
        with exclusive(warehouse):
            _create(warehouse)
            remove_uncommitted(warehouse, ingest_log.committed_ids(warehouse))
            progress.start(sum(_disk_share(i, inputs) for i in inputs))
            if jobs > 1:
                _warm_reference_tables()
            workers = _Workers(jobs)
            outcomes: list[FileOutcome] = []
            if forced is None or forced.name == table_delivery.READER_NAME:  # PATSTAT parts: one delivery
                parts, inputs = table_delivery.split_inputs(inputs, forced is not None)
                if parts:
                    outcomes.append(table_delivery.ingest_delivery(parts, warehouse, progress, FileOutcome))
            committed = Committed.read(warehouse)
            try:
                if files is not None:
                    outcomes += files(inputs, warehouse, forced, progress)
                else:
                    outcomes += [_ingest_one(i, warehouse, forced, workers, progress, committed) for i in inputs]
            finally:
                workers.shutdown(wait=False)  # they exit while the views are written
            database_error = _write_views(warehouse)
    except WarehouseLockError as exc:
        raise IngestError(str(exc)) from None
    return IngestReport(outcomes, database_error)


def reader_named(name: str) -> Source:
    """The reader ``--reader`` names; an unknown name lists the readers and the closest one."""
    try:
        return source_named(name)
    except KeyError:
        names = [s.name for s in SOURCES]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise IngestError(f"no reader named {name!r}{hint} (readers: {', '.join(names)})") from None


def _create(warehouse: Warehouse) -> None:
    try:
        warehouse.create()
    except OSError as exc:
        raise IngestError(f"{warehouse.root}: cannot write to the warehouse ({exc.strerror or exc})") from None


def _write_views(warehouse: Warehouse) -> str | None:
    """Rewrite ``warehouse.duckdb``; a failure (disk full) is reported, the committed files stay."""
    try:
        from patentreach.warehouse.views import write_database  # DuckDB: imported once workers run

        write_database(warehouse)
    except Exception as exc:
        return _one_line(f"{warehouse.duckdb_path}: the DuckDB views were not rewritten ({exc})")
    return None


class _Workers:
    """The parse processes (none for ``jobs == 1``); replaced if one dies, so that the next file
    still has workers.

    They are forked at once, before any file is opened (so before the hash thread of a file read
    in pieces starts: forking beside a running thread is unsafe), with the objects the main process
    holds frozen out of the garbage collector's reach, so that a worker's collections do not
    write to (and so copy) the pages it shares with the main process."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool = _forked_pool(jobs) if jobs > 1 else None

    def reset(self) -> None:
        self.shutdown()
        self.pool = _forked_pool(self.jobs) if self.jobs > 1 else None

    def shutdown(self, wait: bool = True) -> None:
        """Stop the workers; ``wait=False`` once every file is done (nothing is left running that
        writes: a file's pieces are all awaited before it commits or fails)."""
        if self.pool:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None


def _forked_pool(jobs: int) -> ProcessPoolExecutor:
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=jobs)
        pool.submit(int).result()  # forks every worker now (the fork start method starts them all)
    finally:
        gc.unfreeze()  # the main process collects as before; the workers keep theirs frozen
    return pool


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
    try:
        return item.disk_size // siblings
    except OSError:  # gone since it was listed: its own outcome will say so
        return 0


@dataclass(slots=True)
class Committed:
    """The committed ingests, read from the ingest log once per run and kept up to date as the
    run commits files (reading the log for every input made a folder's ingest quadratic)."""

    shas: set[str]
    by_path: dict[tuple[str, int], dict]
    failures: dict[str, list[Path]]  # the failure log's entries by path (``ingest_log.failure_parts``)

    @classmethod
    def read(cls, warehouse: Warehouse) -> Committed:
        entries = ingest_log.read_entries(warehouse)
        return cls({e["sha256"] for e in entries}, {(e["path"], e["size"]): e for e in entries},
                   ingest_log.failure_parts(warehouse))

    def add(self, entry: IngestLogEntry) -> None:
        self.shas.add(entry.sha256)
        self.by_path[(entry.path, entry.size)] = {"path": entry.path, "size": entry.size,
                                                  "sha256": entry.sha256, "reader": entry.reader}


def _known_by_path(warehouse: Warehouse) -> dict[tuple[str, int], dict]:
    return {(e["path"], e["size"]): e for e in ingest_log.read_entries(warehouse)}


def _ingest_one(
    item: Input,
    warehouse: Warehouse,
    forced: Source | None,
    workers: _Workers,
    progress: ProgressHook,
    committed: Committed | None = None,
) -> FileOutcome:
    """Ingest one input; never raises for a problem of the input or of writing it. ``committed``
    is the run's view of the ingest log (read here when not given)."""
    progress.file(item.label)
    started = datetime.now(UTC)
    ingest_id = uuid.uuid4().hex[:16]
    outcome = FileOutcome(item.label, "ingested")
    writer: PartWriter | None = None
    try:
        if item.problem is not None:
            raise InputError(item.problem)
        committed = committed or Committed.read(warehouse)
        if known := _already_committed(item, warehouse, committed.shas, committed.by_path):
            progress.advance(_disk_share(item, [item]))
            outcome.status, outcome.reader = "already-ingested", known["reader"]
        else:
            with _storing():
                writer = PartWriter(warehouse, ingest_id)
            sha, size, source = _read_into(item, writer, outcome, forced, ingest_id, workers, progress)
            if sha in committed.shas:
                writer.abandon()
                outcome.status = "already-ingested"
            else:
                committed.add(_commit(warehouse, writer, item, outcome, source, sha, size, ingest_id, started))
        ingest_log.clear_failures(warehouse, item.label, committed.failures)
        return outcome
    except Exception as exc:
        if writer is not None:
            writer.abandon()
        if isinstance(exc, BrokenProcessPool):
            workers.reset()
        return _failed(warehouse, item, outcome, exc, ingest_id, started)


def _read_into(
    item: Input,
    writer: PartWriter,
    outcome: FileOutcome,
    forced: Source | None,
    ingest_id: str,
    workers: _Workers,
    progress: ProgressHook,
) -> tuple[str, int, Source]:
    """Detect, split, parse and stage one input's rows; returns its content's sha256 and size."""
    if item.recovered is not None:
        outcome.notes.append(f"{item.label}: recovered from a zip archive without its central directory (truncated?)")
    with open_content(item, progress.advance) as content:
        peek = PeekableRaw(content, HEAD_BYTES)
        if not peek.head:
            raise InputError("empty (no content to read)")
        stream = buffered(peek)
        if forced is not None:
            source, version = forced, (forced.sniff(peek.head) or _no_sniff()).version
        else:
            detection = detect(peek.head)
            source, version = detection.source, detection.sniff.version
        outcome.reader, outcome.format_version = source.name, version
        native = native_ingest.try_native(source, item, peek.head, writer, outcome, ingest_id, progress.advance)
        if native is not None:  # read by Arrow and SQL (a tabular reader's native plan)
            return (*native, source)
        size = _content_size(item) if workers.pool is not None else None
        if ranged_ingest.applies(source, item, peek.head, workers.pool, size) and not ranged_ingest.spooled(item):
            sha, size = ranged_ingest.read_pieces(
                source, item, writer, outcome, ingest_id, workers.pool,  # type: ignore[arg-type]
                workers.jobs, progress.advance, len(peek.head), meanwhile=_import_views,
            )
            return sha, size, source
        if ranged_ingest.applies(source, item, peek.head, workers.pool, size):
            sha, size = ranged_ingest.read_ranges(
                source, item, stream, writer, outcome, ingest_id, workers.pool,  # type: ignore[arg-type]
                workers.jobs, _storing, progress.advance, len(peek.head),
            )
            return sha, size, source
        pool = None if ranged_ingest.small_enough_for_one_process(source, size) else workers.pool
        units = _bounded(source.units(stream), limits.current().max_records_per_file, source.name)
        for result in _parse_all(source, units, item.label, ingest_id, pool, workers.jobs):
            with _storing():
                for table, rows in result.tables.items():
                    writer.add(table, rows)
                writer.add("quarantine", result.quarantine)
                writer.add("ingest_warnings", result.warning_rows)
            outcome.read += result.read
            outcome.stored += result.stored
            outcome.quarantined += result.quarantined
            outcome.skipped += result.skipped
            outcome.warnings.extend(result.warnings)
        return content.sha256.hexdigest(), content.size, source


def _commit(
    warehouse: Warehouse,
    writer: PartWriter,
    item: Input,
    outcome: FileOutcome,
    source: Source,
    sha: str,
    size: int,
    ingest_id: str,
    started: datetime,
) -> IngestLogEntry:
    """Move the parts into place, then write the log entry that makes them visible (and return
    it); if either fails, the moved parts are withdrawn so nothing of the file stays behind."""
    if outcome.read != outcome.stored + outcome.quarantined + outcome.skipped:
        raise AssertionError(f"counts do not add up: {outcome}")
    entry = IngestLogEntry(
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
    )
    try:
        with _storing():
            writer.finish()
            writer.move_into_place()
            ingest_log.write_entry(warehouse, entry, format_version=outcome.format_version)
    except StoreFailure:
        writer.withdraw()
        raise
    return entry


def _import_views() -> None:
    """What the main process needs only at the end (DuckDB, for the views), imported while the
    workers parse rather than after them."""
    import patentreach.warehouse.views  # noqa: F401


@contextmanager
def _storing() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise StoreFailure(f"cannot write to the warehouse ({exc.strerror or exc})") from exc


def _failed(
    warehouse: Warehouse, item: Input, outcome: FileOutcome, exc: Exception, ingest_id: str, started: datetime
) -> FileOutcome:
    """The error outcome of an input (counts zero: nothing of it is stored), also logged."""
    read_before = outcome.read
    error = _one_line(f"{item.label}: {_describe(exc)}")
    if read_before and not isinstance(exc, RecordFailure):
        error = _one_line(f"{item.label}: {_describe(exc)}; none of the {read_before:,} records read was stored")
    failed = FileOutcome(item.label, "error", reader=outcome.reader, format_version=outcome.format_version,
                         error=error)
    ingest_log.write_failure(
        warehouse,
        ingest_log.FailedIngest(
            ingest_id=ingest_id,
            path=item.label,
            reader=outcome.reader,
            read_before_failure=read_before,
            error=error,
            started_at=started,
            finished_at=datetime.now(UTC),
        ),
    )
    return failed


def _describe(exc: Exception) -> str:
    """What went wrong, for one line: known problems in their words, anything else with its type."""
    if isinstance(exc, DetectionError | limits.LimitExceeded | RecordFailure | StoreFailure | InputError):
        return str(exc)
    if isinstance(exc, BrokenProcessPool):
        return "a parse process died (out of memory?)"
    if isinstance(exc, OSError | EOFError | zipfile.BadZipFile | ValueError):
        return f"cannot be read ({exc.strerror if isinstance(exc, OSError) and exc.strerror else exc})"
    return f"{type(exc).__name__}: {exc}"


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MESSAGE_CHARS else flat[: MESSAGE_CHARS - 1] + "…"


def _bounded(units: Iterator[Unit], max_records: int, reader: str) -> Iterator[Unit]:
    """The units of one input, at most ``max_records`` of them (``limits.max_records_per_file``).

    Problems of the container (truncated, corrupt, over a limit) pass as they are; anything else a
    reader raises while cutting records is its failure on the record it was cutting."""
    iterator = iter(units)
    index = 0
    while True:
        try:
            unit = next(iterator)
        except StopIteration:
            return
        except (limits.LimitExceeded, OSError, EOFError, zipfile.BadZipFile):
            raise
        except Exception as exc:
            raise RecordFailure(
                f"record {index}: the {reader} reader failed while splitting: {type(exc).__name__}: {exc}"
            ) from exc
        index += 1
        if index > max_records:
            raise limits.LimitExceeded("max_records_per_file", max_records, f"more than {max_records:,} records")
        yield unit


def _already_committed(
    item: Input,
    warehouse: Warehouse,
    committed_shas: set[str],
    by_path: dict[tuple[str, int], dict] | None = None,
) -> dict | None:
    """The log entry of a committed ingest with the same path and size, confirmed by hash
    (``by_path``: the log's entries by path and size, read from the log when not given)."""
    size = _content_size(item)
    if by_path is None and size is not None:
        by_path = _known_by_path(warehouse)
    known = by_path.get((item.label, size)) if by_path is not None and size is not None else None
    return known if known is not None and content_sha256(item) in committed_shas else None


def _no_sniff():  # type: ignore[no-untyped-def]
    from patentreach.sources.base import Sniff

    return Sniff(0.0, "")


def _content_size(item: Input) -> int | None:
    """The content's size without reading it (None when the container cannot tell)."""
    try:
        if item.recovered is not None:
            return item.recovered.file_size
        if item.member is not None:
            with zipfile.ZipFile(item.path) as archive:
                return archive.getinfo(item.member).file_size
        if item.path.suffix.lower() == ".gz":
            with open(item.path, "rb") as handle:
                handle.seek(-4, os.SEEK_END)  # the gzip trailer's size, modulo 2**32
                return int.from_bytes(handle.read(4), "little")
        return item.disk_size
    except (OSError, EOFError, KeyError, zipfile.BadZipFile):
        return None


def _parse_all(
    source: Source,
    units: Iterator[Unit],
    source_file: str,
    ingest_id: str,
    pool: ProcessPoolExecutor | None,
    jobs: int,
) -> Iterator[BatchResult]:
    if pool is None:
        for batch in batches(units):
            yield parse_batch(source.name, batch, source_file, ingest_id)
        return
    pending: deque[Future[BatchResult]] = deque()
    try:
        for batch in batches(units):
            pending.append(pool.submit(parse_batch, source.name, batch, source_file, ingest_id))
            while len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:  # the file failed: do not parse the rest of it
            future.cancel()


ProgressCallback = Callable[[int], None]
FilesStep = Callable[[list[Input], Warehouse, Source | None, ProgressHook], list[FileOutcome]]
