"""What the entity routes delegate to: ``harmonize.search`` (``patentreach entities search``) and
``harmonize.search.entity`` (one entity by id), cached per warehouse version.

Both functions open their own read-only connection on the warehouse folder (as the CLI does), so
they are cached with the service's cache directly rather than through ``service.cached``'s engine.
A warehouse without fresh entity tables is the CLI's one-line refusal, a 409.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from fastapi import Request

from patentreach.web import service

if TYPE_CHECKING:
    from patentreach.harmonize.search import EntityDetails, EntitySearch


class EntitiesUnavailable(LookupError):
    """No entity tables yet, or stale ones: ``message`` says which command to run."""


def _cached(request: Request, key: Hashable, compute: Callable[[], Any]) -> Any:
    from patentreach.harmonize.search import NotHarmonized

    found = service.access(request)

    def run() -> Any:
        try:
            return compute()
        except NotHarmonized as exc:
            raise EntitiesUnavailable(str(exc)) from None

    return request.app.state.cache.get_or_compute(found.version(), ("entities", key), run)


def search(request: Request, name: str, limit: int = 10, show: int = 1) -> EntitySearch:
    """``entities search NAME --limit N --show N``."""
    from patentreach.harmonize.search import search as find

    warehouse = service.access(request).warehouse
    return _cached(request, ("search", name, limit, show), lambda: find(warehouse, name, limit=limit, show=show))


def entity(request: Request, entity_id: str) -> EntityDetails | None:
    """One entity, its variants and publications; None for an unknown id."""
    from patentreach.harmonize.search import entity as lookup

    warehouse = service.access(request).warehouse
    return _cached(request, ("entity", entity_id), lambda: lookup(warehouse, entity_id))
