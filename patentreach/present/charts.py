"""The chart of an outbound figure: a Vega-Lite specification made with Altair, rendered to SVG
by vl-convert (no browser, no JavaScript, no network), so that the dashboard inlines it and the
bulletin prints it.

Lines by year when the result spans several years (one line per value of the other key, e.g. per
office); bars otherwise (e.g. by office for one year). Axis titles are catalog messages in the caller's
language (its ``gettext``), office and country names come from the reference data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from patentreach.refdata.names import display_name

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult

Translate = Callable[[str], str]


def N_(message: str) -> str:  # gettext's marker for the catalog extractor
    return message


KEY_TITLES = {
    "office": N_("Office"), "year": N_("Year"), "origin": N_("Origin"), "field": N_("Technology field"),
    "entity_id": N_("Applicant"), "sector": N_("Sector"), "route": N_("Route"),
    "destination": N_("Destination"), "residence": N_("Residence"),
}
COUNT_TITLE = N_("Count")
NAME_KINDS = {"office": "office", "origin": "country", "field": "field", "sector": "sector"}
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
MAX_SERIES = 12
"""Series beyond this many (the smallest) are left out of a line chart: the table has them all."""


def _label(column: str, value: Any, row: dict[str, Any], lang: str) -> str:
    if value is None:
        return "?"
    if column == "entity_id":
        return str(row.get("entity_name") or value)
    if column in NAME_KINDS:
        return display_name(NAME_KINDS[column], value, lang)
    return str(value)


def _keys(result: IndicatorResult) -> list[str]:
    from patentreach.indicators.counting import KEY_COLUMNS

    return [KEY_COLUMNS[key] for key in result.definition.get("by", []) if KEY_COLUMNS[key] in result.columns]


def chart_spec(result: IndicatorResult, lang: str, gettext: Translate | None = None) -> dict[str, Any] | None:
    """The Vega-Lite specification (a dict) of ``result``, or None when there is nothing to draw."""
    import altair as alt

    _ = gettext or (lambda message: message)
    keys = _keys(result)
    if not result.rows or not keys:
        return None
    series = next((k for k in keys if k != "year"), None)
    totals: dict[tuple[Any, Any], float] = {}
    names: dict[Any, str] = {}
    for row in result.rows:
        label = _label(series, row.get(series), row, lang) if series else ""
        names[row.get(series) if series else None] = label
        cell = (label, row.get("year") if "year" in keys else None)
        totals[cell] = totals.get(cell, 0) + (row.get("count") or 0)
    count_title, series_title = _(COUNT_TITLE), _(KEY_TITLES.get(series or "", "")) if series else ""
    years = {year for _label, year in totals}
    if "year" in keys and len(years) > 1:
        by_series: dict[str, float] = {}
        for (label, _year), value in totals.items():
            by_series[label] = by_series.get(label, 0) + value
        kept = set(sorted(by_series, key=lambda s: -by_series[s])[:MAX_SERIES])
        data = [{"series": s, "year": y, "count": v} for (s, y), v in totals.items() if s in kept]
        # 20 colours: a line per office of a group as large as "major" (12) never shares a colour
        palette = alt.Scale(scheme="category20")
        chart = alt.Chart(alt.Data(values=data)).mark_line(point=True).encode(
            x=alt.X("year:O", title=_(KEY_TITLES["year"]), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=count_title),
            **({"color": alt.Color("series:N", title=series_title, scale=palette)} if series else {}),
        )
    else:
        data = [{"series": s, "count": v} for (s, _year), v in totals.items()]
        chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
            x=alt.X("count:Q", title=count_title),
            y=alt.Y("series:N", title=series_title, sort="-x"),
        )
    chart = chart.properties(width=560, height=260).configure(font=FONT)
    return chart.to_dict()


def chart_svg(result: IndicatorResult, lang: str, gettext: Translate | None = None) -> str:
    """The chart of ``result`` as an SVG document ("" when there is nothing to draw)."""
    import vl_convert

    spec = chart_spec(result, lang, gettext)
    return vl_convert.vegalite_to_svg(spec) if spec is not None else ""
