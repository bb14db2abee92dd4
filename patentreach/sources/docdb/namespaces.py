"""The exchange namespace in its three real spellings, reduced to plain element names.

The same ``exchange-document`` arrives as ``exch:exchange-document`` with the prefix declared on
the bulk file's root, as a fragment cut from a bulk file that uses ``exch:`` without declaring it
(an XML namespace error: "unbound prefix"), with the prefixes stripped altogether, or (OPS) in the
default namespace. ``declare_missing_prefixes`` repairs the fragment case by declaring the prefix
on the first element, and says so; ``local_names`` then drops every namespace so that one mapping
reads all spellings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from lxml import etree

EXCHANGE_NS = b"http://www.epo.org/exchange"
KNOWN_PREFIXES: dict[bytes, bytes] = {
    b"exch": EXCHANGE_NS,
    b"ops": b"http://ops.epo.org",
    b"xlink": b"http://www.w3.org/1999/xlink",
}
_FIRST_START_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*")


def declare_missing_prefixes(data: bytes, start: int = 0) -> tuple[bytes, list[bytes]]:
    """Declare the known prefixes (``exch``, ``ops``) that ``data`` uses but never declares.

    The declarations are added to the first start tag at or after ``start``; returns the repaired
    bytes and the prefixes that were added (empty when nothing needed repair).
    """
    missing = [
        prefix
        for prefix in sorted(KNOWN_PREFIXES)
        if b"<" + prefix + b":" in data and b"xmlns:" + prefix + b"=" not in data
    ]
    if not missing:
        return data, []
    tag = _FIRST_START_TAG.search(data, start)
    if tag is None:
        return data, []
    declarations = b"".join(b" xmlns:" + prefix + b'="' + KNOWN_PREFIXES[prefix] + b'"' for prefix in missing)
    return data[: tag.end()] + declarations + data[tag.end() :], missing


def local_names(root: etree._Element) -> etree._Element:
    """Drop the namespace of every element (in place) and return the root."""
    for element in root.iter():
        tag = element.tag
        if type(tag) is str and tag[:1] == "{":  # not comments or PIs (their tag is a function)
            element.tag = tag[tag.find("}") + 1 :]  # a string cut, not a QName object per element
    etree.cleanup_namespaces(root)
    return root


def plain_names(
    root: ElementTree.Element, containers: frozenset[str] = frozenset(), unused: frozenset[str] = frozenset()
) -> ElementTree.Element:
    """``local_names`` for the standard library's tree: drop every element's namespace, in place.

    The local name is cut once per distinct tag (a dict lookup per element, not a string cut).
    A reader that never looks inside some elements names them in ``unused``: their own tag is made
    plain, their descendants are left as parsed (DOCDB's cited references and family list are
    about 40% of a document's elements). Such elements are found by walking, one by one, only the
    elements named in ``containers`` (and the root); every other subtree is renamed whole."""
    local: dict[str, str] = {}
    if not unused:
        _plain_subtree(root, local)
        return root
    pending = [root]
    while pending:
        element = pending.pop()
        name = _plain_subtree(element, local, just_this=True)
        if name in containers or element is root:
            pending.extend(element)
        elif name not in unused:
            _plain_subtree(element, local)
    return root


def _plain_subtree(top: ElementTree.Element, local: dict[str, str], just_this: bool = False) -> str:
    """Drop the namespace of ``top`` (only, with ``just_this``) or of its whole subtree, in one
    inline loop (a function call per element would double the cost); returns ``top``'s new tag."""
    for element in (top,) if just_this else top.iter():
        tag = element.tag
        if tag[:1] == "{":
            name = local.get(tag)
            if name is None:
                name = local[tag] = tag[tag.find("}") + 1 :]
            element.tag = name
    return top.tag
