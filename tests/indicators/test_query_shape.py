"""The shape of the compiled indicator queries (docs/indicators.md, "Query shape").

At 100 million publications Ibis's compile time per expression is a visible share of an
indicator's time, and it grows with the number of nested selects; these tests keep the
expressions of the standard set, counting from prepared facts through the shared base, as
shallow as the benchmark measured them, and check that a spec does not repeat the base's filters.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import ibis
import pytest

from patentreach.indicators import indicator_set, prepare
from patentreach.indicators.outbound_table import outbound_table
from patentreach.indicators.prepared import fact_source
from patentreach.indicators.run import _shared_base
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import connect

# SELECTs per indicator: the shared base, the cells, share with the previous count, the changes;
# the field split adds its unnest and the field names; the top entities add totals, ranks, the
# entity names and the join back to the cells.
MAX_SELECTS = {
    "office_year": 4, "office_year_families": 4, "origin_office_year": 4, "route_office_year": 4,
    "field_year": 9, "top_entities": 11,
}


@pytest.fixture(scope="module")
def compiled(mini_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    copy = Warehouse(tmp_path_factory.mktemp("shape") / "wh")
    shutil.copytree(mini_warehouse.root, copy.root)
    specs = indicator_set(("CN",), (2018, 2022))
    with connect(copy) as engine:
        prepare(engine, rules=("first_applicant",))
        source = fact_source(engine)
        assert source.prepared
        base, applied = _shared_base(source.facts("first_applicant"), list(specs.values()))
        yield {name: str(ibis.to_sql(outbound_table(source, spec, facts=base, applied=applied)))
               for name, spec in specs.items()}


@pytest.mark.parametrize("name", sorted(MAX_SELECTS))
def test_indicator_on_the_shared_base_stays_shallow(compiled: dict[str, str], name: str) -> None:
    assert compiled[name].upper().count("SELECT") <= MAX_SELECTS[name], compiled[name]


@pytest.mark.parametrize("text", ["'invention_grant'", "MAKE_DATE(2017, 1, 1)", "MAKE_DATE(2022, 12, 31)"])
def test_shared_base_filters_are_not_repeated(compiled: dict[str, str], text: str) -> None:
    """The document type and the date range are filtered once, in the shared base."""
    assert compiled["office_year"].count(text) == 1, compiled["office_year"]


def test_a_bounded_date_is_not_also_tested_for_null(compiled: dict[str, str]) -> None:
    """DuckDB evaluates a redundant IS NOT NULL row by row; the range already drops null dates."""
    assert '"pub_date" IS NOT NULL' not in compiled["office_year"]
