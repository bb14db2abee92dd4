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
    assert result.exit_code == 2 and "destination group 'atlantis' is not known; choose from aripo" in result.output


GROUPS = ("aripo, aripo_non_harare, bri, eapo, epc, epc_extension, epc_validation, epc_validation_pending, gcc, ip5, "
          "major_offices, oapi, unitary_patent, upca_signed_not_ratified")


def _refused(real_warehouse, *args: str) -> str:
    """The one line a refused command prints (exit 2, nothing on stdout)."""
    result = RUNNER.invoke(app, [args[0], "-w", str(real_warehouse.root), *args[1:]])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_a_misspelt_destination_group_is_refused_with_a_suggestion(real_warehouse):
    assert _refused(real_warehouse, "flows", "--destination-group", "brii") == (
        f"error: destination group 'brii' is not known (did you mean bri?); choose from {GROUPS}")


def test_an_unknown_origin_country_is_refused(real_warehouse):
    assert _refused(real_warehouse, "owner-shares", "--origin", "ZZ") == (
        "error: origin 'ZZ' is not a known country code; choose an ISO 3166 alpha-2 code of "
        "`patentreach refdata show countries` (e.g. CN, US, DE)")


def test_a_reversed_period_is_refused(real_warehouse):
    assert _refused(real_warehouse, "flows", "--from", "2020", "--to", "2010") == (
        "error: period 2020-01-01 to 2010-12-31: the start is after the end")
    assert _refused(real_warehouse, "flows", "--from", "2016-02-01", "--to", "2016-01-31") == (
        "error: period 2016-02-01 to 2016-01-31: the start is after the end")


def test_bare_years_bound_the_period_inclusively(real_warehouse):
    args = ["flows", "-w", str(real_warehouse.root), "--types", "assignment,licence,security_interest,release",
            "-f", "csv"]
    years = RUNNER.invoke(app, [*args, "--from", "2015", "--to", "2015"])
    days = RUNNER.invoke(app, [*args, "--from", "2015-01-01", "--to", "2015-12-31"])
    assert years.exit_code == 0, years.output
    assert years.output.splitlines() == days.output.splitlines() == [
        "origin,destination,transactions,patents", "US,GB,1,3", "US,JP,5,5"]


def test_owner_shares_show_percentages_on_screen_and_fractions_in_files(edited_warehouse, tmp_path):
    args = ["owner-shares", "-w", str(edited_warehouse.root), "--origin", "GB"]
    result = RUNNER.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "14.3%" in result.output and "0.142857" not in result.output
    target = tmp_path / "shares.json"
    assert RUNNER.invoke(app, [*args, "--out", str(target)]).exit_code == 0
    assert json.loads(target.read_text())["rows"] == [
        {"origin": "GB", "owners": 7, "transferring_owners": 1, "share": 0.142857}]


def test_out_takes_the_format_from_the_extension_and_old_spellings_still_work(real_warehouse, tmp_path):
    root = str(real_warehouse.root)
    csv_file = tmp_path / "flows.csv"
    result = RUNNER.invoke(app, ["flows", "-w", root, "--out", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert csv_file.read_text().splitlines()[2:] == ["origin,destination,transactions,patents", "US,JP,5,5"]
    old = tmp_path / "old.json"
    result = RUNNER.invoke(app, ["flows", "-w", root, "--output", str(old), "-e", "duckdb"])
    assert result.exit_code == 0, result.output
    assert json.loads(old.read_text())["rows"] == [
        {"origin": "US", "destination": "JP", "transactions": 5, "patents": 5}]
    forced = tmp_path / "flows.data"
    assert RUNNER.invoke(app, ["flows", "-w", root, "--out", str(forced), "-f", "json"]).exit_code == 0
    assert json.loads(forced.read_text())["definition"]["statistic"] == "flows"


def test_out_with_an_unknown_extension_is_refused(real_warehouse, tmp_path):
    target = tmp_path / "flows.txt"
    assert _refused(real_warehouse, "flows", "--out", str(target)) == (
        f"error: --out {target}: cannot tell the format from the extension '.txt'; use .csv, .json, .parquet, "
        ".xlsx or give --format csv, json, parquet, xlsx")
    assert not target.exists()


def test_records_refuse_unknown_cells(real_warehouse):
    assert _refused(real_warehouse, "records", "--cell", "planet=mars") == (
        "error: cell planet='mars': the dimension 'planet' is not known; choose from origin, destination, "
        "origin_group, destination_group, year, field, conveyance_type")
    assert _refused(real_warehouse, "records", "--cell", "year=abc") == (
        "error: cell year='abc': expected a year such as 2015")
    assert _refused(real_warehouse, "records", "--cell", "origin=zz") == (
        "error: cell origin='ZZ': not a known country code; choose an ISO 3166 alpha-2 code of "
        "`patentreach refdata show countries` or unknown")
    assert _refused(real_warehouse, "records", "--cell", "field=77") == (
        "error: cell field=77: expected a technology field 1-35")
