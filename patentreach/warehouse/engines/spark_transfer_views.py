"""The transfer views in Spark SQL (the DuckDB views are in ``warehouse/views.py``), registered by
the Spark adapter. Same rule: committed parts only; per ``transfer_id`` a whole-transaction copy
before a one-property copy, then the latest ingest, then the later record; child rows of exactly
that copy."""

from __future__ import annotations

from typing import Any

from patentreach.model.schema import TRANSFER_CHILD_TABLES, TRANSFER_TABLES
from patentreach.warehouse.layout import Warehouse


def transfer_view_statements(spark: Any, warehouse: Warehouse, frame: Any) -> list[str]:
    """Register the transfer parts with ``frame`` (the adapter's part reader); return the views' SQL."""
    for table, schema in TRANSFER_TABLES.items():
        directory = warehouse.table_dir(table)
        parts = sorted(directory.glob("*.parquet")) if directory.is_dir() else []
        frame(spark, parts, schema).createOrReplaceTempView(f"{table}_parts")
    columns = ", ".join(f"`{f.name}`" for f in TRANSFER_TABLES["transfers"])
    statements = [
        "CREATE OR REPLACE TEMP VIEW all_transfers AS SELECT * FROM transfers_parts "
        "WHERE ingest_id IN (SELECT ingest_id FROM ingest_log)",
        f"CREATE OR REPLACE TEMP VIEW transfers AS SELECT {columns} FROM ("
        "  SELECT a.*, row_number() OVER (PARTITION BY a.transfer_id"
        "    ORDER BY CASE WHEN a.scope = 'transaction' THEN 1 ELSE 0 END DESC, l.finished_at DESC,"
        "      a.ingest_id DESC, a.record_index DESC) AS copy_rank"
        "  FROM all_transfers a JOIN ingest_log l ON a.ingest_id = l.ingest_id"
        ") WHERE copy_rank = 1",
    ]
    for table in TRANSFER_CHILD_TABLES:
        statements.append(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT c.* FROM {table}_parts c "
            "LEFT SEMI JOIN transfers t ON c.transfer_id = t.transfer_id AND c.ingest_id = t.ingest_id "
            "AND c.record_index = t.record_index"
        )
    return statements
