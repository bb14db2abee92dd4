"""A statistic nobody answered gives a row that says so (n = 0, no estimate, a note), never a crash.

The case from the issue: ``prop:bri_partner=yes --by transferred_abroad`` - only enterprises
that transferred abroad are asked about Belt and Road partners, so the domain ``no`` has no
answer at all, and the logistic interval used to end in ``IndexError``. Here the same shape is
made from the real stratified API sample of R's ``survey`` package: ``sch.wide`` is blanked for
the high schools (``stype == "H"``), as a skip rule would. The other domains must keep exactly
the estimates they have without the blanking (domain estimation only reads the domain's units).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.estimate import StatisticError, estimate
from patentreach.survey.intervals import PROPORTION_METHODS
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "250"})
DESIGN = {"strata": "stype", "weights": "pw", "fpc": ["fpc"]}
FIGURES = ["estimate", "se", "ci_lower", "ci_upper", "deff"]


@pytest.fixture(scope="module")
def apistrat() -> pd.DataFrame:
    return pd.read_csv(shared_path("reference", "survey", "data", "apistrat.csv"), dtype={"cds": str})


@pytest.fixture(scope="module")
def skipped(apistrat) -> pd.DataFrame:
    """sch.wide and api00 not asked of high schools; a column nobody answered."""
    data = apistrat.copy()
    high = data["stype"] == "H"
    data.loc[high, "sch.wide"] = np.nan
    data.loc[high, "api00"] = np.nan
    data["never"] = np.nan
    data["never_text"] = pd.Series([None] * len(data), dtype=object)
    return data


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_a_proportion_in_a_domain_nobody_answered_is_a_row_with_n_0_and_a_note(method, apistrat, skipped):
    stat = [f"prop:sch.wide=Yes:method={method}"]
    table = estimate(skipped, DESIGN, stat, by="stype")
    assert table["domain"].tolist() == ["E", "H", "M"]
    high = table.iloc[1]
    assert high["n"] == 0 and high["n_missing"] == 50
    assert all(np.isnan(high[column]) for column in FIGURES)
    assert high["note"] == "no unit in domain 'H' answered sch.wide: no estimate (n = 0)"
    full = estimate(apistrat, DESIGN, stat, by="stype")
    answered = table.iloc[[0, 2]].drop(columns="note").reset_index(drop=True)
    pd.testing.assert_frame_equal(answered, full.iloc[[0, 2]].drop(columns="note").reset_index(drop=True))
    assert table.iloc[[0, 2]]["note"].isna().all()


@pytest.mark.parametrize("stat", ["mean:api00", "total:api00", "ratio:api00/enroll", "mean:sch.wide",
                                  "total:sch.wide"])
def test_means_totals_ratios_and_categories_in_an_empty_domain_have_no_estimate(stat, skipped):
    table = estimate(skipped, DESIGN, [stat], by="stype")
    high = table[table["domain"] == "H"]
    assert len(high) >= 1 and (high["n"] == 0).all() and (high["n_missing"] == 50).all()
    assert high[FIGURES].isna().all().all()  # a total of nobody is not 0
    assert high["note"].str.startswith("no unit in domain 'H' answered").all()
    others = table[table["domain"] != "H"]
    assert (others["n"] > 0).all() and others["note"].isna().all() and others["estimate"].notna().all()


@pytest.mark.parametrize("stat", ["mean:never", "total:never", "ratio:never/enroll", "ratio:enroll/never",
                                  "prop:never>3", "mean:never_text", "total:never_text"])
def test_a_variable_nobody_answered_gives_one_row_saying_so(stat, skipped):
    table = estimate(skipped, DESIGN, [stat])
    assert len(table) == 1
    row = table.iloc[0]
    assert row["n"] == 0 and row["n_missing"] == 200
    assert all(np.isnan(row[column]) for column in FIGURES)
    assert row["note"].startswith("no unit answered ") and row["note"].endswith(": no estimate (n = 0)")


def test_the_cli_prints_the_empty_domain_and_its_headline_and_writes_null_in_json(skipped, tmp_path):
    data = tmp_path / "skipped.csv"
    skipped.to_csv(data, index=False)
    design = tmp_path / "strat.yaml"
    design.write_text("strata: stype\nweights: pw\nfpc: [fpc]\n", encoding="utf-8")
    args = ["survey", "estimate", str(data), "-d", str(design), "-s", "prop:sch.wide=Yes", "--by", "stype"]
    result = runner.invoke(app, [*args, "--headline", "schools"])
    assert result.exit_code == 0, result.output
    assert "schools: no unit in domain 'H' answered sch.wide: no estimate (n = 0) [H]" in result.output
    as_json = runner.invoke(app, [*args, "-f", "json"])
    assert as_json.exit_code == 0, as_json.output
    high = json.loads(as_json.stdout)[1]
    assert high["estimate"] is None and high["se"] is None and high["n"] == 0
    assert high["note"] == "no unit in domain 'H' answered sch.wide: no estimate (n = 0)"


def test_a_headline_keeps_a_lower_case_domain_label_that_looks_like_markup(apistrat, tmp_path):
    data = tmp_path / "sized.csv"
    apistrat.assign(size=apistrat["stype"].map({"E": "small", "H": "large", "M": "medium"})).to_csv(data, index=False)
    design = tmp_path / "strat.yaml"
    design.write_text("strata: stype\nweights: pw\nfpc: [fpc]\n", encoding="utf-8")
    result = runner.invoke(app, ["survey", "estimate", str(data), "-d", str(design), "-s", "prop:sch.wide=Yes",
                                 "--by", "size", "--headline", "schools"])
    assert result.exit_code == 0, result.output
    headlines = [line for line in result.output.splitlines() if "of schools" in line]
    assert [line.rsplit(" ", 1)[-1] for line in headlines] == ["[large]", "[medium]", "[small]"]


def test_a_by_column_nobody_answered_is_an_error_not_an_empty_table(skipped):
    with pytest.raises(StatisticError, match=r"--by never: no unit \(with a weight\) has a value there"):
        estimate(skipped, DESIGN, ["mean:api00"], by="never")
