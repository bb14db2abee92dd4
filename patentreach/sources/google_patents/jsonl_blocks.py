"""A JSON Lines file read in blocks by Arrow's JSON reader, each row tied to its file line.

Arrow reads runs of whole lines (``pyarrow.json``, multithreaded C++); a run is trusted only
when its rows are the per-row reader's records one for one: every line that is not empty starts
with ``{`` and ends with ``}`` (an object cannot then span lines, and a line holding two objects
makes more rows than lines), Python's decoder would read it as Arrow does (``_unlike_python``),
and Arrow found as many rows as there are such lines. Lines that fail the checks, and the lines
of a run Arrow cannot read (a damaged line, a value of an unexpected type, a key given twice, a
byte order mark; found by halving the run, ``_read_run``), are handed back as blocks of their
own, for the reader's own ``parse``: their quarantine reasons and line numbers are the per-row
reader's, and the block's other lines stay with Arrow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from patentreach.sources import limits
from patentreach.sources.base import Unit
from patentreach.sources.byte_order_mark import UTF8_BOM
from patentreach.sources.json_nesting import deeper_than

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

BLOCK_BYTES = 8 * 1024 * 1024
MIN_RUN = 8  # records: a run Arrow cannot read is not halved below this
MAX_READS = 24  # Arrow reads per block while looking for the lines it cannot read (a block all of whose
# lines fail costs about four more parses by Arrow, against about ten of the per-row reader)
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


@dataclass(slots=True)
class Block:
    """One block of whole lines: Arrow's rows (None when the block goes row by row), the
    records' first line numbers and byte bounds, and the block's bytes."""

    table: pa.Table | None
    data: bytes
    first_index: int
    lines: np.ndarray  # 1-based file line of each record
    starts: np.ndarray
    ends: np.ndarray  # end of each record's text (before ``\\r\\n``)

    @property
    def count(self) -> int:
        return len(self.lines)

    def part(self, start: int, stop: int) -> Block:
        """Records ``start`` to ``stop`` as a block of their own (no rows read yet)."""
        return Block(None, self.data, self.first_index + start, self.lines[start:stop], self.starts[start:stop],
                     self.ends[start:stop])

    def units(self, rows: np.ndarray) -> list[Unit]:
        """The records at ``rows`` (positions in the block) as the per-row reader cuts them."""
        out = []
        for i in rows:
            raw = self.data[self.starts[i]:self.ends[i]]
            line = int(self.lines[i])
            if line == 1:
                raw = raw.removeprefix(UTF8_BOM)
            out.append(Unit(self.first_index + int(i), line, raw))
        return out


def blocks(path: Path, read: Callable[[bytes], pa.Table],
           block_bytes: int = BLOCK_BYTES) -> Iterator[Block]:
    """The file's blocks of whole lines, read by Arrow (``read``: Arrow's JSON reader with the
    caller's schema, raising ``pyarrow.ArrowInvalid`` where it cannot) where the block passes the
    checks. (Reading
    the next block in a thread while this one is mapped measured no faster on the loaded 2-core
    machine: Arrow's reader already uses both cores.)"""
    first_index = 0
    with open(path, "rb") as handle:
        for data, first_line in _pieces(handle, block_bytes):
            for block in _blocks_of(data, first_line, first_index, read):
                first_index += block.count
                yield block


def _pieces(handle: BinaryIO, block_bytes: int) -> Iterator[tuple[bytes, int]]:
    """(bytes of whole lines, the file line they start on), about ``block_bytes`` at a time."""
    first_line, rest = 1, b""
    while True:
        chunk = handle.read(block_bytes)
        data = rest + chunk
        if chunk:
            cut = data.rfind(b"\n") + 1
            if cut == 0:  # a line longer than the block: read on
                rest = data
                continue
            data, rest = data[:cut], data[cut:]
        elif not data:
            return
        yield data, first_line
        if not chunk:
            return
        first_line += data.count(b"\n")


def _unlike_python(data: bytes, raw: np.ndarray, line_starts: np.ndarray, line_ends: np.ndarray) -> np.ndarray:
    """Per line: whether Python's decoder may read it otherwise than Arrow's: invalid UTF-8
    (Arrow does not check), an escaped lone surrogate, or nesting deeper than the limit (a line
    with fewer brackets than the limit cannot be; the others are measured one by one)."""
    import numpy as np

    odd = np.zeros(len(line_ends), dtype=bool)
    if not data.isascii() and not _valid_utf8(data):  # the damaged path: line by line
        for i, (start, end) in enumerate(zip(line_starts.tolist(), line_ends.tolist(), strict=True)):
            try:
                data[start:end].decode("utf-8")
            except UnicodeDecodeError:
                odd[i] = True
    for match in _SURROGATE.finditer(data):
        odd[np.searchsorted(line_ends, match.start())] = True
    limit = limits.current().max_nesting_depth
    openers = np.flatnonzero((raw == ord("{")) | (raw == ord("[")))  # (faster than reduceat or cumsum)
    per_line = np.bincount(np.searchsorted(line_ends, openers), minlength=len(line_ends) + 1)[:len(line_ends)]
    for i in np.flatnonzero(per_line > limit):
        odd[i] = deeper_than(data[line_starts[i]:line_ends[i]], limit)
    return odd


def _valid_utf8(data: bytes) -> bool:
    """Whether the bytes are UTF-8 as Python's strict decoder reads it, checked by Arrow's
    validator (the same rules: no surrogates, overlong forms or code points past U+10FFFF) without
    building a Python string (a third of the time Arrow takes to parse the block)."""
    import numpy as np
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)]).cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _blocks_of(data: bytes, first_line: int, first_index: int, read: Callable[[bytes], pa.Table]) -> list[Block]:
    """The piece's records as blocks: runs of lines Arrow reads as Python would, each read by
    Arrow (a run Arrow fails is halved until the lines it cannot read are found, ``_read_run``),
    and the other lines as blocks for ``parse``."""
    import numpy as np

    raw = np.frombuffer(data, np.uint8)
    breaks = np.flatnonzero(raw == 10)
    line_ends = breaks if data.endswith(b"\n") else np.append(breaks, len(raw))
    line_starts = np.concatenate(([0], line_ends[:-1] + 1))
    ends = line_ends.copy()
    while True:  # ``rstrip(b"\r\n")``: every carriage return before the line end
        carriage = (ends > line_starts) & (raw[np.maximum(ends - 1, 0)] == 13)
        if not carriage.any():
            break
        ends[carriage] -= 1
    filled = ends > line_starts
    objects = filled & (raw[line_starts] == ord("{")) & (raw[np.maximum(ends - 1, 0)] == ord("}"))
    others = np.flatnonzero(filled & ~objects)  # a line of spaces is blank; any other: not for Arrow
    blank = [i for i in others if not data[line_starts[i]:ends[i]].strip()]
    filled[blank] = False
    keep = np.flatnonzero(filled)
    whole = Block(None, data, first_index, first_line + keep, line_starts[keep], ends[keep])
    if not len(keep):
        return [whole]
    good = (objects & ~_unlike_python(data, raw, line_starts, line_ends))[keep]
    # runs of records that are all good or all not: [start, stop) positions among the records
    cuts = np.flatnonzero(np.diff(good.astype(np.int8))) + 1
    bounds = np.concatenate(([0], cuts, [len(keep)]))
    out: list[Block] = []
    budget = [MAX_READS]
    for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if good[start]:
            out.extend(_read_run(whole, start, stop, read, budget))
        else:
            out.append(whole.part(start, stop))
    return out


def _read_run(whole: Block, start: int, stop: int, read: Callable[[bytes], pa.Table],
              budget: list[int]) -> list[Block]:
    """Records ``start`` to ``stop`` of ``whole`` read by Arrow when it reads them as one row per
    line; otherwise halved and each half tried, down to ``MIN_RUN`` records or until ``budget``
    reads are spent (a densely damaged block goes to ``parse`` at the cost of a few reads)."""
    import pyarrow as pa

    part = whole.part(start, stop)
    budget[0] -= 1
    try:
        table = read(whole.data[int(whole.starts[start]):int(whole.ends[stop - 1])])
        if table.num_rows == stop - start:
            part.table = table
            return [part]
    except pa.ArrowInvalid:
        pass
    if stop - start <= MIN_RUN or budget[0] <= 0:
        return [part]
    middle = (start + stop) // 2
    return _read_run(whole, start, middle, read, budget) + _read_run(whole, middle, stop, read, budget)
