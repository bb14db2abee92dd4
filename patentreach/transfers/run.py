"""The library functions the CLI (and later the web routes) call: one per command.

``flows(engine, spec)``, ``owner_shares(engine, spec)``, ``counterparties(engine, spec, side,
limit)``, ``records(engine, spec, cell)`` and ``conveyances(engine)`` each return a
``TransferResult``. ``engine`` is an open adapter of ``patentreach.warehouse.engines`` (DuckDB or
Spark); a ``TransferTables`` built from it may be passed instead, to share derived tables between
several calls.
"""

from __future__ import annotations

from typing import Any

from patentreach.transfers.counterparties import counterparties_table
from patentreach.transfers.flows import flows_table, records_table
from patentreach.transfers.owners import owner_shares_table
from patentreach.transfers.results import TransferResult, collect
from patentreach.transfers.spec import TransferSpec, check_cell
from patentreach.transfers.tables import TransferTables


def _tables(source: Any) -> TransferTables:
    return source if isinstance(source, TransferTables) else TransferTables.from_engine(source)


def _definition(statistic: str, spec: TransferSpec | None, source: Any, **extra: Any) -> dict[str, Any]:
    engine = getattr(source, "name", None)
    out: dict[str, Any] = {"statistic": statistic}
    if spec is not None:
        out |= spec.to_dict() | {"label": spec.label()}
    return out | extra | {"computed": {"engine": engine}}


def flows(source: Any, spec: TransferSpec) -> TransferResult:
    """Transactions and patents per cell of ``spec.by`` (origin, destination, year, field ...)."""
    columns, rows = collect(flows_table(_tables(source), spec), list(spec.by))
    return TransferResult(_definition("flows", spec, source), columns, rows)


def owner_shares(source: Any, spec: TransferSpec) -> TransferResult:
    """Per origin: its owners, those who transferred or licensed abroad, and the share."""
    columns, rows = collect(owner_shares_table(_tables(source), spec), ["origin"])
    return TransferResult(_definition("owner_shares", spec, source), columns, rows)


def counterparties(source: Any, spec: TransferSpec, side: str = "assignee", limit: int = 20) -> TransferResult:
    """The most frequent parties on ``side`` of the counted transfers (most transactions first)."""
    expr = counterparties_table(_tables(source), spec, side=side, limit=limit)
    columns, rows = collect(expr, ["transactions", "patents", "name"], keep_order=True)
    rows.sort(key=lambda r: (-r["transactions"], -r["patents"], r["name"] or ""))
    return TransferResult(_definition("counterparties", spec, source, side=side, limit=limit), columns, rows)


def records(source: Any, spec: TransferSpec, cell: dict[str, Any] | None = None) -> TransferResult:
    """The transfers behind one cell of ``flows`` (drill-down), one row per pair of parties."""
    cell = dict(cell or {})
    check_cell(cell)
    expr = records_table(_tables(source), spec, **cell)
    columns, rows = collect(expr, ["date", "transfer_id", "assignor", "assignee"])
    return TransferResult(_definition("records", spec, source, cell=cell), columns, rows)


def conveyances(source: Any) -> TransferResult:
    """How the stored transfers were classified: count per conveyance type and text (all types)."""
    t = _tables(source).transfers
    expr = t.group_by(["conveyance_type", "conveyance_text"]).aggregate(transfers=t.transfer_id.nunique())
    columns, rows = collect(expr, ["conveyance_type", "conveyance_text"])
    return TransferResult(_definition("conveyances", None, source), columns, rows)
