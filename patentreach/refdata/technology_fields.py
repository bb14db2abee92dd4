"""IPC symbol to WIPO's 35 technology fields (Schmoch 2008 concordance, as updated by WIPO).

Most fields are whole IPC subclasses; a few subclasses are split by main group (G01N 33 is field 11,
analysis of biological materials, while the rest of G01N is field 10, measurement; A61K, B01D,
C13B, E01F and H04N are split too). So the symbol is parsed into subclass and main group and
matched exactly: a string prefix would send "G01N 3/00" and "G01N 33/48" to the same place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from patentreach.refdata.loader import cached, load_table, on_reload

# "A01B0007000000": the 14-character canonical form (subclass, 4-digit main group, 6-digit sub).
_CANONICAL = re.compile(r"([A-H]\d\d[A-Z])(\d{4})(\d{6})")
# "G01N 33/48", "G01N33/48", "H04N  19/00", "H04N-019", "A61K   9/16   20060101A I...", "H01L".
_SYMBOL = re.compile(r"([A-H]\d\d[A-Z])(?:[\s-]*(\d{1,4})(?!\d))?")


@dataclass(frozen=True, slots=True)
class TechnologyField:
    number: int
    name: str
    sector: str


@cached
def _index() -> tuple[dict[tuple[str, int | None], int], dict[int, TechnologyField]]:
    index: dict[tuple[str, int | None], int] = {}
    fields: dict[int, TechnologyField] = {}
    for row in load_table("ipc_technology_fields"):
        number = int(row["field"])
        main = int(row["main_group"]) if row.get("main_group") else None
        key = (row["ipc_subclass"].strip().upper(), main)
        if index.get(key, number) != number:
            raise ValueError(f"ipc_technology_fields: {key} is in fields {index[key]} and {number}")
        index[key] = number
        fields.setdefault(number, TechnologyField(number, row["field_name"], row["sector"]))
    return index, fields


def parse_ipc(symbol: str) -> tuple[str, int | None] | None:
    """(subclass, main group or None) of an IPC symbol in any common spelling, or None."""
    text = symbol.strip().upper()
    canonical = _CANONICAL.fullmatch(text)
    if canonical:
        return canonical.group(1), int(canonical.group(2))
    match = _SYMBOL.match(text)
    if match is None:
        return None
    main = match.group(2)
    return match.group(1), int(main) if main else None


@lru_cache(maxsize=262144)
def technology_field(ipc_symbol: str) -> int | None:
    """Field number 1..35 of an IPC symbol; None if unparsable, unmapped, or a split subclass
    given without its main group (e.g. bare "G01N", which spans fields 10 and 11)."""
    parsed = parse_ipc(ipc_symbol)
    if parsed is None:
        return None
    subclass, main = parsed
    index, _ = _index()
    if main is not None and (subclass, main) in index:
        return index[(subclass, main)]
    return index.get((subclass, None))


def technology_fields() -> dict[int, TechnologyField]:
    """The 35 fields with their names and sectors."""
    return dict(sorted(_index()[1].items()))


def field_name(field: int) -> str:
    return _field(field).name


def sector_name(field: int) -> str:
    return _field(field).sector


def _field(field: int) -> TechnologyField:
    try:
        return _index()[1][field]
    except KeyError:
        raise KeyError(f"no technology field {field}; fields are 1..35") from None


on_reload(technology_field.cache_clear)
