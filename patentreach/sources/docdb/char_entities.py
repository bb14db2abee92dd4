"""Named character references (``&ccaron;``, ``&ndash;``) in EPO files, made parseable without a DTD.

DOCDB and EP publication files use ISO/HTML character entity names that only their external DTD
(``docdb-entities.dtd``, ``ep-patent-document-v1-5.dtd``) declares. We never load a DTD, and a
document without one is not well-formed when it uses such a name. Each name is therefore replaced,
before parsing, by a numeric character reference taken from Python's fixed HTML5 table: a lexical
substitution of one character, never an expansion of document-defined text, so neither entity
bombs nor external fetches are possible. DOCDB prints some names in capitals (``&SACUTE;`` for
``Ś``); those are looked up with the HTML5 capitalisation. A name that is still unknown is not a
character: the readers refuse the document before this substitution (``xml_safety``), so it is
quarantined, never stored with a literal ``&name;``.
"""

from __future__ import annotations

import html.entities
import re
from functools import lru_cache

_REFERENCE = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")
_XML_PREDEFINED = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


@lru_cache(maxsize=4096)
def _character(name: str) -> str | None:
    """The character(s) an entity name stands for; remembered (a document repeats a few names
    hundreds of times, and each unknown spelling was up to three table lookups)."""
    table = html.entities.html5
    for candidate in (name, name[:1].upper() + name[1:].lower(), name.lower()):
        found = table.get(candidate + ";")
        if found is not None:
            return found
    return None


@lru_cache(maxsize=4096)
def is_character_name(name: bytes) -> bool:
    """True when ``name`` is a character entity name of the fixed table (``ccaron``, ``SACUTE``)."""
    return _character(name.decode("ascii", "replace")) is not None


def replace_named_references(data: bytes) -> tuple[bytes, list[str]]:
    """``data`` with every non-XML named reference turned into ``&#xNNNN;``; the unknown names."""
    if b"&" not in data:
        return data, []
    unknown: list[str] = []

    def substitute(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name in _XML_PREDEFINED:
            return match.group(0)
        text = _character(name.decode("ascii"))
        if text is None:
            unknown.append(name.decode("ascii"))
            return b"&amp;" + name + b";"
        return "".join(f"&#x{ord(ch):X};" for ch in text).encode("ascii")

    return _REFERENCE.sub(substitute, data), sorted(set(unknown))
