"""What the routes delegate to: the library functions the CLI calls, run on a per-request
read-only engine (a cursor of the process's one database: ``warehouse_access``) and cached per
warehouse version (``cache``).

A route parses its parameters into the library's own spec (``patentreach.indicators.options``
for outbound figures, the same parser as the CLI's) and calls one function here; nothing here
computes a figure itself.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from fastapi import Request

from patentreach.web.errors import NoWarehouse

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult
    from patentreach.indicators.spec import OutboundSpec
    from patentreach.warehouse.engines import Engine
    from patentreach.web.cache import ResultCache
    from patentreach.web.warehouse_access import WarehouseAccess


def access(request: Request) -> WarehouseAccess:
    found: WarehouseAccess = request.app.state.access
    if not found.exists():
        raise NoWarehouse(f"{found.warehouse.root}: no warehouse here (run `patentreach ingest` or "
                          "`patentreach demo` first, then restart `patentreach serve`)")
    return found


def cached(request: Request, key: Hashable, compute: Callable[[Engine], Any], fresh: bool = True) -> Any:
    """``compute(engine)`` on a read-only engine, cached under the warehouse version and ``key``;
    concurrent identical requests compute once. ``fresh``: refuse (one line, 409) when the
    harmonised tables are older than the last ingest, as the CLI does."""
    from patentreach.warehouse.freshness import require_fresh

    found = access(request)
    results: ResultCache = request.app.state.cache
    version = found.version()  # once: the key and the engine's views are of the same version

    def run() -> Any:
        if fresh:
            require_fresh(found.warehouse)
        with found.engine(version) as engine:
            return compute(engine)

    return results.get_or_compute(version, key, run)


def outbound(request: Request, spec: OutboundSpec, prepared: bool = True) -> IndicatorResult:
    """``stats outbound`` for ``spec``."""
    from patentreach.indicators import outbound as compute

    return cached(request, ("outbound", spec, prepared), lambda engine: compute(engine, spec, use_prepared=prepared))


def records(request: Request, spec: OutboundSpec, cell: dict[str, Any], limit: int | None = None,
            prepared: bool = True) -> IndicatorResult:
    """``stats records`` for ``spec`` and the cell's keys."""
    from patentreach.indicators import records as compute

    key = ("records", spec, tuple(sorted(cell.items(), key=lambda item: item[0])), limit, prepared)
    return cached(request, key, lambda engine: compute(engine, spec, cell, limit=limit, use_prepared=prepared))
