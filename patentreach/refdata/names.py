"""Display names of codes (offices, countries, technology fields and sectors, country groups,
applicant sectors) in a language: what a page, a report or a bulletin prints beside or instead of
the code.

``display_name("office", "EP", "zh")`` -> ``欧洲专利局``: the name of ``names.csv`` in that
language where there is one; otherwise the English name (``names.csv`` rows in ``en``, then the
English tables: offices, countries, technology fields); otherwise the code itself, so a cell is
never empty and an unknown code is still shown as it was given.

``names.csv`` (kind, code, lang, name, source, checked, verified, note) is a reference table like
the others: a user corrects a name through ``PATENTREACH_REFDATA`` without editing the package,
and ``patentreach refdata show names`` lists it. Its country rows are Unicode CLDR's, regenerated
by ``scripts/refdata/build_names.py``; the rest is written by hand (see docs/i18n.md).
"""

from __future__ import annotations

from patentreach.refdata.loader import cached, load_table

KINDS = ("office", "country", "field", "sector", "group", "applicant_sector")
"""``sector`` is the technology sector of a field (``Electrical engineering`` ...);
``applicant_sector`` is harmonisation's sector of an applicant (``company`` ...)."""
LANGUAGES = ("en", "zh")


@cached
def _names() -> dict[tuple[str, str, str], str]:
    """(kind, casefolded code, lang) -> name, from ``names.csv`` after user overrides."""
    return {
        (row["kind"], row["code"].casefold(), row["lang"]): row["name"]
        for row in load_table("names")
        if row["name"]
    }


def _english_table(kind: str, code: str) -> str | None:
    if kind == "office":
        from patentreach.refdata.offices import office

        found = office(code.upper())
        return found.name if found else None
    if kind == "country":
        from patentreach.refdata.countries import country_name

        return country_name(code.upper())
    if kind == "field":
        from patentreach.refdata.technology_fields import technology_fields

        try:
            found = technology_fields().get(int(code))
        except (TypeError, ValueError):
            return None
        return found.name if found else None
    return None


def _lookup(kind: str, code: str, lang: str) -> str | None:
    names = _names()
    key = code.casefold()
    found = names.get((kind, key, lang))
    if found is None and lang != "en":
        found = names.get((kind, key, "en"))
    return found or _english_table(kind, code)


def display_name(kind: str, code: object, lang: str = "en") -> str:
    """The name of ``code`` in ``lang`` (falls back to English, then to the code).

    Field numbers may be given as ints or strings (``3``, ``"03"`` and ``"3"`` are field 3). The
    warehouse's ``sector`` column holds applicant sectors: asked for ``sector`` with such a code,
    the applicant sector's name is returned, since technology sector codes never collide with it.
    """
    if code is None or code == "":
        return ""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of name {kind!r}; choose from {', '.join(KINDS)}")
    text = str(code).strip()
    if kind == "field" and text.isdigit():
        text = str(int(text))
    found = _lookup(kind, text, lang)
    if found is None and kind == "sector":
        found = _lookup("applicant_sector", text, lang)
    return found or text


def names_of(kind: str, lang: str) -> dict[str, str]:
    """Every code of ``kind`` that has a name in ``lang`` (a select box's options, a legend)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of name {kind!r}; choose from {', '.join(KINDS)}")
    return {
        row["code"]: row["name"]
        for row in load_table("names")
        if row["kind"] == kind and row["lang"] == lang and row["name"]
    }
