"""Which fact rows a spec counts, and with what weight.

Two steps, because families need the first without the second: ``documents`` applies what
belongs to the publication (document type, date basis and years, office set, destination
group); ``origin_rows`` applies that and what belongs to an origin party (origin country,
sector, scope: abroad / resident / non-resident) and gives each row its weight ``w`` (the origin
share under fractional counting, else 1).

Each step is one filter and one projection, whatever the spec: every further layer of an Ibis
expression costs compile time (Ibis merges select on select by rewriting the whole graph),
and at 100 million publications that fixed cost is a visible part of an indicator's time.
For the same reason a shared base (``run.outbound_set``) says, with ``Applied``, which filters
it has already applied, and the specs counting from it skip them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from patentreach.indicators.reference_tables import in_group, office_condition, resident
from patentreach.indicators.spec import OutboundSpec

BASIS_COLUMNS = {"grant": "pub_date", "filing": "application_date", "priority": "earliest_priority_date"}


@dataclass(frozen=True)
class Applied:
    """Filters already applied to a fact table: its rows are only of ``doc_types``, only on
    days in ``day_range``, only abroad (origin known and not the office)."""

    doc_types: frozenset[str] | None = None
    day_range: tuple[date, date] | None = None
    abroad: bool = False


NOTHING_APPLIED = Applied()


def first_counted_year(spec: OutboundSpec) -> int | None:
    """The first year fetched: one before the first shown, when year-on-year change needs it."""
    if spec.years is None:
        return None
    return spec.years[0] - 1 if "year" in spec.by else spec.years[0]


def day_range(spec: OutboundSpec) -> tuple[date, date] | None:
    """The first and last day counted (the year before the first shown included, for the change)."""
    first = first_counted_year(spec)
    if first is None or spec.years is None:
        return None
    return date(first, 1, 1), date(spec.years[1], 12, 31)


def day_of(facts: ir.Table, basis: str) -> ir.DateValue:
    """The date of ``basis``: the ``day`` column a shared base computed, else the basis column."""
    return facts.day if "day" in facts.columns else facts[BASIS_COLUMNS[basis]]


def day_columns(facts: ir.Table, basis: str) -> dict[str, ir.Value]:
    """``day`` and its ``year``, unless ``facts`` has them already."""
    if "day" in facts.columns:
        return {}
    day = facts[BASIS_COLUMNS[basis]]
    return {"day": day, "year": day.year().cast("int64")}


def document_filters(facts: ir.Table, spec: OutboundSpec, applied: Applied = NOTHING_APPLIED) -> list[ir.BooleanValue]:
    day = day_of(facts, spec.basis)
    filters = []
    if applied.doc_types != frozenset(spec.doc_types()):
        filters.append(facts.doc_type.isin(list(spec.doc_types())))
    counted = day_range(spec)
    if counted is not None and applied.day_range != counted:
        filters += [day >= ibis.literal(counted[0]), day <= ibis.literal(counted[1])]
    elif counted is None and "day" not in facts.columns:
        # (a range drops null days already; a redundant IS NOT NULL costs DuckDB a pass)
        filters.append(day.notnull())
    if spec.offices:
        filters.append(office_condition(facts.office, day, spec.offices))
    return filters


def document_columns(facts: ir.Table, spec: OutboundSpec) -> dict[str, ir.Value]:
    columns = day_columns(facts, spec.basis)
    if "destination" in spec.by:
        group = spec.destination_group
        in_destination = in_group(facts.office, day_of(facts, spec.basis), group)
        columns["destination"] = ibis.ifelse(in_destination, group, "other")
    return columns


def origin_filters(facts: ir.Table, spec: OutboundSpec, applied: Applied = NOTHING_APPLIED) -> list[ir.BooleanValue]:
    filters = []
    if spec.origin:
        filters.append(facts.origin.isin(list(spec.origin)))
    if spec.sector:
        filters.append(facts.sector.isin(list(spec.sector)))
    day = day_of(facts, spec.basis)
    if spec.scope == "abroad":
        if not applied.abroad:
            filters += [facts.origin.notnull(), facts.origin != facts.office]
        if len(spec.origin) == 1:
            # the same rows, said with a constant: prepared facts are sorted by origin and office,
            # so the engine skips the row groups of the origin's own office (most of its rows)
            filters.append(facts.office != spec.origin[0])
    elif spec.scope == "resident":
        filters.append(resident(facts.office, facts.origin, day))
    elif spec.scope == "non_resident":
        filters += [facts.origin.notnull(), ~resident(facts.office, facts.origin, day)]
    return filters


def origin_columns(facts: ir.Table, spec: OutboundSpec) -> dict[str, ir.Value]:
    weight = facts.share if spec.counting == "fractional" else ibis.literal(1.0)
    columns: dict[str, ir.Value] = {"w": weight.cast("float64")}
    if "residence" in spec.by:
        columns["residence"] = ibis.cases(
            (facts.origin.isnull(), ibis.null("string")),
            (resident(facts.office, facts.origin, day_of(facts, spec.basis)), "resident"),
            else_="non_resident",
        )
    return columns


def _filtered(facts: ir.Table, filters: list[ir.BooleanValue]) -> ir.Table:
    return facts.filter(*filters) if filters else facts


def _with(facts: ir.Table, columns: dict[str, ir.Value]) -> ir.Table:
    return facts.mutate(**columns) if columns else facts


def documents(facts: ir.Table, spec: OutboundSpec, applied: Applied = NOTHING_APPLIED) -> ir.Table:
    """The fact rows of the documents ``spec`` counts, before any origin filter."""
    rows = _filtered(facts, document_filters(facts, spec, applied))
    return _with(rows, document_columns(rows, spec))


def origin_rows(facts: ir.Table, spec: OutboundSpec, applied: Applied = NOTHING_APPLIED) -> ir.Table:
    """The fact rows ``spec`` counts, with their weight ``w``: the document and the origin
    filters in one step."""
    rows = _filtered(facts, document_filters(facts, spec, applied) + origin_filters(facts, spec, applied))
    return rows.mutate(**document_columns(rows, spec), **origin_columns(rows, spec))
