"""Named character entities of old USPTO XML, resolved from a built-in table, never from a DTD.

PATDOC 2.5 grants and pap v1.5/v1.6 applications write ``&ldquo;``, ``&ouml;``, ``&lgr;`` ... and
leave their definition to an external DTD (which includes the ISO 8879 entity sets). A safe parser
loads no DTD, so those references are undefined: lxml would keep them as opaque entity nodes and
lose the character. Instead, before any parsing, each reference in the document body (after the
DOCTYPE, never inside it) is rewritten as the numeric character reference of the same character,
from ``named_entities.csv`` (W3C / ISO 8879 entity sets; rebuilt by
``scripts/sources/build_named_entities.py``). Nothing is expanded recursively and nothing is
fetched: a numeric reference is one character.

A name the table does not know is an error that names the entity, so the document is quarantined
rather than stored with a character silently missing.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("named_entities.csv")

# The five entities XML itself predefines: left as they are.
XML_PREDEFINED = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})

_REFERENCE = re.compile(rb"&([A-Za-z_][\w.-]*);")


class UnknownEntityError(ValueError):
    """The document uses named entities that the built-in table does not define."""

    def __init__(self, names: list[str], line: int | None = None):
        self.names = names
        self.line = line  # 1-based line of the first unknown reference in the document
        self.column: int | None = None
        shown = ", ".join(f"&{n};" for n in names)
        super().__init__(
            f"undefined named entit{'y' if len(names) == 1 else 'ies'} {shown}: not in the built-in "
            "ISO 8879 / W3C table (the external DTD is never loaded)"
        )


@cache
def numeric_references() -> dict[bytes, bytes]:
    """Entity name -> its numeric character reference(s), e.g. ``b"ouml"`` -> ``b"&#x00F6;"``."""
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return {
            row["name"].encode("ascii"): b"".join(
                b"&#x" + cp.encode("ascii") + b";" for cp in row["codepoints"].split()
            )
            for row in csv.DictReader(handle)
        }


def codepoints(name: str) -> str | None:
    """The characters a name stands for (None if unknown): for tests and docs."""
    ref = numeric_references().get(name.encode("ascii"))
    if ref is None:
        return None
    return "".join(chr(int(h, 16)) for h in re.findall(rb"&#x([0-9A-F]+);", ref))


def resolve(document: bytes, body_start: int, declared: frozenset[bytes] = frozenset()) -> bytes:
    """Rewrite named references after ``body_start`` (the root start tag) as numeric ones.

    ``declared`` are names the internal DTD subset declares (unparsed NDATA image entities): they
    are left alone. Raises ``UnknownEntityError`` listing every unknown name at once.
    """
    if document.find(b"&", body_start) < 0:
        return document
    table = numeric_references()
    unknown: list[str] = []
    first_at: list[int] = []

    def replace(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name in XML_PREDEFINED or name in declared:
            return match.group(0)
        ref = table.get(name)
        if ref is None:
            text = name.decode("ascii", "replace")
            if text not in unknown:
                unknown.append(text)
                first_at.append(body_start + match.start())
            return match.group(0)
        return ref

    body = _REFERENCE.sub(replace, document[body_start:])
    if unknown:
        raise UnknownEntityError(unknown, document.count(b"\n", 0, min(first_at)) + 1)
    return document[:body_start] + body


_DECLARED = re.compile(rb"<!ENTITY\s+([^\s%>]+)")


def declared_names(prolog: bytes) -> frozenset[bytes]:
    """Names the internal DTD subset declares (``check_prolog`` has already refused any that is
    not an unparsed NDATA image entity): references to them are not ours to rewrite."""
    return frozenset(_DECLARED.findall(prolog)) if b"<!ENTITY" in prolog else frozenset()


def resolve_document(document: bytes, root_start: int) -> bytes:
    """``resolve`` for a whole document whose root start tag is at ``root_start``: the prolog
    (XML declaration and DOCTYPE) is left untouched, its NDATA names are respected."""
    return resolve(document, root_start, declared_names(document[:root_start]))
