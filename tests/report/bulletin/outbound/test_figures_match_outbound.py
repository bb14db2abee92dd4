"""Every number the outbound sections print is the number ``outbound()`` returns for the
definition its ``command`` states, in the cell its ``records`` command names.

The spec is rebuilt from the command line (as ``stats outbound`` parses it) and counted afresh on
its own engine, so a figure whose command, cell or value drifted apart fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patentreach.indicators import outbound
from patentreach.report.bulletin.model import Section
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import connect
from tests.report.bulletin.outbound.trace import cell_of, options_of, row_of, spec_of

CASES = ("mini_cn_2021", "samples_jp_2009")
"""The real samples (Japanese enterprises' grants of 2009, as the fixture harmonises them) and
the synthetic warehouse (Chinese enterprises' grants of 2021); the harmonised samples are
checked by the enterprises test (harmonised names)."""


def _warehouse_figures(sections: dict) -> list:
    return [figure for section in sections.values() if isinstance(section, Section)
            for figure in section.figures if ".published." not in figure.key]


@pytest.mark.parametrize("case", CASES)
def test_every_outbound_figure_is_what_outbound_returns_for_its_command_and_cell(case: str,
                                                                                request: pytest.FixtureRequest) -> None:
    sections = request.getfixturevalue(case)
    figures = _warehouse_figures(sections)
    assert {s.name for s in sections.values() if isinstance(s, Section)} == {"offices", "fields", "enterprises",
                                                                            "routes"}
    warehouse = Path(options_of(figures[0].command)["warehouse"])
    results: dict = {}
    checked = 0
    with connect(Warehouse(warehouse)) as engine:
        for figure in figures:
            spec = spec_of(figure.command)
            if spec not in results:
                results[spec] = outbound(engine, spec)
            assert figure.definition == results[spec].definition, figure.key
            row = row_of(results[spec].rows, cell_of(figure.records))
            if ".share." in figure.key:
                assert figure.unit == "percent"
                assert figure.value == pytest.approx(100 * row["share"], abs=1e-6), figure.key
            elif ".yoy." in figure.key:
                assert figure.unit == "percent"
                assert figure.value == row["yoy_pct"], figure.key
            else:
                assert figure.unit == "documents"
                assert figure.value == row["count"], figure.key
            checked += 1
    assert checked == len(figures) > 10
    keys = [f.key for f in figures]
    assert len(keys) == len(set(keys))  # unique across the sections, as build_bulletin requires


@pytest.mark.parametrize("case", CASES)
def test_office_figures_add_up_to_the_total_and_its_change(case: str, request: pytest.FixtureRequest) -> None:
    offices = request.getfixturevalue(case)["offices"]
    year = int(offices.figures[0].key.rsplit(".", 1)[1])
    by_key = {f.key: f.value for f in offices.figures}
    for y in (year, year - 1):
        per_office = [v for k, v in by_key.items() if k.count(".") == 2 and k.endswith(f".{y}")
                      and len(k.split(".")[1]) == 2]  # offices.<office code>.<year>
        assert sum(per_office) == by_key[f"offices.total.{y}"]
    total, before = by_key[f"offices.total.{year}"], by_key[f"offices.total.{year - 1}"]
    assert by_key[f"offices.yoy.{year}"] == pytest.approx(100 * (total - before) / before)
    shares = [v for k, v in by_key.items() if ".share." in k]
    assert sum(shares) == pytest.approx(100)


@pytest.mark.parametrize("case", CASES)
def test_routes_split_the_offices_total(case: str, request: pytest.FixtureRequest) -> None:
    sections = request.getfixturevalue(case)
    year = int(sections["offices"].figures[0].key.rsplit(".", 1)[1])
    total = sections["offices"].figure(f"offices.total.{year}").value
    routes = {f.key: f.value for f in sections["routes"].figures}
    counts = [routes.get(f"routes.{r}.{year}", 0) for r in ("pct", "direct", "unknown")]
    assert sum(counts) == total


@pytest.mark.parametrize("case", CASES)
def test_enterprises_are_ranked_by_count_and_fields_cut_at_the_top_n(case: str,
                                                                      request: pytest.FixtureRequest) -> None:
    sections = request.getfixturevalue(case)
    enterprises = [f for f in sections["enterprises"].figures if ".share." not in f.key]
    ranks = [int(f.key.split(".")[1]) for f in enterprises]
    assert ranks == list(range(1, len(ranks) + 1)) and 1 <= len(ranks) <= 10
    counts = [f.value for f in enterprises]
    assert counts == sorted(counts, reverse=True)
    fields = [f.value for f in sections["fields"].figures if ".share." not in f.key and ".none." not in f.key]
    assert fields == sorted(fields, reverse=True) and 1 <= len(fields) <= 10
