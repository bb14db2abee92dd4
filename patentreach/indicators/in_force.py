"""Patents in force abroad on a date, by origin: ``stats outbound --in-force-at DATE``.

WIPO publishes "patents in force" per office: granted patents still alive on a date. Here it is the
outbound indicator with one more filter on its base: a grant document is counted only when its
application's right at its office is in force on the date according to the legal-status engine
(``legal.status``): granted, within its term, not lapsed, withdrawn, refused or revoked. A European
patent counts once at EP when it is in force in at least one state (or at the EPO level when the data
has no state at all). Everything else of the spec (origin rule, counting, offices, breakdown) is
unchanged; the year breakdown stays the grant year.

Rights whose status is *unknown* (no legal events in the warehouse, events that contradict) are
not counted, and the definition says how many grant applications that left out, so a count that
rests on missing legal data never looks complete.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir

from patentreach.indicators.counting import KEY_COLUMNS
from patentreach.indicators.explanations import explain
from patentreach.indicators.outbound_table import outbound_table
from patentreach.indicators.prepared import FactSource, fact_source
from patentreach.indicators.results import IndicatorResult, collect, definition
from patentreach.indicators.spec import OutboundSpec, SpecError
from patentreach.indicators.tables import EngineLike
from patentreach.legal.status_model import IN_FORCE, STATUSES, UNKNOWN

DEFINITION = ("patents in force on {day}: grant documents whose application's right at the granting office is in "
              "force on that date according to the legal-status engine (docs/legal-status.md): granted, within its "
              "term, not lapsed, withdrawn, refused or revoked; a European patent counts once at EP when in force in "
              "at least one state. Rights of unknown status are not counted.")


@dataclass(frozen=True, slots=True)
class InForceSet:
    """The grant documents in force on ``as_of``, and the status of every grant application."""

    as_of: date
    pub_ids: tuple[str, ...]
    by_status: dict[str, int]  # office rows of applications with a grant publication, per status


def in_force_set(warehouse: Any, as_of: date) -> InForceSet:
    """Statuses of every application that has a grant publication (DuckDB over the warehouse views)."""
    from patentreach.legal.status import application_rows, statuses_from_rows
    from patentreach.warehouse.views import connect

    con = connect(warehouse)
    try:
        rows = [row for row in application_rows(con) if row["grant_date"] is not None]
    finally:
        con.close()
    offices = [s for s in statuses_from_rows(rows, as_of) if s.via is None]
    pub_ids = sorted({pub for s in offices if s.status == IN_FORCE for pub in s.publication_numbers})
    counts = Counter(s.status for s in offices)
    return InForceSet(as_of, tuple(pub_ids), {status: counts.get(status, 0) for status in STATUSES})


@dataclass
class InForceFacts(FactSource):
    """A fact source whose facts keep only the grant documents in force."""

    in_force: tuple[str, ...] = ()

    def facts(self, rule: str) -> ir.Table:
        facts = FactSource.facts(self, rule)
        kept = ibis.memtable({"pub_id": list(self.in_force)}, schema={"pub_id": "string"})
        return facts.filter(facts.pub_id.isin(kept.pub_id))


def notes(found: InForceSet) -> list[str]:
    total = sum(found.by_status.values())
    unknown = found.by_status.get(UNKNOWN, 0)
    shown = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in found.by_status.items() if n)
    out = [f"In force on {found.as_of.isoformat()}: of {total} applications with a grant publication, {shown}."]
    if unknown:
        out.append(f"{unknown} of {total} granted applications ({100 * unknown / total:.0f}%) have an unknown status "
                   "(mostly no legal events in the warehouse) and are not counted: ingest the offices' legal events "
                   "(PATSTAT tls231, OPS legal) for a complete count.")
    return out


def parse_day(text: str) -> date:
    """``--in-force-at`` as a date; ``SpecError`` (one line) otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise SpecError(f"--in-force-at {text!r}: not a date (YYYY-MM-DD)") from None


def outbound_in_force(engine: EngineLike, spec: OutboundSpec, as_of: date, use_prepared: bool = True
                      ) -> IndicatorResult:
    """``outbound`` counting only the grant documents in force on ``as_of``."""
    if spec.stage != "grants":
        raise SpecError("--in-force-at counts granted patents: use it with --stage grants")
    warehouse = getattr(engine, "warehouse", None)
    if warehouse is None:
        raise SpecError("--in-force-at needs a warehouse engine (legal events are read with DuckDB)")
    found = in_force_set(warehouse, as_of)
    base = fact_source(engine, use_prepared)
    source = InForceFacts(base.engine, base.prepared_tables, base.reason, base.written_at, base.stale, base.outdated,
                          in_force=found.pub_ids)
    expr = outbound_table(source, spec)
    sort = ["entity_rank" if key == "entity" else KEY_COLUMNS[key] for key in spec.by]
    columns, rows = collect(expr, engine, sort, whole=spec.counting == "whole")
    explained = explain(source, spec, empty=not rows)
    meta = definition("outbound", spec, engine, source.note(spec.origin_rule, fields="field" in spec.by),
                      notes(found) + explained.notes) | explained.definition
    meta["in_force_at"] = as_of.isoformat()
    meta["label"] = f"{meta['label']}; in force on {as_of.isoformat()}"
    meta["meaning"] = {**meta["meaning"], "in_force_at": DEFINITION.format(day=as_of.isoformat())}
    meta["in_force_statuses"] = found.by_status
    return IndicatorResult(meta, columns, rows)
