"""The bulletin's grants abroad by office: the year and the year before, the change, each
office's share, the total in the headline sentence, and the published CNIPA/WIPO figure beside it.

Two ``stats outbound`` definitions: by office and year (the year and the year before: the year's
change is counted from the year before, as the command does) and by year over all years (the
total, its change, and which years the warehouse holds when the bulletin's year has nothing).
"""

from __future__ import annotations

from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Column, Figure, Name, Ref, Section, Table, Text
from patentreach.report.bulletin.sections import outbound_published
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
from patentreach.report.bulletin.sections.outbound_words import change, where

TITLE = N_("Granted invention patents abroad, by office")
OPTIONS = ("published",)

HEADLINE = N_("Granted invention patents obtained in %(where)s by enterprises from %(origin)s: %(count)s in "
              "%(year)s, %(change)s.")
HEADLINE_NO_CHANGE = N_("Granted invention patents obtained in %(where)s by enterprises from %(origin)s: %(count)s "
                        "in %(year)s (none in the year before, so no year-on-year change).")
LEADER = N_("The largest destination was %(office)s, with %(count)s (%(share)s of the total).")

LABEL_TOTAL = N_("Granted invention patents abroad of enterprises, total")
LABEL_YOY = N_("Granted invention patents abroad of enterprises, change on the year before in per cent")
LABEL_OFFICE = N_("Granted invention patents abroad of enterprises, at one office")
LABEL_OFFICE_YOY = N_("Granted invention patents abroad of enterprises at one office, change on the year before in "
                      "per cent")
LABEL_SHARE = N_("Share of an office in the enterprises' granted invention patents abroad, in per cent")

CAPTION = N_("Granted invention patents abroad of enterprises, by office: the year and the year before")
CHART = N_("Granted invention patents abroad of enterprises, by office")
TOTAL = N_("Total")
COLUMNS = {
    "office": N_("Office (country or region)"), "count": N_("Granted patents"),
    "previous": N_("Granted patents, the year before"),
    "yoy": N_("Change on the year before"), "share": N_("Share"), "published": N_("Published figure (CNIPA/WIPO)"),
}


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    check_options("offices", options, OPTIONS)
    outbound_published.check_option(options.get("published"))
    year = ctx.request.year
    specs = {"office": base_spec(ctx, years=(year - 1, year), by=("office", "year")),
             "year": base_spec(ctx, by=("year",))}
    place = where(specs["office"].offices)
    require_year(ctx, run(ctx, {"year": specs["year"]})["year"], place)
    results = run(ctx, specs)
    section = Section("offices", TITLE)
    total = _totals(ctx, section, specs["year"], results["year"])
    rows = _offices(ctx, section, specs["office"], results["office"])
    published = outbound_published.published(ctx, specs["office"], options.get("published"))
    yoy = section.figure(f"offices.yoy.{year}").value if f"offices.yoy.{year}" in _keys(section) else None
    params = {"where": place, "origin": origin_name(ctx), "count": Ref(total.key), "year": str(year)}
    phrase = change(f"offices.yoy.{year}", yoy)
    headline = Text(HEADLINE, params | {"change": phrase}) if phrase else Text(HEADLINE_NO_CHANGE, params)
    section.sentences.append(headline)
    leader = rows[0] if rows else None
    if leader is not None and leader.get("count") is not None:
        section.sentences.append(Text(LEADER, {"office": Name("office", leader["code"]),
                                               "count": Ref(leader["count"].key), "share": leader["share"]}))
    columns = [Column("office", COLUMNS["office"]), Column("count", COLUMNS["count"], "figure"),
               Column("previous", COLUMNS["previous"], "figure"), Column("yoy", COLUMNS["yoy"], "figure"),
               Column("share", COLUMNS["share"], "figure")]
    total_row = {"office": Text(TOTAL), "count": Ref(total.key, compact=False),
                 "previous": _ref(section, f"offices.total.{year - 1}"), "yoy": _ref(section, f"offices.yoy.{year}"),
                 "share": None}
    if published is not None:
        section.notes.extend(published.notes)
        if published.total is not None:
            columns.append(Column("published", COLUMNS["published"], "figure"))
            for row in rows:
                figure = published.by_office.get(row["code"])
                if figure is not None:
                    section.figures.append(figure)
                row["published"] = Ref(figure.key, compact=False) if figure else None
            section.figures.append(published.total)
            total_row["published"] = Ref(published.total.key, compact=False)
            section.sentences.append(published.sentence())
    table_rows = [{k: v for k, v in row.items() if k != "code"} for row in rows]
    section.tables.append(Table("offices", CAPTION, columns, [*table_rows, total_row]))
    chart_rows = [r for r in results["office"].rows if r["year"] == year]
    section.charts.append(bar_chart("offices", CHART, results["office"], chart_rows))
    section.notes.extend(data_notes(results["year"], results["office"]))
    return section


