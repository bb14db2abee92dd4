"""``patentreach protect gaps`` as a user runs it."""

from __future__ import annotations

import csv
import io
import json

from icalendar import Calendar
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.protect import sample_path

runner = CliRunner(env={"COLUMNS": "200"})
SAMPLE = ["--portfolio", str(sample_path("portfolio.csv")), "--exports", str(sample_path("exports.csv")),
          "--as-of", "2026-06-01"]


def test_table_output_shows_summary_deadlines_and_the_fee_label(tmp_path):
    result = runner.invoke(app, ["protect", "gaps", *SAMPLE, "--warehouse", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    assert "Export protection gaps - Example Pumps Co., as of 2026-06-01" in result.output
    assert "Next deadlines" in result.output and "NOT VERIFIED" in result.output
    assert "Fees are official fees only" in result.output
    assert "third-party risk not computed" in result.output


def test_json_and_csv_and_ics_outputs(tmp_path):
    result = runner.invoke(app, ["protect", "gaps", *SAMPLE, "-f", "json", "-w", str(tmp_path / "none")])
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"]["markets"] == 20
    result = runner.invoke(app, ["protect", "gaps", *SAMPLE, "-f", "csv", "-w", str(tmp_path / "none")])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["status"] == "open" and rows[0]["deadline"] == "2026-06-20"
    out = tmp_path / "deadlines.ics"
    result = runner.invoke(app, ["protect", "gaps", *SAMPLE, "-f", "ics", "-o", str(out), "-w", str(tmp_path / "n")])
    assert result.exit_code == 0 and f"wrote {out}" in result.output
    assert len(list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))) == 15


def test_xlsx_needs_an_output_file(tmp_path):
    result = runner.invoke(app, ["protect", "gaps", *SAMPLE, "-f", "xlsx"])
    assert result.exit_code == 2
    assert "--format xlsx needs --out FILE.xlsx" in result.output


def test_a_bad_portfolio_exits_2_listing_every_problem(tmp_path):
    bad = tmp_path / "p.csv"
    bad.write_text("family,priority_date,office,status\nF1,31/01/2024,CN,pending\nF2,2024-01-31,CN,maybe\n")
    exports = str(sample_path("exports.csv"))
    result = runner.invoke(app, ["protect", "gaps", "--portfolio", str(bad), "--exports", exports])
    assert result.exit_code == 2
    assert "p.csv, row 2, column priority_date: '31/01/2024' is not a date (YYYY-MM-DD)" in result.output
    assert ("p.csv, row 3, column status: 'maybe' is not one of expired, granted, lapsed, pending, refused, revoked, "
            "withdrawn") in result.output


def test_portfolio_and_entity_are_exclusive():
    result = runner.invoke(app, ["protect", "gaps", "--exports", str(sample_path("exports.csv"))])
    assert result.exit_code == 2
    assert "give exactly one of --portfolio FILE or --entity ID" in result.output


def test_an_entity_portfolio_from_the_warehouse(sample_warehouse, tmp_path):
    exports = tmp_path / "exports.csv"
    exports.write_text("product_line,country,export_value,currency,families\n"
                       "plant pots,US,100000,USD,*\nplant pots,JP,50000,USD,*\n")
    result = runner.invoke(app, ["protect", "gaps", "--entity", "E-IPPT", "--exports", str(exports),
                                 "--as-of", "2026-06-01", "-f", "json", "-w", str(sample_warehouse.root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["owner"] == "INTERNATIONAL PLANT PROPAGATION TECHNOLOGY"
    assert [(c["market"], c["status"]) for c in data["coverage"]] == [("US", "protected"), ("JP", "none")]
    assert [(g["market"], g["state"]) for g in data["gaps"]] == [("JP", "closed")]
    [risk] = data["risks"]
    assert (risk["market"], risk["publications"]) == ("JP", 0)
