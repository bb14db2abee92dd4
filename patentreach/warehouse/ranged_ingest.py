"""Ingest a large concatenated XML file (a USPTO weekly file) in byte ranges, one per worker task.

With ``--jobs N`` the main process used to split the file, pickle batches of documents to the
workers and write the Arrow batches they pickled back: 40% of the CPU, in one process, so two jobs
were barely faster than one. Here each worker opens the file itself, splits, parses and writes its
range's Parquet parts into the ingest's staging folder, and returns only its counts and warnings;
the main process takes the parts, in file order, as the ingest's parts (one per range and table,
renamed into place at the commit: ``PartWriter.adopt``) and commits as before, so record indices,
line numbers, quarantine entries, accounting, idempotence and crash safety are those of the
one-process path.

* A plain file (``read_pieces``) is not read by the main process before the workers start: it is
  cut into one piece per job from its size alone (``file_pieces``), each worker finds its own
  cuts, the record index and line each piece starts at come from cheap scans of the pieces
  before it, and the main process only hashes the file, in a thread, while they parse.
* A zip member or gzip stream (the form USPTO publishes; ``read_ranges``) is decompressed once by
  the main process, within the limits, into ``content.spool`` in the ingest's staging folder,
  cut on the way into ranges at ``<?xml`` declarations (``concatenated_xml.declaration_ranges``,
  which counts the record index and line each starts at), and the workers read their ranges from
  the spool as it grows (it goes with the staging folder).

It applies to readers that can split a range by themselves (``reads_ranges``: the grant reader's
``range_units``, and the USPTO application and EP publication readers, whose units are the
splitter's documents), for content that starts with a declaration, and only when it is large
enough to be worth splitting (``MIN_RANGED_BYTES``).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import mmap
import os
import shutil
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from patentreach.sources import limits, source_named
from patentreach.sources.base import Source, Unit
from patentreach.sources.concatenated_xml import (
    ByteRange,
    RangeReader,
    declaration_ranges,
    split_documents,
    starts_with_declaration,
)
from patentreach.warehouse import file_pieces
from patentreach.warehouse.arrow_batches import collect
from patentreach.warehouse.inputs import Input
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.part_writer import PartWriter
from patentreach.warehouse.unit_parse import StoreFailure, batches, parse_unit

MB = 1024 * 1024
RANGE_BYTES = 16 * MB  # big enough that a range's fixed cost (Parquet writers) is small
MIN_RANGED_BYTES = 24 * MB  # below this one process is as fast (no part copying)
HASH_BLOCK = 8 * MB
# Readers whose ``units`` are ``split_documents`` of the content (after a byte order mark, which
# content read in ranges does not have): a range's units are then ``split_documents`` of its bytes
# started at its record index and line. tests/warehouse/test_ingest_pieces.py checks that this
# still holds of their samples; a reader may instead say so itself with a ``range_units`` method.
SPLIT_DOCUMENT_READERS = frozenset({"uspto-application-xml", "epo-ep-xml"})


@dataclass(slots=True)
class RangeResult:
    """What a worker returns for its range: counts and warnings only (its rows are in Parquet)."""

    number: int
    read: int = 0
    stored: int = 0
    quarantined: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


class Counts(Protocol):
    """What the caller accumulates (``FileOutcome`` has these fields)."""

    read: int
    stored: int
    quarantined: int
    skipped: int
    warnings: list[str]


def applies(source: Source, item: Input, head: bytes, pool: ProcessPoolExecutor | None, size: int | None) -> bool:
    """Whether ``item`` (``size`` bytes of content, None if unknown) is read in byte ranges."""
    if pool is None or not reads_ranges(source):
        return False
    return size is not None and size >= MIN_RANGED_BYTES and starts_with_declaration(head)


def spooled(item: Input) -> bool:
    """Whether the content must be copied to the staging folder for workers to address its bytes
    (a zip member or a gzip stream; a plain file is read where it is)."""
    return item.member is not None or item.recovered is not None or item.path.suffix.lower() == ".gz"


class _Tee:
    """``readinto`` from the decompressed content, copying each block to the spool file before
    the planner sees it, so a range is on disk before a worker is given it."""

    def __init__(self, content: BinaryIO, spool: BinaryIO):
        self.content = content
        self.spool = spool

    def readinto(self, buffer: memoryview) -> int:
        n = self.content.readinto(buffer)  # type: ignore[attr-defined]
        written = 0
        try:
            while written < n:
                written += self.spool.write(buffer[written:n]) or 0
        except OSError as exc:
            raise StoreFailure(f"cannot write to the warehouse ({exc.strerror or exc})") from exc
        return n


def reads_ranges(source: Source) -> bool:
    """Whether a worker can split a byte range of this reader's content by itself."""
    return hasattr(source, "range_units") or source.name in SPLIT_DOCUMENT_READERS


