"""Outbound indicators: patents obtained abroad by origin, in every slice, as one Ibis expression.

``outbound_table(source, spec)`` returns an Ibis table with one row per cell of ``spec.by``:

    <keys>  (entity adds entity_name and entity_rank; field adds field_name)
    count   documents or families, whole (integer-valued) or fractional
    yoy_abs, yoy_pct   change on the year before (null without a year key)
    share   fraction of the year's total (per origin when origin is a key)

The expression is built from ``source`` (prepared or on-the-fly facts, ``prepared.py``) and never
names an engine: the same expression runs on DuckDB and on Spark.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patentreach.indicators import counting, selection
from patentreach.indicators.prepared import FactSource
from patentreach.indicators.spec import OutboundSpec
from patentreach.indicators.year_on_year import with_change_and_share
from patentreach.refdata.technology_fields import technology_fields


def counted_rows(source: FactSource, spec: OutboundSpec, facts: ir.Table | None = None) -> tuple[ir.Table, ir.Table]:
    """(documents after publication filters, rows after origin filters and field split)."""
    base = facts if facts is not None else source.facts(spec.origin_rule)
    documents = selection.documents(base, spec)
    rows = selection.origin_rows(documents, spec)
    rows = counting.split_by_field(rows, source.fields(), spec)
    return documents, rows


def outbound_table(source: FactSource, spec: OutboundSpec, facts: ir.Table | None = None) -> ir.Table:
    """The indicator table for ``spec`` (``facts``: a cached fact table to count from instead)."""
    documents, rows = counted_rows(source, spec, facts)
    table = counting.cells(rows, documents, spec)
    table = with_change_and_share(table, spec)
    if "entity" in spec.by:
        table = _entities(table, source, spec)
    if "field" in spec.by:
        table = _field_names(table)
    columns = [*_key_output(spec), "count", "yoy_abs", "yoy_pct", "share"]
    return table.select(*columns)


def _key_output(spec: OutboundSpec) -> list[str]:
    out: list[str] = []
    for key in spec.by:
        out.append(counting.KEY_COLUMNS[key])
        if key == "entity":
            out.extend(["entity_name", "entity_rank"])
        if key == "field":
            out.append("field_name")
    return out


def _entities(table: ir.Table, source: FactSource, spec: OutboundSpec) -> ir.Table:
    """Rank entities by their count over all cells; keep the top N; add their names.

    Ranked with windows over the cells rather than a join with their totals, so the cells are
    computed once (Ibis inlines a table used twice, and the engine would compute it twice)."""
    table = table.mutate(total=table["count"].sum().over(ibis.window(group_by="entity_id")))
    unnamed = table.entity_id.isnull()
    # unnamed rows sort last, so the named entities hold the ranks 1, 2, ... without gaps
    rank = ibis.dense_rank().over(order_by=[unnamed, ibis.desc("total"), "entity_id"]) + 1
    table = table.mutate(entity_rank=ibis.ifelse(unnamed, ibis.null("int64"), rank.cast("int64")))
    if spec.top is not None:
        table = table.filter(table.entity_rank <= spec.top)
    entities = source.engine.table("entities")
    names = entities.select(n_entity=entities.entity_id, entity_name=entities.name)
    table = table.left_join(names, table.entity_id == names.n_entity)
    return table.drop("total", "n_entity")


def _field_names(table: ir.Table) -> ir.Table:
    fields = technology_fields()
    names = ibis.memtable(
        {"n_field": list(fields), "field_name": [f.name for f in fields.values()]},
        schema=ibis.schema({"n_field": "int64", "field_name": "string"}),
    )
    return table.left_join(names, table.field == names.n_field).drop("n_field")
