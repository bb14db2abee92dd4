"""The definition says which rule typed the documents it selected: a source's own flag or the kind-code table.

On the real USPTO grants of ``source_typed_fixture``: of the 22 invention grants, 4 were typed by
the "source" (``source:patstat``: 8087986, 8088760, 8089342, 8089596) and 18 by the kind-code
table; of the 3 designs, 1 (D651486, the Chinese one) by the source and 2 by the table.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.indicators import OutboundSpec, outbound, records
from patentreach.indicators.explanations import _rules_note
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import Engine, connect
from tests.indicators.source_typed_fixture import build

pytestmark = pytest.mark.filterwarnings(
    "ignore:The copy keyword is deprecated", "ignore:The 'future.infer_string' option is deprecated"
)
BY_ORIGIN = OutboundSpec(scope="all", by=("origin",))
GRANTS_NOTE = ("Invention grants in the selection typed by PATSTAT's publn_first_grant and ipr_type flags: 4; "
               "by the kind-code table: 18.")


@pytest.fixture(scope="module")
def source_typed(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return build(tmp_path_factory.mktemp("source-typed") / "wh")


@pytest.fixture
def engine(source_typed: Warehouse) -> Iterator[Engine]:
    with connect(source_typed) as opened:
        yield opened


def test_the_definition_counts_the_selected_grants_per_rule_and_names_the_rules(engine) -> None:
    definition = outbound(engine, BY_ORIGIN).definition
    assert definition["doc_type_rules"] == {"kind_code": 18, "source:patstat": 4}
    assert definition["notes"] == [GRANTS_NOTE]


def test_the_rules_count_the_selection_before_the_origin_filter(engine) -> None:
    """Under the applicants rule each grant's shares sum to one: the rule counts stay whole documents."""
    japanese = outbound(engine, BY_ORIGIN.replace(origin=("JP",), origin_rule="applicants", counting="fractional"))
    assert japanese.definition["doc_type_rules"] == {"kind_code": 18, "source:patstat": 4}
    assert sum(row["count"] for row in japanese.rows) == 6


def test_designs_name_their_own_rules(engine) -> None:
    definition = outbound(engine, BY_ORIGIN.replace(types=("design",))).definition
    assert definition["doc_type_rules"] == {"kind_code": 2, "source:patstat": 1}
    assert definition["notes"] == [
        "Designs in the selection typed by PATSTAT's publn_first_grant and ipr_type flags: 1; by the kind-code "
        "table: 2."]


def test_an_empty_selection_has_no_rule_counts_and_no_rule_note(engine) -> None:
    definition = outbound(engine, BY_ORIGIN.replace(years=(2020, 2021))).definition
    assert definition["doc_type_rules"] == {}
    assert definition["notes"] == [
        "Nothing counted: no invention grants in 2020-2021: the warehouse holds invention grants for 2012 only."]


def test_the_drill_down_carries_the_rule_counts_too(engine) -> None:
    result = records(engine, BY_ORIGIN, {"origin": "JP"})
    assert result.definition["doc_type_rules"] == {"kind_code": 18, "source:patstat": 4}
    assert GRANTS_NOTE in result.definition["notes"]


def test_stats_outbound_json_has_the_rule_counts(source_typed) -> None:
    result = CliRunner().invoke(app, ["stats", "outbound", "-w", str(source_typed.root), "--scope", "all",
                                      "--by", "origin", "-f", "json"])
    assert result.exit_code == 0, result.output
    definition = json.loads(result.output)["definition"]
    assert definition["doc_type_rules"] == {"kind_code": 18, "source:patstat": 4}
    assert definition["notes"] == [GRANTS_NOTE]


def _without_the_rule_column(source_typed: Warehouse, root) -> Warehouse:  # type: ignore[no-untyped-def]
    """A copy whose publication parts lack ``doc_type_rule`` altogether (written by an earlier version)."""
    copy = Warehouse(root)
    shutil.copytree(source_typed.root, copy.root)
    for part in copy.table_dir("publications").glob("*.parquet"):
        table = pq.read_table(part)
        pq.write_table(table.drop_columns(["doc_type_rule"]), part)
    return copy


def test_publications_stored_before_the_rule_existed_count_as_typed_by_kind_code(source_typed, tmp_path) -> None:
    copy = _without_the_rule_column(source_typed, tmp_path / "wh")
    with connect(copy) as engine:
        assert "doc_type_rule" not in engine.table("publications").columns
        definition = outbound(engine, BY_ORIGIN).definition
    assert definition["doc_type_rules"] == {"kind_code": 22}
    assert definition["notes"] == []


def test_spark_reads_such_parts_as_typed_by_kind_code_too(source_typed, tmp_path) -> None:
    """Spark reads the parts with the model's schema: the missing column is null, read as kind_code."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.fail("Spark needs a Java runtime: run scripts/system-deps.sh", pytrace=False)
    copy = _without_the_rule_column(source_typed, tmp_path / "wh")
    with connect(copy, "spark", master="local[2]", shuffle_partitions=2) as spark:
        definition = outbound(spark, BY_ORIGIN).definition
    assert definition["doc_type_rules"] == {"kind_code": 22}
    assert definition["notes"] == []


def test_a_rule_without_a_phrase_is_named_by_its_code() -> None:
    spec = OutboundSpec()
    assert _rules_note({"kind_code": 3, "source:docdb": 2, "source:patstat": 5}, spec) == (
        "Invention grants in the selection typed by PATSTAT's publn_first_grant and ipr_type flags: 5; "
        "by 'source:docdb': 2; by the kind-code table: 3.")
    assert _rules_note({"kind_code": 3}, spec) is None
