"""Cut the ``<doc>`` elements out of the ``<result name="response">`` of a Solr response.

Responses are pages (the API returns at most a few hundred docs), so the stream is read whole.
Facet counts and highlighting that follow the result are not records and are left alone; a doc
never closed becomes one unit, which ``parse`` quarantines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources.base import Unit
from patentreach.sources.xml_safety import check_prolog

RESULT = re.compile(rb'<result\s+name="response"[^>]*>')
_DOC = re.compile(rb"<doc[\s>]")
_DOC_END = b"</doc>"


def split_docs(stream: BinaryIO) -> Iterator[Unit]:
    data = stream.read()
    root = data.find(b"<response")
    check_prolog(data[: max(root, 0)])  # raises UnsafeXMLError: the file is refused
    result = RESULT.search(data)
    if result is None:
        return
    stop = data.find(b"</result>", result.end())
    stop = len(data) if stop < 0 else stop
    pos, index = result.end(), 0
    while (start := _DOC.search(data, pos, stop)) is not None:
        end = data.find(_DOC_END, start.end(), stop)
        end = stop if end < 0 else end + len(_DOC_END)
        yield Unit(index=index, line=1 + data.count(b"\n", 0, start.start()), data=data[start.start() : end])
        index += 1
        pos = end
