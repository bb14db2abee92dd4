"""The synthetic warehouse: the warehouse layout, consistent tables, the published shapes."""

from __future__ import annotations

import pytest

from patentreach.synth.warehouse import write_warehouse
from patentreach.warehouse import Warehouse, connect


@pytest.fixture(scope="module")
def sql(mini_warehouse: Warehouse):
    con = connect(mini_warehouse)
    yield lambda query: con.execute(query).fetchall()
    con.close()


def test_layout_and_commits(mini_warehouse: Warehouse, sql) -> None:
    assert len(list(mini_warehouse.log_dir.glob("*.parquet"))) == 3  # 30,000 in parts of 12,000
    for table in ("publications", "parties", "classifications", "priorities"):
        assert len(list(mini_warehouse.table_dir(table).glob("*.parquet"))) == 3
    assert sql("SELECT count(*), count(DISTINCT pub_id) FROM publications") == [(30_000, 30_000)]
    assert sql("SELECT sum(stored) FROM ingest_log") == [(30_000,)]


def test_origin_shares_sum_to_one(sql) -> None:
    bad = sql("SELECT pub_id, rule, sum(share) s FROM origin_shares GROUP BY ALL HAVING abs(s - 1) > 1e-9 LIMIT 3")
    assert bad == []
    assert sql("SELECT count(DISTINCT pub_id) FROM origin_shares WHERE rule = 'first_applicant'") == [(30_000,)]
    assert sql("SELECT count(*) FROM parties p ANTI JOIN publications USING (pub_id)") == [(0,)]


def test_shaped_after_the_published_figures(sql) -> None:
    """CN-origin grants abroad go first to the US, then the EPO (CNIPA yearbook 2022, table 6-2);
    the EPO's come mostly by the PCT (Euro-PCT, 78% in the table)."""
    offices = sql("""SELECT p.office FROM publications p JOIN origin_shares o USING (pub_id)
                     WHERE o.rule = 'first_applicant' AND o.country = 'CN' AND p.office <> 'CN'
                     GROUP BY 1 ORDER BY count(*) DESC LIMIT 2""")
    assert [o for (o,) in offices] == ["US", "EP"]
    (share,), = sql("""SELECT avg((q.pub_id IS NOT NULL)::INT) FROM publications p
                       JOIN origin_shares o ON o.pub_id = p.pub_id AND o.rule = 'first_applicant' AND o.country = 'CN'
                       LEFT JOIN (SELECT DISTINCT pub_id FROM priorities WHERE kind = 'pct') q ON q.pub_id = p.pub_id
                       WHERE p.office = 'EP'""")
    assert 0.6 < share < 0.95


def test_same_seed_same_warehouse(tmp_path) -> None:
    a = write_warehouse(tmp_path / "a", 2_000, seed=3, threads=1)
    b = write_warehouse(tmp_path / "b", 2_000, seed=3, threads=1)
    assert a.rows == b.rows
    query = "SELECT office, doc_type, count(*) FROM publications GROUP BY ALL ORDER BY ALL"
    assert connect(Warehouse(a.root)).execute(query).fetchall() == connect(Warehouse(b.root)).execute(query).fetchall()


def test_refuses_a_real_warehouse(tmp_path) -> None:
    """A warehouse with ingests of its own is never overwritten."""
    (tmp_path / "ingest_log").mkdir()
    (tmp_path / "ingest_log" / "3f2a9c1e00000000.parquet").write_bytes(b"")
    with pytest.raises(FileExistsError):
        write_warehouse(tmp_path, 100)
    assert (tmp_path / "ingest_log" / "3f2a9c1e00000000.parquet").exists()
