"""Cross-border technology transfer from recorded transactions: assignments and licences between
countries (or country groups such as the Belt and Road partners), by year and technology field,
by transaction and by patent; the share of a country's owners who transferred or licensed abroad;
top counterparties; drill-down to the records.

The records are the ``transfers`` tables (``patentreach.model.transfers``), written by the
transfer readers; every statistic is an Ibis expression over the warehouse tables, so it runs on
any engine adapter (DuckDB, Spark). See ``docs/transfers.md``.
"""

from patentreach.transfers.results import TransferResult
from patentreach.transfers.run import conveyances, counterparties, flows, owner_shares, records
from patentreach.transfers.spec import DEFAULT_TYPES, DIMENSIONS, SpecError, TransferSpec
from patentreach.transfers.tables import TransferTables

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
