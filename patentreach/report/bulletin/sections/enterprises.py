"""The bulletin's top enterprises: the N enterprises (option ``top``, default 10) with the most
invention grants abroad in the year, by harmonised name (``stats outbound --by entity --top N``).

Names are the harmonised entities' (``derived/entities``): written by ``patentreach harmonize``,
they merge an enterprise's spellings. A warehouse whose entity tables carry no harmonisation stamp
(written by another tool, or by ``synth``) is said in a note: its names are as those tables give
them. A warehouse with no entity tables leaves the section out, saying what to run.
"""

from __future__ import annotations

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
    top_option,
)
from patentreach.report.bulletin.sections.outbound_words import where

TITLE = N_("Top enterprises by granted invention patents abroad")
OPTIONS = ("top",)

HEADLINE = N_("In %(year)s, %(name)s obtained the most granted invention patents abroad among enterprises from "
              "%(origin)s: %(count)s, %(share)s of the total.")
NOT_STAMPED = N_("The warehouse's entity tables were not written by `patentreach harmonize` (no harmonisation "
                 "stamp): enterprise names are as those tables give them, and one enterprise's spellings may not "
                 "be merged. Run `patentreach harmonize --warehouse %(warehouse)s` for harmonised names.")
TIES = N_("Enterprises with equal counts are ranked by their entity id.")

LABEL = N_("Granted invention patents abroad of one enterprise")
LABEL_SHARE = N_("Share of an enterprise in the enterprises' granted invention patents abroad, in per cent")
CAPTION = N_("The enterprises with the most granted invention patents abroad")
CHART = N_("Granted invention patents abroad of the top enterprises")
COLUMNS = {"rank": N_("Rank"), "name": N_("Enterprise"), "count": N_("Granted patents"), "share": N_("Share")}


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    from patentreach.warehouse.freshness import stamp_path

    check_options("enterprises", options, OPTIONS)
    top = top_option("enterprises", options)
    year = ctx.request.year
    specs = {"entity": base_spec(ctx, years=(year, year), by=("entity",), top=top),
             "year": base_spec(ctx, by=("year",))}
    require_year(ctx, run(ctx, {"year": specs["year"]})["year"], where(specs["entity"].offices))
    results = run(ctx, specs)
    result, trace = results["entity"], Trace(ctx, specs["entity"])
    section = Section("enterprises", TITLE)
    ranked = sorted((row for row in result.rows if row.get("entity_rank") is not None),
                    key=lambda row: row["entity_rank"])
    rows = []
    for row in ranked:
        rank, cell = row["entity_rank"], {"entity": row["entity_id"]}
        count = trace.figure(f"enterprises.{rank}.{year}", "enterprises", row["count"], "documents", LABEL, result,
                             cell)
        share = trace.figure(f"enterprises.{rank}.share.{year}", "enterprises", percent(row["share"]), "percent",
                             LABEL_SHARE, result, cell)
        section.figures += [count, share]
        rows.append({"rank": rank, "name": row.get("entity_name") or row["entity_id"],
                     "count": Ref(count.key, compact=False), "share": Ref(share.key, compact=False)})
    if rows:
        section.sentences.append(Text(HEADLINE, {
            "year": str(year), "name": rows[0]["name"], "origin": origin_name(ctx),
            "count": Ref(f"enterprises.{ranked[0]['entity_rank']}.{year}"),
            "share": Ref(f"enterprises.{ranked[0]['entity_rank']}.share.{year}")}))
    if not stamp_path(ctx.warehouse).is_file():
        section.notes.append(Text(NOT_STAMPED, {"warehouse": str(ctx.request.warehouse)}))
    counts = [row["count"] for row in ranked]
    if len(set(counts)) < len(counts):
        section.notes.append(Text(TIES))
    columns = [Column("rank", COLUMNS["rank"], "number"), Column("name", COLUMNS["name"]),
               Column("count", COLUMNS["count"], "figure"), Column("share", COLUMNS["share"], "figure")]
    section.tables.append(Table("enterprises", CAPTION, columns, rows))
    section.charts.append(bar_chart("enterprises", CHART, result, ranked))
    section.notes.extend(data_notes(results["year"], result))
    return section
