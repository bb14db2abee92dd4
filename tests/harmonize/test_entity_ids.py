"""Entity ids survive re-runs and new data (rule in docs/harmonize.md and entity_ids.py)."""

from __future__ import annotations

import pyarrow.parquet as pq

from patentreach.harmonize import harmonize
from patentreach.harmonize.entity_ids import assign, new_id
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path
from tests.harmonize.conftest import ADDED_LATER, rows, sample_paths


def _variants(warehouse: Warehouse) -> dict[str, str]:
    table = pq.read_table(warehouse.derived_dir / "entity_variants.parquet")
    return dict(zip(table.column("variant_id").to_pylist(), table.column("entity_id").to_pylist(), strict=True))


def test_first_run_ids_are_a_hash_of_the_cluster_root():
    assignment = assign({"a": "a", "b": "a", "c": "c"}, {"a": 5, "b": 1, "c": 2}, {})
    assert assignment.cluster_ids == {"a": new_id("a"), "c": new_id("c")}
    assert new_id("a").startswith("E") and len(new_id("a")) == 13
    assert (assignment.kept, assignment.new, assignment.retired) == (0, 2, 0)


def test_a_cluster_keeps_the_id_most_of_its_rows_had():
    previous = {"a": "E1", "b": "E1", "c": "E2"}
    # new data: a heavier variant "d" joins a and b, and becomes the cluster's root
    assignment = assign({"a": "d", "b": "d", "d": "d", "c": "c"}, {"a": 3, "b": 1, "c": 2, "d": 9}, previous)
    assert assignment.cluster_ids == {"d": "E1", "c": "E2"}
    assert (assignment.kept, assignment.new, assignment.retired) == (2, 0, 0)


def test_merge_keeps_the_heavier_id_and_retires_the_other():
    previous = {"a": "E1", "b": "E2"}
    assignment = assign({"a": "a", "b": "a"}, {"a": 5, "b": 2}, previous)
    assert assignment.cluster_ids == {"a": "E1"}
    assert assignment.retired == 1


def test_split_gives_the_id_to_the_heavier_part():
    previous = {"a": "E1", "b": "E1"}
    assignment = assign({"a": "a", "b": "b"}, {"a": 1, "b": 4}, previous)
    assert assignment.cluster_ids["b"] == "E1"
    assert assignment.cluster_ids["a"] == new_id("a")  # never a retired or taken id


def test_rerun_gives_the_same_ids(harmonized_copy):
    before = _variants(harmonized_copy)
    entities = rows(harmonized_copy, "SELECT * FROM entities ORDER BY entity_id")
    report = harmonize(harmonized_copy)
    assert _variants(harmonized_copy) == before
    assert rows(harmonized_copy, "SELECT * FROM entities ORDER BY entity_id") == entities
    assert (report.ids_kept, report.ids_new, report.ids_retired) == (163, 0, 0)


def test_a_fresh_warehouse_of_the_same_files_gets_the_same_ids(harmonized, tmp_path):
    original, _ = harmonized
    fresh = Warehouse(tmp_path / "fresh")
    ingest(sample_paths(), fresh)
    harmonize(fresh)
    assert _variants(fresh) == _variants(original)


def test_ids_survive_new_data(harmonized_copy):
    before = _variants(harmonized_copy)
    ingest([shared_path("data", *parts) for parts in ADDED_LATER], harmonized_copy)
    report = harmonize(harmonized_copy)
    after = _variants(harmonized_copy)
    assert {v: after[v] for v in before} == before
    assert (report.ids_kept, report.ids_new, report.ids_retired) == (163, 157, 0)
    assert report.entities == 320
