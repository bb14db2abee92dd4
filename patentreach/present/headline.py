"""The headline sentence of an outbound figure, in a language: what the dashboard shows above
its chart and what the bulletin opens with.

    "Granted invention patents obtained in major foreign offices by enterprises from China:
     46,000 in 2021, +14.1% year on year."
    "2021年，中国企业在主要国家和地区获得发明专利授权4.6万件，同比增长14.1%。"

The sentence speaks of the last year of the result and its change on the year before, totalled
over the other cells (offices, fields, routes ...). Every word comes from a message catalog:
the caller passes its ``gettext`` (the web's ``dashboard.po``; English when none is given), and
the names of countries and offices come from the reference data (``refdata.names``). No HTTP here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal

from patentreach.present.formats import number
from patentreach.refdata.names import display_name

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult

Translate = Callable[[str], str]

BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en"}


def N_(message: str) -> str:  # gettext's marker for the catalog extractor
    """Marks a message for the catalog without translating it here."""
    return message


SECTOR_WHO = {
    "company": N_("enterprises"), "university": N_("universities"), "government": N_("government bodies"),
    "hospital": N_("hospitals"), "individual": N_("individuals"), "unknown": N_("applicants of unknown sector"),
}
GROUP_WHERE = {
    "major_offices": N_("major foreign offices"), "ip5": N_("the IP5 offices"),
    "bri": N_("Belt and Road countries"), "epc": N_("EPC member states"),
}
WHAT = {
    ("invention", "grants"): N_("granted invention patents"),
    ("invention", "applications"): N_("invention patent applications"),
    ("utility_model", "grants"): N_("utility models"),
    ("utility_model", "applications"): N_("utility model applications"),
    ("design", "grants"): N_("design registrations"),
    ("design", "applications"): N_("design applications"),
}
WITH_CHANGE = N_("%(What)s obtained in %(where)s by %(who)s: %(count)s in %(year)s, %(change)s.")
WITHOUT_CHANGE = N_("%(What)s obtained in %(where)s by %(who)s: %(count)s in %(year)s.")
TOTAL_ONLY = N_("%(What)s obtained in %(where)s by %(who)s: %(count)s in all years of the selection.")
RISE = N_("+%(pct)s year on year")
FALL = N_("-%(pct)s year on year")
FLAT = N_("unchanged year on year")
LEADER = N_("%(name)s leads the selection with %(count)s.")
NOTHING = N_("Nothing is counted in this selection.")
LIST_SEPARATOR = N_(", ")
WHO_OF = N_("%(sector)s from %(origin)s")
ANY_ORIGIN = N_("all origins")
ANY_SECTOR = N_("applicants")
ANY_OFFICE = N_("all foreign offices")


def _number(value: float, lang: str) -> str:
    """A count as the office writes it in a sentence: 46,000 in English, 4.6万 in Chinese."""
    digits = 0 if float(value).is_integer() else 1
    return number(round(value, digits), lang, compact=True)


def _joined(items: list[str], _: Translate) -> str:
    return _(LIST_SEPARATOR).join(items)


def _who(spec: dict[str, Any], lang: str, _: Translate) -> str:
    origin = _joined([display_name("country", code, lang) for code in spec.get("origin") or []], _) or _(ANY_ORIGIN)
    sector = _joined([_(SECTOR_WHO.get(s, s)) for s in spec.get("sector") or []], _) or _(ANY_SECTOR)
    return _(WHO_OF) % {"sector": sector, "origin": origin}


def _where(spec: dict[str, Any], lang: str, _: Translate) -> str:
    names = [_(GROUP_WHERE[o]) if o in GROUP_WHERE else display_name("group" if len(o) > 2 else "office", o, lang)
             for o in spec.get("offices") or []]
    return _joined(names, _) or _(ANY_OFFICE)


def _what(spec: dict[str, Any], _: Translate) -> str:
    stage = spec.get("stage", "grants")
    return _joined([_(WHAT[(t, stage)]) for t in spec.get("types") or ["invention"]], _)


def yearly_totals(result: IndicatorResult) -> dict[int, float]:
    """The result's counts summed per year over its other cells (empty without a year column)."""
    totals: dict[int, float] = {}
    if "year" not in result.columns:
        return totals
    for row in result.rows:
        if row.get("year") is not None and row.get("count") is not None:
            totals[row["year"]] = totals.get(row["year"], 0) + row["count"]
    return totals


def headline(result: IndicatorResult, lang: str, gettext: Translate | None = None) -> str:
    """The sentence for ``result`` in ``lang``; ``gettext`` translates the catalog's messages.
    By applicant, the first applicant and its count (the top N do not sum to the selection)."""
    _ = gettext or (lambda message: message)
    spec = result.definition
    if not result.rows:
        return _(NOTHING)
    if "entity" in (spec.get("by") or []):  # the top applicants' counts do not add up to a total
        first = min(result.rows, key=lambda row: row.get("entity_rank") or 0)
        return _(LEADER) % {"name": first.get("entity_name") or first.get("entity_id"),
                            "count": _number(first["count"] or 0, lang)}
    what = _what(spec, _)
    values = {"What": what[:1].upper() + what[1:] if lang == "en" else what, "where": _where(spec, lang, _),
              "who": _who(spec, lang, _)}
    totals = yearly_totals(result)
    if not totals:  # no year in the breakdown: the selection's years together
        total = _number(sum(row["count"] or 0 for row in result.rows), lang)
        years = spec.get("years")
        if not years:
            return _(TOTAL_ONLY) % {**values, "count": total}
        span = str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"
        return _(WITHOUT_CHANGE) % {**values, "count": total, "year": span}
    year = max(totals)
    values |= {"year": str(year), "count": _number(totals[year], lang)}
    before = totals.get(year - 1)
    if not before:
        return _(WITHOUT_CHANGE) % values
    change = 100.0 * (totals[year] - before) / before
    pct = format_decimal(round(abs(change), 1), format="#,##0.0", locale=BABEL_LOCALES.get(lang, lang)) + "%"
    if round(change, 1) == 0:
        values["change"] = _(FLAT)
    else:
        values["change"] = _(RISE if change > 0 else FALL) % {"pct": pct}
    return _(WITH_CHANGE) % values
