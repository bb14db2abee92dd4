"""Cut the record array of a USPTO ODP JSON response into one raw unit per record, unparsed.

ODP responses and bulk files are one JSON object whose ``patentFileWrapperDataBag`` (or, in the
older shape, ``patentBag``) array holds the applications; a bulk file holds many thousands.
``units`` must be cheap and must not hold the file, so this is a byte scanner, not a JSON
parser: it finds the array, then tracks strings (with escapes) and bracket depth to cut each
element's exact bytes, reading the stream block by block. ``parse`` then decodes one element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources.base import Unit

BLOCK_SIZE = 4 * 1024 * 1024
BAG_KEYS = (b"patentFileWrapperDataBag", b"patentBag")
_BAG = re.compile(rb'"(' + b"|".join(BAG_KEYS) + rb')"\s*:\s*\[')
_STRUCTURE = re.compile(rb'[{}\[\]"]')
_IN_STRING = re.compile(rb'["\\]')
# How far into the file the bag key may start (after "count" and similar header fields).
HEADER_LIMIT = 1024 * 1024


def bag_items(stream: BinaryIO, block_size: int = BLOCK_SIZE) -> Iterator[Unit]:
    """One ``Unit`` per element of the record array: its index, start line and raw bytes.

    A file without the array yields its first bytes as one unit (``parse`` quarantines it); an
    element cut short by the end of the file is yielded as it is (``parse`` quarantines it too).
    """
    buffer = b""
    match = None
    while match is None:
        block = stream.read(block_size)
        buffer += block
        match = _BAG.search(buffer)
        if match is None and (not block or len(buffer) > HEADER_LIMIT):
            yield Unit(index=0, line=1, data=buffer[: 64 * 1024])
            return
    assert match is not None
    pos = match.end()
    line, line_pos = 1 + buffer.count(b"\n", 0, pos), pos
    depth, in_string, start, start_line, index = 0, False, -1, 0, 0
    while True:
        while pos < len(buffer):
            if in_string:
                hit = _IN_STRING.search(buffer, pos)
                if hit is None:
                    pos = len(buffer)
                    break
                at = hit.start()
                if buffer[at] == 0x5C:  # backslash: skip the escaped byte
                    if at + 1 >= len(buffer):
                        pos = at  # the escaped byte is in the next block
                        break
                    pos = at + 2
                    continue
                in_string, pos = False, at + 1
                continue
            hit = _STRUCTURE.search(buffer, pos)
            if hit is None:
                pos = len(buffer)
                break
            at, char = hit.start(), buffer[hit.start()]
            pos = at + 1
            if char == 0x22:  # "
                in_string = True
            elif char in b"{[":
                if depth == 0:
                    start = at
                    line += buffer.count(b"\n", line_pos, at)
                    line_pos, start_line = at, line
                depth += 1
            elif depth == 0:  # the bag's closing bracket
                return
            else:
                depth -= 1
                if depth == 0:
                    yield Unit(index=index, line=start_line, data=buffer[start:pos])
                    index += 1
                    start = -1
        block = stream.read(block_size)
        if not block:
            if start >= 0:
                yield Unit(index=index, line=start_line, data=buffer[start:])
            return
        keep = start if start >= 0 else min(pos, len(buffer))
        if keep > line_pos:
            line += buffer.count(b"\n", line_pos, keep)
            line_pos = keep
        buffer = buffer[keep:] + block
        pos -= keep
        line_pos -= keep
        if start >= 0:
            start -= keep
