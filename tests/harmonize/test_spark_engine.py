"""`harmonize --engine spark` runs the same Splink model on Spark and gives the same entities.

Spark runs in local mode on the process's one session (``warehouse.engines.spark_engine``), which
carries Splink's jar of similarity functions. About two minutes on the 2-core machine.
"""

from __future__ import annotations

import pyarrow.parquet as pq

from patentreach.harmonize import harmonize, linker
from tests.harmonize.conftest import patentsview_organisation_records

ROW_ORDER = [("pub_id", "ascending"), ("role", "ascending"), ("sequence", "ascending")]


def _party_entity(warehouse) -> object:
    return pq.read_table(warehouse.derived_dir / "party_entity.parquet").sort_by(ROW_ORDER)


def test_harmonize_on_spark_gives_the_duckdb_tables(harmonized_copy):
    on_duckdb = _party_entity(harmonized_copy)
    entities = pq.read_table(harmonized_copy.derived_dir / "entities.parquet").sort_by("entity_id")
    report = harmonize(harmonized_copy, engine="spark")
    assert report.engine == "spark"
    assert report.ids_new == report.ids_retired == 0
    assert _party_entity(harmonized_copy).equals(on_duckdb)
    assert pq.read_table(harmonized_copy.derived_dir / "entities.parquet").sort_by("entity_id").equals(entities)


def test_estimated_model_links_the_same_names_on_spark():
    # the 4,000 PatentsView organisations on which the parameters are estimated (test_linker.py)
    records = patentsview_organisation_records(4000)
    on_duckdb, on_spark = linker.resolve(records, "duckdb"), linker.resolve(records, "spark")
    estimated = "estimated from the data (implausible estimates replaced by priors: name)"
    assert on_spark.parameters == on_duckdb.parameters == estimated
    assert on_spark.linked_pairs == on_duckdb.linked_pairs
    assert on_spark.clusters == on_duckdb.clusters
    assert on_spark.clusters["DEUTSCHE TELECOM"] == on_spark.clusters["DEUTSCHE TELEKOM"]