def _keys(section: Section) -> set[str]:
    return {f.key for f in section.figures}


def _ref(section: Section, key: str) -> Ref | None:
    return Ref(key, compact=False) if key in _keys(section) else None


def _totals(ctx: BulletinContext, section: Section, spec: Any, result: Any) -> Figure:
    """The total of the year (and of the year before, and the change) from the by-year result."""
    year = ctx.request.year
    trace = Trace(ctx, spec)
    by_year = {row["year"]: row for row in result.rows}
    this = by_year[year]
    total = trace.figure(f"offices.total.{year}", "offices", this["count"], "documents", LABEL_TOTAL, result,
                         {"year": year})
    section.figures.append(total)
    before = by_year.get(year - 1)
    if before is not None and before["count"]:
        section.figures.append(trace.figure(f"offices.total.{year - 1}", "offices", before["count"], "documents",
                                            LABEL_TOTAL, result, {"year": year - 1}))
    if this.get("yoy_pct") is not None:
        section.figures.append(trace.figure(f"offices.yoy.{year}", "offices", this["yoy_pct"], "percent",
                                            LABEL_YOY, result, {"year": year}))
    return total


def _offices(ctx: BulletinContext, section: Section, spec: Any, result: Any) -> list[dict[str, Any]]:
    """One table row per office counting anything in the year or the year before, largest first;
    every number a figure."""
    year = ctx.request.year
    trace = Trace(ctx, spec)
    cells: dict[str, dict[int, dict[str, Any]]] = {}
    for row in result.rows:
        cells.setdefault(row["office"], {})[row["year"]] = row
    rows = []
    for office, years in cells.items():
        this, before = years.get(year), years.get(year - 1)
        code = office if office is not None else "unknown"
        out: dict[str, Any] = {"code": office, "office": Name("office", office) if office else None,
                               "count": None, "previous": None, "yoy": None, "share": None}
        if this is not None and this["count"]:
            out["count"] = _add(section, trace.figure(f"offices.{code}.{year}", "offices", this["count"], "documents",
                                                      LABEL_OFFICE, result, {"office": office, "year": year}))
            out["share"] = _add(section, trace.figure(f"offices.{code}.share.{year}", "offices",
                                                      percent(this["share"]), "percent", LABEL_SHARE, result,
                                                      {"office": office, "year": year}))
            if this.get("yoy_pct") is not None:
                out["yoy"] = _add(section, trace.figure(f"offices.{code}.yoy.{year}", "offices", this["yoy_pct"],
                                                        "percent", LABEL_OFFICE_YOY, result,
                                                        {"office": office, "year": year}))
        if before is not None and before["count"]:
            out["previous"] = _add(section, trace.figure(f"offices.{code}.{year - 1}", "offices", before["count"],
                                                         "documents", LABEL_OFFICE, result,
                                                         {"office": office, "year": year - 1}))
        rows.append((-(this["count"] if this else 0), -(before["count"] if before else 0), code, out))
    return [out for *_order, out in sorted(rows, key=lambda item: item[:3])]


def _add(section: Section, figure: Figure) -> Ref:
    section.figures.append(figure)
    return Ref(figure.key, compact=False)
