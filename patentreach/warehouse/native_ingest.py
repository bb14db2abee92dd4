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
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from patentreach.model.schema import INGEST_WARNINGS
from patentreach.sources import limits
from patentreach.sources.native_tables import NativePlan, NeedsRowReader

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
        scanning = pool.submit(_hash_and_scan, item.path, advance, getattr(plan, "binary", False))
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
    """Read, map and stage every batch."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if len(set(plan.columns)) != len(plan.columns) or not plan.columns:
        raise NeedsRowReader("duplicate or missing column names")
    read_options = pacsv.ReadOptions(column_names=plan.columns, skip_rows=1, block_size=BLOCK_BYTES)
    parse_options = pacsv.ParseOptions(delimiter=plan.delimiter, quote_char='"', double_quote=True,
                                       newlines_in_values=True, ignore_empty_lines=True)
    convert_options = pacsv.ConvertOptions(column_types=dict.fromkeys(plan.columns, pa.string()),
                                           strings_can_be_null=False, quoted_strings_can_be_null=False)
    max_records = limits.current().max_records_per_file
    counts = _Counts()
    try:
        own = getattr(plan, "batches", None)  # a plan that reads its own batches (JSON Lines)
        reader = own(path) if own is not None else pacsv.open_csv(
            path, read_options=read_options, parse_options=parse_options, convert_options=convert_options)
        for batch in reader:
            if counts.read + batch.num_rows > max_records:
                raise limits.LimitExceeded("max_records_per_file", max_records, f"more than {max_records:,} records")
            mapped = plan.map_batch(batch, counts.read, label, ingest_id)
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
            counts.read += batch.num_rows
            counts.stored += mapped.stored
            counts.skipped += mapped.skipped
    except pa.ArrowInvalid as exc:  # a wrong number of values, invalid UTF-8, an open quote at the end
        raise NeedsRowReader(str(exc)) from exc
    finally:
        plan.close()
    return counts


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
    """Each table's native and judged rows in record order (a stable sort keeps each record's
    rows in their own order)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = dict(native)
    for name, rows in judged.items():
        if rows.num_rows == 0:
            continue
        if name not in out or out[name].num_rows == 0:
            out[name] = rows
            continue
        both = pa.concat_tables([out[name], rows.cast(out[name].schema)])
        out[name] = both.take(pc.sort_indices(both, sort_keys=[("record_index", "ascending")]))
    return out


def _restart(writer: PartWriter) -> None:
    """Drop what the native path staged and give the writer back empty, for the per-row reader."""
    writer.reset()
