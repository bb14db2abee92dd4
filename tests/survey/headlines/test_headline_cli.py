"""``survey headlines`` and ``survey records`` on the demo's store and weights files, in zh and en;
and the estimate command on the issue's crash case."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.demo import ENTERPRISE_DESIGN, PATENT_DESIGN
from patentreach.survey.headlines import headline_rows

runner = CliRunner(env={"COLUMNS": "250"})
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def files(small_demo):
    f = small_demo.files
    return ["--store", str(f["store"]), "--weights", str(f["weights_enterprises"])], f


@pytest.fixture(scope="module")
def expected(small_demo):
    patents = small_demo.patents.merge(small_demo.enterprises[["enterprise_id", "sector", "size"]], on="enterprise_id")
    return headline_rows(
        {"holder": small_demo.enterprises, "patent": patents},
        {"holder": ENTERPRISE_DESIGN, "patent": PATENT_DESIGN},
    )


def test_json_equals_the_library_with_the_design_the_weights_imply(files, expected):
    args, f = files
    result = runner.invoke(
        app, ["survey", "headlines", *args, "--patent-weights", str(f["weights_patents"]), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == len(expected) == 54
    for row, (_, want) in zip(rows, expected.iterrows(), strict=True):
        assert (row["key"], row["group"], row["n"]) == (want["key"], want["group"], want["n"])
        if row["estimate"] is None:
            assert pd.isna(want["estimate"])
            continue
        for column in ("estimate", "se", "ci_lower", "ci_upper"):
            if row[column] is None:  # e.g. the logit interval of a share of 0 has no lower end
                assert pd.isna(want[column])
                continue
            assert row[column] == pytest.approx(want[column], rel=1e-12), (row["key"], row["group"], column)
        assert row["ci_method"] == "logit" and row["numerator"] and row["denominator"]


def test_the_table_prints_sentences_in_chinese_then_english_and_the_definitions(files, expected):
    args, _ = files
    result = runner.invoke(app, ["survey", "headlines", *args, "--by", "sector"])
    assert result.exit_code == 0, result.output
    first = expected[(expected["key"] == "bri_transfer")].iloc[0]
    percent = f"{first['estimate'] * 100:.1f}%"
    zh = f"- 在向境外转让或许可专利的企业中，{percent}（95%置信区间 "
    en = f"- {percent} (95% CI "
    assert zh in result.output and en in result.output
    assert result.output.index(zh) < result.output.index(en)
    assert "[民营企业]" in result.output and "[Private (domestic)]" in result.output
    assert "[大型企业]" not in result.output  # --by sector only
    assert (
        "export_unprotected_any (holder): share with ${export_protection} = 'none' or ${export_protection} = 'some' "
        "among units with ${exports} = 'yes'; published two-thirds" in result.output
    )
    assert "CI method: Weighted proportion in the domain" in result.output
    assert "(patent indicators left out: give --patent-weights)" in result.output


def test_english_only_has_no_chinese_and_by_none_only_the_whole_population(files):
    args, _ = files
    result = runner.invoke(app, ["survey", "headlines", *args, "--lang", "en", "--by", "none", "-f", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(pd.io.common.StringIO(result.stdout))
    assert table["group"].tolist() == ["all"] * 4
    assert "sentence_zh" not in table.columns and not CJK.search(result.stdout)


def test_xlsx_has_the_table_and_the_definitions(files, tmp_path):
    args, _ = files
    out = tmp_path / "headlines.xlsx"
    result = runner.invoke(app, ["survey", "headlines", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["headlines", "definitions"]
    definitions = list(book["definitions"].iter_rows(values_only=True))
    assert definitions[0][:5] == ("key", "unit", "population", "denominator", "numerator")
    assert definitions[1][0] == "bri_transfer" and definitions[1][4] == "count-selected(${bri_partners}) > 0"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--weights", "missing.csv"], "missing.csv: cannot read the weights"),
        (["--by", "region"], "--by 'region' is not one of sector, size"),
        (["--lang", "fr"], "--lang 'fr' is not one of zh, en"),
        (["--out", "x.pdf"], "--out extension 'pdf' is not one of csv, xlsx, json"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(files, extra, message):
    args, _ = files
    result = runner.invoke(app, ["survey", "headlines", *args, *extra])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_response_without_a_weight_is_named(files, tmp_path):
    _, f = files
    weights = pd.read_csv(f["weights_enterprises"], dtype=str)
    weights.iloc[1:].to_csv(tmp_path / "w.csv", index=False)
    result = runner.invoke(
        app, ["survey", "headlines", "--store", str(f["store"]), "--weights", str(tmp_path / "w.csv")]
    )
    assert result.exit_code == 2
    assert (
        f"no final_weight for enterprise_id {weights['enterprise_id'].iloc[0]}, which has a response" in result.output
    )


def test_records_lists_the_responses_behind_an_estimate(files, expected):
    args, _ = files
    result = runner.invoke(app, ["survey", "records", "bri_transfer", *args, "--domain", "sector=private", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(pd.io.common.StringIO(result.stdout), dtype=str, keep_default_na=False)
    want = expected[(expected["key"] == "bri_transfer") & (expected["group"] == "private")].iloc[0]
    assert len(rows) == want["n"]
    assert set(rows["sector"]) == {"private"} and set(rows["transfer_out_abroad"]) == {"yes"}
    table = runner.invoke(app, ["survey", "records", "bri_transfer", *args, "--domain", "sector=private"])
    yes = int((rows["counted"] == "yes").sum())
    assert f"numerator yes {yes}, no {len(rows) - yes}, blank (left out) 0" in table.output
    unknown = runner.invoke(app, ["survey", "records", "bri", *args])
    assert unknown.exit_code == 2 and "no headline 'bri'" in unknown.output


def test_the_issues_estimate_crash_case_gives_a_row_that_says_so(files):
    _, f = files
    args = [
        "survey",
        "estimate",
        str(f["enterprises"]),
        "-d",
        str(f["design_enterprise"]),
        "-s",
        "prop:bri_partner=yes",
        "--by",
        "transferred_abroad",
        "-f",
        "json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    no, yes = json.loads(result.stdout)
    assert no["domain"] == "no" and no["n"] == 0 and no["estimate"] is None
    assert no["note"] == "no unit in domain 'no' answered bri_partner: no estimate (n = 0)"
    assert yes["domain"] == "yes" and yes["n"] > 0 and 0 < yes["estimate"] < 1


def test_an_all_blank_column_in_a_proportion_is_a_row_not_an_error(files, tmp_path):
    _, f = files
    data = pd.read_csv(f["enterprises"], dtype=str)
    data["never_asked"] = ""
    data.to_csv(tmp_path / "blank.csv", index=False)
    args = [
        "survey",
        "estimate",
        str(tmp_path / "blank.csv"),
        "-d",
        str(f["design_enterprise"]),
        "-s",
        "prop:never_asked=yes",
        "--by",
        "size",
        "-f",
        "json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["n"] for r in rows] == [0, 0, 0, 0]
    assert rows[0]["note"] == "no unit in domain 'large' answered never_asked: no estimate (n = 0)"


def test_an_unreachable_store_is_one_line_without_its_password(files):
    _, f = files
    store = "postgresql://survey:s3cret@127.0.0.1:1/survey"
    result = runner.invoke(app, ["survey", "headlines", "--store", store, "--weights", str(f["weights_enterprises"])])
    assert result.exit_code == 2
    assert "postgresql://survey:***@127.0.0.1:1/survey: cannot read the survey store" in result.output
    assert "s3cret" not in result.output and len(result.output.strip().splitlines()) == 1
