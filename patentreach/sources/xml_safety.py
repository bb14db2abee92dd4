"""XML parsing that cannot be turned against us.

Patent files arrive from outside; a document may declare entities that expand exponentially
("billion laughs") or point at local files or URLs (XXE). The rules here:

* the parser never loads a DTD, never touches the network and never substitutes entities;
* every ``<!ENTITY`` in the part before the root element is parsed by the XML grammar (quoted
  literals included, so a word inside a literal counts for nothing). The only declaration
  allowed is an *external unparsed* entity: ``<!ENTITY name SYSTEM "uri" NDATA notation>`` or
  ``<!ENTITY name PUBLIC "id" "uri" NDATA notation>`` - the image entities real USPTO files
  declare, which name a file and are never read or expanded. Any other declaration (an internal
  text entity, an external parsed entity, a parameter entity, or anything that does not parse)
  refuses the document;
* a reference ``&name;`` in the document body to anything other than the five entities XML
  predefines (``amp lt gt quot apos``) and character references (``&#NN;``, ``&#xNN;``) refuses
  the document too (``refused_references``); readers whose formats use the named character
  entities of their DTD (``&ouml;``) rewrite those from a fixed table first and refuse the rest;
* ``huge_tree`` stays off, so libxml2's own depth and size limits apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

_DECLARATION = b"<!ENTITY"
_SPACE = rb"[ \t\r\n]"
_NAME = rb"[A-Za-z_:][\w.:-]*"
_LITERAL = rb"(?:\"[^\"]*\"|'[^']*')"
# The grammar of an external unparsed entity declaration (XML 1.0 productions 71-76).
_UNPARSED = re.compile(
    rb"<!ENTITY" + _SPACE + rb"+(" + _NAME + rb")" + _SPACE + rb"+"
    rb"(?:SYSTEM" + _SPACE + rb"*" + _LITERAL
    + rb"|PUBLIC" + _SPACE + rb"*" + _LITERAL + _SPACE + rb"*" + _LITERAL + rb")"
    + _SPACE + rb"+NDATA" + _SPACE + rb"+" + _NAME + _SPACE + rb"*>"
)
_ANY_NAME = re.compile(rb"<!ENTITY" + _SPACE + rb"+(%" + _SPACE + rb"+)?(" + _NAME + rb")")
_REFERENCE = re.compile(rb"&(" + _NAME + rb");")
# A reference to anything but the five predefined entities (``&ampx;`` is refused: the
# look-ahead needs the ``;``).
_REFUSED = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)" + _NAME + rb";")
_XML_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?[ \t\r\n]*(<\?xml[^>]*\?>)")
XML_PREDEFINED = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


class UnsafeXMLError(ValueError):
    """The document declares entities that a safe reader must not expand or fetch; ``offset``
    is where the refused declaration starts in the bytes checked (-1 if unknown)."""

    def __init__(self, message: str, offset: int = -1):
        super().__init__(message)
        self.offset = offset


def check_prolog(prolog: bytes) -> None:
    """Raise ``UnsafeXMLError`` unless every entity declaration before the root element is an
    external unparsed (``NDATA``) entity."""
    pos = prolog.find(_DECLARATION)
    while pos >= 0:
        if _UNPARSED.match(prolog, pos) is None:
            found = _ANY_NAME.match(prolog, pos)
            name = (found.group(2) if found else b"?").decode("ascii", "replace")
            kind = "parameter entity" if found and found.group(1) else "entity"
            raise UnsafeXMLError(
                f"declares {kind} {name!r} in its DTD; only external unparsed entities "
                "(SYSTEM/PUBLIC ... NDATA) are allowed (entity expansion and external-entity protection)",
                offset=pos,
            )
        pos = prolog.find(_DECLARATION, pos + 1)


def declared_unparsed(prolog: bytes) -> frozenset[bytes]:
    """Names of the unparsed entities ``prolog`` declares (after ``check_prolog`` passed)."""
    return frozenset(m.group(1) for m in _UNPARSED.finditer(prolog)) if _DECLARATION in prolog else frozenset()


def _no_character_names(name: bytes) -> bool:
    return False


def refused_references(
    body: bytes, is_character_name: Callable[[bytes], bool] = _no_character_names, pos: int = 0
) -> tuple[list[str], int]:
    """Names referenced as ``&name;`` in ``body[pos:]`` that are neither XML's five predefined
    entities nor accepted by ``is_character_name`` (a fixed character table), and the offset
    (in ``body``) of the first such reference (-1 when there is none).

    Without a character table, one regular-expression search that skips the five predefined
    entities answers for the usual document, which has none (a grant holds dozens of ``&amp;``
    and character references, each a Python match object in the general loop)."""
    if is_character_name is _no_character_names and _REFUSED.search(body, pos) is None:
        return [], -1
    if body.find(b"&", pos) < 0:
        return [], -1
    names: list[str] = []
    first = -1
    for match in _REFERENCE.finditer(body, pos):
        name = match.group(1)
        if name in XML_PREDEFINED or is_character_name(name):
            continue
        text = name.decode("ascii", "replace")
        if text not in names:
            names.append(text)
        if first < 0:
            first = match.start()
    return names, first


def refusal_of(names: list[str]) -> str:
    """The quarantine reason for references ``refused_references`` found."""
    shown = ", ".join(f"&{n};" for n in names)
    return (f"references undeclared entit{'y' if len(names) == 1 else 'ies'} {shown}: only the five XML "
            "entities and character references are read (no DTD is ever loaded)")


def declaration_of(document: bytes) -> bytes:
    """The document's ``<?xml ...?>`` declaration (empty if it has none), to put before a
    fragment parsed on its own: it says the encoding (a grant declared ISO-8859-1 is Latin-1,
    not bad UTF-8). It holds no newline, so the fragment's line numbers do not move."""
    match = _XML_DECLARATION.match(document)
    return match.group(1).replace(b"\r", b" ").replace(b"\n", b" ") if match else b""


def one_line(start_tag: bytes) -> bytes:
    """A start tag copied in front of a cut element, with its line breaks as spaces (the same
    tag for XML: attribute values normalise them), so that the copy moves no line number."""
    return start_tag.replace(b"\r", b" ").replace(b"\n", b" ")


def safe_parser(recover: bool = False) -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and uses no network."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


_PARSER = safe_parser()


def parse_bytes(data: bytes) -> etree._Element:
    """Parse one XML fragment or document safely; raises ``etree.XMLSyntaxError``."""
    return etree.fromstring(data, parser=_PARSER)
