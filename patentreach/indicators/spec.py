"""The counting rules of an outbound figure, as one frozen, serialisable object.

"Chinese enterprises obtained N invention patents abroad in 2021" means nothing until it says
whose origin (first-named applicant? all applicants, fractionally? inventors?), which date
(grant, filing, priority), which unit (documents or families), which documents, which sector
and which offices. Every switch is a field here; every output carries ``to_dict()`` in its
``definition`` and ``label()`` in its title, so no figure leaves without its rules.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from patentreach.indicators.choices import (
    FIELDS,
    OFFICE_GROUP_ALIASES,
    RESIDENCES,
    ROUTES,
    SECTOR_ALIASES,
    SpecError,
    check_country,
    check_group,
    check_office,
    check_sector,
    unknown,
)

ORIGIN_RULES = {
    "first_applicant": "country of the first-named applicant (WIPO's rule; falls back as the origin table says)",
    "applicants": "countries of all applicants (fractional counting splits a document equally between them)",
    "inventors": "countries of all inventors (fractional counting splits a document equally between them)",
}
COUNTINGS = {
    "whole": "each document (or family) counts 1 in every cell it belongs to",
    "fractional": "each document (or family) counts its origin share, so cells over origins sum to the documents",
}
BASES = {
    "grant": "publication date of the counted document (the grant date for grants)",
    "filing": "filing date of the application",
    "priority": "earliest priority date (the application date when nothing is claimed)",
}
UNITS = {
    "documents": "published documents",
    "families": "DOCDB simple families where known, else one family per application (office + number)",
}
STAGES = {"grants": "granted patents", "applications": "published applications"}
TYPES = {
    "invention": "invention patents",
    "utility_model": "utility models",
    "design": "designs",
}
SCOPES = {
    "abroad": "office other than the origin country's own office (regional offices count as abroad)",
    "non_resident": "origin outside the office's jurisdiction (a regional office's member states are resident)",
    "resident": "origin inside the office's jurisdiction",
    "all": "every office, unknown origins included",
}
BREAKDOWNS = {
    "office": "office that published the document",
    "year": "year of the date basis",
    "origin": "origin country under the origin rule",
    "field": "WIPO technology field (35 fields): the source's own weights where given (PATSTAT tls230), else from "
             "the IPC symbols",
    "entity": "harmonised entity of the origin party",
    "sector": "sector of the origin party (company, university, ...)",
    "route": "direct, or pct (PCT national phase, Euro-PCT included)",
    "destination": "whether the office is in the destination group (else 'other')",
    "residence": "resident or non_resident, as in the scope",
}
FIELD_COUNTINGS = {
    "fractional": "a document is split over its fields by the source's weights where given (PATSTAT tls230), "
                  "else equally over the distinct fields of its IPC symbols",
    "first": "the field of the first IPC symbol",
}
DOC_TYPES = {
    ("invention", "grants"): "invention_grant",
    ("invention", "applications"): "invention_application",
    ("utility_model", "grants"): "utility_model",
    ("utility_model", "applications"): "utility_model",
    ("design", "grants"): "design",
    ("design", "applications"): "design",
}


def _check(name: str, value: str, allowed: dict[str, str]) -> None:
    if value not in allowed:
        raise SpecError(unknown(name, value, allowed))


@dataclass(frozen=True, slots=True)
class OutboundSpec:
    """Every switch of an outbound indicator. Immutable and hashable (a cache key)."""

    origin: tuple[str, ...] = ()
    origin_rule: str = "first_applicant"
    counting: str = "whole"
    basis: str = "grant"
    unit: str = "documents"
    stage: str = "grants"
    types: tuple[str, ...] = ("invention",)
    sector: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    scope: str = "abroad"
    years: tuple[int, int] | None = None
    by: tuple[str, ...] = ("office", "year")
    field_counting: str = "fractional"
    top: int | None = None
    destination_group: str = "bri"

    def __post_init__(self) -> None:
        _check("origin rule", self.origin_rule, ORIGIN_RULES)
        _check("counting", self.counting, COUNTINGS)
        _check("date basis", self.basis, BASES)
        _check("unit", self.unit, UNITS)
        _check("stage", self.stage, STAGES)
        _check("scope", self.scope, SCOPES)
        _check("field counting", self.field_counting, FIELD_COUNTINGS)
        for t in self.types:
            _check("type", t, TYPES)
        for key in self.by:
            _check("breakdown", key, BREAKDOWNS)
        if not self.types:
            raise SpecError("at least one document type is needed")
        if not self.by:
            raise SpecError(f"the breakdown is empty; give at least one of {', '.join(BREAKDOWNS)}")
        if len(set(self.by)) != len(self.by):
            raise SpecError(f"breakdown {self.by}: a key is repeated")
        if self.years is not None and (len(self.years) != 2 or self.years[0] > self.years[1]):
            raise SpecError(f"years {'-'.join(map(str, self.years))}: the first year is after the last "
                            "(write the range as FIRST-LAST, e.g. 2019-2021)")
        if self.top is not None and (self.top < 1 or "entity" not in self.by):
            raise SpecError("top N needs N >= 1 and 'entity' in the breakdown")
        for code in self.origin:
            check_country("origin", code)
        for office in self.offices:
            check_office(office)
        for sector in self.sector:
            check_sector(sector)
        check_group("destination group", self.destination_group)

    # --- derived values ---------------------------------------------------------------------

    def doc_types(self) -> tuple[str, ...]:
        """The model's ``doc_type`` values counted."""
        return tuple(sorted({DOC_TYPES[(t, self.stage)] for t in self.types}))

    def replace(self, **changes: Any) -> OutboundSpec:
        return dataclasses.replace(self, **changes)

    # --- serialisation ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Every switch, JSON-ready (tuples as lists)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutboundSpec:
        known = {f.name for f in dataclasses.fields(cls)}
        extra = set(data) - known
        if extra:
            raise SpecError(f"unknown switches {sorted(extra)}")
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**values)

    def label(self) -> str:
        """One line saying what is counted, for titles and chart captions."""
        who = "+".join(self.origin) + "-origin" if self.origin else "All-origin"
        sector = f" {'/'.join(self.sector)}" if self.sector else ""
        types = "/".join(TYPES[t] for t in self.types)
        what = f"{types} ({STAGES[self.stage]})"
        where = f" at {'+'.join(self.offices)}" if self.offices else ""
        when = ""
        if self.years:
            when = f", {self.years[0]}" if self.years[0] == self.years[1] else f", {self.years[0]}-{self.years[1]}"
        by = f", by {', '.join(self.by)}" if self.by else ""
        return (
            f"{who}{sector} {what}, {self.scope}{where}{when}{by}: {self.unit}, {self.counting} counts, "
            f"origin by {self.origin_rule.replace('_', ' ')}, {self.basis} year"
        )


