"""`harmonize --engine spark` scores pairs with the model estimated on DuckDB and links the same names.

Spark runs in local mode on the process's one session (``warehouse.engines.spark_engine``), which
carries Splink's jar of similarity functions. Whole-warehouse equality of the two engines (every
derived table, on all of the shared sample data) is ``test_engines_agree.py``; the sample
warehouse's own Spark run, which that test supersedes, was removed to keep the suite's time.
"""

from __future__ import annotations

from patentreach.harmonize import linker
from tests.harmonize.conftest import patentsview_organisation_records


def test_estimated_model_links_the_same_names_on_spark():
    # the 4,000 PatentsView organisations on which the parameters are estimated (test_linker.py)
    records = patentsview_organisation_records(4000)
    on_duckdb, on_spark = linker.resolve(records, "duckdb"), linker.resolve(records, "spark")
    estimated = "estimated from the data (implausible estimates replaced by priors: name)"
    assert on_spark.parameters == on_duckdb.parameters == estimated
    assert on_spark.linked_pairs == on_duckdb.linked_pairs == 6
    assert on_spark.clusters == on_duckdb.clusters
    assert on_spark.clusters["DEUTSCHE TELECOM"] == on_spark.clusters["DEUTSCHE TELEKOM"]
