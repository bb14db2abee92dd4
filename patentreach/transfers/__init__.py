"""Cross-border technology transfer from recorded transactions: assignments and licences between
countries (or country groups such as the Belt and Road partners), by year and technology field,
by transaction and by patent; the share of a country's owners who transferred or licensed abroad;
top counterparties; drill-down to the records.

The records are the ``transfers`` tables (``patentreach.model.transfers``), written by the
transfer readers; every statistic is an Ibis expression over the warehouse tables, so it runs on
any engine adapter (DuckDB, Spark). See ``docs/transfers.md``.

The names below are imported on first use (``patentreach.model.lazy_exports``): importing this
package, or its small ``spec`` module, does not load Ibis.
"""

from typing import TYPE_CHECKING

from patentreach.model.lazy_exports import export_lazily

if TYPE_CHECKING:
    from patentreach.transfers.results import TransferResult
    from patentreach.transfers.run import conveyances, counterparties, flows, owner_shares, records
    from patentreach.transfers.spec import DEFAULT_TYPES, DIMENSIONS, SpecError, TransferSpec
    from patentreach.transfers.tables import TransferTables

__getattr__, __dir__ = export_lazily(__name__, {
    "results": ("TransferResult",),
    "run": ("conveyances", "counterparties", "flows", "owner_shares", "records"),
    "spec": ("DEFAULT_TYPES", "DIMENSIONS", "SpecError", "TransferSpec"),
    "tables": ("TransferTables",),
})

__all__ = [
    "DEFAULT_TYPES",
    "DIMENSIONS",
    "SpecError",
    "TransferResult",
    "TransferSpec",
    "TransferTables",
    "conveyances",
    "counterparties",
    "flows",
    "owner_shares",
    "records",
]