def range_units(source: Source, stream: BinaryIO, first_index: int, first_line: int) -> Iterator[Unit]:
    """The units of a byte range that starts at a declaration, numbered from ``first_index`` and
    ``first_line``: what the reader's ``units`` yields for that stretch of the whole content."""
    if hasattr(source, "range_units"):
        return source.range_units(stream, first_index, first_line)
    return split_documents(stream, first_index=first_index, first_line=first_line)


def small_enough_for_one_process(source: Source, size: int | None) -> bool:
    """Content of a range reader too small to split (``size`` bytes): parsing it in-process
    beats sending its documents to a worker (pickled) and its rows back."""
    return reads_ranges(source) and size is not None and size < MIN_RANGED_BYTES


def read_ranges(
    source: Source,
    item: Input,
    content: BinaryIO,
    writer: PartWriter,
    outcome: Counts,
    ingest_id: str,
    pool: ProcessPoolExecutor,
    jobs: int,
    store: Callable[[], object],
    on_bytes: Callable[[int], None],
    counted: int = 0,
) -> tuple[str, int]:
    """Plan the content into ranges (hashing it on the way), have the workers parse them, and
    copy their parts into ``writer`` in file order, adding their counts to ``outcome``; returns
    the content's sha256 and size. A plain file is read where it is; compressed content is read
    from ``content`` (its decompressed stream, within the limits) and spooled into the staging
    folder for the workers. ``store`` is the caller's context manager turning ``OSError`` into
    its store failure; ``on_bytes`` advances the progress display of a plain file, which has seen
    ``counted`` bytes of it already (the head read for detection). On any failure the ranges not
    started are cancelled and the running ones awaited, so that nothing writes into the staging
    folder after the caller abandons it."""
    digest = hashlib.sha256()
    size = 0
    plain = not spooled(item)  # progress of compressed content comes from the compressed reads

    def hash_block(block: memoryview) -> None:
        nonlocal size
        digest.update(block)
        size += len(block)
        if plain and size > counted:
            on_bytes(min(len(block), size - counted))

    with contextlib.ExitStack() as stack:
        if plain:
            path = item.path
            raw: BinaryIO = stack.enter_context(open(path, "rb", buffering=0))
        else:
            path = writer.dir / "content.spool"
            with store():  # type: ignore[attr-defined]
                spool = stack.enter_context(open(path, "wb", buffering=0))
            raw = _Tee(content, spool)  # type: ignore[assignment]
        ranges = declaration_ranges(raw, RANGE_BYTES, on_block=hash_block)
        _dispatch(source, item, ranges, path, writer, outcome, ingest_id, pool, jobs, store)
    return digest.hexdigest(), size


