"""Words and numbers in a language: a ``Text`` with its placeholders filled, a ``Ref``'s figure
written per its unit, a table cell per its column's kind.

Numbers are written by ``present.formats`` (the dashboard's own formatting, so a page and the
printed bulletin never disagree): counts ``46,000`` in English; in Chinese sentences
(``Ref.compact``) ``4.6万`` as CNIPA writes them, in tables the full figure ``46,000``. Percent
values are percentages already (``38.2`` prints ``38.2%``); ``percent_change`` gets its sign
(``+14.1%``). Names come from the reference data (``refdata.names.display_name``). The result is
plain text: the templates escape it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from patentreach.present import formats
from patentreach.refdata.names import display_name
from patentreach.report.bulletin.catalogs import gettext
from patentreach.report.bulletin.model import N_, Column, Figure, Name, Ref, Text

NOT_AVAILABLE = N_("not available")
USD = N_("US$%(amount)s")
INTERVAL = N_("%(value)s (%(low)s to %(high)s)")
"""A figure with its confidence interval (column kind ``interval``); the level is the table's note."""
EMPTY_CELL = "\u2013"
"""An en dash: a table cell without a value (shown, never a blank that reads as zero)."""
COUNT_UNITS = {"documents", "families", "enterprises", "patents", "count"}


class Writer:
    """Writes a bulletin's texts, figures and cells in one language."""

    def __init__(self, figures: Iterable[Figure], lang: str, translate: Callable[[str], str] | None = None) -> None:
        self.lang = lang
        self.gettext = translate or gettext(lang)
        self.figures: Mapping[str, Figure] = {figure.key: figure for figure in figures}

    # --- figures -------------------------------------------------------------------------------

    def figure(self, key: str) -> Figure:
        try:
            return self.figures[key]
        except KeyError:
            raise ValueError(f"a sentence or table refers to figure {key!r}, which no section computed") from None

    def value(self, figure: Figure, compact: bool) -> str:
        """``figure``'s value as printed (``not available`` when it has none: said, never blank)."""
        if formats.is_empty(figure.value):
            return self.gettext(NOT_AVAILABLE)
        return self.number(figure.value, figure.unit, compact)

    def number(self, value: Any, unit: str, compact: bool = False) -> str:
        lang = self.lang
        if unit in COUNT_UNITS:
            # a fractional count reads 25.3 in a sentence (tables keep formats' three decimals)
            fraction = compact and float(value) != int(float(value))
            return formats.number(value, lang, digits=1 if fraction else None, compact=compact)
        if unit == "percent":
            return formats.percent(float(value) / 100, lang, 1)
        if unit == "percent_change":
            return formats.change(float(value) / 100, lang, 1)
        if unit == "usd":
            return self.gettext(USD) % {"amount": formats.number(value, lang, compact=compact)}
        if unit == "ratio":
            return formats.number(value, lang, digits=2)
        raise ValueError(f"unknown unit {unit!r}")

    def ref(self, ref: Ref, compact: bool | None = None, interval: bool = False) -> str:
        """The figure of ``ref``; ``interval`` adds a confidence interval when the figure has one."""
        figure = self.figure(ref.key)
        if ref.magnitude and not formats.is_empty(figure.value):
            figure = replace(figure, value=abs(figure.value))
        shown = self.value(figure, ref.compact if compact is None else compact)
        if interval and figure.low is not None and figure.high is not None and not formats.is_empty(figure.value):
            return self.gettext(INTERVAL) % {"value": shown, "low": self.number(figure.low, figure.unit),
                                             "high": self.number(figure.high, figure.unit)}
        return shown

    # --- words ---------------------------------------------------------------------------------

    def text(self, item: Any) -> str:
        """A ``Text`` translated with its placeholders filled (recursively: a parameter may be a
        ``Text``, a ``Ref``, a ``Name``, a str or a number)."""
        if isinstance(item, Text):
            template = self.gettext(item.msgid)
            if not item.params:
                return template
            values = {name: self.text(value) for name, value in item.params.items()}
            try:
                return template % values
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"message {item.msgid!r} ({self.lang}): its placeholders do not match "
                                 f"the parameters {sorted(values)} ({exc})") from None
        if isinstance(item, Ref):
            return self.ref(item)
        if isinstance(item, Name):
            return display_name(item.kind, item.code, self.lang)
        if item is None:
            return ""
        if isinstance(item, bool):
            return str(item)
        if isinstance(item, int):
            return str(item)  # years and ranks: never grouped (2021, not 2,021)
        if isinstance(item, float):
            return formats.number(item, self.lang)
        return str(item)

    # --- tables --------------------------------------------------------------------------------

    def cell(self, column: Column, value: Any) -> str:
        """A table cell per its column's kind (``text``, ``name:<kind>``, ``count``, ``number``,
        ``percent``, ``percent_change``, ``figure``, ``interval``: a figure with its confidence
        interval); tables write full figures, never 4.6万."""
        if isinstance(value, Ref):
            return self.ref(value, compact=False, interval=column.kind == "interval")
        if value is None or (not isinstance(value, Text | Name) and formats.is_empty(value)):
            return EMPTY_CELL
        kind = column.kind
        if kind == "text" or isinstance(value, Text | Name):
            return self.text(value)
        if kind.startswith("name:"):
            return display_name(kind.split(":", 1)[1], value, self.lang)
        if kind in {"count", "number"}:
            return formats.number(value, self.lang)
        if kind in {"percent", "percent_change"}:
            return self.number(value, kind)
        if kind in {"figure", "interval"}:
            raise ValueError(f"column {column.key!r} is of kind {kind!r} but a cell holds {value!r}, not a Ref")
        raise ValueError(f"column {column.key!r}: unknown kind {kind!r}")
