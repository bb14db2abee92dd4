"""Output of estimates: headline sentences, CSV/XLSX/JSON files, and ``patentreach survey estimate``."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.design import load_design
from patentreach.survey.estimate import COLUMNS, estimate, headline
from patentreach.survey.output import render, to_records, write_estimates
from tests.conftest import shared_path

runner = CliRunner()


def data_path(name: str) -> str:
    return str(shared_path("reference", "survey", "data", f"{name}.csv"))


def prop_row(**changes) -> dict:
    row = {
        "stat": "prop",
        "variable": "licensed_abroad",
        "domain": None,
        "category": "yes",
        "estimate": 0.38249,
        "se": 0.0066,
        "ci_lower": 0.36912,
        "ci_upper": 0.39547,
        "df": 120.0,
        "deff": 1.3,
        "n": 5000,
        "n_missing": 12,
    }
    row.update(changes)
    return row


def test_headline_for_a_proportion_reads_like_a_report() -> None:
    text = headline(prop_row(), "enterprises licensed a patent abroad")
    assert text == "38.2% (95% CI 36.9-39.5%) of enterprises licensed a patent abroad"


def test_headline_names_the_domain_and_takes_a_template() -> None:
    assert headline(prop_row(domain="large"), "enterprises").endswith("of enterprises [large]")
    text = headline(prop_row(domain="large"), "enterprises", template="Among {domain} {subject}: {estimate} ({ci})")
    assert text == "Among large enterprises: 38.2% (36.9-39.5%)"
    assert headline(prop_row(), "enterprises", level=0.9).startswith("38.2% (90% CI")


def test_headline_for_means_and_totals() -> None:
    mean = {
        "stat": "mean",
        "variable": "api00",
        "domain": None,
        "category": None,
        "estimate": 662.2874,
        "se": 9.4,
        "ci_lower": 643.7322,
        "ci_upper": 680.8425,
    }
    assert headline(mean, "California schools") == "California schools: mean api00 662.3 (95% CI 643.7-680.8)"
    total = {
        **mean,
        "stat": "total",
        "variable": "enroll",
        "estimate": 3687177.5,
        "ci_lower": 3461095.0,
        "ci_upper": 3913260.1,
    }
    assert headline(total, "Schools") == "Schools: total enroll 3,687,178 (95% CI 3,461,095-3,913,260)"
    below_zero = {**mean, "ci_lower": -3.5, "estimate": 2.5, "ci_upper": 8.5}
    assert "(95% CI -3.50 to 8.50)" in headline(below_zero, "x")


def test_records_are_json_ready_with_counts_and_nulls() -> None:
    table = pd.DataFrame([prop_row(df=float("inf"))], columns=COLUMNS)
    record = to_records(table)[0]
    assert list(record) == COLUMNS
    assert record["df"] is None and record["domain"] is None
    assert record["n"] == 5000 and isinstance(record["n"], int)
    assert json.loads(render(table, "json"))[0]["n_missing"] == 12


def test_estimates_written_as_csv_xlsx_and_json(tmp_path) -> None:
    table = estimate(
        pd.read_csv(data_path("apistrat")),
        load_design({"strata": "stype", "weights": "pw"}),
        ["mean:api00", "mean:sch.wide"],
    )
    for suffix in ("csv", "json", "xlsx"):
        write_estimates(table, tmp_path / f"out.{suffix}")
    csv = pd.read_csv(tmp_path / "out.csv")
    assert list(csv.columns) == COLUMNS and len(csv) == 3
    assert json.loads((tmp_path / "out.json").read_text())[1]["category"] == "No"
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["estimates"]
    assert [c.value for c in sheet[1]] == COLUMNS and sheet.max_row == 4
    with pytest.raises(ValueError, match="unknown output format 'txt'"):
        write_estimates(table, tmp_path / "out.txt")


def test_cli_estimate_matches_r_for_the_stratified_sample(tmp_path) -> None:
    design = tmp_path / "strat.yaml"
    design.write_text("strata: stype\nweights: pw\nfpc: [fpc]\n")
    result = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            data_path("apistrat"),
            "--design",
            str(design),
            "--stat",
            "mean:api00",
            "--stat",
            "total:enroll",
            "--stat",
            "prop:sch.wide=Yes:method=logit",
            "--stat",
            "ratio:api.stu/enroll",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["stat"] for r in rows] == ["mean", "total", "prop", "ratio"]
    assert rows[0]["estimate"] == pytest.approx(662.287363159321, rel=1e-12)
    assert rows[0]["se"] == pytest.approx(9.40894080278458, rel=1e-12)
    assert rows[0]["ci_lower"] == pytest.approx(643.732188272086, rel=1e-12)
    assert rows[1]["se"] == pytest.approx(114641.71610078, rel=1e-12)
    assert rows[2]["ci_lower"] == pytest.approx(0.774539654351568, rel=1e-12)
    assert rows[0]["df"] == 197 and rows[0]["n"] == 200 and rows[0]["n_missing"] == 0


def test_cli_estimate_by_domain_as_csv_with_headlines_and_a_file(tmp_path) -> None:
    design = tmp_path / "clus.yaml"
    design.write_text("ids: [dnum]\nweights: pw\nfpc: [fpc]\n")
    out = tmp_path / "est.xlsx"
    result = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            data_path("apiclus1"),
            "-d",
            str(design),
            "-s",
            "prop:sch.wide=Yes:method=beta",
            "--by",
            "stype",
            "--format",
            "csv",
            "--output",
            str(out),
            "--headline",
            "schools",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert [line.split(",")[2] for line in lines[1:4]] == ["E", "H", "M"]
    assert any(line.endswith("of schools [E]") for line in lines)
    assert out.exists()


def test_cli_table_output(tmp_path) -> None:
    design = tmp_path / "srs.yaml"
    design.write_text("fpc: [fpc]\n")
    result = runner.invoke(app, ["survey", "estimate", data_path("apisrs"), "-d", str(design), "-s", "mean:api00"])
    assert result.exit_code == 0, result.output
    assert "656.585" in result.stdout


@pytest.mark.parametrize(
    ("design_text", "stat", "message"),
    [
        ("strata: cname\nids: [dnum]\nnest: true\nweights: pw\n", "mean:api00", "has only one PSU"),
        ("weights: pw\n", "mean:nope", "no column 'nope'"),
        ("weights: pw\nfoo: 1\n", "mean:api00", "unknown key(s) foo"),
    ],
)
def test_cli_errors_exit_2_with_a_message(tmp_path, design_text, stat, message) -> None:
    design = tmp_path / "d.yaml"
    design.write_text(design_text)
    result = runner.invoke(app, ["survey", "estimate", data_path("apistrat"), "-d", str(design), "-s", stat])
    assert result.exit_code == 2
    assert message in result.output.replace("\n", " ")
