"""Ingest a delimited table through Arrow's multithreaded CSV reader and SQL, not row by row.

``ingest._read_into`` asks ``try_native`` first. A reader that offers a ``native_plan(head)``
(``sources/native_tables``) for a plain file on disk gets it read here: ``pyarrow.csv`` reads the
file in blocks, every column as text, each batch is mapped by the plan's SQL into the same
warehouse rows the per-row reader stores, and meanwhile a thread hashes the bytes and scans them
for what Arrow and Python's ``csv`` read differently (a NUL byte, a lone carriage return).

Everything else stays with the per-row path, and so does a file as soon as something in it needs
judging row by row (a row to quarantine, invalid UTF-8, a wrong number of values): the staged rows
are dropped and ``try_native`` returns None, so the reader reads the file again, with its own
quarantine reasons and line numbers. A plan may instead hand back single rows (``units`` of its
batch, each with its record index and line): those go through the reader's own ``parse`` here, so
a file with a few rows to quarantine stays native (the Lens export); their line numbers are the
plan's count of physical lines, trusted only when the file has no blank line. Kept: the staging
writer and commit, the sha256 of the bytes,
``max_records_per_file``, read = stored + quarantined + skipped.

A plan that says so (``threads``, ``block_bytes``: the Lens export's ``ThreadedPlan``) has its
batches mapped on that many threads while this thread stages the finished ones in file order, so
Arrow's kernels, the Parquet encoder and the hashing (all releasing the GIL) share both cores.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from patentreach.model.schema import INGEST_WARNINGS
from patentreach.sources import limits
from patentreach.sources.native_tables import NativeBatch, NativePlan, NeedsRowReader

if TYPE_CHECKING:
    import pyarrow as pa

    from patentreach.sources.base import Source
    from patentreach.warehouse.arrow_batches import BatchResult
    from patentreach.warehouse.inputs import Input
    from patentreach.warehouse.part_writer import PartWriter

BLOCK_BYTES = 16 * 1024 * 1024
SCAN_BYTES = 8 * 1024 * 1024


class Outcome(Protocol):
    read: int
    stored: int
    quarantined: int
    skipped: int
    warnings: list[str]


def plan_of(source: Source, item: Input, head: bytes) -> NativePlan | None:
    """The reader's native plan for this input, if it has one and the input is a plain file."""
    offer = getattr(source, "native_plan", None)
    if offer is None or item.member is not None or item.recovered is not None:
        return None
    if item.path.suffix.lower() in (".gz", ".zip"):
        return None
    return offer(head, item.path)


def try_native(
    source: Source, item: Input, head: bytes, writer: PartWriter, outcome: Outcome, ingest_id: str,
    advance: object = None,
) -> tuple[str, int] | None:
    """Stage the input's rows natively and return (sha256, size); None leaves it to the reader."""
    plan = plan_of(source, item, head)
    if plan is None:
        return None
    with ThreadPoolExecutor(1) as pool:  # hashing releases the GIL: it runs beside Arrow's reader
        scanning = pool.submit(_hash_and_scan, item.path, advance, plan.binary)
        try:
            counts = _stage(plan, source, item.path, item.label, writer, ingest_id)
            scanned = scanning.result()
            if scanned is None:
                raise NeedsRowReader("a NUL byte or a lone carriage return")
            if counts.judged and scanned[2]:
                raise NeedsRowReader("rows judged one by one in a file with blank lines (their line numbers)")
        except NeedsRowReader:
            scanning.cancel()
            _restart(writer)
            return None
    outcome.read, outcome.stored, outcome.skipped = counts.read, counts.stored, counts.skipped
    outcome.quarantined = counts.quarantined
    outcome.warnings.extend(counts.warnings)
    return scanned[0], scanned[1]


