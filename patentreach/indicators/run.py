"""The library functions the CLI (and later the web routes) call: one per command.

``outbound(engine, spec)`` -> IndicatorResult of the indicator table;
``records(engine, spec, cell)`` -> IndicatorResult of the publications behind one cell;
``outbound_set(engine, specs)`` -> {name: IndicatorResult}, sharing one cached base table when the
engine's capability row says that pays.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import ExitStack
from typing import Any

import ibis
import ibis.expr.types as ir

from patentreach.indicators.compiled import engine_key, note_counts, run_query
from patentreach.indicators.counting import KEY_COLUMNS
from patentreach.indicators.explanations import explain
from patentreach.indicators.outbound_table import outbound_table
from patentreach.indicators.prepared import FactSource, fact_source
from patentreach.indicators.records_table import records_table
from patentreach.indicators.results import IndicatorResult, arrange, collect, definition
from patentreach.indicators.selection import BASIS_COLUMNS, Applied, day_columns, day_range
from patentreach.indicators.spec import OutboundSpec
from patentreach.indicators.tables import EngineLike


def _sort_keys(spec: OutboundSpec) -> list[str]:
    keys = []
    for key in spec.by:
        keys.append("entity_rank" if key == "entity" else KEY_COLUMNS[key])
    return keys


def _source_key(source: FactSource) -> tuple:
    """What of ``source`` the expressions depend on: which prepared tables, written when (and
    their files: what the counts kept beside the queries depend on)."""
    return (tuple(sorted(source.prepared_tables)), source.written_at, source.reason, source.files)


def _result(
    build: Callable[[], ir.Table], key: Hashable | None, engine: EngineLike, spec: OutboundSpec, source: FactSource,
    shared: dict | None = None, kept: tuple | None = None,
) -> IndicatorResult:
    table = run_query(engine, key, build)
    columns, rows = arrange(table, engine, _sort_keys(spec), whole=spec.counting == "whole")
    note = source.note(spec.origin_rule, fields="field" in spec.by)
    explained = explain(source, spec, empty=not rows, shared=shared, kept=kept)
    meta = definition("outbound", spec, engine, note, explained.notes) | explained.definition
    return IndicatorResult(meta, columns, rows)


def outbound(engine: EngineLike, spec: OutboundSpec, use_prepared: bool = True) -> IndicatorResult:
    """Grants (or applications) abroad by origin, in the cells of ``spec.by``."""
    engine_part = engine_key(engine)
    # (its fingerprint, taken once: it lists and stats the warehouse's files)
    source = fact_source(engine, use_prepared, None if engine_part is None else engine_part[-1])
    kept = None if engine_part is None else (engine_part, _source_key(source))
    key = None if kept is None else ("outbound", *kept, spec)
    return _result(lambda: outbound_table(source, spec), key, engine, spec, source, note_counts(kept), kept)


def records(
    engine: EngineLike, spec: OutboundSpec, cell: dict[str, Any], limit: int | None = None,
    use_prepared: bool = True,
) -> IndicatorResult:
    """The publications behind one cell (same switches, plus the cell's keys)."""
    source = fact_source(engine, use_prepared)
    expr = records_table(source, spec, cell)
    if limit is not None:
        expr = expr.order_by(["pub_id", "origin", "entity_id"]).limit(limit)
    columns, rows = collect(expr, engine, ["pub_id", "origin", "entity_id"], whole=False)
    note = source.note(spec.origin_rule, fields="field" in spec.by)
    explained = explain(source, spec, empty=False)
    notes = explained.notes
    if not rows:
        keys = ", ".join(f"{k}={v}" for k, v in cell.items())
        notes.insert(0, f"No publication in the cell {keys} under these switches (see `stats outbound` with the "
                        "same switches for the cells that hold publications).")
    meta = definition("outbound.records", spec, engine, note, notes) | explained.definition
    meta |= {"cell": cell, "limit": limit}
    return IndicatorResult(meta, columns, rows)


def outbound_set(
    engine: EngineLike, specs: dict[str, OutboundSpec], use_prepared: bool = True
) -> dict[str, IndicatorResult]:
    """Several indicators over one warehouse. Specs that read the same origin rule share one
    base: the fact rows of their document types (and, when every spec counts abroad, only the
    rows abroad), cached once if the engine's capabilities say so."""
    engine_part = engine_key(engine)
    # (its fingerprint, taken once: it lists and stats the warehouse's files)
    source = fact_source(engine, use_prepared, None if engine_part is None else engine_part[-1])
    results: dict[str, IndicatorResult] = {}
    # the counts behind the notes, shared by specs selecting the same documents (and kept for
    # the next call on the same warehouse content)
    kept = None if engine_part is None else (engine_part, _source_key(source))
    explained = note_counts(kept)
    by_rule: dict[str, list[str]] = {}
    for name, spec in specs.items():
        by_rule.setdefault(spec.origin_rule, []).append(name)
    with ExitStack() as stack:
        for rule, names in by_rule.items():
            group = [specs[n] for n in names]
            cached_base = engine.capabilities.cache_shared_base and len(group) > 1
            shared = _SharedBase(source, rule, group, stack if cached_base else None)
            # a spec's query depends on the whole group (their shared base); a cached base is
            # a new temp table each run, so its queries are not kept
            group_key = None if kept is None or cached_base else ("outbound_set", *kept, tuple(group))
            for name in names:
                key = None if group_key is None else (*group_key, specs[name])
                results[name] = _result(shared.table_for(specs[name]), key, engine, specs[name], source, explained,
                                        kept)
    return {name: results[name] for name in specs}


class _SharedBase:
    """The shared base of one origin rule's specs, built only when a query is not kept."""

    def __init__(self, source: FactSource, rule: str, group: list[OutboundSpec], stack: ExitStack | None) -> None:
        self.source, self.rule, self.group, self.stack = source, rule, group, stack
        self._built: tuple[ir.Table, Applied] | None = None

    def base(self) -> tuple[ir.Table, Applied]:
        if self._built is None:
            base, applied = _shared_base(self.source.facts(self.rule), self.group)
            if self.stack is not None:
                base = self.stack.enter_context(base.cache())
            self._built = base, applied
        return self._built

    def table_for(self, spec: OutboundSpec) -> Callable[[], ir.Table]:
        def build() -> ir.Table:
            base, applied = self.base()
            return outbound_table(self.source, spec, facts=base, applied=applied)

        return build


def _shared_base(facts: ir.Table, group: list[OutboundSpec]) -> tuple[ir.Table, Applied]:
    """The fact rows every spec of ``group`` may count, and the filters that took: their
    document types, their common date range when they share one, only rows abroad when all
    count abroad (and none needs the other documents of a family); only the columns they can
    use, with the day and year of their date basis when they share one. One filter and one
    projection, so that every spec's expression stays shallow."""
    doc_types = frozenset(t for spec in group for t in spec.doc_types())
    filters = [facts.doc_type.isin(sorted(doc_types))]
    families_fractional = any(s.unit == "families" and s.counting == "fractional" for s in group)
    abroad = all(s.scope == "abroad" for s in group) and not families_fractional
    if abroad:
        filters += [facts.origin.notnull(), facts.origin != facts.office]
    bases = {s.basis for s in group}
    ranges = {day_range(s) for s in group}
    (common_range,) = ranges if len(ranges) == 1 else (None,)
    # (the document-type rule and the fields' source are read by the explanations, not by counts)
    unused = {"kind", "doc_type_rule", "fields_source", *(c for b, c in BASIS_COLUMNS.items() if b not in bases)}
    if not any("field" in s.by for s in group):
        unused |= {"field_list", "first_field"}
    if len(bases) != 1:
        base = facts.filter(*filters).select(*[c for c in facts.columns if c not in unused])
        return base, Applied(doc_types, None, abroad)
    (basis,) = bases
    # the date basis and its year, computed once here instead of in every spec
    day = facts[BASIS_COLUMNS[basis]]
    if common_range is not None:
        filters += [day >= ibis.literal(common_range[0]), day <= ibis.literal(common_range[1])]
    else:
        filters.append(day.notnull())
    unused.add(BASIS_COLUMNS[basis])
    kept = [c for c in facts.columns if c not in unused]
    base = facts.filter(*filters).select(*kept, **day_columns(facts, basis))
    return base, Applied(doc_types, common_range, abroad)
