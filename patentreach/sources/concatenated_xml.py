"""Cut a stream of concatenated XML documents into one unit per document, without parsing.

USPTO weekly files (ipg, ipgb, ipa, pg, pa) are not one XML document: every patent repeats its
``<?xml ...?>`` declaration and DOCTYPE. A weekly file is 500 MB and more, so it is read in
blocks and never held whole; each unit carries the line it starts on, for error messages.
A file that holds a single document without a declaration yields that document as one unit.

Memory is bounded by ``limits.max_document_mb``: a document that grows past it (a broken or
hostile file: a header followed by gigabytes of padding) is not held. The splitter keeps its first
64 KB, counts its lines while skipping to the next declaration, and yields a unit whose ``data`` is
a ``Quarantined`` marker instead of bytes; the warehouse stores that as a quarantined record
without calling the reader, so the file's accounting (read = stored + quarantined + skipped) holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from patentreach.model.ingest import QUARANTINE_RAW_LIMIT
from patentreach.sources import limits
from patentreach.sources.base import Quarantined, Unit

DECLARATION = b"<?xml"
_LEADING_SPACE = re.compile(rb"[ \t\n\r\x0b\x0c]*")  # what bytes.strip() removes
BLOCK_SIZE = 8 * 1024 * 1024


def split_documents(
    stream: BinaryIO,
    block_size: int = BLOCK_SIZE,
    max_document_bytes: int | None = None,
    first_index: int = 0,
    first_line: int = 1,
) -> Iterator[Unit]:
    """The documents of ``stream``; ``first_index`` and ``first_line`` are the record index and
    file line it starts at when it is a byte range of a larger file (see ``declaration_ranges``)."""
    splitter = _Splitter(max_document_bytes or limits.current().max_document_bytes, first_index, first_line)
    while block := stream.read(block_size):
        yield from splitter.feed(block)
    yield from splitter.close()


class _Oversized:
    """A document past the size limit, being skipped: its head, size and line count only."""

    def __init__(self, start: bytes | bytearray):
        self.head = bytes(start[:QUARANTINE_RAW_LIMIT])
        self.size = 0
        self.newlines = 0
        self.tail = b""  # the last bytes seen, so a declaration split across two blocks is found
        self.absorb(start)

    def absorb(self, data: bytes | bytearray) -> None:
        self.size += len(data)
        self.newlines += data.count(b"\n")
        keep = len(DECLARATION) - 1
        self.tail = (self.tail + bytes(data[-keep:]))[-keep:]


class _Splitter:
    def __init__(self, max_document_bytes: int, first_index: int = 0, first_line: int = 1):
        self.limit = max_document_bytes
        self.buffer = bytearray()  # the current document (and what follows it), within the limit
        self.searched = 0  # no declaration after position 0 in buffer[:searched]
        self.oversized: _Oversized | None = None
        self.index = first_index
        self.line = first_line  # the line buffer[0] (or the oversized document) starts on

    def feed(self, block: bytes) -> Iterator[Unit]:
        if self.oversized is not None:
            block = yield from self._skip(block)
            if not block:
                return
        self.buffer += block
        start = 0
        cuts = []
        while True:
            nxt = self.buffer.find(DECLARATION, max(start + 1, self.searched - len(DECLARATION) + 1))
            if nxt < 0:
                break
            cuts.append((start, nxt))
            start = nxt
        with memoryview(self.buffer) as view:  # one copy per document (a slice would make two)
            documents = [bytes(view[a:b]) for a, b in cuts]
        for document in documents:
            yield from self._emit(document)
        del self.buffer[:start]
        self.searched = len(self.buffer)
        if len(self.buffer) > self.limit:
            self.oversized = _Oversized(self.buffer)
            self.buffer = bytearray()
            self.searched = 0

    def _skip(self, block: bytes) -> Iterator[Unit]:
        """Skip an oversized document's bytes up to the next declaration; returns what follows."""
        assert self.oversized is not None
        window = self.oversized.tail + block
        found = window.find(DECLARATION)
        if found < 0:
            self.oversized.absorb(block)
            return b""
        held = len(self.oversized.tail)
        if found < held:  # the declaration began in the bytes already absorbed: not this document's
            self.oversized.size -= held - found
        self.oversized.absorb(window[held : max(found, held)])
        yield self._quarantined(self.oversized)
        self.oversized = None
        return window[found:]

    def close(self) -> Iterator[Unit]:
        if self.oversized is not None:
            yield self._quarantined(self.oversized)
            self.oversized = None
        elif self.buffer.strip():
            yield from self._emit(bytes(self.buffer))
        self.buffer = bytearray()

    def _emit(self, document: bytes) -> Iterator[Unit]:
        if len(document) > self.limit:
            yield self._quarantined(_Oversized(document))
            return
        if document and not document.isspace():  # not .strip(): that copies the whole document
            yield Unit(index=self.index, line=self.line + _leading_newlines(document), data=document)
            self.index += 1
        self.line += document.count(b"\n")

    def _quarantined(self, document: _Oversized) -> Unit:
        line = self.line + _leading_newlines(document.head)
        reason = (
            f"document of {document.size:,} bytes is larger than the limit "
            f"max_document_mb={_in_mb(self.limit)} (lift it with --limit max_document_mb=N)"
        )
        unit = Unit(self.index, line, Quarantined(self.index, line, [reason], document.head))
        self.index += 1
        self.line += document.newlines
        return unit


