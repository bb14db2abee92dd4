"""``patentreach stats transfers``: the commands render the library's rows and export them."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from patentreach.cli.transfers import app
from patentreach.indicators.result_files import read_definition

RUNNER = CliRunner()


def test_flows_as_csv(real_warehouse):
    result = RUNNER.invoke(app, ["flows", "-w", str(real_warehouse.root), "--types",
                                 "assignment,licence,security_interest,release", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "origin,destination,transactions,patents", "CA,US,1,1", "US,GB,1,3", "US,JP,5,5"]


def test_records_exported_as_json_and_parquet(real_warehouse, tmp_path):
    target = tmp_path / "records.json"
    args = ["records", "-w", str(real_warehouse.root), "--cell", "origin=US", "--cell", "destination=JP"]
    result = RUNNER.invoke(app, [*args, "-o", str(target)])
    assert result.exit_code == 0, result.output
    exported = json.loads(target.read_text())
    assert exported["definition"]["statistic"] == "records"
    assert exported["definition"]["cell"] == {"origin": "US", "destination": "JP"}
    assert exported["definition"]["label"].startswith("Transfers: types assignment+licence; record date")
    assert [r["date"] for r in exported["rows"]] == ["2015-12-31"] * 5
    parquet = tmp_path / "records.parquet"
    assert RUNNER.invoke(app, [*args, "-o", str(parquet)]).exit_code == 0
    assert pq.read_table(parquet).num_rows == 5
    assert read_definition(parquet)["cell"] == {"origin": "US", "destination": "JP"}


def test_flows_exported_as_xlsx_with_their_definition(real_warehouse, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "flows.xlsx"
    result = RUNNER.invoke(app, ["flows", "-w", str(real_warehouse.root), "--types",
                                 "assignment,licence,security_interest,release", "-o", str(target)])
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    assert [list(r) for r in book["rows"].iter_rows(values_only=True)] == [
        ["origin", "destination", "transactions", "patents"],
        ["CA", "US", 1, 1], ["US", "GB", 1, 3], ["US", "JP", 5, 5],
    ]
    switches = dict(book["definition"].iter_rows(min_row=2, values_only=True))
    assert switches["statistic"] == "flows"


def test_bad_options_exit_2_with_a_message(real_warehouse, tmp_path):
    result = RUNNER.invoke(app, ["flows", "-w", str(real_warehouse.root), "--types", "gift"])
    assert result.exit_code == 2 and "unknown conveyance type" in result.output
    result = RUNNER.invoke(app, ["flows", "-w", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no warehouse here" in result.output
    result = RUNNER.invoke(app, ["flows", "-w", str(real_warehouse.root), "--destination-group", "atlantis"])
    assert result.exit_code == 2 and "unknown country group" in result.output
