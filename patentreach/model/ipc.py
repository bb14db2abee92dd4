"""One spelling for IPC and CPC symbols, whatever form a source prints.

Sources print the same symbol as split elements (section/class/subclass/main-group/subgroup),
as fixed-width text (``A61K   9/16``, USPTO ``A45F  504``), or compactly (``H04N7/24``). The
canonical form is ``H04L 9/32``: subclass, one space, main group without leading zeros, slash,
subgroup. A bare subclass (``H01L``) stays a subclass.
"""

from __future__ import annotations

import re

_SPACED_OR_COMPACT = re.compile(r"^([A-HY]\d\d[A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})$")
_SUBCLASS_ONLY = re.compile(r"^([A-HY]\d\d[A-Z])$")
# USPTO <classification-ipc><main-classification>: 4-char subclass, 3-char main group, subgroup.
_USPTO_FIXED = re.compile(r"^([A-HY]\d\d[A-Z])([\d ]{3})(\d{2,6})$")


def from_parts(section: str, klass: str, subclass: str, main_group: str, subgroup: str) -> str:
    """Build the canonical symbol from the five elements of an ST.36/ICE ``classification-ipcr``."""
    group = main_group.strip().lstrip("0") or "0"
    sub = subgroup.strip() or "00"
    return f"{section.strip()}{klass.strip().zfill(2)}{subclass.strip()} {group}/{sub}"


def normalise_ipc(text: str | None) -> str | None:
    """Canonical ``H04L 9/32`` from any printed form; None when the text is not a symbol."""
    if not text:
        return None
    raw = text.strip().upper()
    head = raw.split()
    if not head:
        return None
    m = _SPACED_OR_COMPACT.match(raw) or _SPACED_OR_COMPACT.match(_drop_inner_padding(raw))
    if m:
        subclass, group, sub = m.groups()
        return f"{subclass} {group.lstrip('0') or '0'}/{sub}"
    m = _USPTO_FIXED.match(raw)
    if m:
        subclass, group, sub = m.groups()
        group = group.strip().lstrip("0") or "0"
        return f"{subclass} {group}/{sub}"
    m = _SUBCLASS_ONLY.match(raw)
    if m:
        return m.group(1)
    # Fixed-width DOCDB/OPS text carries a date and flags after the symbol: keep the symbol.
    m = re.match(r"^([A-HY]\d\d[A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})\b", raw)
    if m:
        subclass, group, sub = m.groups()
        return f"{subclass} {group.lstrip('0') or '0'}/{sub}"
    return None


def _drop_inner_padding(raw: str) -> str:
    return re.sub(r"\s+", " ", raw)


def subclass_of(symbol: str) -> str:
    """``H04L 9/32`` -> ``H04L``."""
    return symbol[:4]
