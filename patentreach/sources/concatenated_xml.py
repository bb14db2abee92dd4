"""Cut a stream of concatenated XML documents into one unit per document, without parsing.

USPTO weekly files (ipg, ipgb, ipa, pg, pa) are not one XML document: every patent repeats its
``<?xml ...?>`` declaration and DOCTYPE. A weekly file is 500 MB and more, so it is read in
blocks and never held whole; each unit carries the line it starts on, for error messages.
A file that holds a single document without a declaration yields that document as one unit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources.base import Unit

DECLARATION = b"<?xml"
BLOCK_SIZE = 8 * 1024 * 1024


def split_documents(stream: BinaryIO, block_size: int = BLOCK_SIZE) -> Iterator[Unit]:
    buffer = b""
    index = 0
    line = 1
    while True:
        block = stream.read(block_size)
        if block:
            buffer += block
        # Every declaration after position 0 starts the next document.
        start = 0
        while True:
            nxt = buffer.find(DECLARATION, start + 1)
            if nxt < 0:
                break
            document = buffer[start:nxt]
            if document.strip():
                yield Unit(index=index, line=line + _leading_newlines(document), data=document)
                index += 1
            line += document.count(b"\n")
            start = nxt
        buffer = buffer[start:]
        if not block:
            break
    if buffer.strip():
        yield Unit(index=index, line=line + _leading_newlines(buffer), data=buffer)


def _leading_newlines(document: bytes) -> int:
    """Lines before the document's first non-blank byte (blank lines between documents)."""
    stripped = document.lstrip()
    return document[: len(document) - len(stripped)].count(b"\n")
