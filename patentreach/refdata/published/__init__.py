"""Published figures to hold the warehouse against, each table with its definition as data.

A published count ("53,770 invention grants abroad of Chinese origin in 2021") is only comparable
with the warehouse's count once it says what it counts: grants or applications, whole or
fractional counts, whose country (first-named applicant, inventors), whether Hong Kong is an
office or part of the origin, which offices, which year (grant, filing). ``tables.csv`` holds that
definition, one row per published table, in the indicators' own vocabulary where one exists
(``measure`` = the spec's stage, ``origin_rule``, ``counting``, ``date_basis``), so that the
closest warehouse definition follows from the data; ``figures.csv`` holds the values, one row per
(table, year, office, origin), ``*`` standing for "all offices" or "all origins" (a published
total row). Both carry ``source``, ``checked`` and ``verified`` like every reference table.

Both are registered in ``loader.TABLES`` (``refdata show published_tables``) and so can be
overridden or extended through ``PATENTREACH_REFDATA`` like every other table; ``stats compare``
reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.refdata.loader import Row, cached, load_table

ALL = "*"
"""The ``office`` or ``origin`` of a published total row."""

MEASURES = ("grants", "applications")
COUNTINGS = ("whole", "fractional")
ORIGIN_RULES = ("first_applicant", "applicants", "inventors")
DATE_BASES = ("grant", "filing", "priority")
HK_TREATMENTS = ("office_overseas", "in_china", "not_known")
SCOPES = ("abroad", "all")
VERIFIED = ("yes", "partly", "NOT VERIFIED")


@dataclass(frozen=True, slots=True)
class PublishedTable:
    """What one published table counts (its definition), and where it comes from."""

    name: str
    title: str
    publisher: str
    scope: str
    measure: str
    types: str
    unit: str
    counting: str
    origin_rule: str
    origin_text: str
    origins: tuple[str, ...]
    applicant_types: str
    hk: str
    hk_text: str
    offices_covered: str
    date_basis: str
    date_text: str
    route_split: bool
    route_text: str
    years: str
    source_url: str
    underlying_source: str
    not_known: str
    source: str
    checked: str
    verified: str
    note: str

    def definition(self) -> dict[str, object]:
        """The definition as JSON-ready data (the published side of ``stats compare --format json``)."""
        return {
            "table": self.name, "title": self.title, "publisher": self.publisher, "scope": self.scope,
            "measure": self.measure,
            "types": self.types, "unit": self.unit, "counting": self.counting, "origin_rule": self.origin_rule,
            "origin": self.origin_text, "origins": list(self.origins), "applicant_types": self.applicant_types,
            "hong_kong": self.hk, "hong_kong_text": self.hk_text, "offices_covered": self.offices_covered,
            "date_basis": self.date_basis, "date": self.date_text, "route_split": self.route_split,
            "route": self.route_text, "years": self.years, "source_url": self.source_url,
            "underlying_source": self.underlying_source, "not_known": self.not_known, "source": self.source,
            "checked": self.checked, "verified": self.verified, "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class PublishedFigure:
    """One published value: ``office``/``origin`` ``*`` is the table's total over offices/origins."""

    table: str
    year: int
    office: str
    origin: str
    value: int
    direct: int | None
    pct_national_phase: int | None
    label: str
    source: str
    checked: str
    verified: str
    note: str


def _choice(row: Row, column: str, allowed: tuple[str, ...], where: str) -> str:
    value = row.get(column, "")
    if value not in allowed:
        raise ValueError(f"{where}: {column} {value!r} is not one of {', '.join(allowed)}")
    return value


def _count(row: Row, column: str, where: str) -> int | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{where}: {column} {text!r} is not a whole number") from None


@cached
def published_tables() -> dict[str, PublishedTable]:
    """Every published table, by name; a row with a value outside the vocabulary is a ``ValueError``."""
    tables = {}
    for row in load_table("published_tables"):
        where = f"published/tables.csv: {row['table']}"
        tables[row["table"]] = PublishedTable(
            name=row["table"], title=row["title"], publisher=row["publisher"],
            scope=_choice(row, "scope", SCOPES, where),
            measure=_choice(row, "measure", MEASURES, where), types=row["types"], unit=row["unit"],
            counting=_choice(row, "counting", COUNTINGS, where),
            origin_rule=_choice(row, "origin_rule", ORIGIN_RULES, where), origin_text=row["origin_text"],
            origins=tuple(code.strip() for code in row["origins"].split(",") if code.strip()),
            applicant_types=row["applicant_types"], hk=_choice(row, "hk", HK_TREATMENTS, where), hk_text=row["hk_text"],
            offices_covered=row["offices_covered"], date_basis=_choice(row, "date_basis", DATE_BASES, where),
            date_text=row["date_text"], route_split=row["route_split"] == "yes", route_text=row["route_text"],
            years=row["years"], source_url=row["source_url"], underlying_source=row["underlying_source"],
            not_known=row["not_known"], source=row["source"], checked=row["checked"],
            verified=_choice(row, "verified", VERIFIED, where), note=row["note"],
        )
    return tables


@cached
def _figures() -> tuple[PublishedFigure, ...]:
    known = published_tables()
    figures = []
    for number, row in enumerate(load_table("published_figures"), start=2):
        where = f"published/figures.csv line {number}"
        if row["table"] not in known:
            raise ValueError(f"{where}: table {row['table']!r} is not in published/tables.csv")
        value = _count(row, "value", where)
        if value is None:
            raise ValueError(f"{where}: value is empty")
        figures.append(PublishedFigure(
            table=row["table"], year=int(row["year"]), office=row["office"], origin=row["origin"], value=value,
            direct=_count(row, "direct", where), pct_national_phase=_count(row, "pct_national_phase", where),
            label=row["label"], source=row["source"], checked=row["checked"],
            verified=_choice(row, "verified", VERIFIED, where), note=row["note"],
        ))
    return tuple(figures)


def table_names() -> list[str]:
    return sorted(published_tables())


def published_table(name: str) -> PublishedTable:
    """The table called ``name``; an unknown name is a ``KeyError`` naming the valid ones."""
    try:
        return published_tables()[name]
    except KeyError:
        raise KeyError(f"published table {name!r} is not known; choose from {', '.join(table_names())}") from None


def figures(name: str) -> tuple[PublishedFigure, ...]:
    """Every value of the table called ``name`` (office rows and total rows)."""
    published_table(name)
    return tuple(figure for figure in _figures() if figure.table == name)
