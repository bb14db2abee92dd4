"""The transfer statistics give the same rows on Spark as on DuckDB.

Part of the default run (about 90 s on the 2-core machine, most of it Spark planning the five
statistics). The Spark adapter registers the transfer views itself (``warehouse/engines/spark_transfer_views.py``).
"""

from __future__ import annotations

from patentreach.transfers import TransferSpec, TransferTables, counterparties, flows, owner_shares, records
from patentreach.warehouse.engines import connect

PLEDGES = TransferSpec(types=("assignment", "licence", "security_interest", "release"),
                       by=("origin", "destination", "conveyance_type", "year"))
STATISTICS = {
    "flows": lambda t: flows(t, PLEDGES).rows,
    "groups": lambda t: flows(t, TransferSpec(cross_border_only=False, destination_group="bri",
                                              by=("origin", "destination_group", "field"))).rows,
    "records": lambda t: records(t, PLEDGES, {"origin": "US"}).rows,
    "shares": lambda t: owner_shares(t, TransferSpec(origin=("GB", "US", "CA"))).rows,
    "counterparties": lambda t: counterparties(t, PLEDGES).rows,
}


def test_same_rows_on_spark_and_duckdb(edited_warehouse):
    with connect(edited_warehouse) as duck:
        expected = {name: compute(TransferTables.from_engine(duck)) for name, compute in STATISTICS.items()}
    with connect(edited_warehouse, "spark", shuffle_partitions=2) as spark:
        tables = TransferTables.from_engine(spark)
        got = {name: compute(tables) for name, compute in STATISTICS.items()}
    assert got == expected
    assert expected["flows"]  # not vacuous
