"""A parsed unit that stores legal events, with or without a record beside them.

Shared by the readers whose units carry legal events (OPS legal members and register documents,
ODP application status, maintenance-fee lines): the events ride on the unit's ``Parsed``
(``legal_events``) and ``warehouse.arrow_batches.collect`` writes them to ``legal_events``.
"""

from __future__ import annotations

from patentreach.model.legal_events import LegalEvent
from patentreach.sources.base import Parsed


def parsed_events(events: list[LegalEvent], index: int, warnings: list[str] | None = None,
                  base: Parsed | None = None) -> Parsed:
    """``base`` (or a unit of events alone) with ``events`` attached."""
    if base is None:
        return Parsed(legal_events=events, warnings=list(warnings or []))
    base.legal_events = events
    return base
