"""DuckDB and Spark give the same entities on ALL of the shared sample data, not only a subset.

Both engines apply one Splink model, estimated on DuckDB (``linker.fitted_model``); before that,
each estimated its own u from its own random sample and Spark linked 91 pairs into 11,033
entities where DuckDB linked 60 into 11,060, merging applicants on shared inventors alone. With the
PATSTAT-layout sample in the shared data (its parties repeat those of the DOCDB, OPS, USPTO and Lens
records it was transcribed from, in PATSTAT's spellings) both engines link 65 pairs into 11,391. The
warehouses are built once per run (``shared_data_on_both_engines``: ingest of every file of
``shared/data`` that ingests, then one harmonisation per engine); about three minutes.
"""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from patentreach.harmonize import derived_tables

PAIRS_LINKED = 65
ENTITIES = 11391

# Pairs Spark merged with its own estimates: different applicants that share inventors.
WRONG_MERGES = (
    ("SHAN GIN INNOKENTIJ EVGEN EVIC", "SHAN GIN EVGENIJ SERGEEVICH"),
    ("UNIV DALIAN TECH", "UNIV DALIAN SCI ENG"),
    ("CHINA PETROLEUM CHEM", "CHINA PETROLEUM CHEM CORP QINGDAO SAFETY ENG INST"),
)


def _table(warehouse, name: str):
    table = pq.read_table(derived_tables.path(warehouse, name))
    return table.sort_by([(column, "ascending") for column in table.column_names])


@pytest.mark.slow
@pytest.mark.parametrize("name", derived_tables.WRITE_ORDER)
def test_spark_writes_the_same_derived_table_as_duckdb(shared_data_on_both_engines, name):
    (on_duckdb, _), (on_spark, _) = shared_data_on_both_engines["duckdb"], shared_data_on_both_engines["spark"]
    duckdb_table, spark_table = _table(on_duckdb, name), _table(on_spark, name)
    assert spark_table.num_rows == duckdb_table.num_rows
    assert spark_table.equals(duckdb_table)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_all_shared_data_links_65_pairs_into_11391_entities(shared_data_on_both_engines, engine):
    _, report = shared_data_on_both_engines[engine]
    assert report["engine"] == engine
    assert report["linked_pairs"] == PAIRS_LINKED
    assert report["entities"] == ENTITIES
    assert report["parameters"] == "estimated from the data (implausible estimates replaced by priors: country)"


@pytest.mark.slow
def test_both_reports_agree_on_every_count(shared_data_on_both_engines):
    (_, on_duckdb), (_, on_spark) = shared_data_on_both_engines["duckdb"], shared_data_on_both_engines["spark"]
    different = {key for key in on_duckdb if key not in ("engine", "seconds") and on_duckdb[key] != on_spark[key]}
    assert different == set()


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize(("one", "other"), WRONG_MERGES)
def test_applicants_sharing_only_inventors_stay_apart(shared_data_on_both_engines, engine, one, other):
    warehouse, _ = shared_data_on_both_engines[engine]
    variants = pq.read_table(derived_tables.path(warehouse, "entity_variants"), columns=["match_key", "entity_id"])
    entity_of: dict[str, set[str]] = {}
    for key, entity in zip(variants.column("match_key").to_pylist(), variants.column("entity_id").to_pylist(),
                           strict=True):
        entity_of.setdefault(key, set()).add(entity)
    assert entity_of[one] and entity_of[other]
    assert entity_of[one].isdisjoint(entity_of[other])
