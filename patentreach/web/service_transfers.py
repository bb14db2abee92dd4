"""What the transfer routes delegate to: ``patentreach.transfers``'s five statistics, the same
functions ``patentreach transfers <cmd>`` calls, on a per-request engine and cached per warehouse
version (``service.cached``).

The CLI reads no harmonised table for transfers and so refuses none as stale: neither does this
(``fresh=False``). A library ``KeyError``/``ValueError`` (a cell the data cannot answer) is the
CLI's one-line refusal, so it becomes a ``SpecError`` here: a 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import Request

from patentreach.web import service

if TYPE_CHECKING:
    from patentreach.transfers.results import TransferResult
    from patentreach.transfers.spec import TransferSpec


def _run(request: Request, key: tuple, compute: Callable[[Any], TransferResult]) -> TransferResult:
    from patentreach.transfers.spec import SpecError

    def guarded(engine: Any) -> TransferResult:
        try:
            return compute(engine)
        except SpecError:
            raise
        except (KeyError, ValueError) as exc:
            raise SpecError(str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)) from None

    return service.cached(request, ("transfers", *key), guarded, fresh=False)


def flows(request: Request, spec: TransferSpec) -> TransferResult:
    """``transfers flows``."""
    from patentreach import transfers

    return _run(request, ("flows", spec), lambda engine: transfers.flows(engine, spec))


def owner_shares(request: Request, spec: TransferSpec) -> TransferResult:
    """``transfers owner-shares``."""
    from patentreach import transfers

    return _run(request, ("owner_shares", spec), lambda engine: transfers.owner_shares(engine, spec))


def counterparties(request: Request, spec: TransferSpec, side: str, limit: int) -> TransferResult:
    """``transfers counterparties``."""
    from patentreach import transfers

    return _run(request, ("counterparties", spec, side, limit),
                lambda engine: transfers.counterparties(engine, spec, side, limit))


def records(request: Request, spec: TransferSpec, cell: dict[str, Any]) -> TransferResult:
    """``transfers records`` for the cell's coordinates."""
    from patentreach import transfers

    key = ("records", spec, tuple(sorted(cell.items(), key=lambda item: item[0])))
    return _run(request, key, lambda engine: transfers.records(engine, spec, cell))


def conveyances(request: Request) -> TransferResult:
    """``transfers conveyances``."""
    from patentreach import transfers

    return _run(request, ("conveyances",), lambda engine: transfers.conveyances(engine))
