"""A Figure's ``command`` run as a user runs it (Typer's runner, ``--format json``) prints the
figure's number, and its ``records`` command lists the publications behind it."""

from __future__ import annotations

import json
import shlex

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from tests.report.bulletin.outbound.trace import cell_of, row_of

runner = CliRunner()


def _run(command: str) -> dict:
    argv = shlex.split(command)
    assert argv[0] == "patentreach"
    outcome = runner.invoke(app, [*argv[1:], "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    return json.loads(outcome.stdout)


@pytest.mark.parametrize("key", ["offices.total.2021", "offices.yoy.2021", "offices.US.2021", "routes.pct.2021"])
def test_the_figures_command_prints_its_value(mini_cn_2021: dict, key: str) -> None:
    figure = next(f for s in mini_cn_2021.values() for f in s.figures if f.key == key)
    printed = _run(figure.command)
    row = row_of(printed["rows"], cell_of(figure.records))
    assert row["yoy_pct" if ".yoy." in key else "count"] == figure.value
    assert printed["definition"] == json.loads(json.dumps(figure.definition))


def test_the_records_command_lists_as_many_grants_as_the_figure_counts(mini_cn_2021: dict) -> None:
    figure = mini_cn_2021["offices"].figure("offices.US.2021")
    listed = _run(figure.records)["rows"]
    assert len({row["pub_id"] for row in listed}) == figure.value == 5
    assert {row["office"] for row in listed} == {"US"} and {row["year"] for row in listed} == {2021}
    assert {row["origin"] for row in listed} == {"CN"} and {row["sector"] for row in listed} == {"company"}


def test_the_published_figure_is_what_stats_compare_prints(mini_cn_2021: dict) -> None:
    offices = mini_cn_2021["offices"]
    compared = _run(offices.figure("offices.US.published.2021").command)
    by_office = {row["office"]: row["published"] for row in compared["rows"]}
    assert by_office["US"] == offices.figure("offices.US.published.2021").value
    assert by_office["(total)"] == offices.figure("offices.total.published.2021").value
