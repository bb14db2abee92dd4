"""Patent offices by WIPO ST.3 code: which are national, regional or international, and which codes
are historical (SU, DD, CS, YU, AN) but still printed on real documents.

Indicators need this to tell a grant by a regional office (EP, EA, AP, OA, GC) from a national one,
and to accept old codes instead of rejecting them as typos.
"""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.refdata.loader import cached, load_table

KINDS = ("national", "regional", "international")


@dataclass(frozen=True, slots=True)
class Office:
    code: str
    name: str
    kind: str  # national | regional | international
    historical: bool
    acronym: str = ""
    source: str = ""
    checked: str = ""
    verified: str = ""


@cached
def offices() -> dict[str, Office]:
    """Every office, by code."""
    table = {}
    for row in load_table("offices"):
        if row["kind"] not in KINDS:
            raise ValueError(f"offices: {row['code']}: kind {row['kind']!r} not in {KINDS}")
        code = row["code"].strip().upper()
        table[code] = Office(
            code=code,
            name=row.get("name", ""),
            kind=row["kind"],
            historical=row.get("historical", "").lower() in ("yes", "true", "1"),
            acronym=row.get("acronym", ""),
            source=row.get("source", ""),
            checked=row.get("checked", ""),
            verified=row.get("verified", ""),
        )
    return table


def office(code: str) -> Office | None:
    """The office with this ST.3 code, or None."""
    return offices().get(code.strip().upper())


def is_regional(code: str) -> bool:
    found = office(code)
    return found is not None and found.kind == "regional"
