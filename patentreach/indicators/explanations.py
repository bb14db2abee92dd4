"""Why a figure is empty or thin, in a sentence or two: the result's ``definition["notes"]``.

On the real samples 84% of publications have no applicant country (the Lens CSV carries none),
so "CN-origin grants abroad" can be an empty table that looks like a fact. Every result therefore
says, under the table and in every file's definition:

* how many publications of the selection (document types, years, offices) have no origin
  country under the origin rule, and so are counted in no origin;
* how many publications of those years and offices are typed ``other`` (a kind code that is
  neither invention, utility model nor design), counted under no document type;
* when nothing is counted, which filter removed everything, with what the warehouse does hold
  ("no invention grants in 2019-2021 at the selected offices: the warehouse holds them there
  for 2005-2012");
* when the prepared facts were stale and the figure was computed from the views instead.

The counts come from the fact table the figure counted from: one filtered pass for every result
(about a third of the figure's own time on prepared facts), and one more, only for an empty result,
to find the filter that emptied it.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from patentreach.indicators.prepared import FactSource
from patentreach.indicators.reference_tables import office_condition
from patentreach.indicators.selection import day_of, origin_filters
from patentreach.indicators.spec import OutboundSpec

DOC_TYPE_NOUNS = {
    "invention_grant": "invention grants",
    "invention_application": "invention applications",
    "utility_model": "utility models",
    "design": "designs",
}


def _all(conditions: list[ir.BooleanValue]) -> ir.BooleanValue:
    combined = ibis.literal(True)
    for condition in conditions:
        combined &= condition
    return combined


def _conditions(facts: ir.Table, spec: OutboundSpec) -> tuple[ir.BooleanValue, ir.BooleanValue, ir.BooleanValue]:
    """(of the spec's document types, in its years, at its offices), each with a known date."""
    day = day_of(facts, spec.basis)
    typed = facts.doc_type.isin(list(spec.doc_types())) & day.notnull()
    years = ibis.literal(True)
    if spec.years is not None:
        years = day.year().between(spec.years[0], spec.years[1])
    offices = office_condition(facts.office, day, spec.offices) if spec.offices else ibis.literal(True)
    return typed, years, offices


def _thin(source: FactSource, spec: OutboundSpec) -> dict[str, Any]:
    """The counts every result's notes need: publications in the selection, those without an
    origin, those typed ``other``. One filtered sum, no distinct count: each publication's origin
    shares sum to 1 over its rows (one row of share 1 under the first-applicant rule), so summing
    the shares counts publications (in fractions of one under the other rules, where a
    publication may lack the country of some of its parties only)."""
    facts = source.facts(spec.origin_rule)
    typed, years, offices = _conditions(facts, spec)
    other = facts.doc_type == "other"
    rows = facts.filter(years & offices & (typed | other))
    share = rows.share
    totals = rows.aggregate(
        selected=share.sum(where=rows.doc_type != "other"),
        without_origin=share.sum(where=(rows.doc_type != "other") & rows.origin.isnull()),
        typed_other=share.sum(where=rows.doc_type == "other"),
    )
    (row,) = totals.to_pyarrow().to_pylist()
    return {k: _number(v or 0) for k, v in row.items()}


def _number(value: float) -> int | float:
    """A sum of shares as a count: whole when it is one (to rounding), else one decimal."""
    return round(value) if abs(value - round(value)) < 1e-6 else round(value, 1)


def _empty(source: FactSource, spec: OutboundSpec) -> dict[str, Any]:
    """The counts that say which filter left nothing (only computed for an empty result)."""
    facts = source.facts(spec.origin_rule)
    day = day_of(facts, spec.basis)
    typed, years, offices = _conditions(facts, spec)
    selected = typed & years & offices
    origin_chosen = facts.origin.isin(list(spec.origin)) if spec.origin else ibis.literal(True)
    counted = selected & _all(origin_filters(facts, spec))
    pubs = facts.pub_id
    expr = facts.filter(typed).aggregate(
        of_types=pubs.nunique(),
        at_offices=pubs.nunique(where=offices),
        first_year=day.year().min(where=offices),
        last_year=day.year().max(where=offices),
        first_year_any=day.year().min(),
        last_year_any=day.year().max(),
        selected=pubs.nunique(where=selected),
        of_origin=pubs.nunique(where=selected & origin_chosen),
        counted=pubs.nunique(where=counted),
    )
    (row,) = expr.to_pyarrow().to_pylist()
    return {k: (v or 0) for k, v in row.items()}


def _what(spec: OutboundSpec) -> str:
    return " and ".join(DOC_TYPE_NOUNS.get(t, t) for t in spec.doc_types())


def _years(spec: OutboundSpec) -> str:
    if spec.years is None:
        return ""
    first, last = spec.years
    return f" in {first}" if first == last else f" in {first}-{last}"


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _why_empty(c: dict[str, Any], spec: OutboundSpec) -> str:
    """The first filter that left nothing, and what the warehouse holds instead."""
    what = _what(spec)
    if not c["of_types"]:
        return f"the warehouse holds no {what}"
    if spec.offices and not c["at_offices"]:
        return (f"no {what} at the selected offices ({', '.join(spec.offices)}) in any year: the warehouse holds "
                f"{what} for {_span(c['first_year_any'], c['last_year_any'])} at other offices")
    if not c["selected"]:
        where = " at the selected offices" if spec.offices else ""
        return (f"no {what}{_years(spec)}{where}: the warehouse holds {what}{where} for "
                f"{_span(c['first_year'], c['last_year'])} only")
    origin = "/".join(spec.origin)
    if spec.origin and not c["of_origin"]:
        return (f"none of the {c['selected']} {what} in the selection has origin {origin} "
                f"under the {spec.origin_rule.replace('_', '-')} rule")
    if spec.sector and not c["counted"]:
        return f"none of the {c['of_origin']} {origin + '-origin ' if origin else ''}{what} in the selection " \
               f"passes the sector ({', '.join(spec.sector)}) and scope ({spec.scope}) filters"
    return (f"none of the {c['of_origin']} {origin + '-origin ' if origin else ''}{what} in the selection is "
            f"in scope {spec.scope}")


def explain(source: FactSource, spec: OutboundSpec, empty: bool, shared: dict | None = None) -> list[str]:
    """The notes of a result: why it is empty, and what it rests on (see the module doc).
    ``shared``: a dict kept over several results (``outbound_set``), so that specs selecting the
    same documents count them once."""
    notes: list[str] = []
    if source.stale:
        notes.append("The prepared fact tables are older than the warehouse and were not used: this figure was "
                     "computed from the warehouse views (run `patentreach stats prepare` to refresh them).")
    key = (spec.origin_rule, spec.doc_types(), spec.years, spec.offices, spec.basis)
    c = shared.get(key) if shared is not None else None
    if c is None:
        c = _thin(source, spec)
        if shared is not None:
            shared[key] = c
    if empty:
        notes.append(f"Nothing counted: {_why_empty(_empty(source, spec), spec)}.")
    if c["without_origin"]:
        share = 100 * c["without_origin"] / c["selected"]
        have, count = ("has", "counts") if c["without_origin"] == 1 else ("have", "count")
        notes.append(f"{c['without_origin']} of the {c['selected']} {_what(spec)} in the selection ({share:.1f}%) "
                     f"{have} no origin country under the {spec.origin_rule.replace('_', '-')} rule and {count} under "
                     "no origin (`patentreach info` shows the coverage per source and office).")
    if c["typed_other"]:
        where = f"{_years(spec)}{' at the selected offices' if spec.offices else ''}" or " in the warehouse"
        are = "is" if c["typed_other"] == 1 else "are"
        notes.append(f"{c['typed_other']} publication{'s' if c['typed_other'] != 1 else ''}{where} {are} typed "
                     "'other' (a kind code that is no invention, utility model or design) and counted under no "
                     "document type.")
    return notes
