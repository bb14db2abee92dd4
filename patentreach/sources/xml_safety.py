"""XML parsing that cannot be turned against us.

Patent files arrive from outside; a document may declare entities that expand exponentially
("billion laughs") or point at local files or URLs (XXE). The rules here:

* the parser never loads a DTD, never touches the network and never substitutes entities;
* a document whose internal DTD subset declares a parsed entity is rejected before parsing
  (real USPTO, EPO and WIPO files only declare unparsed ``NDATA`` image entities, which are
  harmless and allowed);
* ``huge_tree`` stays off, so libxml2's own depth and size limits apply.
"""

from __future__ import annotations

import re

from lxml import etree

# <!ENTITY name "value"> or <!ENTITY % name SYSTEM "..."> or <!ENTITY name SYSTEM "x" NDATA TIF>
_ENTITY_DECL = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s>]+)\s+([^>]*)>", re.S)
_NDATA = re.compile(rb"\bNDATA\b")


class UnsafeXMLError(ValueError):
    """The document declares entities that a safe reader must not expand or fetch."""


def check_prolog(prolog: bytes) -> None:
    """Raise ``UnsafeXMLError`` if the DTD part before the root element declares a parsed
    entity (internal text entity, external entity or parameter entity)."""
    if b"<!ENTITY" not in prolog:
        return
    for match in _ENTITY_DECL.finditer(prolog):
        is_parameter, name, body = match.groups()
        if is_parameter or not _NDATA.search(body):
            raise UnsafeXMLError(
                f"declares entity {name.decode('ascii', 'replace')!r} in its DTD; entity "
                "declarations are refused (entity expansion and external-entity protection)"
            )


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
