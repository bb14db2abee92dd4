"""Ingest a delimited table through Arrow's multithreaded CSV reader and SQL, not row by row.

``ingest._read_into`` asks ``try_native`` first. A reader that offers a ``native_plan(head)``
(``sources/native_tables``) for a plain file on disk gets it read here: ``pyarrow.csv`` reads the
file in blocks, every column as text, each batch is mapped by the plan's SQL into the same
warehouse rows the per-row reader stores, and meanwhile a thread hashes the bytes and scans them
for what Arrow and Python's ``csv`` read differently (a NUL byte, a lone carriage return).

Everything else stays with the per-row path, and so does a file as soon as something in it needs
judging row by row (a row to quarantine, invalid UTF-8, a wrong number of values): the staged rows
are dropped and ``try_native`` returns None, so the reader reads the file again, with its own
quarantine reasons and line numbers. Kept: the staging writer and commit, the sha256 of the bytes,
``max_records_per_file``, read = stored + quarantined + skipped.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from patentreach.model.schema import INGEST_WARNINGS
from patentreach.sources import limits
from patentreach.sources.native_tables import NativePlan, NeedsRowReader

if TYPE_CHECKING:
    from patentreach.sources.base import Source
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
        scanning = pool.submit(_hash_and_scan, item.path, advance)
        try:
            counts = _stage(plan, item.path, item.label, writer, ingest_id)
            scanned = scanning.result()
            if scanned is None:
                raise NeedsRowReader("a NUL byte or a lone carriage return")
        except NeedsRowReader:
            scanning.cancel()
            _restart(writer)
            return None
    outcome.read, outcome.stored, outcome.skipped = counts[0], counts[1], counts[2]
    outcome.warnings.extend(counts[3])
    return scanned


def _hash_and_scan(path: Path, advance: object) -> tuple[str, int] | None:
    """(sha256, size) of the file, or None if it holds a NUL byte or a carriage return outside
    a CRLF pair
    (``csv`` reads lines by ``\\n``, Arrow also ends a row at a lone ``\\r``)."""
    digest = hashlib.sha256()
    size = 0
    lone_cr = False
    previous_ends_cr = False
    with open(path, "rb") as handle:
        while chunk := handle.read(SCAN_BYTES):
            digest.update(chunk)
            size += len(chunk)
            if previous_ends_cr and not chunk.startswith(b"\n"):
                lone_cr = True
            previous_ends_cr = chunk.endswith(b"\r")
            if b"\x00" in chunk:  # never text: the per-row reader quarantines its record
                return None
            if not lone_cr and b"\r" in chunk:
                lone_cr = chunk.count(b"\r") - chunk.count(b"\r\n") - previous_ends_cr > 0
            if callable(advance):
                advance(len(chunk))
    if lone_cr or previous_ends_cr:
        return None
    return digest.hexdigest(), size


def _stage(
    plan: NativePlan, path: Path, label: str, writer: PartWriter, ingest_id: str
) -> tuple[int, int, int, list[str]]:
    """Read, map and stage every batch; (read, stored, skipped, warnings)."""
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
    read = stored = skipped = 0
    warnings: list[str] = []
    try:
        reader = pacsv.open_csv(path, read_options=read_options, parse_options=parse_options,
                                convert_options=convert_options)
        for batch in reader:
            if read + batch.num_rows > max_records:
                raise limits.LimitExceeded("max_records_per_file", max_records, f"more than {max_records:,} records")
            mapped = plan.map_batch(batch, read, label, ingest_id)
            for table, rows in mapped.tables.items():
                writer.add(table, rows)
            if mapped.warnings:
                writer.add("ingest_warnings", pa.table({
                    "source_file": [label] * len(mapped.warnings),
                    "record_index": pa.array([i for i, _ in mapped.warnings], pa.int64()),
                    "message": [m for _, m in mapped.warnings], "ingest_id": [ingest_id] * len(mapped.warnings),
                }, schema=INGEST_WARNINGS))
                warnings.extend(m for _, m in mapped.warnings)
            read += batch.num_rows
            stored += mapped.stored
            skipped += mapped.skipped
    except pa.ArrowInvalid as exc:  # a wrong number of values, invalid UTF-8, an open quote at the end
        raise NeedsRowReader(str(exc)) from exc
    finally:
        plan.close()
    return read, stored, skipped, warnings


def _restart(writer: PartWriter) -> None:
    """Drop what the native path staged and give the writer back empty, for the per-row reader."""
    writer.reset()
