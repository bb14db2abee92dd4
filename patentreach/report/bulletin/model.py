"""What a bulletin section produces, before any language is chosen.

A ``Figure`` is one number the bulletin prints, with its definition and the command that
reproduces it; sentences, tables and notes refer to figures by key (``Ref``) so that the number
printed and the number in ``figures.csv`` are the same object. Words are catalog message ids
(English, ``%(name)s`` placeholders), translated when the bulletin is rendered in a language;
``Name`` is a code whose name comes from the reference data (offices, countries, fields).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

UNITS = ("documents", "families", "enterprises", "patents", "percent", "percent_change", "usd", "count", "ratio")
"""How a figure's value is written: counts are grouped per locale (``46,000``; ``4.6万``), percent
values are already percentages (``38.2`` prints ``38.2%``), ``percent_change`` gets a sign."""


def N_(message: str) -> str:
    """Marks a message for the catalog extractor without translating it here."""
    return message


@dataclass(frozen=True, slots=True)
class Figure:
    """One number the bulletin prints.

    ``key`` is unique in the bulletin (``offices.total.2021``); ``label`` a catalog message saying
    what it counts; ``definition`` the rules behind it (origin rule, date basis, counting unit,
    offices, sector, route, survey design ...: the indicator's own ``definition`` dict);
    ``command`` the ``patentreach`` command that reproduces it, ``records`` the command that lists
    the records behind it, ``dashboard`` the dashboard path (joined with ``--base-url``).
    """

    key: str
    section: str
    value: float | int | None
    unit: str
    label: str
    definition: dict[str, Any]
    command: str
    records: str | None = None
    dashboard: str | None = None
    low: float | None = None
    high: float | None = None
    """A confidence interval's bounds, for survey estimates (same unit as ``value``)."""

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"figure {self.key}: unknown unit {self.unit!r}; choose from {', '.join(UNITS)}")


@dataclass(frozen=True, slots=True)
class Ref:
    """A figure in a sentence or table cell, written per its unit and the language."""

    key: str
    compact: bool = True
    """Chinese counts in 万/亿 (``4.6万``) as the office writes them in sentences; tables use full figures."""
    magnitude: bool = False
    """The figure without its sign, for a sentence whose words say the direction ("down 3.2%",
    同比下降3.2%); figures.csv keeps the signed value."""


@dataclass(frozen=True, slots=True)
class Name:
    """A code named from the reference data: ``Name("office", "US")`` is 美国 / United States."""

    kind: str
    code: str


@dataclass(frozen=True, slots=True)
class Text:
    """A catalog message with its placeholders: values are ``Ref``, ``Name``, ``Text``, str or int."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: ``kind`` says how its cells are written.

    ``text`` as is; ``name:<kind>`` a code named from the reference data (``name:office``);
    ``count``, ``number``, ``percent``, ``percent_change`` per locale; ``figure`` a ``Ref``.
    """

    key: str
    title: str
    kind: str = "text"


@dataclass(slots=True)
class Table:
    key: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[Text] = field(default_factory=list)


ChartSpec = Callable[[str, Callable[[str], str]], "dict[str, Any] | None"]
"""``spec(lang, gettext)``: the Vega-Lite specification of a chart in a language (or None)."""


@dataclass(slots=True)
class Chart:
    key: str
    title: str
    spec: ChartSpec


@dataclass(slots=True)
class Section:
    """One section of the bulletin. ``omitted`` (a message) says why it is left out: the bulletin
    then prints the title and that note instead of failing."""

    name: str
    title: str
    sentences: list[Text] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    omitted: Text | None = None

    def figure(self, key: str) -> Figure:
        for found in self.figures:
            if found.key == key:
                return found
        raise KeyError(f"section {self.name} has no figure {key!r}")


class SectionUnavailable(Exception):
    """Raised by a section builder when its inputs are not there (no survey store, no transfers,
    a warehouse without the offices asked for): the section is printed as omitted, with ``note``."""

    def __init__(self, note: Text) -> None:
        super().__init__(note.msgid % {k: v for k, v in note.params.items()} if note.params else note.msgid)
        self.note = note


@dataclass(slots=True)
class Bulletin:
    """Every section in print order and every figure they print."""

    request: Any
    sections: list[Section]

    @property
    def figures(self) -> list[Figure]:
        return [figure for section in self.sections for figure in section.figures]

    def figure(self, key: str) -> Figure:
        for found in self.figures:
            if found.key == key:
                return found
        raise KeyError(f"the bulletin has no figure {key!r}")
