"""``warehouse.duckdb`` keeps its views current while defining again only the changed ones.

Creating a view binds it (reads every part's footer), so an ingest defines again only the views
whose statement changed; views over a folder's ``*.parquet`` see new parts without that."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from patentreach.warehouse import Warehouse, views
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

GRANTS = ("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20221025.xml")
MORE_GRANTS = ("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")
ASSIGNMENTS = ("data", "uspto-assignment-xml", "bulk-daily", "ad20160101.xml")


def _count(warehouse: Warehouse, table: str) -> int:
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _in_memory_count(warehouse: Warehouse, table: str) -> int:
    con = views.connect(warehouse)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    store = Warehouse(tmp_path / "wh")
    ingest([shared_path(*GRANTS)], store)
    return store


class _Recording:
    """A DuckDB connection that remembers the statements it was given."""

    def __init__(self, executed: list[str], path: str) -> None:
        self._con, self._executed = duckdb.connect(path), executed

    def execute(self, sql: str, *args: object) -> duckdb.DuckDBPyConnection:
        self._executed.append(sql)
        return self._con.execute(sql, *args)

    def close(self) -> None:
        self._con.close()


def test_writing_the_database_again_defines_no_view_again(warehouse: Warehouse, monkeypatch) -> None:
    executed: list[str] = []
    monkeypatch.setattr(views, "duckdb", SimpleNamespace(connect=lambda path: _Recording(executed, path)))
    views.write_database(warehouse)
    assert [sql for sql in executed if sql.startswith(("CREATE", "COMMENT"))] == []


def test_parts_ingested_after_the_views_were_written_are_in_the_database_views(warehouse: Warehouse) -> None:
    before = _count(warehouse, "publications")
    ingest([shared_path(*MORE_GRANTS)], warehouse)
    assert _count(warehouse, "publications") == _in_memory_count(warehouse, "publications") > before


def test_a_table_that_gains_its_first_part_is_defined_again(warehouse: Warehouse) -> None:
    assert _count(warehouse, "all_transfers") == 0
    ingest([shared_path(*ASSIGNMENTS)], warehouse)
    assert _count(warehouse, "all_transfers") == _in_memory_count(warehouse, "all_transfers") > 0


def test_a_view_an_analyst_replaced_is_defined_again(warehouse: Warehouse) -> None:
    with duckdb.connect(str(warehouse.duckdb_path)) as con:
        con.execute("CREATE OR REPLACE VIEW publications AS SELECT 1 AS pub_id")
        con.execute("DROP VIEW parties")
    views.write_database(warehouse)
    assert _count(warehouse, "publications") == _in_memory_count(warehouse, "publications") > 1
    assert _count(warehouse, "parties") == _in_memory_count(warehouse, "parties") > 0


def test_a_rewritten_derived_table_is_bound_again(warehouse: Warehouse) -> None:
    warehouse.derived_dir.mkdir(parents=True, exist_ok=True)
    target = warehouse.derived_dir / "scores.parquet"
    pq.write_table(pa.table({"pub_id": [1, 2]}), target)
    views.write_database(warehouse)
    pq.write_table(pa.table({"pub_id": ["US-1"], "score": [0.5]}), target)
    views.write_database(warehouse)
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        assert con.execute("SELECT * FROM scores").fetchall() == [("US-1", 0.5)]


def test_each_view_carries_the_stamp_of_its_statement(warehouse: Warehouse) -> None:
    statements = {views.view_name(s): s for s in views.view_statements(warehouse)}
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        comments = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    assert comments["publications"] == views.stamp(statements["publications"])
    assert set(statements) <= set(comments)
