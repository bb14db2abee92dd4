"""The bulletin's filing routes: grants abroad obtained by a direct filing at the office, and
through the PCT national phase (Euro-PCT included), with their shares (``stats outbound --by
route``). A grant whose route the source does not record counts under neither and is said."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Column, Ref, Section, Table, Text
from patentreach.report.bulletin.sections.outbound_charts import bar_chart
from patentreach.report.bulletin.sections.outbound_query import (
    Trace,
    base_spec,
    check_options,
    data_notes,
    origin_name,
    percent,
    require_year,
    run,
)
from patentreach.report.bulletin.sections.outbound_words import ROUTES, UNKNOWN_ROUTE, route_name, where

TITLE = N_("Filing routes: direct filing and PCT national phase")
OPTIONS: tuple[str, ...] = ()
ORDER = ("pct", "direct", None)

HEADLINE = N_("In %(year)s, %(pct_share)s of the granted invention patents abroad of enterprises from %(origin)s "
              "came through the PCT national phase (%(pct)s) and %(direct_share)s from direct filings (%(direct)s).")
ONE_ROUTE = N_("In %(year)s, the granted invention patents abroad of enterprises from %(origin)s came through one "
               "route only: %(route)s (%(count)s).")
NO_ROUTE = N_("%(count)s of the grants have no recorded route (the source does not say whether they entered "
              "through the PCT); they count under neither route.")
PCT_RULE = N_("A grant counts as PCT national phase when it claims a PCT application or its source records the "
              "PCT route (Euro-PCT included); every other grant with a known route is a direct filing.")

LABELS = {
    "pct": N_("Granted invention patents abroad of enterprises, through the PCT national phase"),
    "direct": N_("Granted invention patents abroad of enterprises, by direct filing"),
    None: N_("Granted invention patents abroad of enterprises, route not known"),
}
LABELS_SHARE = {
    "pct": N_("Share of the PCT national phase in the enterprises' granted invention patents abroad, in per cent"),
    "direct": N_("Share of direct filings in the enterprises' granted invention patents abroad, in per cent"),
    None: N_("Share of grants without a known route in the enterprises' granted invention patents abroad, in per cent"),
}
CAPTION = N_("Granted invention patents abroad of enterprises, by filing route")
CHART = N_("Granted invention patents abroad of enterprises, by filing route")
COLUMNS = {"route": N_("Route"), "count": N_("Granted patents"), "share": N_("Share")}


def _key(route: str | None) -> str:
    return route or "unknown"


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    check_options("routes", options, OPTIONS)
    year = ctx.request.year
    specs = {"route": base_spec(ctx, years=(year, year), by=("route",)), "year": base_spec(ctx, by=("year",))}
    require_year(ctx, run(ctx, {"year": specs["year"]})["year"], where(specs["route"].offices))
    results = run(ctx, specs)
    result, trace = results["route"], Trace(ctx, specs["route"])
    section = Section("routes", TITLE)
    by_route = {row["route"]: row for row in result.rows if row["count"]}
    rows = []
    for route in ORDER:
        row = by_route.get(route)
        if row is None:
            continue
        count = trace.figure(f"routes.{_key(route)}.{year}", "routes", row["count"], "documents", LABELS[route],
                             result, {"route": route})
        share = trace.figure(f"routes.{_key(route)}.share.{year}", "routes", percent(row["share"]), "percent",
                             LABELS_SHARE[route], result, {"route": route})
        section.figures += [count, share]
        rows.append({"route": route_name(route), "count": Ref(count.key, compact=False),
                     "share": Ref(share.key, compact=False)})
    known = [route for route in ("pct", "direct") if route in by_route]
    params: dict[str, Any] = {"year": str(year), "origin": origin_name(ctx)}
    if len(known) == 2:
        section.sentences.append(Text(HEADLINE, params | {
            "pct_share": Ref(f"routes.pct.share.{year}"), "pct": Ref(f"routes.pct.{year}"),
            "direct_share": Ref(f"routes.direct.share.{year}"), "direct": Ref(f"routes.direct.{year}")}))
    elif known:
        section.sentences.append(Text(ONE_ROUTE, params | {"route": route_name(known[0]),
                                                           "count": Ref(f"routes.{known[0]}.{year}")}))
    section.notes.append(Text(PCT_RULE))
    if None in by_route:
        section.notes.append(Text(NO_ROUTE, {"count": Ref(f"routes.unknown.{year}")}))
    columns = [Column("route", COLUMNS["route"]), Column("count", COLUMNS["count"], "figure"),
               Column("share", COLUMNS["share"], "figure")]
    section.tables.append(Table("routes", CAPTION, columns, rows))
    section.charts.append(bar_chart("routes", CHART, result, [by_route[r] for r in ORDER if r in by_route],
                                    relabel=_relabel))
    section.notes.extend(data_notes(results["year"], result))
    return section


def _relabel(row: dict[str, Any], gettext: Callable[[str], str]) -> dict[str, Any]:
    """The route's name in the chart's language (the reference data names no routes)."""
    row["route"] = gettext(ROUTES.get(row["route"] or "", UNKNOWN_ROUTE))
    return row
