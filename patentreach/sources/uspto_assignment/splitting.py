"""Cut a USPTO assignment file into one unit per ``<patent-assignment>``, by byte search.

Unlike the weekly grant files, a daily (``ad20160101.xml``) or annual backfile assignment file is
ONE XML document: a DOCTYPE with an internal DTD subset, the ``us-patent-assignments`` root, and
thousands (backfile: millions) of ``patent-assignment`` elements. The file is read in blocks and
never held whole. The prolog is checked first (``xml_safety.check_prolog``): the real subset
declares only elements and attribute lists and passes; a subset declaring a parsed entity makes
the whole file refused, since its elements could reference the entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources.base import Unit
from patentreach.sources.uspto_common.document import _root_position
from patentreach.sources.xml_safety import UnsafeXMLError, check_prolog

BLOCK_SIZE = 8 * 1024 * 1024
ROOT = re.compile(rb"<us-patent-assignments[\s>]")
_OPEN = re.compile(rb"<patent-assignment[\s>]")
_CLOSE = b"</patent-assignment>"
# How far into the file the root may start (the DTD subset of the real files is about 3 KB).
PROLOG_LIMIT = 1024 * 1024


def _read_prolog(stream: BinaryIO, block_size: int) -> tuple[bytes, int]:
    """The first bytes up to and past the root start tag, and the root's offset."""
    buffer = b""
    while True:
        block = stream.read(block_size)
        buffer += block
        root = _root_position(buffer) if ROOT.search(buffer) else None
        if root is not None:
            check_prolog(buffer[:root])
            return buffer, root
        if not block or len(buffer) > PROLOG_LIMIT:
            raise UnsafeXMLError("no <us-patent-assignments> root element found in the prolog")


def split_assignments(stream: BinaryIO, block_size: int = BLOCK_SIZE) -> Iterator[Unit]:
    buffer, pos = _read_prolog(stream, block_size)
    line, counted = 1, 0  # the line number of buffer[counted]
    index = 0
    eof = False
    while True:
        while (start := _OPEN.search(buffer, pos)) is not None:
            end = buffer.find(_CLOSE, start.end())
            if end < 0:
                break
            end += len(_CLOSE)
            line += buffer.count(b"\n", counted, start.start())
            counted = start.start()
            yield Unit(index=index, line=line, data=buffer[start.start() : end])
            index += 1
            pos = end
        if eof:
            if start is not None:  # never closed: one unit, for parse to quarantine
                line += buffer.count(b"\n", counted, start.start())
                yield Unit(index=index, line=line, data=buffer[start.start() :])
            return
        # Keep from the unfinished element (or the last bytes, where a start tag may be cut).
        keep = start.start() if start is not None else max(pos, len(buffer) - len(_CLOSE))
        line += buffer.count(b"\n", counted, keep)
        buffer, pos, counted = buffer[keep:], 0, 0
        block = stream.read(block_size)
        eof = not block
        buffer += block
