"""Unknown codes, misspelt names and reversed ranges are refused (exit 2, one line, the choices),
before any warehouse is opened; ``--out`` without ``--format`` writes the extension's format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.indicators.choices import SECTORS
from patentreach.indicators.result_files import read_definition

RUNNER = CliRunner()
GROUPS = ("major, belt_and_road, aripo, aripo_non_harare, bri, eapo, epc, epc_extension, epc_validation, "
          "epc_validation_pending, gcc, ip5, major_offices, oapi, unitary_patent, upca_signed_not_ratified")
OFFICE_CHOICES = (f"choose from the groups {GROUPS} or an office code of `patentreach refdata show offices` "
                  "(e.g. US, EP, JP)")
COUNTRY_CHOICES = "choose an ISO 3166 alpha-2 code of `patentreach refdata show countries` (e.g. CN, US, DE)"


def _refused(tmp_path: Path, *args: str) -> str:
    """The single line of a refused `stats` command (exit 2)."""
    result = RUNNER.invoke(app, ["stats", *args, "-w", str(tmp_path)])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(("args", "message"), [
    (["--offices", "UX"], f"office 'UX' is not known; {OFFICE_CHOICES}"),
    (["--offices", "US,majr"], f"office 'majr' is not known (did you mean major?); {OFFICE_CHOICES}"),
    (["--sector", "compnay"], "sector 'compnay' is not known (did you mean company?); choose from company, "
                              "university, government, hospital, individual, unknown, enterprise, enterprises, "
                              "companies"),
    (["--destination-group", "brii"],
     f"destination group 'brii' is not known (did you mean bri?); choose from {GROUPS}"),
    (["--origin", "ZZ"], f"origin 'ZZ' is not a known country code; {COUNTRY_CHOICES}"),
    (["--years", "2021-2019"], "years 2021-2019: the first year is after the last (write the range as FIRST-LAST, "
                               "e.g. 2019-2021)"),
    (["--years", "twenty"], "years 'twenty': expected YYYY or YYYY-YYYY"),
    (["--by", ""], "the breakdown is empty; give at least one of office, year, origin, field, entity, sector, route, "
                   "destination, residence"),
    (["--engine", "duck"], "--engine 'duck' is not known; choose from duckdb, spark"),
    (["--unit", "famlies"], "unit 'famlies' is not known (did you mean families?); choose from documents, families"),
])
def test_outbound_refuses_unknown_values(tmp_path: Path, args: list[str], message: str) -> None:
    assert _refused(tmp_path, "outbound", *args) == f"error: {message}"


@pytest.mark.parametrize(("cell", "message"), [
    ("office=XX", "office 'XX' is not known; choose from an office code of `patentreach refdata show offices` "
                  "(e.g. US, EP, JP)"),
    ("year=abc", "cell year='abc': expected a whole number (a year such as 2021)"),
    ("field=36", "cell field='36': technology fields are numbered 1-35"),
    ("origin=ZZ", f"cell origin 'ZZ' is not a known country code; {COUNTRY_CHOICES}"),
    ("route=ship", "cell route 'ship' is not known; choose from direct, pct"),
    ("planet=mars", "cell key 'planet=mars': expected KEY=VALUE with KEY in office, year, origin, field, entity, "
                    "sector, route, destination, residence"),
])
def test_records_refuses_unknown_cells(tmp_path: Path, cell: str, message: str) -> None:
    assert _refused(tmp_path, "records", "--cell", cell) == f"error: {message}"


def test_records_refuses_reversed_years(tmp_path: Path) -> None:
    assert _refused(tmp_path, "records", "--years", "2021-2019", "--cell", "office=US").startswith(
        "error: years 2021-2019: the first year is after the last")


def test_the_sectors_are_those_harmonisation_assigns() -> None:
    from patentreach.harmonize.sector import SECTORS as HARMONISED

    assert SECTORS == HARMONISED


def test_out_without_format_writes_the_format_of_its_extension(sample_warehouse, tmp_path: Path) -> None:
    args = ["stats", "outbound", "-w", str(sample_warehouse.root), "--origin", "JP", "--by", "year"]
    for name in ("r.json", "r.csv", "r.parquet", "r.xlsx"):
        result = RUNNER.invoke(app, [*args, "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text())["rows"][0]["count"] == 10
    assert (tmp_path / "r.csv").read_text().splitlines()[2] == "year,count,yoy_abs,yoy_pct,share"
    assert read_definition(tmp_path / "r.parquet")["origin"] == ["JP"]
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    result = RUNNER.invoke(app, [*args, "-o", str(tmp_path / "short.json")])
    assert result.exit_code == 0 and json.loads((tmp_path / "short.json").read_text())["rows"]
    result = RUNNER.invoke(app, [*args, "--output", str(tmp_path / "old.csv")])
    assert result.exit_code == 0 and (tmp_path / "old.csv").read_text().startswith("# JP-origin")


def test_out_with_an_unknown_extension_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    assert _refused(tmp_path, "outbound", "--out", str(target)) == (
        f"error: --out {target}: cannot tell the format from the extension '.txt'; use .csv, .json, .parquet, .xlsx "
        "or give --format csv, json, parquet, xlsx")
    assert _refused(tmp_path, "outbound", "--out", str(tmp_path / "r"), "-f", "table") == (
        "error: --format 'table' is not known; choose from csv, json, parquet, xlsx (a table is only shown on screen)")
    assert not target.exists()


def test_records_name_the_entities(sample_warehouse) -> None:
    result = RUNNER.invoke(app, ["stats", "records", "-w", str(sample_warehouse.root), "--origin", "JP",
                                 "--cell", "office=US", "--cell", "year=2005", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert len(rows) == 10 and all(r["entity_name"] for r in rows)
    assert "HONDA GIKEN KOGYO KABUSHIKI KAISHA" in {r["entity_name"] for r in rows}


def test_an_unwritable_out_is_one_line(sample_warehouse, tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("not a folder")
    target = tmp_path / "plain-file" / "r.csv"
    result = RUNNER.invoke(app, ["stats", "outbound", "-w", str(sample_warehouse.root), "--out", str(target)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"error: --out {target}: cannot write it (File exists)"]