def _hash_and_scan(path: Path, advance: object, binary: bool = False) -> tuple[str, int, bool] | None:
    """(sha256, size, whether a blank line may be there) of the file, or None if it holds a NUL
    byte or a carriage return outside a CRLF pair
    (``csv`` reads lines by ``\\n``, Arrow also ends a row at a lone ``\\r``); a ``binary``
    plan's file (Parquet) is only hashed."""
    digest = hashlib.sha256()
    size = 0
    lone_cr = False
    previous_ends_cr = False
    blank = False
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(SCAN_BYTES):
            digest.update(chunk)
            size += len(chunk)
            if binary:
                if callable(advance):
                    advance(len(chunk))
                continue
            if previous_ends_cr and not chunk.startswith(b"\n"):
                lone_cr = True
            previous_ends_cr = chunk.endswith(b"\r")
            if b"\x00" in chunk:  # never text: the per-row reader quarantines its record
                return None
            if not lone_cr and b"\r" in chunk:
                lone_cr = chunk.count(b"\r") - chunk.count(b"\r\n") - previous_ends_cr > 0
            if not blank:  # an empty line (or one inside a quoted value: counted too, to be safe)
                joined = tail + chunk[:2]
                blank = b"\n\n" in chunk or b"\n\r\n" in chunk or b"\n\n" in joined or b"\n\r\n" in joined
                tail = chunk[-2:]
            if callable(advance):
                advance(len(chunk))
    if lone_cr or previous_ends_cr:
        return None
    return digest.hexdigest(), size, blank


@dataclass(slots=True)
class _Counts:
    read: int = 0
    stored: int = 0
    quarantined: int = 0
    skipped: int = 0
    judged: int = 0  # rows the plan handed to the reader's own parse
    warnings: list[str] = field(default_factory=list)


