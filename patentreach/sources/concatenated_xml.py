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
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.model.ingest import QUARANTINE_RAW_LIMIT
from patentreach.sources import limits
from patentreach.sources.base import Quarantined, Unit

DECLARATION = b"<?xml"
_LEADING_SPACE = re.compile(rb"[ \t\n\r\x0b\x0c]*")  # what bytes.strip() removes
BLOCK_SIZE = 8 * 1024 * 1024


def split_documents(
    stream: BinaryIO, block_size: int = BLOCK_SIZE, max_document_bytes: int | None = None
) -> Iterator[Unit]:
    splitter = _Splitter(max_document_bytes or limits.current().max_document_bytes)
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
    def __init__(self, max_document_bytes: int):
        self.limit = max_document_bytes
        self.buffer = bytearray()  # the current document (and what follows it), within the limit
        self.searched = 0  # no declaration after position 0 in buffer[:searched]
        self.oversized: _Oversized | None = None
        self.index = 0
        self.line = 1  # the line buffer[0] (or the oversized document) starts on

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
        self.oversized.absorb(window[len(self.oversized.tail) : max(found, len(self.oversized.tail))])
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
