"""Display names of codes (offices, countries, technology fields, country groups, sectors) in a
language: what a page, a report or a bulletin prints beside or instead of the code.

``display_name("office", "EP", "zh")`` -> the Chinese name where the reference data has one;
otherwise the English name; otherwise the code itself (never an empty cell).

Foundation version: English names from the existing tables. The Chinese names table
(``names.csv``: kind, code, lang, name, source, checked, verified) is added by the web issue.
"""

from __future__ import annotations

KINDS = ("office", "country", "field", "group", "sector")
LANGUAGES = ("en", "zh")


def _english(kind: str, code: str) -> str | None:
    if kind == "office":
        from patentreach.refdata.offices import office

        found = office(code)
        return found.name if found else None
    if kind == "country":
        from patentreach.refdata.countries import country_name

        return country_name(code)
    if kind == "field":
        from patentreach.refdata.technology_fields import technology_fields

        try:
            found = technology_fields().get(int(code))
        except (TypeError, ValueError):
            return None
        return found.name if found else None
    return None


def display_name(kind: str, code: object, lang: str = "en") -> str:
    """The name of ``code`` in ``lang`` (falls back to English, then to the code)."""
    if code is None or code == "":
        return ""
    text = str(code)
    if kind not in KINDS:
        raise ValueError(f"unknown kind of name {kind!r}; choose from {', '.join(KINDS)}")
    return _english(kind, text) or text