def _stage(
    plan: NativePlan, source: Source, path: Path, label: str, writer: PartWriter, ingest_id: str
) -> _Counts:
    """Read, map and stage every batch, in file order."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if len(set(plan.columns)) != len(plan.columns) or not plan.columns:
        raise NeedsRowReader("duplicate or missing column names")
    block = plan.block_bytes or BLOCK_BYTES
    read_options = pacsv.ReadOptions(column_names=plan.columns, skip_rows=1, block_size=block)
    parse_options = pacsv.ParseOptions(delimiter=plan.delimiter, quote_char='"', double_quote=True,
                                       newlines_in_values=True, ignore_empty_lines=True)
    convert_options = pacsv.ConvertOptions(column_types=dict.fromkeys(plan.columns, pa.string()),
                                           strings_can_be_null=False, quoted_strings_can_be_null=False)
    counts = _Counts()
    try:
        reader = plan.batches(path) if plan.batches is not None else pacsv.open_csv(
            path, read_options=read_options, parse_options=parse_options, convert_options=convert_options)
        with contextlib.closing(_mapped(plan, reader, label, ingest_id)) as mapped_batches:
            for rows_read, mapped in mapped_batches:
                _store(mapped, rows_read, source, label, ingest_id, writer, counts)
    except pa.ArrowInvalid as exc:  # a wrong number of values, invalid UTF-8, an open quote at the end
        raise NeedsRowReader(str(exc)) from exc
    finally:
        plan.close()
    return counts


def _mapped(plan: NativePlan, reader: Iterable[pa.RecordBatch], label: str,
            ingest_id: str) -> Iterator[tuple[int, NativeBatch]]:
    """(rows read, mapped batch) in file order. A plan with ``threads`` above one has the next
    batches mapped on that many threads while the caller stores this one (Arrow's kernels and
    Parquet's encoder release the GIL); at most ``threads`` batches wait mapped or mapping."""
    max_records = limits.current().max_records_per_file
    threads = plan.threads
    offered = 0

    def counted(batch: pa.RecordBatch) -> int:
        if offered + batch.num_rows > max_records:
            raise limits.LimitExceeded("max_records_per_file", max_records, f"more than {max_records:,} records")
        return offered + batch.num_rows

    if threads <= 1:
        for batch in reader:
            first, offered = offered, counted(batch)
            yield batch.num_rows, plan.map_batch(batch, first, label, ingest_id)
        return
    pending: deque[tuple[int, Future[NativeBatch]]] = deque()
    with ThreadPoolExecutor(threads, thread_name_prefix="native-map") as pool:
        try:
            for batch in reader:
                first, offered = offered, counted(batch)
                pending.append((batch.num_rows, pool.submit(plan.map_batch, batch, first, label, ingest_id)))
                while len(pending) > threads:
                    rows, future = pending.popleft()
                    yield rows, future.result()
            while pending:
                rows, future = pending.popleft()
                yield rows, future.result()
        finally:
            for _, future in pending:
                future.cancel()


def _store(mapped: NativeBatch, rows_read: int, source: Source, label: str, ingest_id: str, writer: PartWriter,
           counts: _Counts) -> None:
    """Stage one mapped batch (its judged rows through the reader's own ``parse``) and count it."""
    tables = dict(mapped.tables)
    warning_rows = _warning_rows(mapped.warnings, label, ingest_id)
    units = getattr(mapped, "units", None)
    if units:
        judged = _parse_rows(source, units, label, ingest_id)
        tables = _merged(tables, judged.tables)
        warning_rows = _merged({"w": warning_rows}, {"w": judged.warning_rows})["w"]
        writer.add("quarantine", judged.quarantine)
        counts.judged += len(units)
        counts.stored += judged.stored
        counts.quarantined += judged.quarantined
        counts.skipped += judged.skipped
        counts.warnings.extend(judged.warnings)
    for table, rows in tables.items():
        writer.add(table, rows)
    writer.add("ingest_warnings", warning_rows)
    counts.warnings.extend(m for _, m in mapped.warnings)
    counts.read += rows_read
    counts.stored += mapped.stored
    counts.skipped += mapped.skipped


def _warning_rows(warnings: list[tuple[int, str]], label: str, ingest_id: str) -> pa.Table:
    import pyarrow as pa

    return pa.table({
        "source_file": [label] * len(warnings), "record_index": pa.array([i for i, _ in warnings], pa.int64()),
        "message": [m for _, m in warnings], "ingest_id": [ingest_id] * len(warnings),
    }, schema=INGEST_WARNINGS)


def _parse_rows(source: Source, units: list, label: str, ingest_id: str) -> BatchResult:
    """The rows a plan left undecided, through the reader's own ``parse`` (as ``ingest`` does);
    a reader that fails on one sends the file to the per-row path, which reports it."""
    from patentreach.warehouse.arrow_batches import collect

    try:
        parsed = [source.parse(unit, label) for unit in units]
    except Exception as exc:
        raise NeedsRowReader(f"the reader failed on a row: {exc}") from exc
    return collect(parsed, label, source.name, ingest_id)


def _merged(native: dict[str, pa.Table], judged: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Each table's native and judged rows in record order. The few judged rows are put between
    slices of the native rows (no copy) where the native rows are already in record order, as a
    plan's are; otherwise both are sorted (a stable sort keeps each record's rows in their order)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out = dict(native)
    for name, rows in judged.items():
        if rows.num_rows == 0:
            continue
        if name not in out or out[name].num_rows == 0:
            out[name] = rows
            continue
        base, rows = out[name], rows.cast(out[name].schema)
        order = base.column("record_index").to_numpy()
        insert = rows.column("record_index").to_numpy()
        if np.all(order[1:] >= order[:-1]) and np.all(insert[1:] >= insert[:-1]):
            cuts = np.searchsorted(order, insert, side="right")
            pieces, start = [], 0
            for j, cut in enumerate(cuts):
                pieces += [base.slice(start, cut - start), rows.slice(j, 1)]
                start = int(cut)
            out[name] = pa.concat_tables([*pieces, base.slice(start)])
            continue
        both = pa.concat_tables([base, rows])
        out[name] = both.take(pc.sort_indices(both, sort_keys=[("record_index", "ascending")]))
    return out


def _restart(writer: PartWriter) -> None:
    """Drop what the native path staged and give the writer back empty, for the per-row reader."""
    writer.reset()