def describe(spec: OutboundSpec) -> dict[str, str]:
    """What each switch value means, for the output's ``definition``."""
    meanings = {
        "origin_rule": ORIGIN_RULES[spec.origin_rule],
        "counting": COUNTINGS[spec.counting],
        "basis": BASES[spec.basis],
        "unit": UNITS[spec.unit],
        "stage": STAGES[spec.stage],
        "scope": SCOPES[spec.scope],
        "types": "; ".join(TYPES[t] for t in spec.types),
    }
    if "field" in spec.by:
        meanings["field_counting"] = FIELD_COUNTINGS[spec.field_counting]
    for key in spec.by:
        meanings[f"by.{key}"] = BREAKDOWNS[key]
    return meanings


# --- parsing the command line's compact forms ---------------------------------------------------


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``"2021"`` -> (2021, 2021); ``"2019-2021"`` -> (2019, 2021); None/empty -> None."""
    if not text:
        return None
    head, _, tail = text.partition("-")
    try:
        first, last = int(head), int(tail or head)
    except ValueError:
        raise SpecError(f"years {text!r}: expected YYYY or YYYY-YYYY") from None
    return first, last


def parse_list(text: str | None, upper: bool = False) -> tuple[str, ...]:
    """``"US, EP,JP"`` -> ("US", "EP", "JP")."""
    if not text:
        return ()
    items = [item.strip() for item in text.split(",") if item.strip()]
    return tuple(item.upper() if upper else item.lower() for item in items)


def parse_offices(text: str | None) -> tuple[str, ...]:
    """Office codes (``US,EP``) and group names (``major``, ``ip5``, ``bri``), mixed freely."""
    out = []
    for item in parse_list(text):
        item = OFFICE_GROUP_ALIASES.get(item, item)
        out.append(item.upper() if len(item) == 2 else item)
    return tuple(out)


def parse_sectors(text: str | None) -> tuple[str, ...]:
    return tuple(SECTOR_ALIASES.get(s, s) for s in parse_list(text))


@dataclass(frozen=True, slots=True)
class Cell:
    """The keys of one result cell, for drill-down: ``{"office": "US", "year": 2021}``."""

    keys: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, items: list[str]) -> Cell:
        """``["office=US", "year=2021"]`` -> Cell; years and fields become integers. Each value is
        checked like the switch of the same name (an office code, a year, a field 1-35 ...); an
        empty value stands for the cell of unknown values."""
        keys: dict[str, Any] = {}
        for item in items:
            name, sep, value = item.partition("=")
            name, value = name.strip(), value.strip()
            if not sep or name not in BREAKDOWNS:
                raise SpecError(f"cell key {item!r}: expected KEY=VALUE with KEY in {', '.join(BREAKDOWNS)}")
            keys[name] = _cell_value(name, value) if value else None
        return cls(keys)


def _cell_value(name: str, value: str) -> Any:
    """One cell coordinate as the result rows hold it, or ``SpecError``."""
    if name in ("year", "field"):
        try:
            number = int(value)
        except ValueError:
            raise SpecError(f"cell {name}={value!r}: expected a whole number"
                            + (" (a year such as 2021)" if name == "year" else " (a field 1-35)")) from None
        if name == "field" and number not in FIELDS:
            raise SpecError(f"cell field={value!r}: technology fields are numbered 1-35")
        return number
    if name == "office":
        check_office(value.upper(), groups_too=False)
        return value.upper()
    if name == "origin":
        check_country("cell origin", value.upper())
        return value.upper()
    if name == "sector":
        value = SECTOR_ALIASES.get(value.lower(), value.lower())
        check_sector(value)
    elif name == "route" and value not in ROUTES:
        raise SpecError(unknown("cell route", value, ROUTES))
    elif name == "residence" and value not in RESIDENCES:
        raise SpecError(unknown("cell residence", value, RESIDENCES))
    return value
