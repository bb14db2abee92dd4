"""Parse one exchange-document unit safely: the prolog checked (``xml_safety``), a reference to any
entity that is neither XML's own, a character reference nor a character name of the fixed table
refused (the unit is quarantined: a literal ``&xxe;`` is never stored), named references made
numeric, a missing ``exch`` namespace declaration repaired (and reported), then namespaces dropped.

``light`` parses with the standard library's C ``ElementTree`` (expat) instead of lxml: its
elements are plain C objects, where lxml makes a Python proxy for each element every time the
mapping looks one up, and dropping the namespaces is a cheap C walk. Expat checks the whole unit
for well-formedness (namespaces included) as libxml2 does; a unit expat refuses is parsed by lxml
exactly as before, so a quarantined unit keeps libxml2's message, and a unit only expat refuses
(an encoding it lacks) is still read. The mapping uses only the API both trees share.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from lxml import etree

from patentreach.sources.docdb.char_entities import is_character_name, replace_named_references
from patentreach.sources.docdb.namespaces import declare_missing_prefixes, local_names, plain_names
from patentreach.sources.file_lines import without_line_mentions
from patentreach.sources.xml_safety import (
    UnsafeXMLError,
    check_prolog,
    parse_bytes,
    refusal_of,
    refused_references,
)


class UnitError(ValueError):
    """The unit cannot be parsed; ``line`` is relative to the unit (1-based) when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(slots=True)
class ParsedXml:
    root: etree._Element
    warnings: list[str] = field(default_factory=list)


def parse_unit(
    data: bytes,
    what: str,
    light: bool = False,
    containers: frozenset[str] = frozenset(),
    unused: frozenset[str] = frozenset(),
) -> ParsedXml:
    """The namespace-free element tree of ``data``; ``what`` names the unit in warnings;
    ``light``: C ``ElementTree`` elements when expat accepts the unit (see the module), whose
    ``unused`` elements keep their descendants' namespaces (``namespaces.plain_names``)."""
    warnings: list[str] = []
    lt = data.find(b"<")
    while lt >= 0 and data[lt + 1 : lt + 2] in (b"?", b"!"):
        lt = data.find(b">", lt) + 1
        lt = data.find(b"<", lt) if lt > 0 else -1
    try:
        check_prolog(data[: max(lt, 0)])
    except UnsafeXMLError as exc:
        raise UnitError(str(exc), line=data.count(b"\n", 0, max(exc.offset, 0)) + 1) from None
    refused, at = refused_references(data[max(lt, 0) :], is_character_name)
    if refused:
        raise UnitError(refusal_of(refused), line=data.count(b"\n", 0, max(lt, 0) + at) + 1)
    data, _ = replace_named_references(data)
    data, repaired = declare_missing_prefixes(data, max(lt, 0))
    if repaired:
        prefixes = ", ".join(f"xmlns:{p.decode()}" for p in repaired)
        warnings.append(
            f"{what}: namespace declaration missing ({prefixes}; a fragment cut from a bulk "
            "file); repaired by declaring it on the first element"
        )
    if light:
        with contextlib.suppress(ElementTree.ParseError):
            return ParsedXml(plain_names(ElementTree.fromstring(data), containers, unused), warnings)  # type: ignore[arg-type]
    try:
        root = parse_bytes(data)
    except etree.XMLSyntaxError as exc:
        raise UnitError(f"not well-formed XML: {without_line_mentions(exc.msg)}", line=exc.lineno,
                        column=exc.position[1] if exc.position else None) from None
    return ParsedXml(local_names(root), warnings)
