"""The Spark engine materialises its views, and never serves them stale.

``spark_engine._Views`` copies ``publications``, its child tables and the transfer views into Spark
(``localCheckpoint``) the first time a query names them, so that later queries are not planned
through the whole chain of views again. A copy would not see what changed on disk since: these
tests change the warehouse under an open Spark engine (a second ingest, a derived table written,
then removed) and compare what Spark then returns with what DuckDB reads from the same files.

One Spark engine for the module, over one small warehouse of real USPTO grants that the tests
change in order (a JVM costs seconds; an ingest of a small weekly sample, about one).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import Engine, connect
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

FIRST = ("data", "uspto-grant-xml", "ipg-weekly-samples", "ipg120103.small.xml")  # 25 grants
SECOND = ("data", "uspto-grant-xml", "ipg-weekly-samples", "ipg080101.small.xml")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = Warehouse(tmp_path_factory.mktemp("spark-fresh") / "wh")
    assert ingest([shared_path(*FIRST)], warehouse).failed == []
    return warehouse


@pytest.fixture(scope="module")
def spark(warehouse: Warehouse) -> Iterator[Engine]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.fail("Spark needs a Java runtime: run scripts/system-deps.sh", pytrace=False)
    engine = connect(warehouse, "spark", master="local[2]", shuffle_partitions=2)
    yield engine
    engine.close()


def _rows(engine: Engine, name: str) -> list[tuple]:
    table = engine.backend.to_pyarrow(engine.table(name))
    return sorted(tuple(row.values()) for row in table.to_pylist())


def _duckdb_rows(warehouse: Warehouse, name: str) -> list[tuple]:
    with connect(warehouse) as duck:
        return _rows(duck, name)


def _plan(spark: Engine, name: str) -> str:
    return spark.backend._session.table(name)._jdf.queryExecution().optimizedPlan().toString()


def test_the_views_are_materialised_when_first_queried(spark: Engine, warehouse: Warehouse) -> None:
    assert "Window" in _plan(spark, "publications")  # the current-copy rule, before any query
    assert len(_rows(spark, "publications")) == 25
    assert "Window" not in _plan(spark, "publications")  # now a scan of the copied rows
    assert _rows(spark, "parties") == _duckdb_rows(warehouse, "parties")
    assert "Join" not in _plan(spark, "parties")


def test_a_new_ingest_under_an_open_engine_is_seen(spark: Engine, warehouse: Warehouse) -> None:
    before = _rows(spark, "publications")
    report = ingest([shared_path(*SECOND)], warehouse)
    stored = sum(f.stored for f in report.files)
    assert report.failed == [] and stored > 0
    after = _rows(spark, "publications")
    assert len(after) == len(before) + stored  # no publication in both weeks
    assert after == _duckdb_rows(warehouse, "publications")
    for child in ("parties", "classifications", "priorities"):
        assert _rows(spark, child) == _duckdb_rows(warehouse, child), child
    assert "Window" not in _plan(spark, "publications")  # materialised again


def test_a_derived_table_written_or_removed_under_an_open_engine_is_seen(spark: Engine, warehouse: Warehouse) -> None:
    path = warehouse.derived_dir / "fresh_check.parquet"
    warehouse.derived_dir.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"n": [1, 2, 3]}), path)
    # (through the backend: ``Engine.table`` keeps the names it listed until the engine writes)
    assert "fresh_check" in spark.backend.list_tables()
    assert sorted(spark.backend.to_pyarrow(spark.backend.table("fresh_check")).column("n").to_pylist()) == [1, 2, 3]
    pq.write_table(pa.table({"n": [4]}), path)
    assert spark.backend.to_pyarrow(spark.backend.table("fresh_check")).column("n").to_pylist() == [4]
    path.unlink()
    assert "fresh_check" not in spark.backend.list_tables()
