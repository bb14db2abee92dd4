"""Cut a DOCDB file into one unit per ``exchange-document``, by byte search, without parsing.

A weekly DOCDB bulk file is one ``exch:exchange-documents`` element holding thousands of
documents and runs to hundreds of megabytes, so it is read in blocks. Files cut from bulk files
hold a single ``exchange-document``, with or without the ``exch:`` prefix and usually without the
prefix's declaration. The elements never nest, so the first matching end tag closes each one.

A document cut from a bulk file loses the namespace declarations of the root it came from; each
unit is therefore wrapped in a copy of that root start tag (and its end tag), so that a document
from a well-formed bulk file parses as it stood. A fragment file has no such root, and its unit is
the fragment itself: ``parse`` repairs it and warns. The copy is put on one line (line breaks
inside a start tag mean a space), after the file's XML declaration (which says the encoding), so
that a line inside the unit is the same line counted from where the document starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources.base import Unit
from patentreach.sources.xml_safety import check_prolog, declaration_of, one_line

BLOCK_SIZE = 8 * 1024 * 1024
_ROOT = re.compile(rb"<((?:[\w.-]+:)?exchange-documents)[\s>]")
_START = re.compile(rb"<((?:[\w.-]+:)?exchange-document)[\s>]")


def split_exchange_documents(stream: BinaryIO, block_size: int = BLOCK_SIZE) -> Iterator[Unit]:
    buffer = b""
    line = 1  # line number of buffer[pos]
    index = 0
    wrapper: tuple[bytes, bytes] | None = None
    prolog_checked = False
    eof = False
    while not eof:
        block = stream.read(block_size)
        eof = not block
        buffer += block
        if not prolog_checked:
            first = _START.search(buffer)
            if first is None and not eof:
                continue
            head_end = first.start() if first else len(buffer)
            check_prolog(buffer[:head_end])  # raises UnsafeXMLError: the file is refused
            root = _ROOT.search(buffer, 0, head_end)
            if root is not None:
                tag_end = buffer.find(b">", root.start()) + 1
                wrapper = (declaration_of(buffer) + one_line(buffer[root.start() : tag_end]),
                           b"</" + root.group(1) + b">")
            prolog_checked = True
        pos = 0
        while (start := _START.search(buffer, pos)) is not None:
            close = b"</" + start.group(1) + b">"
            end = buffer.find(close, start.end())
            if end < 0:
                break
            end += len(close)
            line += buffer.count(b"\n", pos, start.start())
            document = buffer[start.start() : end]
            data = wrapper[0] + document + wrapper[1] if wrapper else document
            yield Unit(index=index, line=line, data=data)
            index += 1
            line += document.count(b"\n")
            pos = end
        if start is None:
            # Nothing open: keep only a tail that may hold the beginning of the next start tag.
            tail = max(pos, len(buffer) - 64)
            line += buffer.count(b"\n", pos, tail)
            pos = tail
        buffer = buffer[pos:]
    start = _START.search(buffer)
    if start is not None:
        # An element that is never closed: one unit, for parse to quarantine.
        line += buffer.count(b"\n", 0, start.start())
        yield Unit(index=index, line=line, data=buffer[start.start() :])
