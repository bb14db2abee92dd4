"""The bulletin's grants abroad by WIPO technology field: the top N fields of the year (option
``top``, default 10) with their share, and a chart.

``stats outbound --by field`` splits a grant over the fields of its IPC symbols (the source's
weights where given), so a field's count may have decimals and the 35 fields sum to the grants
that have a field; grants without an IPC symbol count under no field, and the section says how
many. Field names come from the reference data in both languages (``Name("field", n)``).
"""

from __future__ import annotations

from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Column, Name, Ref, Section, Table, Text
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
    top_option,
)
from patentreach.report.bulletin.sections.outbound_words import where

TITLE = N_("Granted invention patents abroad, by technology field")
OPTIONS = ("top",)

HEADLINE = N_("In %(year)s, the technology field with the most granted invention patents abroad of enterprises "
              "from %(origin)s was %(field)s: %(count)s, %(share)s of the total.")
SPLIT = N_("A grant whose IPC symbols fall in several technology fields is split between them (the source's "
           "weights where it gives them, else equally), so field counts may have decimals; the fields shown are "
           "the %(top)s largest of the 35 WIPO fields.")
NO_FIELD = N_("%(count)s of the grants have no IPC symbol and so no technology field; they are not in the table.")

LABEL = N_("Granted invention patents abroad of enterprises, in one technology field")
LABEL_SHARE = N_("Share of a technology field in the enterprises' granted invention patents abroad, in per cent")
LABEL_NO_FIELD = N_("Granted invention patents abroad of enterprises without a technology field")
CAPTION = N_("Granted invention patents abroad of enterprises: the largest technology fields")
CHART = N_("Granted invention patents abroad of enterprises, by technology field")
COLUMNS = {"rank": N_("Rank"), "field": N_("Technology field"), "count": N_("Granted patents"), "share": N_("Share")}


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    check_options("fields", options, OPTIONS)
    top = top_option("fields", options)
    year = ctx.request.year
    specs = {"field": base_spec(ctx, years=(year, year), by=("field",)), "year": base_spec(ctx, by=("year",))}
    require_year(ctx, run(ctx, {"year": specs["year"]})["year"], where(specs["field"].offices))
    results = run(ctx, specs)
    result, trace = results["field"], Trace(ctx, specs["field"])
    section = Section("fields", TITLE)
    known = [row for row in result.rows if row["field"] is not None and row["count"]]
    ranked = sorted(known, key=lambda row: (-row["count"], row["field"]))[:top]
    rows = []
    for rank, row in enumerate(ranked, start=1):
        cell = {"field": row["field"]}
        count = trace.figure(f"fields.{row['field']}.{year}", "fields", row["count"], "documents", LABEL, result, cell)
        share = trace.figure(f"fields.{row['field']}.share.{year}", "fields", percent(row["share"]), "percent",
                             LABEL_SHARE, result, cell)
        section.figures += [count, share]
        rows.append({"rank": rank, "field": str(row["field"]), "count": Ref(count.key, compact=False),
                     "share": Ref(share.key, compact=False)})
    if ranked:
        first = ranked[0]["field"]
        section.sentences.append(Text(HEADLINE, {
            "year": str(year), "origin": origin_name(ctx), "field": Name("field", str(first)),
            "count": Ref(f"fields.{first}.{year}"), "share": Ref(f"fields.{first}.share.{year}")}))
    section.notes.append(Text(SPLIT, {"top": min(top, len(known))}))
    unknown = next((row for row in result.rows if row["field"] is None and row["count"]), None)
    if unknown is not None:
        figure = trace.figure(f"fields.none.{year}", "fields", unknown["count"], "documents", LABEL_NO_FIELD, result,
                              {"field": None})
        section.figures.append(figure)
        section.notes.append(Text(NO_FIELD, {"count": Ref(figure.key)}))
    columns = [Column("rank", COLUMNS["rank"], "number"), Column("field", COLUMNS["field"], "name:field"),
               Column("count", COLUMNS["count"], "figure"), Column("share", COLUMNS["share"], "figure")]
    section.tables.append(Table("fields", CAPTION, columns, rows))
    section.charts.append(bar_chart("fields", CHART, result, ranked))
    section.notes.extend(data_notes(results["year"], result))
    return section
