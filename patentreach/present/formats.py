"""Numbers, percentages, changes and dates as a language writes them: the one place the web pages
and the bulletin format a figure, so that a page and a printed bulletin never disagree.

Babel (Unicode CLDR) does the locale work: digit grouping, the percent sign, month names. What
is written here is small: when to use CLDR's compact Chinese form (``4.6万``, ``1.23亿``: one
decimal in 万, two in 亿, as CNIPA's reports write counts; English keeps the full figure), and the
sign of a change (``+14.1%``). Empty values (None, "", NaN) format as "" so a missing figure is an empty
cell, never ``nan``.

Every function takes the interface language (``zh`` or ``en``); an unknown language is English.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}
"""The CLDR locale behind each interface language: en_GB writes dates ``31 Dec 2021``."""
WAN = 10_000
YI = 100_000_000


@cache
def locale(lang: str) -> Locale:
    """The Babel locale of an interface language (English for any other value)."""
    return Locale.parse(LOCALES.get(lang, LOCALES["en"]))


def is_empty(value: Any) -> bool:
    """None, "" and NaN: a figure that is not there."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return False


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "#" * digits if digits else "")


def number(value: Any, lang: str, digits: int | None = None, compact: bool = False) -> str:
    """A count or a fractional count: ``46,000``; ``12.5``.

    ``digits`` is the most decimals shown (trailing zeros are dropped); by default a whole number
    has none and a fraction (fractional counting) up to three. ``compact=True`` writes Chinese
    counts in 万 and 亿 as CNIPA's reports do (``4.6万``, ``1.23亿``); English keeps the full figure.
    """
    if is_empty(value):
        return ""
    if isinstance(value, str):
        try:
            value = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return value  # not a number: shown as given rather than failing the page
    if compact and lang == "zh" and abs(value) >= WAN:
        decimals = 2 if abs(value) >= YI else 1
        return format_compact_decimal(value, locale=locale(lang),
                                      fraction_digits=decimals if digits is None else digits)
    if digits is None:
        digits = 0 if float(value) == int(value) else 3
    return format_decimal(value, format=_pattern(digits), locale=locale(lang))


def percent(value: Any, lang: str, digits: int = 1) -> str:
    """A share (0.125) as ``12.5%``: always ``digits`` decimals, so a column of shares aligns."""
    if is_empty(value):
        return ""
    return format_percent(value, format="#,##0." + "0" * digits + "%" if digits else "#,##0%",
                          locale=locale(lang))


def change(value: Any, lang: str, digits: int = 1) -> str:
    """A relative change (0.141) as ``+14.1%``; a fall as ``-3.2%``; no change as ``0.0%``."""
    if is_empty(value):
        return ""
    rounded = round(float(value) * 100, digits)
    if rounded == 0:
        return percent(0, lang, digits)  # not "-0.0%" for a fall too small to show
    text = percent(value, lang, digits)
    return "+" + text if rounded > 0 else text


def day(value: Any, lang: str) -> str:
    """A date as the language writes it: ``2021年12月31日``; ``31 Dec 2021``.

    Accepts a date, a datetime (or pandas Timestamp) or an ISO string (``2021-12-31``, with or
    without a time).
    """
    if is_empty(value):
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value.strip()[:10])
    elif isinstance(value, datetime) or (not isinstance(value, date) and hasattr(value, "date")):
        value = value.date()  # a datetime or a pandas Timestamp
    return format_date(value, format="medium" if lang == "zh" else "d MMM y", locale=locale(lang))
