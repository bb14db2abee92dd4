"""Parse one exchange-document unit safely: named references made numeric, a missing ``exch``
namespace declaration repaired (and reported), then namespaces dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from patentreach.sources.docdb.char_entities import replace_named_references
from patentreach.sources.docdb.namespaces import declare_missing_prefixes, local_names
from patentreach.sources.xml_safety import UnsafeXMLError, check_prolog, parse_bytes


class UnitError(ValueError):
    """The unit cannot be parsed; ``line`` is relative to the unit (1-based) when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(slots=True)
class ParsedXml:
    root: etree._Element
    warnings: list[str] = field(default_factory=list)


def parse_unit(data: bytes, what: str) -> ParsedXml:
    """The namespace-free element tree of ``data``; ``what`` names the unit in warnings."""
    warnings: list[str] = []
    lt = data.find(b"<")
    while lt >= 0 and data[lt + 1 : lt + 2] in (b"?", b"!"):
        lt = data.find(b">", lt) + 1
        lt = data.find(b"<", lt) if lt > 0 else -1
    try:
        check_prolog(data[: max(lt, 0)])
    except UnsafeXMLError as exc:
        raise UnitError(str(exc), line=1) from None
    data, unknown = replace_named_references(data)
    if unknown:
        warnings.append(f"{what}: unknown character entity names kept as text: {', '.join(unknown)}")
    data, repaired = declare_missing_prefixes(data, max(lt, 0))
    if repaired:
        prefixes = ", ".join(f"xmlns:{p.decode()}" for p in repaired)
        warnings.append(
            f"{what}: namespace declaration missing ({prefixes}; a fragment cut from a bulk "
            "file); repaired by declaring it on the first element"
        )
    try:
        root = parse_bytes(data)
    except etree.XMLSyntaxError as exc:
        raise UnitError(f"not well-formed XML: {exc.msg}", line=exc.lineno) from None
    return ParsedXml(local_names(root), warnings)