def _in_mb(n_bytes: int) -> str:
    mb = n_bytes / limits.MB
    return str(int(mb)) if mb == int(mb) else f"{mb:.3g}"


def _leading_newlines(document: bytes) -> int:
    """Lines before the document's first non-blank byte (blank lines between documents)."""
    return document.count(b"\n", 0, _LEADING_SPACE.match(document).end())  # type: ignore[union-attr]


# --- byte ranges for parallel workers ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ByteRange:
    """A run of whole documents of a concatenated file: ``split_documents`` of its bytes, started
    at ``first_index`` and ``first_line``, yields exactly the units the whole file's split yields
    for that stretch (same record indices, same line numbers)."""

    number: int  # 0, 1, ... in file order
    offset: int
    length: int
    first_index: int
    first_line: int
    units: int  # how many units the range holds


def starts_with_declaration(head: bytes) -> bool:
    """True when the content opens (after blank space) with ``<?xml``: then every unit of the
    file starts at a declaration, and ranges cut at declarations count their units exactly."""
    return head[_LEADING_SPACE.match(head).end() :].startswith(DECLARATION)  # type: ignore[union-attr]


def declaration_ranges(
    raw: BinaryIO,
    target_bytes: int,
    block_size: int = BLOCK_SIZE,
    on_block: Callable[[memoryview], object] | None = None,
) -> Iterator[ByteRange]:
    """Cut a concatenated file into ranges of about ``target_bytes``, each starting at a
    ``<?xml`` declaration, reading it once (``readinto`` one reused buffer: memory stays flat in
    the file's size and no block is copied); ``on_block`` sees every block (to hash it).

    Only for content that ``starts_with_declaration``: every unit the splitter yields then starts
    at a declaration (the blank space before the first one is never a unit), so a range's unit
    count is its number of declarations and its first line is one plus the newlines before it.
    The last ``len - 1`` bytes of each block are kept in front of the next one, so a declaration
    cut by a block boundary is found (once: declarations never overlap)."""
    keep = len(DECLARATION) - 1
    buffer = bytearray(block_size + keep)
    view = memoryview(buffer)
    low = keep  # the window is buffer[low:end]: the carried bytes, then the block at buffer[keep:]
    offset = 0  # absolute offset of buffer[keep]
    start, index, line = 0, 0, 1  # the open range
    units = newlines = 0  # counted in the open range so far
    number = 0
    while n := raw.readinto(view[keep:]):
        end = keep + n
        searched = low  # window position up to which declarations are counted
        counted = keep  # block position up to which newlines are counted
        while True:
            at = max(start + target_bytes - offset + keep, searched)
            cut = buffer.find(DECLARATION, at, end) if at < end else -1
            if cut < 0 or offset + cut - keep <= start:
                break
            units += buffer.count(DECLARATION, searched, cut)
            upto = max(cut, keep)
            newlines += buffer.count(b"\n", counted, upto)
            yield ByteRange(number, start, offset + cut - keep - start, index, line, units)
            number += 1
            start, index, line = offset + cut - keep, index + units, line + newlines
            units = newlines = 0
            searched, counted = cut, upto
        units += buffer.count(DECLARATION, searched, end)
        newlines += buffer.count(b"\n", counted, end)
        if on_block is not None:
            on_block(view[keep:end])
        carried = min(keep, end - low)
        buffer[keep - carried : keep] = buffer[end - carried : end]
        low = keep - carried
        offset += n
    view.release()
    if offset > start:
        yield ByteRange(number, start, offset - start, index, line, units)


class RangeReader:
    """``length`` bytes of ``path`` from ``offset``: what a worker reads of its range."""

    def __init__(self, path: str, offset: int, length: int):
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._handle.seek(offset)
        self._left = length

    def read(self, n: int = -1) -> bytes:
        n = self._left if n is None or n < 0 else min(n, self._left)
        data = self._handle.read(n) if n else b""
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> RangeReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
