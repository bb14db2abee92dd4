"""A parsed unit that stores legal events, on an ingest that may not store them yet.

The row readers' ``Parsed`` carries publications and transfers; legal events need one more field
(``legal_events``) and ``warehouse.arrow_batches.collect`` must write them to the
``legal_events`` table (docs/legal-status.md, "Storing the events"). Until then a unit of legal
events is *skipped with a reason that says so*, never stored as something else or dropped in
silence; once the field exists the same call stores them.
"""

from __future__ import annotations

from patentreach.model.legal_events import LegalEvent
from patentreach.sources.base import Parsed, Skipped

NOT_STORED = "legal events are read but this ingest cannot store them yet (Parsed has no legal_events)"


def ingest_stores_legal_events() -> bool:
    return "legal_events" in Parsed.__dataclass_fields__


def parsed_events(events: list[LegalEvent], index: int, warnings: list[str] | None = None,
                  base: Parsed | None = None) -> Parsed:
    """``base`` (or an empty unit) with ``events`` attached; a skip saying why when the ingest
    cannot store them and ``base`` stores nothing else."""
    if ingest_stores_legal_events():
        if base is None:
            return Parsed(legal_events=events, warnings=list(warnings or []))  # type: ignore[call-arg]
        base.legal_events = events  # type: ignore[attr-defined]
        return base
    if base is not None and base.record is not None:
        return base
    reason = f"{NOT_STORED}: {len(events)} event(s)"
    return Parsed(skipped=Skipped(index, reason), warnings=list(warnings or []))
