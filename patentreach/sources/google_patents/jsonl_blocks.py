"""A JSON Lines file read in blocks by Arrow's JSON reader, each row tied to its file line.

Arrow reads a block of whole lines (``pyarrow.json``, multithreaded C++); the block is trusted
only when its rows are the per-row reader's records one for one: every line that is not empty
starts with ``{`` and ends with ``}`` (an object cannot then span lines, and a line holding two
objects makes more rows than lines) and Arrow found as many rows as there are such lines. A block
that fails either check, or that Arrow cannot read (a damaged line, a value of an unexpected
type, a key given twice, a byte order mark), is handed back whole as its lines, for the reader's
own ``parse``: its quarantine reasons and line numbers are the per-row reader's.
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
            block = _block(data, first_line, first_index, read)
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


def _as_python_reads(data: bytes, raw: np.ndarray, line_ends: np.ndarray) -> bool:
    """Whether Python's decoder reads every line of the block as Arrow's does: valid UTF-8 (Arrow
    does not check), no escaped lone surrogate, and no line nested deeper than the limit (a line
    with fewer brackets than the limit cannot be; the others are measured one by one)."""
    import numpy as np

    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if _SURROGATE.search(data):
        return False
    limit = limits.current().max_nesting_depth
    openers = np.flatnonzero((raw == ord("{")) | (raw == ord("[")))
    per_line = np.bincount(np.searchsorted(line_ends, openers), minlength=len(line_ends) + 1)[:len(line_ends)]
    starts = np.concatenate(([0], line_ends[:-1] + 1))
    return not any(deeper_than(data[starts[i]:line_ends[i]], limit) for i in np.flatnonzero(per_line > limit))


def _block(data: bytes, first_line: int, first_index: int, read: Callable[[bytes], pa.Table]) -> Block:
    import numpy as np
    import pyarrow as pa

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
    block = Block(None, data, first_index, first_line + keep, line_starts[keep], ends[keep])
    if not len(keep) or len(others) > len(blank):
        return block
    if not _as_python_reads(data, raw, line_ends):
        return block
    try:
        table = read(data)
    except pa.ArrowInvalid:
        return block
    if table.num_rows == len(keep):
        block.table = table
    return block
