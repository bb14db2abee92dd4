"""The whole bulletin through ``patentreach bulletin``, on the synthetic warehouse (Chinese grants
of 2021) and a small survey store with stored weights: the figures it prints are the ones the
library's own commands print for the same definitions, and the headline sentences with those
numbers are in each language's HTML and PDF. Written once per module (WeasyPrint takes seconds)."""

from __future__ import annotations

import csv
import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.report.bulletin.cells import Writer
from patentreach.warehouse import Warehouse

runner = CliRunner(env={"COLUMNS": "200", "PATENTREACH_DEBUG": ""})
PDF = shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def bulletin(mini_warehouse: Warehouse, survey_files: dict[str, Path], tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("whole-bulletin") / "out"
    args = ["bulletin", "--warehouse", str(mini_warehouse.root), "--origin", "CN", "--year", "2021",
            "--offices", "major", "--survey", str(survey_files["store"]), "--lang", "zh,en",
            "--generated-at", "2022-06-01T00:00:00Z", "--out", str(out)]
    if not PDF:
        args.append("--no-pdf")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output + result.stderr
    return out


def figures(out: Path) -> dict[str, dict]:
    with open(out / "figures.csv", encoding="utf-8-sig", newline="") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def run_json(command: str) -> list[dict]:
    argv = shlex.split(command)
    assert argv[0] == "patentreach"
    result = runner.invoke(app, [*argv[1:], "--format", "json"] if "--format" not in argv else argv[1:])
    assert result.exit_code == 0, result.output + result.stderr
    data = json.loads(result.stdout)
    return data["rows"] if isinstance(data, dict) else data


def test_the_headline_grants_figure_is_what_stats_outbound_prints(bulletin: Path) -> None:
    total = figures(bulletin)["offices.total.2021"]
    rows = {row["year"]: row for row in run_json(total["command"])}
    assert float(total["value"]) == rows[2021]["count"] > 0
    change = figures(bulletin)["offices.yoy.2021"]
    assert float(change["value"]) == pytest.approx(rows[2021]["yoy_pct"], abs=1e-9)
    assert json.loads(total["definition"])["origin_rule"] == "first_applicant"


def test_the_survey_figure_is_what_survey_headlines_prints(bulletin: Path) -> None:
    figure = figures(bulletin)["survey.bri_transfer.all"]
    rows = [row for row in run_json(figure["command"]) if row["key"] == "bri_transfer" and row["breakdown"] is None]
    assert len(rows) == 1
    assert figure["unit"] == "percent"  # printed as a percentage: the command's proportion x 100
    assert float(figure["value"]) == pytest.approx(100 * rows[0]["estimate"], abs=1e-9)
    assert float(figure["low"]) == pytest.approx(100 * rows[0]["ci_lower"], abs=1e-9)


def test_every_printed_figure_is_in_figures_json_once(bulletin: Path) -> None:
    listed = json.loads((bulletin / "figures.json").read_text(encoding="utf-8"))["figures"]
    keys = [row["key"] for row in listed]
    assert len(keys) == len(set(keys)) == len(figures(bulletin))
    assert {row["section"] for row in listed} >= {"offices", "fields", "routes", "survey", "gaps"}


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Granted invention patents obtained in"), ("zh", "2021年，中国企业在主要国家和地区获得发明专利授权"),
])
def test_each_language_prints_the_headline_with_its_number(bulletin: Path, lang: str, expected: str) -> None:
    count = float(figures(bulletin)["offices.total.2021"]["value"])
    number = f"{count:,.0f}" if lang == "en" else Writer([], lang).number(count, "documents", compact=True)
    page = (bulletin / f"bulletin.{lang}.html").read_text(encoding="utf-8")
    etree.fromstring(page.encode("utf-8"), etree.XMLParser(recover=False, resolve_entities=False))
    flat = "".join(page.split())
    assert expected.replace(" ", "") in flat and number in flat, (expected, number)
    if PDF:
        text = subprocess.run(["pdftotext", str(bulletin / f"bulletin.{lang}.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        flat_pdf = "".join(text.split())
        assert expected.replace(" ", "") in flat_pdf and number in flat_pdf
