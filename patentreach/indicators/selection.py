"""Which fact rows a spec counts, and with what weight.

Two steps, because families need the first without the second: ``documents`` applies what
belongs to the publication (document type, date basis and years, office set, destination
group); ``origin_rows`` applies what belongs to an origin party (origin country, sector, scope:
abroad / resident / non-resident) and gives each row its weight (the origin share under
fractional counting, else 1).
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from patentreach.indicators.reference_tables import in_group, office_condition, resident
from patentreach.indicators.spec import OutboundSpec

BASIS_COLUMNS = {"grant": "pub_date", "filing": "application_date", "priority": "earliest_priority_date"}


def first_counted_year(spec: OutboundSpec) -> int | None:
    """The first year fetched: one before the first shown, when year-on-year change needs it."""
    if spec.years is None:
        return None
    return spec.years[0] - 1 if "year" in spec.by else spec.years[0]


def with_day(facts: ir.Table, basis: str) -> ir.Table:
    """``day`` (the date of ``basis``) and its ``year`` as columns, rows without that date dropped.
    A shared base (``run.outbound_set``) computes them once for all the specs counting from it."""
    day = facts[BASIS_COLUMNS[basis]]
    return facts.filter(day.notnull()).mutate(day=day, year=day.year().cast("int64"))


def documents(facts: ir.Table, spec: OutboundSpec) -> ir.Table:
    if "day" not in facts.columns:
        facts = with_day(facts, spec.basis)
    rows = facts.filter(facts.doc_type.isin(list(spec.doc_types())))
    if spec.years is not None:
        first = first_counted_year(spec)
        assert first is not None
        start, end = ibis.literal(date(first, 1, 1)), ibis.literal(date(spec.years[1], 12, 31))
        rows = rows.filter(rows.day >= start, rows.day <= end)
    if spec.offices:
        rows = rows.filter(office_condition(rows.office, rows.day, spec.offices))
    if "destination" in spec.by:
        group = spec.destination_group
        rows = rows.mutate(destination=ibis.ifelse(in_group(rows.office, rows.day, group), group, "other"))
    return rows


def origin_rows(rows: ir.Table, spec: OutboundSpec) -> ir.Table:
    if spec.origin:
        rows = rows.filter(rows.origin.isin(list(spec.origin)))
    if spec.sector:
        rows = rows.filter(rows.sector.isin(list(spec.sector)))
    if spec.scope == "abroad":
        rows = rows.filter(rows.origin.notnull(), rows.origin != rows.office)
        if len(spec.origin) == 1:
            # the same rows, said with a constant: prepared facts are sorted by origin and office,
            # so the engine skips the row groups of the origin's own office (most of its rows)
            rows = rows.filter(rows.office != spec.origin[0])
    elif spec.scope == "resident":
        rows = rows.filter(resident(rows.office, rows.origin, rows.day))
    elif spec.scope == "non_resident":
        rows = rows.filter(rows.origin.notnull(), ~resident(rows.office, rows.origin, rows.day))
    if "residence" in spec.by:
        rows = rows.mutate(
            residence=ibis.cases(
                (rows.origin.isnull(), ibis.null("string")),
                (resident(rows.office, rows.origin, rows.day), "resident"),
                else_="non_resident",
            )
        )
    weight = rows.share if spec.counting == "fractional" else ibis.literal(1.0)
    return rows.mutate(w=weight.cast("float64"))
