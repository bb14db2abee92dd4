"""Technology fields: the source's own weights (PATSTAT tls230) where it gives them, else the IPC symbols.

On the real USPTO grants of ``source_typed_fixture`` (see its doc for the fields each document has
from its IPC symbols and from the "source"). Expected counts are written out by hand below.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from fractions import Fraction

import pytest

from patentreach.indicators import OutboundSpec, outbound, outbound_set, prepare
from patentreach.indicators.facts import document_fields
from patentreach.indicators.prepared import FACTS_VERSION, MANIFEST, fact_source
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import Engine, connect
from tests.indicators.source_typed_fixture import build

pytestmark = pytest.mark.filterwarnings(
    "ignore:The copy keyword is deprecated", "ignore:The 'future.infer_string' option is deprecated"
)

BY_FIELD = OutboundSpec(scope="all", by=("field",))
THIRD = Fraction(1, 3)
# The 22 invention grants split over their fields (documents, fractional field counting): the IPC
# split, except 8087986 (6 -> 7), 8088760 (14, 16: 1/2 each -> 3/4, 1/4) and 8089342 (3, 4, 6, 12,
# 32: 1/5 each -> 3: 1/4, 6: 1/4, 32: 1/2). Field 4 had only 8089342's fifth: it is gone.
FRACTIONAL = {
    1: 1,                              # 8088512
    2: 2,                              # 8089769, 8089850
    3: Fraction(1, 4) + 1 + 1 + THIRD,  # 8089342 (source), 8089389, 8089993, 8090141
    5: 1,                              # 8089324
    6: Fraction(1, 4) + THIRD + Fraction(1, 2),  # 8089342 (source), 8090141, 8090168
    7: 1,                              # 8087986 (source)
    8: 2,                              # 8089078, 8089085
    9: 2,                              # 8089596, 8089609
    12: THIRD,                         # 8090141
    13: 1 + Fraction(1, 2),            # 8088102, 8090168
    14: 1 + Fraction(3, 4),            # 8088364, 8088760 (source)
    16: Fraction(1, 4),                # 8088760 (source)
    19: THIRD,                         # 8088480
    21: 1 + THIRD,                     # 8088241, 8088480
    28: 1,                             # 8090467
    29: 1,                             # 8088834
    32: Fraction(1, 2),                # 8089342 (source)
    34: THIRD,                         # 8088480
    35: 1,                             # 8087209
}
# By first field: the first IPC symbol's field of every grant, whatever the source's weights say
# (8087986 keeps 6, which its source gives no weight; 8088760 keeps 16, 8089342 keeps 32).
FIRST = {1: 1, 2: 2, 3: 2, 5: 1, 6: 2, 8: 2, 9: 2, 13: 2, 14: 1, 16: 1, 21: 1, 28: 1, 29: 1, 32: 1, 34: 1, 35: 1}
FIELD_NOTE = ("WIPO technology fields: 3 documents from the source's own weights (PATSTAT tls230), 19 documents "
              "from IPC symbols through the WIPO concordance.")


@pytest.fixture(scope="module")
def source_typed(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return build(tmp_path_factory.mktemp("source-typed") / "wh")


@pytest.fixture
def engine(source_typed: Warehouse) -> Iterator[Engine]:
    with connect(source_typed) as opened:
        yield opened


def _counts(result) -> dict:  # type: ignore[no-untyped-def]
    return {row["field"]: row["count"] for row in result.rows}


def test_documents_with_source_weights_are_split_by_them_and_the_rest_by_their_ipc_symbols(engine) -> None:
    counts = _counts(outbound(engine, BY_FIELD))
    assert counts == {field: pytest.approx(float(value), abs=1e-9) for field, value in FRACTIONAL.items()}
    assert sum(counts.values()) == pytest.approx(22)


def test_the_first_field_stays_the_field_of_the_first_ipc_symbol(engine) -> None:
    assert _counts(outbound(engine, BY_FIELD.replace(field_counting="first"))) == FIRST


def test_a_source_document_has_its_weights_and_a_zero_row_only_for_a_first_field_it_leaves_out(engine) -> None:
    rows = document_fields(engine).to_pyarrow().to_pylist()
    fields = {}
    for row in rows:
        fields.setdefault(row["pub_id"], []).append((row["field"], row["weight"], row["first"]))
    assert sorted(fields["US-8087986-B2"]) == [(6, 0.0, True), (7, 1.0, False)]
    assert sorted(fields["US-8088760-B2"]) == [(14, 0.75, False), (16, 0.25, True)]
    assert sorted(fields["US-8089342-B2"]) == [(3, 0.25, False), (6, 0.25, False), (32, 0.5, True)]
    assert sorted(fields["US-8090141-B2"]) == [(3, pytest.approx(1 / 3), False), (6, pytest.approx(1 / 3), True),
                                               (12, pytest.approx(1 / 3), False)]
    assert len(fields) == 22  # the designs have no IPC symbol and no source field
    assert all(sum(w for _, w, _ in rows) == pytest.approx(1.0) for rows in fields.values())


def test_the_definition_of_a_by_field_figure_says_where_the_fields_came_from(engine) -> None:
    definition = outbound(engine, BY_FIELD).definition
    assert definition["field_weights"] == {"ipc": 19, "patstat:tls230": 3}
    assert FIELD_NOTE in definition["notes"]
    assert definition["meaning"]["field_counting"] == (
        "a document is split over its fields by the source's weights where given (PATSTAT tls230), else equally "
        "over the distinct fields of its IPC symbols")
    japanese = outbound(engine, BY_FIELD.replace(origin=("JP",))).definition
    assert japanese["field_weights"] == {"ipc": 19, "patstat:tls230": 3}  # of the selection, before the origin


def test_a_figure_without_fields_or_without_documents_carries_no_field_note(engine) -> None:
    definition = outbound(engine, OutboundSpec(scope="all", by=("origin",))).definition
    assert "field_weights" not in definition
    assert not any(note.startswith("WIPO technology fields") for note in definition["notes"])
    empty = outbound(engine, BY_FIELD.replace(years=(2020, 2021))).definition
    assert empty["field_weights"] == {}
    assert empty["notes"] == [
        "Nothing counted: no invention grants in 2020-2021: the warehouse holds invention grants for 2012 only."]


SPECS = {
    "fractional": BY_FIELD,
    "first": BY_FIELD.replace(field_counting="first"),
    "origin_field": BY_FIELD.replace(by=("origin", "field")),
    "families": BY_FIELD.replace(unit="families"),
    "applicants_fractional": BY_FIELD.replace(origin_rule="applicants", counting="fractional",
                                              by=("origin", "field")),
    "jp_abroad": OutboundSpec(origin=("JP",), by=("field", "year")),
    "designs": OutboundSpec(scope="all", types=("design",), by=("origin",)),
}


@pytest.mark.parametrize("partitions", [1, 2])
def test_prepared_facts_give_the_same_figures_and_definitions(source_typed, tmp_path, partitions) -> None:
    copy = Warehouse(tmp_path / "wh")
    shutil.copytree(source_typed.root, copy.root)
    with connect(copy) as engine:
        computed = outbound_set(engine, SPECS)
        prepare(engine, partitions=partitions)
        assert fact_source(engine).prepared
        prepared = outbound_set(engine, SPECS)
    for name in SPECS:
        assert computed[name].rows, name
        assert prepared[name].rows == computed[name].rows, name
        assert prepared[name].definition["notes"] == computed[name].definition["notes"], name
        assert prepared[name].definition["doc_type_rules"] == computed[name].definition["doc_type_rules"], name
        assert "prepared" in prepared[name].definition["computed"]["facts"]
    assert _counts(prepared["fractional"]) == _counts(computed["fractional"])
    assert json.loads((copy.derived_dir / MANIFEST).read_text())["version"] == FACTS_VERSION


def test_facts_prepared_by_an_earlier_version_are_not_used(source_typed, tmp_path) -> None:
    """Tables prepared before the source's weights counted split 8089342 by its IPC symbols: a
    manifest without the current version is refused, and the figure says so."""
    copy = Warehouse(tmp_path / "wh")
    shutil.copytree(source_typed.root, copy.root)
    with connect(copy) as engine:
        prepare(engine)
        manifest = copy.derived_dir / MANIFEST
        body = json.loads(manifest.read_text())
        del body["version"]
        manifest.write_text(json.dumps(body))
        source = fact_source(engine)
        result = outbound(engine, BY_FIELD)
    assert (source.prepared, source.outdated) == (False, 1)
    assert result.definition["computed"]["facts"] == (
        "computed from the warehouse views (prepared facts are of an earlier layout (version 1, this is "
        f"{FACTS_VERSION}): run `stats prepare` again)")
    assert result.definition["notes"][0] == (
        "The prepared fact tables were written by an earlier version of patentreach and were not used: this figure "
        "was computed from the warehouse views (run `patentreach stats prepare` to rewrite them).")
    assert _counts(result)[7] == 1


@pytest.fixture(scope="module")
def spark(source_typed: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.fail("Spark needs a Java runtime: run scripts/system-deps.sh", pytrace=False)
    copy = Warehouse(tmp_path_factory.mktemp("spark-source-typed") / "wh")
    shutil.copytree(source_typed.root, copy.root)
    engine = connect(copy, "spark", master="local[2]", shuffle_partitions=2)
    yield engine
    engine.close()


@pytest.mark.parametrize("prepared", [False, True], ids=["views", "prepared"])
def test_spark_counts_source_fields_and_rules_as_duckdb(engine, spark, prepared) -> None:
    """DuckDB from the views against Spark from its own views, then from the facts Spark prepared."""
    if prepared:
        prepare(spark)
        assert fact_source(spark).prepared
    duck = outbound_set(engine, SPECS, use_prepared=False)
    on_spark = outbound_set(spark, SPECS, use_prepared=prepared)
    for name in SPECS:
        assert on_spark[name].rows == duck[name].rows, name
        assert on_spark[name].definition["notes"] == duck[name].definition["notes"], name
        assert on_spark[name].definition["doc_type_rules"] == duck[name].definition["doc_type_rules"], name
        assert on_spark[name].definition.get("field_weights") == duck[name].definition.get("field_weights"), name
    assert _counts(on_spark["fractional"]) == _counts(duck["fractional"])
