"""Cut one OPS response into its records, by byte search, without parsing.

An OPS response is one ``ops:world-patent-data`` document holding a list: ``exchange-document``
(biblio and search responses), ``ops:family-member`` (family responses, each possibly holding an
``exchange-document``), ``ops:inquiry-result`` (published equivalents), bare
``ops:publication-reference`` search hits, or an EP Register ``register-document``. Each record is
one unit, wrapped in a copy of the root start tag (which declares the namespaces) so that it
parses on its own. Responses are small (OPS pages at 100 documents), so the stream is read whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from patentreach.sources.base import Unit
from patentreach.sources.xml_safety import check_prolog, declaration_of, one_line

ROOT = re.compile(rb"<((?:[\w.-]+:)?world-patent-data)[\s>]")
# Record elements, most specific container first: a family member holds an exchange-document.
RECORD_KINDS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("family-member", re.compile(rb"<((?:[\w.-]+:)?family-member)[\s>]")),
    ("exchange-document", re.compile(rb"<((?:[\w.-]+:)?exchange-document)[\s>]")),
    ("inquiry-result", re.compile(rb"<((?:[\w.-]+:)?inquiry-result)[\s>]")),
    ("register-document", re.compile(rb"<((?:[\w.-]+:)?register-document)[\s>]")),
    ("search-hit", re.compile(rb"<((?:[\w.-]+:)?search-result)[\s>]")),
)
_SEARCH_HIT = re.compile(rb"<((?:[\w.-]+:)?publication-reference)[\s>]")
_FAMILY = re.compile(rb"<((?:[\w.-]+:)?patent-family)[\s>]")
_LEGAL_FAMILY = re.compile(rb"<(?:[\w.-]+:)?patent-family[^>]*\slegal=\"true\"")


@dataclass(frozen=True, slots=True)
class ResponseShape:
    record: str  # one of RECORD_KINDS, or "" when the response holds no record element
    legal: bool  # a family response with legal events


def shape(data: bytes) -> ResponseShape:
    for name, pattern in RECORD_KINDS:
        if pattern.search(data):
            return ResponseShape(name, bool(_LEGAL_FAMILY.search(data)))
    return ResponseShape("", False)


def _elements(data: bytes, start_pattern: re.Pattern[bytes], begin: int, end: int) -> Iterator[tuple[int, int]]:
    pos = begin
    while (start := start_pattern.search(data, pos, end)) is not None:
        close = b"</" + start.group(1) + b">"
        stop = data.find(close, start.end(), end)
        if stop < 0:
            yield start.start(), end  # never closed: one unit for parse to quarantine
            return
        yield start.start(), stop + len(close)
        pos = stop + len(close)


def _start_tag(data: bytes, pattern: re.Pattern[bytes]) -> tuple[bytes, bytes]:
    """The first start tag matching ``pattern`` and its end tag; empty if there is none."""
    match = pattern.search(data)
    if match is None:
        return b"", b""
    return one_line(data[match.start() : data.find(b">", match.start()) + 1]), b"</" + match.group(1) + b">"


def split_response(stream: BinaryIO) -> Iterator[Unit]:
    data = stream.read()
    root = ROOT.search(data)
    if root is None:
        if data.strip():
            yield Unit(index=0, line=1, data=data)
        return
    check_prolog(data[: root.start()])  # raises UnsafeXMLError: the file is refused
    # Each unit keeps its context: the root (namespace declarations) and, for family members,
    # the ops:patent-family start tag (which says whether the response is a legal one).
    opening, closing = _start_tag(data, ROOT)
    opening = declaration_of(data) + opening  # it says the encoding; it holds no line break
    kind = shape(data)
    if kind.record == "search-hit":
        spans = [
            span
            for container in _elements(data, RECORD_KINDS[-1][1], 0, len(data))
            for span in _elements(data, _SEARCH_HIT, container[0] + 1, container[1])
        ]
    elif kind.record:
        if kind.record == "family-member":
            family_open, family_close = _start_tag(data, _FAMILY)
            opening, closing = opening + family_open, family_close + closing
        spans = list(_elements(data, dict(RECORD_KINDS)[kind.record], 0, len(data)))
    else:
        spans = []
    line, counted = 1, 0
    for index, (begin, end) in enumerate(spans):
        line += data.count(b"\n", counted, begin)
        counted = begin
        yield Unit(index=index, line=line, data=opening + data[begin:end] + closing)
