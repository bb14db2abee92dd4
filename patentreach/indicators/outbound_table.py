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
from patentreach.indicators.selection import NOTHING_APPLIED, Applied
from patentreach.indicators.spec import OutboundSpec
from patentreach.indicators.year_on_year import with_change_and_share
from patentreach.refdata.technology_fields import technology_fields


def counted_rows(
    source: FactSource, spec: OutboundSpec, facts: ir.Table | None = None, applied: Applied = NOTHING_APPLIED
) -> tuple[ir.Table, ir.Table]:
    """(documents after publication filters, rows after origin filters and field split)."""
    base = facts if facts is not None else source.facts(spec.origin_rule)
    documents = selection.documents(base, spec, applied)
    rows = selection.origin_rows(base, spec, applied)
    rows = counting.split_by_field(rows, source.fields(), spec)
    return documents, rows


def outbound_table(
    source: FactSource, spec: OutboundSpec, facts: ir.Table | None = None, applied: Applied = NOTHING_APPLIED
) -> ir.Table:
    """The indicator table for ``spec`` (``facts``: a shared base to count from instead, which
    has already applied the filters ``applied`` names)."""
    documents, rows = counted_rows(source, spec, facts, applied)
    table = counting.cells(rows, documents, spec)
    table = with_change_and_share(table, spec)
    if "entity" in spec.by:
        table = _entities(table, source, spec)
    if "field" in spec.by:
        table = _field_names(table)
    columns = [*_key_output(spec), "count", "yoy_abs", "yoy_pct", "share"]
    return table if table.columns == tuple(columns) else table.select(*columns)


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
    """Rank entities by their count over all cells (ties by id); keep the top N; add their names.

    The ranks come from each entity's total, joined back to the cells: the cells are one common
    table expression read twice, which DuckDB materialises once (as hand-written SQL would
    write it); windows over the cells instead cost a sort of every cell."""
    named = table.filter(table.entity_id.notnull())
    totals = named.group_by("entity_id").agg(total=named["count"].sum())
    rank = ibis.row_number().over(order_by=[ibis.desc("total"), "entity_id"]) + 1
    ranked = totals.select(r_entity=totals.entity_id, entity_rank=rank.cast("int64"))
    if spec.top is not None:
        ranked = ranked.filter(ranked.entity_rank <= spec.top)
    entities = source.engine.table("entities")
    names = entities.select(n_entity=entities.entity_id, entity_name=entities.name)
    ranked = ranked.left_join(names, ranked.r_entity == names.n_entity)
    # without a top N, unnamed rows stay, unranked
    join = table.inner_join if spec.top is not None else table.left_join
    return join(ranked, table.entity_id == ranked.r_entity)


def _field_names(table: ir.Table) -> ir.Table:
    """Each field's name, as a CASE over the field numbers (the same as a left join with the
    names): a literal in the SQL, not an in-memory table, so the compiled query stands alone
    and can be kept and rerun on any connection to the warehouse (``compiled.py``)."""
    fields = technology_fields()
    names = table.field.cases(*[(number, field.name) for number, field in fields.items()], else_=ibis.null("string"))
    return table.mutate(field_name=names)
