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
* when the prepared facts were stale (or of an earlier layout) and the figure was computed from
  the views instead;
* which rule typed the documents of the selection, when a source's own flag typed any of them
  ("Invention grants in the selection typed by PATSTAT's publn_first_grant and ipr_type flags: 16;
  by the kind-code table: 120."); the counts per rule are always in the definition, ``doc_type_rules``;
* for a figure by technology field, where the fields came from: the source's own weights
  (PATSTAT tls230) or the IPC symbols through the WIPO concordance (``field_weights``).

The counts come from the fact table the figure counted from: one filtered pass for every result,
grouped by the two columns that say how each document was typed and given fields (a handful of
groups; about a third of the figure's own time on prepared facts), and one more, only for an
empty result, to find the filter that emptied it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from patentreach.indicators.compiled import run_once
from patentreach.indicators.facts import KIND_CODE_RULE
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
# How a note names each document-type rule (``model.records.DOC_TYPE_RULES``); a rule not listed
# here is named by its code.
RULE_PHRASES = {
    KIND_CODE_RULE: "the kind-code table",
    "source:patstat": "PATSTAT's publn_first_grant and ipr_type flags",
    "source:google": "Google Patents' grant date and application kind",
    "source:lens": "Lens's document type",
}
# How a note names each source of field weights (``technology_fields.source``).
FIELD_SOURCE_PHRASES = {"patstat:tls230": "PATSTAT tls230"}
IPC_FIELDS = "ipc"  # the key of the documents whose fields come from their IPC symbols


@dataclass(frozen=True)
class Explanation:
    """A result's notes, and the counts its definition carries beside them."""

    notes: list[str]
    definition: dict[str, Any] = field(default_factory=dict)


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


def _selection_counts(source: FactSource, spec: OutboundSpec, kept: tuple | None) -> dict[str, Any]:
    """``_thin``'s counts; kept on disk (``query_store``) under ``kept``, which names the
    warehouse's content and the fact source (``run._source_key``), so a new process reads them
    instead of scanning the facts again (a sixth of the standard set's time at 10 million)."""
    if kept is None:
        return _thin(source, spec, None)
    from patentreach.indicators import query_store

    key = ("note_counts", *kept)
    counts = query_store.load_value(source.engine, key)
    if isinstance(counts, dict) and set(counts) == COUNT_NAMES:
        return counts
    counts = _thin(source, spec, key)
    query_store.save_value(source.engine, key, counts)
    return counts


COUNT_NAMES = {"selected", "without_origin", "typed_other", "doc_type_rules", "field_weights"}


def _thin(source: FactSource, spec: OutboundSpec, key: tuple | None) -> dict[str, Any]:
    """The counts every result's notes need: publications in the selection, those without an
    origin, those typed ``other``, and the selected ones per document-type rule and per source of
    field weights. One filtered sum grouped by rule and field source, no distinct count: each
    publication's origin shares sum to 1 over its rows (one row of share 1 under the
    first-applicant rule), so summing the shares counts publications (in fractions of one under
    the other rules, where a publication may lack the country of some of its parties only)."""
    def groups() -> ir.Table:
        facts = source.facts(spec.origin_rule)
        typed, years, offices = _conditions(facts, spec)
        other = facts.doc_type == "other"
        rows = facts.filter(years & offices & (typed | other))
        share = rows.share
        counted = rows.doc_type != "other"
        return rows.group_by("doc_type_rule", "fields_source").aggregate(
            selected=share.sum(where=counted),
            without_origin=share.sum(where=counted & rows.origin.isnull()),
            typed_other=share.sum(where=rows.doc_type == "other"),
        )

    totals: dict[str, float] = {"selected": 0.0, "without_origin": 0.0, "typed_other": 0.0}
    rules: dict[str, float] = {}
    fields: dict[str, float] = {}
    # (with a key: run as the figures are, not through Ibis's own execution, which loads pandas)
    table = groups().to_pyarrow() if key is None else run_once(source.engine, groups())
    for group in table.to_pylist():
        for name in totals:
            totals[name] += group[name] or 0.0
        selected = group["selected"] or 0.0
        if selected:
            rule = group["doc_type_rule"] or KIND_CODE_RULE
            rules[rule] = rules.get(rule, 0.0) + selected
            origin = group["fields_source"] or IPC_FIELDS
            fields[origin] = fields.get(origin, 0.0) + selected
    return {
        **{k: _number(v) for k, v in totals.items()},
        "doc_type_rules": {k: _number(rules[k]) for k in sorted(rules)},
        "field_weights": {k: _number(fields[k]) for k in sorted(fields)},
    }


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


def _rules_note(rules: dict[str, Any], spec: OutboundSpec) -> str | None:
    """Which rule typed the selected documents: said when a source's own flag typed any of them
    (the kind-code table alone is the long-standing rule and needs no sentence under every table)."""
    if set(rules) <= {KIND_CODE_RULE}:
        return None
    # the source rules first, largest first; the kind-code table (the fallback) last
    order = sorted(rules, key=lambda r: (r == KIND_CODE_RULE, -rules[r], r))
    parts = [f"{RULE_PHRASES.get(rule, repr(rule))}: {rules[rule]}" for rule in order]
    what = _what(spec)
    return f"{what[0].upper()}{what[1:]} in the selection typed by " + "; by ".join(parts) + "."


def _fields_note(weights: dict[str, Any]) -> str:
    """Where the technology fields of the selected documents came from (a by-field figure)."""
    def documents(n: Any) -> str:
        return f"{n} document{'' if n == 1 else 's'}"

    parts = [
        f"{documents(weights[name])} from the source's own weights ({FIELD_SOURCE_PHRASES.get(name, name)})"
        for name in sorted(weights, key=lambda n: (-weights[n], n)) if name != IPC_FIELDS
    ]
    parts.append(f"{documents(weights.get(IPC_FIELDS, 0))} from IPC symbols through the WIPO concordance")
    return "WIPO technology fields: " + ", ".join(parts) + "."


def explain(
    source: FactSource, spec: OutboundSpec, empty: bool, shared: dict | None = None, kept: tuple | None = None,
) -> Explanation:
    """The notes of a result: why it is empty, and what it rests on (see the module doc), with the
    counts per document-type rule (and per source of field weights, by field) for its definition.
    ``shared``: a dict kept over several results (``outbound_set``), so that specs selecting the
    same documents count them once; ``kept``: what names the warehouse's content and the fact
    source (None: the engine cannot say), under which the counts are kept on disk for the next
    process."""
    notes: list[str] = []
    if source.outdated is not None:
        notes.append("The prepared fact tables were written by an earlier version of patentreach and were not used: "
                     "this figure was computed from the warehouse views (run `patentreach stats prepare` to rewrite "
                     "them).")
    elif source.stale:
        notes.append("The prepared fact tables are older than the warehouse and were not used: this figure was "
                     "computed from the warehouse views (run `patentreach stats prepare` to refresh them).")
    key = (spec.origin_rule, spec.doc_types(), spec.years, spec.offices, spec.basis)
    c = shared.get(key) if shared is not None else None
    if c is None:
        c = _selection_counts(source, spec, None if kept is None else (*kept, key))
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
    rules = _rules_note(c["doc_type_rules"], spec)
    if rules:
        notes.append(rules)
    definition: dict[str, Any] = {"doc_type_rules": c["doc_type_rules"]}
    if "field" in spec.by:
        definition["field_weights"] = c["field_weights"]
        if c["field_weights"]:  # (an empty selection has no fields to speak of)
            notes.append(_fields_note(c["field_weights"]))
    return Explanation(notes, definition)