def read_pieces(
    source: Source,
    item: Input,
    writer: PartWriter,
    outcome: Counts,
    ingest_id: str,
    pool: ProcessPoolExecutor,
    jobs: int,
    on_bytes: Callable[[int], None],
    counted: int = 0,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[str, int]:
    """Have ``jobs`` workers parse a plain file in one piece each (``file_pieces``) while this
    process hashes it (and runs ``meanwhile``, once); returns its sha256 and size. Piece 0 starts
    at once; piece ``k`` as soon as the scans of the pieces before it say its first record index
    and line. When pieces fail, the error is that of the first of them in the file (as one
    process reading it would meet it), once the pieces before it are done; the pieces after it
    are cancelled."""
    path = str(item.path)
    hasher = _Hasher(path)
    hasher.start()
    try:
        cut_hints = file_pieces.hints(os.stat(path).st_size, jobs)
        chores = [meanwhile] if meanwhile is not None else []

        def tick() -> None:
            _advance(hasher, on_bytes, counted)
            while chores:
                chores.pop()()

        results = _run_pieces(source, item, writer, ingest_id, pool, jobs, path, cut_hints, tick)
    except BaseException:
        hasher.stop()
        raise
    sha, size = hasher.result()
    _advance(hasher, on_bytes, counted)
    for result in results:
        _add(result, writer, outcome)
    return sha, size


def _run_pieces(
    source: Source,
    item: Input,
    writer: PartWriter,
    ingest_id: str,
    pool: ProcessPoolExecutor,
    jobs: int,
    path: str,
    cut_hints: list[int],
    tick: Callable[[], None],
) -> list[RangeResult]:
    max_records = limits.current().max_records_per_file

    def parse(number: int, first_index: int, first_line: int) -> Future[RangeResult]:
        return pool.submit(parse_piece, source.name, path, cut_hints, number, first_index, first_line,
                           item.label, ingest_id, writer.warehouse, writer.dir / f"range-{number:06d}")

    running: dict[Future, tuple[str, int]] = {parse(0, 0, 1): ("parse", 0)}
    running |= {pool.submit(file_pieces.scan, path, cut_hints, k): ("scan", k) for k in range(jobs - 1)}
    scanned: dict[int, file_pieces.PieceScan] = {}
    results: dict[int, RangeResult] = {}
    errors: dict[int, BaseException] = {}
    following, index, line = 1, 0, 1  # the next piece to start, its first record index and line
    try:
        while running:
            done, _ = concurrent.futures.wait(running, timeout=0.25, return_when=concurrent.futures.FIRST_COMPLETED)
            tick()
            for future in done:
                kind, number = running.pop(future)
                if future.cancelled():
                    continue
                if (error := future.exception()) is not None:
                    errors[number] = error
                    _cancel(running, after=number)
                elif kind == "scan":
                    scanned[number] = future.result()
                else:
                    results[number] = future.result()
            while following < min(errors, default=jobs) and following - 1 in scanned and index <= max_records:
                index += scanned[following - 1].units
                line += scanned[following - 1].newlines
                if index > max_records:  # piece ``following - 1`` meets the limit itself
                    break
                running[parse(following, index, line)] = ("parse", following)
                following += 1
            if errors and all(n in results for n in range(min(errors))):
                break
    finally:
        _cancel(running, after=-1)
        concurrent.futures.wait(running)
    if errors:
        first = errors[min(errors)]
        if isinstance(first, OverLimit):
            raise limits.LimitExceeded("max_records_per_file", max_records, f"more than {max_records:,} records")
        raise first
    if len(results) != jobs:  # never silently short of a piece
        raise RuntimeError(f"pieces {sorted(set(range(jobs)) - set(results))} of {jobs} were not read")
    return [results[n] for n in range(jobs)]


def _cancel(running: dict[Future, tuple[str, int]], after: int) -> None:
    for future, (_, number) in running.items():
        if number > after:
            future.cancel()


def _advance(hasher: _Hasher, on_bytes: Callable[[int], None], counted: int) -> None:
    """Move the progress display to the bytes hashed so far (``counted`` already shown)."""
    done = hasher.size
    if done > max(hasher.shown, counted):
        on_bytes(done - max(hasher.shown, counted))
    hasher.shown = max(hasher.shown, done, counted)


class _Hasher(threading.Thread):
    """Hashes a file in a thread of the main process while the workers parse it (``hashlib``
    releases the GIL on large blocks)."""

    def __init__(self, path: str):
        super().__init__(name="hash", daemon=True)
        self.path = path
        self.digest = hashlib.sha256()
        self.size = 0
        self.shown = 0
        self.error: BaseException | None = None
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if not size:
                    return
                with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped, memoryview(mapped) as view:
                    for low in range(0, size, HASH_BLOCK):  # the mapped pages, without a copy
                        if self._halt.is_set():
                            return
                        with view[low : low + HASH_BLOCK] as block:
                            self.digest.update(block)
                            self.size += len(block)
                        file_pieces.release(mapped, low, low + HASH_BLOCK)
        except BaseException as exc:  # handed to the main thread by ``result``
            self.error = exc

    def stop(self) -> None:
        """The file failed: stop hashing it."""
        self._halt.set()
        self.join()

    def result(self) -> tuple[str, int]:
        """The content's sha256 and size, once the whole file is hashed."""
        self.join()
        if self.error is not None:
            raise self.error
        return self.digest.hexdigest(), self.size


def _dispatch(
    source: Source,
    item: Input,
    ranges: Iterator[ByteRange],
    path: Path,
    writer: PartWriter,
    outcome: Counts,
    ingest_id: str,
    pool: ProcessPoolExecutor,
    jobs: int,
    store: Callable[[], object],
) -> None:
    """Give each range to a worker as it is planned (at most ``2 × jobs`` waiting), taking the
    results in file order."""
    max_records = limits.current().max_records_per_file
    pending: deque[Future[RangeResult]] = deque()
    planned = 0
    try:
        for byte_range in ranges:
            planned += byte_range.units
            if planned > max_records:
                raise limits.LimitExceeded(
                    "max_records_per_file", max_records, f"more than {max_records:,} records"
                )
            directory = writer.dir / f"range-{byte_range.number:06d}"
            pending.append(
                pool.submit(
                    parse_range, source.name, str(path), byte_range, item.label, ingest_id,
                    writer.warehouse, directory,
                )
            )
            while len(pending) > 2 * jobs:
                _take(pending.popleft(), writer, outcome, store)
        while pending:
            _take(pending.popleft(), writer, outcome, store)
    finally:
        for future in pending:
            future.cancel()
        concurrent.futures.wait(pending)


def _take(future: Future[RangeResult], writer: PartWriter, outcome: Counts, store: Callable[[], object]) -> None:
    _add(future.result(), writer, outcome)


def _add(result: RangeResult, writer: PartWriter, outcome: Counts) -> None:
    writer.adopt(writer.dir / f"range-{result.number:06d}")
    outcome.read += result.read
    outcome.stored += result.stored
    outcome.quarantined += result.quarantined
    outcome.skipped += result.skipped
    outcome.warnings.extend(result.warnings)


def parse_range(
    source_name: str,
    path: str,
    byte_range: ByteRange,
    source_file: str,
    ingest_id: str,
    warehouse: Warehouse,
    directory: Path,
) -> RangeResult:
    """Runs in a worker: split, parse and stage one range's rows in ``directory``."""
    return _parse_span(source_name, path, byte_range.number, byte_range.offset, byte_range.length,
                       byte_range.first_index, byte_range.first_line, None, source_file, ingest_id, warehouse,
                       directory)


def parse_piece(
    source_name: str,
    path: str,
    cut_hints: list[int],
    number: int,
    first_index: int,
    first_line: int,
    source_file: str,
    ingest_id: str,
    warehouse: Warehouse,
    directory: Path,
) -> RangeResult:
    """Runs in a worker: find piece ``number``'s bounds, then split, parse and stage its rows,
    stopping with ``OverLimit`` past the record limit (the last piece is never scanned first)."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        start, end = file_pieces.bounds(view, cut_hints, number)
    room = limits.current().max_records_per_file - first_index
    return _parse_span(source_name, path, number, start, end - start, first_index, first_line, room,
                       source_file, ingest_id, warehouse, directory)


class OverLimit(Exception):
    """A worker went past the record limit (``LimitExceeded`` itself does not survive pickling)."""


def _capped(units: Iterator[Unit], room: int | None) -> Iterator[Unit]:
    if room is None:
        yield from units
        return
    for count, unit in enumerate(units, 1):
        if count > room:
            raise OverLimit()
        yield unit


def _parse_span(
    source_name: str,
    path: str,
    number: int,
    offset: int,
    length: int,
    first_index: int,
    first_line: int,
    room: int | None,
    source_file: str,
    ingest_id: str,
    warehouse: Warehouse,
    directory: Path,
) -> RangeResult:
    """Split, parse and stage ``length`` bytes of ``path`` from ``offset`` (whole documents, the
    first of them record ``first_index`` on line ``first_line``) in ``directory``; made durable
    there, since the commit moves these parts into place."""
    source = source_named(source_name)
    result = RangeResult(number)
    if length <= 0:
        return result
    try:
        directory.mkdir(parents=True, exist_ok=True)
        writer = PartWriter(warehouse, ingest_id, directory)
    except OSError as exc:
        raise StoreFailure(f"cannot write to the warehouse ({exc.strerror or exc})") from exc
    try:
        with RangeReader(path, offset, length) as stream:
            units = range_units(source, stream, first_index, first_line)
            for batch in batches(_capped(units, room)):
                parsed = collect([parse_unit(source, unit, source_file) for unit in batch], source_file,
                                 source_name, ingest_id)
                try:
                    for table, rows in parsed.tables.items():
                        writer.add(table, rows)
                    writer.add("quarantine", parsed.quarantine)
                    writer.add("ingest_warnings", parsed.warning_rows)
                except OSError as exc:
                    raise StoreFailure(f"cannot write to the warehouse ({exc.strerror or exc})") from exc
                result.read += parsed.read
                result.stored += parsed.stored
                result.quarantined += parsed.quarantined
                result.skipped += parsed.skipped
                result.warnings.extend(parsed.warnings)
        try:
            writer.finish(sync=True)
        except OSError as exc:
            raise StoreFailure(f"cannot write to the warehouse ({exc.strerror or exc})") from exc
    except BaseException:
        writer.abandon()
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return result
