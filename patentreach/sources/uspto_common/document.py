"""One USPTO XML document: its envelope (declaration, DOCTYPE, root), safety checks,
well-formedness, and the bibliographic section the model needs.

Speed comes from not building a tree of the description and claims (90% of a full-text grant):
the whole document is checked for well-formedness by libxml2 with a parser target that has no
event methods (a C tokenizer that builds nothing and calls no Python), and only the root start
tag plus the bibliographic element is parsed into a tree by lxml.
"""

from __future__ import annotations

import contextlib
import pyexpat
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from patentreach.sources.base import Unit
from patentreach.sources.file_lines import in_file, without_line_mentions
from patentreach.sources.xml_safety import (
    UnsafeXMLError,
    check_prolog,
    declaration_of,
    parse_bytes,
    refusal_of,
    refused_references,
)

_DOCTYPE_ROOT = re.compile(rb"<!DOCTYPE\s+([A-Za-z_][\w.-]*)")
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.-]*)[\s>/]")
_DTD_VERSION = re.compile(rb'dtd-version="([^"]*)"')


class DocumentError(ValueError):
    """The document cannot be read; ``line`` is relative to the document (1-based) if known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(slots=True)
class Envelope:
    root: str
    dtd_version: str
    root_start: int  # byte offset of the root start tag


def envelope(document: bytes) -> Envelope:
    """Root element name and dtd-version, found by byte search; checks the DTD for entities."""
    root_pos = _root_position(document)
    if root_pos is None:
        raise DocumentError("no root element found")
    try:
        check_prolog(document[:root_pos])
    except UnsafeXMLError as exc:
        line = document.count(b"\n", 0, exc.offset) + 1 if exc.offset >= 0 else 1
        raise DocumentError(str(exc), line=line) from None
    match = _FIRST_ELEMENT.match(document, root_pos)
    root = match.group(1).decode("ascii") if match else ""
    end_of_tag = document.find(b">", root_pos)
    version = _DTD_VERSION.search(document, root_pos, end_of_tag)
    return Envelope(
        root=root,
        dtd_version=version.group(1).decode("ascii", "replace") if version else "",
        root_start=root_pos,
    )


def _root_position(document: bytes) -> int | None:
    """Offset of the root start tag: the first ``<`` that opens an element, skipping the XML
    declaration, comments, processing instructions and the DOCTYPE (with its internal subset)."""
    pos = 0
    n = len(document)
    while pos < n:
        lt = document.find(b"<", pos)
        if lt < 0 or lt + 1 >= n:
            return None
        nxt = document[lt + 1 : lt + 2]
        if nxt == b"?":
            end = document.find(b"?>", lt)
            pos = end + 2 if end >= 0 else -1
        elif document.startswith(b"<!--", lt):
            end = document.find(b"-->", lt)
            pos = end + 3 if end >= 0 else -1
        elif document.startswith(b"<!DOCTYPE", lt):
            close = document.find(b">", lt)
            # An internal subset opens before the first ">" (searched only that far, not through
            # the whole document when there is none).
            bracket = document.find(b"[", lt, close) if close >= 0 else -1
            if bracket >= 0:
                close = document.find(b"]", bracket)
                close = document.find(b">", close) if close >= 0 else -1
            pos = close + 1 if close >= 0 else -1
        else:
            return lt
        if pos <= lt:  # a declaration, comment or DOCTYPE that never closes: no root
            return None
    return None


def without_trailing_content(unit: Unit, env: Envelope | None = None) -> tuple[Unit, list[str]]:
    """``unit`` cut at the end tag of its root element, and a warning when something followed it.

    Bytes after the root element (garbage appended to the last document of a file, a half-copied
    tail) are not part of any document: a strict parser would refuse the whole, valid document
    for them. They are cut off and reported as a warning naming the file line where they start.
    ``env`` is the document's envelope when the caller has it already (cutting keeps it valid).
    """
    document = unit.data
    if not isinstance(document, bytes):
        return unit, []
    if env is None:
        try:
            env = envelope(document)
        except DocumentError:
            return unit, []
    close = b"</" + env.root.encode("ascii") + b">"
    end = document.rfind(close)
    if end < env.root_start:
        return unit, []
    end += len(close)
    if not document[end:].strip():
        return unit, []
    line = in_file(unit.line, document.count(b"\n", 0, end) + 1)
    where = f" at line {line}" if line is not None else ""
    warning = (f"record {unit.index}: {len(document) - end} bytes after </{env.root}>{where} ignored "
               "(not part of the document)")
    return Unit(unit.index, unit.line, document[:end]), [warning]


def check_references(
    document: bytes, env: Envelope, is_character_name: Callable[[bytes], bool] | None = None
) -> None:
    """Raise ``DocumentError`` (with the line) if the body references an entity other than the
    five XML ones, character references and names ``is_character_name`` accepts. A non-validating
    parser skips such a reference silently, and the text would be stored without it (or with a
    literal ``&xxe;``): the document is quarantined instead."""
    names, at = (
        refused_references(document, pos=env.root_start)
        if is_character_name is None
        else refused_references(document, is_character_name, pos=env.root_start)
    )
    if names:
        raise DocumentError(refusal_of(names), line=document.count(b"\n", 0, at) + 1)


class _NoEvents:
    """A parser target with no ``start``/``end``/``data`` methods: lxml then connects no SAX
    callback, so libxml2 only tokenizes and checks (about twice as fast as expat here)."""

    def close(self) -> None:
        return None


_CHECKER = etree.XMLParser(
    target=_NoEvents(), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
)


def check_well_formed(document: bytes) -> None:
    """Raise ``DocumentError`` with the line if the whole document is not well-formed XML.

    libxml2 checks (no DTD loaded, no entity substituted, its depth and size limits on). The
    rare document it refuses is checked again by expat, whose messages ("mismatched tag at line
    880, column 2") are the ones the quarantine has always recorded; if expat accepts what
    libxml2 refused (a libxml2 limit), libxml2's own message is kept.
    """
    try:
        etree.fromstring(document, _CHECKER)
    except etree.XMLSyntaxError as exc:
        _expat_check(document)
        raise DocumentError(
            f"not well-formed XML: {without_line_mentions(exc.msg)}", line=exc.lineno, column=exc.position[1]
        ) from None


def _expat_check(document: bytes) -> None:
    """expat with no handlers, so no entity is expanded or fetched: an undefined named entity
    from an external DTD is reported as skipped rather than loaded."""
    parser = pyexpat.ParserCreate()
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(document, True)
    except pyexpat.ExpatError as exc:
        message = pyexpat.ErrorString(exc.code)
        raise DocumentError(f"not well-formed XML: {message}", line=exc.lineno, column=exc.offset) from None


def parse_section(
    document: bytes, env: Envelope, section: bytes, omit: tuple[bytes, ...] = (), light: bool = False
) -> etree._Element:
    """Parse the root start tag plus one child element (e.g. ``us-bibliographic-data-grant``)
    as a small document; returns the root element with that one child.

    ``omit`` names sub-elements the model does not use (cited references are often half of a
    grant's bibliographic data); they are cut out by byte search before parsing. The whole
    document has already been checked for well-formedness, so cutting cannot hide an error.

    ``light`` returns the standard library's C ``ElementTree`` element instead of lxml's, for a
    mapping that only uses the API both share (``find``, ``findtext``, ``iterfind``, ``get``,
    ``text``): its elements are plain C objects, where lxml creates a Python proxy for every
    element each time one is looked up, which made mapping a grant three times slower. The
    fragment has no DOCTYPE, so it declares no entity; a fragment expat refuses (an encoding
    it lacks) is parsed by lxml as before.
    """
    start_tag_end = document.find(b">", env.root_start) + 1
    open_tag = b"<" + section
    start = document.find(open_tag, start_tag_end)
    if start < 0:
        raise DocumentError(f"no <{section.decode()}> element")
    close_tag = b"</" + section + b">"
    end = document.find(close_tag, start)
    if end < 0:
        raise DocumentError(f"<{section.decode()}> is not closed")
    body = document[start : end + len(close_tag)]
    for name in omit:
        body = _cut_element(body, name)
    small = (
        declaration_of(document)
        + document[env.root_start : start_tag_end]
        + body
        + b"</"
        + env.root.encode()
        + b">"
    )
    if light:
        with contextlib.suppress(ElementTree.ParseError):
            return ElementTree.fromstring(small)  # type: ignore[return-value]
    try:
        return parse_bytes(small)
    except etree.XMLSyntaxError as exc:
        line = document.count(b"\n", 0, start) + (exc.lineno or 1)
        raise DocumentError(f"not well-formed XML: {without_line_mentions(exc.msg)}", line=line) from None


def _cut_element(body: bytes, name: bytes) -> bytes:
    open_tag = b"<" + name + b">"
    start = body.find(open_tag)
    if start < 0:
        return body
    close_tag = b"</" + name + b">"
    end = body.find(close_tag, start)
    if end < 0:
        return body
    return body[:start] + body[end + len(close_tag) :]


def doctype_root(head: bytes) -> str | None:
    match = _DOCTYPE_ROOT.search(head)
    return match.group(1).decode("ascii") if match else None


def cut_with_envelope(unit: Unit) -> tuple[Unit, list[str], Envelope | None]:
    """``unit`` cut at its root's end tag (``without_trailing_content``), the warnings of the cut,
    and its envelope (None when it has none: the parse that follows reports why): one envelope
    scan serves both the cut and the parse."""
    env = None
    if isinstance(unit.data, bytes):
        with contextlib.suppress(DocumentError):
            env = envelope(unit.data)
    cut, warnings = without_trailing_content(unit, env)
    return cut, warnings, env
