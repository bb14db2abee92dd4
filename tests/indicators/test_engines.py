"""The whole indicator set on DuckDB and on Spark over the same warehouse: equal results.

Spark starts a JVM (seconds), so there is one Spark engine per test session and few tests.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from patentreach.indicators import OutboundSpec, indicator_set, outbound, outbound_set, prepare, records
from patentreach.indicators.prepared import fact_source
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import Engine, connect

pytestmark = pytest.mark.filterwarnings(
    "ignore:The copy keyword is deprecated", "ignore:The 'future.infer_string' option is deprecated"
)


def every_switch() -> dict[str, OutboundSpec]:
    """The standard set plus a spec for each value of each switch."""
    specs = indicator_set(("JP",), (2005, 2012))
    base = OutboundSpec(scope="all", by=("origin", "office", "year"))
    specs |= {
        "applicants_fractional": base.replace(origin_rule="applicants", counting="fractional"),
        "inventors_whole": base.replace(origin_rule="inventors"),
        "families_fractional": base.replace(unit="families", counting="fractional", origin_rule="applicants"),
        "applications_filing": base.replace(stage="applications", basis="filing"),
        "priority_designs": base.replace(basis="priority", types=("invention", "design")),
        "company_non_resident": base.replace(sector=("company",), scope="non_resident"),
        "major_offices_resident": base.replace(offices=("major_offices",), scope="resident"),
        "field_first": OutboundSpec(scope="all", by=("field", "office"), field_counting="first"),
        "field_families": OutboundSpec(scope="all", by=("origin", "field"), unit="families"),
        "destination_residence": OutboundSpec(scope="all", by=("destination", "residence", "sector", "year"),
                                              destination_group="epc"),
        "entities_all": OutboundSpec(scope="all", by=("entity", "origin"), origin_rule="applicants"),
    }
    return specs


@pytest.fixture(scope="session")
def spark_engine(sample_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Spark over a copy of the sample warehouse whose fact tables Spark itself prepared (so the
    fact expressions run on Spark once, and the counts then run from its Parquet output)."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.fail("Spark needs a Java runtime: run scripts/system-deps.sh", pytrace=False)
    copy = Warehouse(tmp_path_factory.mktemp("spark") / "wh")
    shutil.copytree(sample_warehouse.root, copy.root)
    engine = connect(copy, "spark", master="local[2]", shuffle_partitions=2)
    prepare(engine)
    assert fact_source(engine).prepared
    yield engine
    engine.close()


def test_every_indicator_equal_on_duckdb_and_spark(sample_engine: Engine, spark_engine: Engine) -> None:
    """DuckDB computing from the views, Spark counting from the facts it prepared, and DuckDB
    counting from those Spark-written facts: the same rows everywhere."""
    specs = every_switch()
    duck = {name: outbound(sample_engine, spec, use_prepared=False) for name, spec in specs.items()}
    spark = {name: outbound(spark_engine, spec) for name, spec in specs.items()}
    with connect(spark_engine.warehouse) as duck_on_spark_facts:
        assert fact_source(duck_on_spark_facts).prepared
        mixed = outbound_set(duck_on_spark_facts, specs)
    for name in specs:
        assert duck[name].rows, f"{name}: no rows, so nothing was compared"
        assert duck[name].columns == spark[name].columns == mixed[name].columns, name
        assert duck[name].rows == spark[name].rows, name
        assert duck[name].rows == mixed[name].rows, name
        assert duck[name].definition["notes"] == spark[name].definition["notes"] == mixed[name].definition["notes"]
        assert spark[name].definition["computed"]["engine"] == "spark"


def test_drill_down_equal_on_both_engines(sample_engine: Engine, spark_engine: Engine) -> None:
    spec = OutboundSpec(origin_rule="applicants", counting="fractional", scope="all", by=("origin", "office", "year"))
    cell = {"origin": "JP", "office": "US", "year": 2005}
    assert records(sample_engine, spec, cell).rows == records(spark_engine, spec, cell).rows


def test_spark_writes_the_fact_tables_with_the_duckdb_types(
    sample_warehouse: Warehouse, spark_engine: Engine, tmp_path
) -> None:
    import pyarrow.parquet as pq

    copy = Warehouse(tmp_path / "wh")
    shutil.copytree(sample_warehouse.root, copy.root)

    def schema(warehouse: Warehouse, name: str) -> dict[str, str]:
        path = warehouse.derived_dir / name
        first = path if path.suffix == ".parquet" else sorted(path.glob("*.parquet"))[0]
        # Spark marks list elements non-null (collect_list never holds a null): same type otherwise
        return {f.name: str(f.type).replace(" not null", "") for f in pq.read_schema(first)}

    with connect(copy) as duck:
        prepare(duck)
    for name in ("outbound_fields", "outbound_facts_first_applicant"):
        assert schema(spark_engine.warehouse, name) == schema(copy, name), name
    assert schema(spark_engine.warehouse, "outbound_fields")["weight"] == "double"
    facts = schema(spark_engine.warehouse, "outbound_facts_first_applicant")
    assert facts["field_list"] == "list<element: struct<field: int64, weight: double>>"
    assert facts["first_field"] == "int64"
