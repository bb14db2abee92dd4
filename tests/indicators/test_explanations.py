"""Empty or thin results say why, under the table and in ``definition["notes"]`` of every file.

On the real samples of ``harmonised_warehouse`` (USPTO weekly grants, EPO DOCDB, OPS and EP
publications, through the real harmonisation). The README's own example
(``--origin CN --years 2019-2021 --offices major``) is empty there: the 2 invention grants of
those years at the major offices have no Chinese first applicant.
"""

from __future__ import annotations

import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.indicators.result_files import read_definition

RUNNER = CliRunner()
README = ["--origin", "CN", "--years", "2019-2021", "--offices", "major"]
OTHER_3 = ("3 publications in 2019-2021 at the selected offices are typed 'other' (a kind code that is no "
           "invention, utility model or design) and counted under no document type.")


def _json(warehouse, *args: str) -> dict:
    result = RUNNER.invoke(app, ["stats", "outbound", "-w", str(warehouse.root), *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_readme_example_says_why_it_is_empty(harmonised_warehouse) -> None:
    data = _json(harmonised_warehouse, *README)
    assert data["rows"] == []
    assert data["definition"]["notes"] == [
        "Nothing counted: none of the 2 invention grants in the selection has origin CN under the "
        "first-applicant rule.",
        OTHER_3,
    ]


def test_the_notes_are_printed_under_the_table(harmonised_warehouse) -> None:
    result = RUNNER.invoke(app, ["stats", "outbound", "-w", str(harmonised_warehouse.root), *README],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"note: {OTHER_3}" in result.output.splitlines()


def test_years_outside_the_warehouse_name_the_years_it_holds(harmonised_warehouse) -> None:
    data = _json(harmonised_warehouse, "--origin", "JP", "--years", "2019-2021", "--offices", "US")
    assert data["definition"]["notes"][0] == (
        "Nothing counted: no invention grants in 2019-2021 at the selected offices: the warehouse holds invention "
        "grants at the selected offices for 2000-2017 only.")


def test_an_office_without_such_documents_is_named(harmonised_warehouse) -> None:
    data = _json(harmonised_warehouse, "--origin", "JP", "--offices", "KR")
    assert data["definition"]["notes"][0] == (
        "Nothing counted: no invention grants at the selected offices (KR) in any year: the warehouse holds "
        "invention grants for 2000-2021 at other offices.")


def test_publications_without_origin_are_counted_in_the_notes(harmonised_warehouse) -> None:
    data = _json(harmonised_warehouse, "--origin", "CN")
    assert data["definition"]["notes"] == [
        "Nothing counted: none of the 162 invention grants in the selection has origin CN under the "
        "first-applicant rule.",
        "1 of the 162 invention grants in the selection (0.6%) has no origin country under the first-applicant "
        "rule and counts under no origin (`patentreach info` shows the coverage per source and office).",
        "28 publications in the warehouse are typed 'other' (a kind code that is no invention, utility model or "
        "design) and counted under no document type.",
    ]


def test_a_full_result_has_only_the_notes_that_apply(harmonised_warehouse) -> None:
    data = _json(harmonised_warehouse, "--origin", "JP", "--years", "2005-2012", "--offices", "US")
    assert [(r["year"], r["count"]) for r in data["rows"]] == [
        (2005, 10), (2006, 2), (2007, 7), (2008, 7), (2009, 8), (2010, 2), (2012, 6)]
    assert data["definition"]["notes"] == [
        "1 publication in 2005-2012 at the selected offices is typed 'other' (a kind code that is no invention, "
        "utility model or design) and counted under no document type."]


def test_every_file_format_carries_the_notes(harmonised_warehouse, tmp_path) -> None:
    args = ["stats", "outbound", "-w", str(harmonised_warehouse.root), *README]
    for name in ("r.json", "r.csv", "r.xlsx", "r.parquet"):
        result = RUNNER.invoke(app, [*args, "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text())["definition"]["notes"][1] == OTHER_3
    assert OTHER_3 in (tmp_path / "r.csv").read_text().splitlines()[1]
    switches = dict(load_workbook(tmp_path / "r.xlsx")["definition"].iter_rows(min_row=2, values_only=True))
    assert json.loads(switches["notes"])[1] == OTHER_3
    assert read_definition(tmp_path / "r.parquet")["notes"][1] == OTHER_3
