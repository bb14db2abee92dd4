"""``patentreach stats`` and ``patentreach synth``: every output format keeps the definition."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.indicators.result_files import read_definition

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_outbound_json(sample_warehouse) -> None:
    out = _run("stats", "outbound", "-w", str(sample_warehouse.root), "--origin", "JP", "--years", "2005-2012",
               "--offices", "US", "--format", "json")
    data = json.loads(out)
    assert set(data) == {"definition", "rows"}
    assert data["definition"]["origin"] == ["JP"] and data["definition"]["years"] == [2005, 2012]
    assert data["rows"][0] == {"office": "US", "year": 2005, "count": 10, "yoy_abs": 10, "yoy_pct": None,
                               "share": 1.0}


def test_outbound_table_and_csv(sample_warehouse) -> None:
    root = str(sample_warehouse.root)
    out = _run("stats", "outbound", "-w", root, "--origin", "JP", "--offices", "US", "--by", "year")
    assert "JP-origin invention patents" in out and "-80.0%" in out
    text = _run("stats", "outbound", "-w", str(sample_warehouse.root), "--origin", "JP", "--by", "year", "-f", "csv")
    lines = text.splitlines()
    assert lines[0].startswith("# JP-origin") and lines[1].startswith("# definition: {")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[2:]))))
    assert {r["year"]: r["count"] for r in rows}["2005"] == "10"


def test_outbound_files(sample_warehouse, tmp_path) -> None:
    args = ["stats", "outbound", "-w", str(sample_warehouse.root), "--origin", "JP", "--by", "office,year"]
    _run(*args, "-f", "parquet", "--out", str(tmp_path / "r.parquet"))
    assert read_definition(tmp_path / "r.parquet")["origin"] == ["JP"]
    _run(*args, "-f", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    book = load_workbook(tmp_path / "r.xlsx")
    assert [c.value for c in book["rows"][1]] == ["office", "year", "count", "yoy_abs", "yoy_pct", "share"]
    assert {row[0].value: row[1].value for row in book["definition"].iter_rows(min_row=2)}["origin_rule"] == (
        "first_applicant")
    _run(*args, "-f", "json", "--out", str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text())["rows"]


def test_records(sample_warehouse) -> None:
    out = _run("stats", "records", "-w", str(sample_warehouse.root), "--origin", "JP", "--cell", "office=US",
               "--cell", "year=2005", "-f", "json")
    data = json.loads(out)
    assert len({r["pub_id"] for r in data["rows"]}) == 10
    assert data["definition"]["cell"] == {"office": "US", "year": 2005}


def test_bad_switch_is_a_clear_error(sample_warehouse) -> None:
    result = runner.invoke(app, ["stats", "outbound", "-w", str(sample_warehouse.root), "--unit", "patents"])
    assert result.exit_code == 2 and "unit 'patents'" in result.output
    result = runner.invoke(app, ["stats", "outbound", "-w", str(sample_warehouse.root), "-f", "parquet"])
    assert result.exit_code == 2 and "needs --out" in result.output


def test_synth_then_prepare_then_outbound(tmp_path) -> None:
    root = str(tmp_path / "wh")
    assert "publications" in _run("synth", "--publications", "3000", "--seed", "2", "-w", root)
    assert "outbound_facts_first_applicant" in _run("stats", "prepare", "-w", root)
    data = json.loads(_run("stats", "outbound", "-w", root, "--origin", "CN", "--offices", "major", "-f", "json"))
    assert data["rows"] and "prepared" in data["definition"]["computed"]["facts"]
    assert {r["office"] for r in data["rows"]} <= {"US", "EP", "JP", "HK", "KR", "ZA", "IN", "AU", "RU", "CA", "LU",
                                                   "BR", "SG", "GB", "ID"}
