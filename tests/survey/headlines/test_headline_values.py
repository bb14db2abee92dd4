"""Headline estimates equal an independent computation on the demo survey.

The point estimate is checked against a plain numpy weighted proportion written from the
indicator's wording (not from the YAML's expressions), and the SE and interval against the
estimation engine called directly on the demo's derived yes/no columns (``survey estimate``'s way).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from patentreach.survey.demo import ENTERPRISE_DESIGN, PATENT_DESIGN
from patentreach.survey.estimate import estimate
from patentreach.survey.headlines import headline_rows, load_indicators, records_behind
from patentreach.survey.instrument.form import load_form

BRI = {c for c, flag in load_form("holder").choice_attribute("country", "belt_and_road").items() if flag == "yes"}


def _is(series: pd.Series, value: str) -> np.ndarray:
    return series.astype(object).eq(value).fillna(False).to_numpy(dtype=bool)


def _has(series: pd.Series, choice: str) -> np.ndarray:
    return series.fillna("").astype(str).str.split().map(lambda xs: choice in xs).to_numpy()


def independent(
    enterprises: pd.DataFrame, patents: pd.DataFrame
) -> dict[str, tuple[pd.DataFrame, np.ndarray, np.ndarray]]:
    """(data, in the denominator, counted in the numerator) per indicator, from the wording."""
    e, p = enterprises, patents
    abroad = _is(e["transfer_out_abroad"], "yes")
    partners = e["transfer_out_countries"].fillna("").astype(str).str.split()
    exporter = _is(e["exports"], "yes")
    protection = e["export_protection"].fillna("").astype(str).to_numpy()
    return {
        "bri_transfer": (e, abroad, partners.map(lambda cs: bool(set(cs) & BRI)).to_numpy()),
        "self_innovation": (
            e,
            _is(e["difficulty_us_europe"], "yes"),
            _has(e["difficulty_response"], "self_innovation"),
        ),
        "export_unprotected_none": (e, exporter, protection == "none"),
        "export_unprotected_any": (e, exporter, protection != "all"),
        "industrialisation": (p, _is(p["patent_type"], "invention"), _is(p["implemented"], "yes")),
        "licence_rate": (p, np.ones(len(p), dtype=bool), _is(p["licensed"], "yes")),
    }


@pytest.fixture(scope="module")
def table(small_demo):
    patents = small_demo.patents.merge(small_demo.enterprises[["enterprise_id", "sector", "size"]], on="enterprise_id")
    return headline_rows(
        {"holder": small_demo.enterprises, "patent": patents},
        {"holder": ENTERPRISE_DESIGN, "patent": PATENT_DESIGN},
    )


def test_every_indicator_and_group_equals_the_weighted_share(small_demo, table):
    patents = small_demo.patents.merge(small_demo.enterprises[["enterprise_id", "sector", "size"]], on="enterprise_id")
    cases = independent(small_demo.enterprises, patents)
    assert sorted(cases) == sorted(table["key"].unique())
    checked = 0
    for row in table.to_dict("records"):
        data, denominator, numerator = cases[row["key"]]
        inside = denominator.copy()
        if isinstance(row["breakdown"], str):
            inside &= _is(data[row["breakdown"]], row["group"])
        w = data["final_weight"].to_numpy(dtype=float)
        if not inside.any():
            assert row["n"] == 0 and np.isnan(row["estimate"]) and row["note"].startswith("no estimate")
            continue
        share = float(np.sum(w[inside] * numerator[inside]) / np.sum(w[inside]))
        # the logit interval's point estimate is the fitted GLM mean (as R's svyciprop): equal to the
        # weighted share to the fit's convergence (1e-8), a share of 0 comes out as about 1e-10
        assert row["estimate"] == pytest.approx(share, rel=1e-8, abs=1e-9), (row["key"], row["group"])
        assert row["n"] == int(inside.sum())
        assert row["ci_method"] == "logit"
        checked += 1
    assert checked >= 50


def test_se_and_interval_are_the_estimation_engines(small_demo, table):
    e = small_demo.enterprises
    cases = [
        ("bri_transfer", "prop:bri_partner=yes", "transferred_abroad"),
        ("self_innovation", "prop:self_innovation=yes", "import_difficulty"),
        ("export_unprotected_none", "prop:export_unprotected=yes", "exporter"),
    ]
    for key, stat, domain in cases:
        engine = estimate(e, ENTERPRISE_DESIGN, [stat], by=domain).set_index("domain").loc["yes"]
        mine = table[(table["key"] == key) & table["breakdown"].isna()].iloc[0]
        for column in ("estimate", "se", "ci_lower", "ci_upper", "df"):
            assert mine[column] == pytest.approx(engine[column], rel=1e-12), (key, column)
        assert mine["n"] == engine["n"]
    by_size = estimate(e, ENTERPRISE_DESIGN, ["prop:self_innovation=yes"], by=["import_difficulty", "size"])
    small = by_size.set_index("domain").loc["yes:small"]
    mine = table[(table["key"] == "self_innovation") & (table["group"] == "small")].iloc[0]
    assert (mine["se"], mine["n"]) == (pytest.approx(small["se"], rel=1e-12), small["n"])


def test_the_demo_headlines_are_the_yaml_indicators_with_both_languages(small_demo):
    keys = [i.key for i in load_indicators().indicators]
    assert small_demo.estimates["key"].tolist() == keys
    zh, en = small_demo.sentences_zh, small_demo.sentences
    assert zh[0].startswith("在向境外转让或许可专利的企业中，") and "（95%置信区间 " in zh[0]
    percent = f"{small_demo.estimates['estimate'].iloc[0] * 100:.1f}%"
    assert percent in zh[0] and en[0].startswith(f"{percent} (95% CI ")


def test_an_empty_group_and_an_all_blank_answer_give_rows_that_say_so(small_demo):
    e = small_demo.enterprises.copy()
    e.loc[e["sector"] == "hmt", "exports"] = "no"  # no exporter among HK/Macao/Taiwan-invested
    e["difficulty_response"] = pd.NA  # nobody answered the follow-up
    table = headline_rows({"holder": e}, {"holder": ENTERPRISE_DESIGN}, by=(None, "sector"))
    hmt = table[(table["key"] == "export_unprotected_none") & (table["group"] == "hmt")].iloc[0]
    assert hmt["n"] == 0 and np.isnan(hmt["estimate"]) and np.isnan(hmt["se"])
    assert hmt["note"] == "no estimate: no unit in this group answered the question (n = 0)"
    assert hmt["sentence_zh"].endswith("无法估计：该组没有单位回答此问题（n = 0） [港澳台商投资企业]")
    blank = table[(table["key"] == "self_innovation") & table["breakdown"].isna()].iloc[0]
    assert blank["n"] == 0 and blank["n_missing"] == int((e["difficulty_us_europe"] == "yes").sum()) > 0
    assert blank["sentence_en"].startswith("Self-innovation after difficulty licensing in from the US and Europe: ")
    others = table[table["key"] == "bri_transfer"]
    assert others["estimate"].notna().all()  # the other indicators are untouched
    # patent indicators without patent data: rows saying so, not a crash
    patent = table[table["unit"] == "patent"]
    assert len(patent) == 10 and (patent["n"] == 0).all()
    assert set(patent["note"]) == {"no estimate: no responses and weights of this unit were given"}
    assert patent["sentence_zh"].iloc[0] == "有效发明专利产业化率: 无法估计：未提供该类问卷的回答与权数"


def test_a_group_of_one_has_its_estimate_but_says_there_is_no_interval(table):
    single = table[(table["key"] == "bri_transfer") & (table["group"] == "micro")].iloc[0]
    assert single["n"] == 1 and np.isnan(single["ci_lower"]) and single["se"] == 0
    assert single["note"] == "0.0%, no confidence interval (n = 1: too few units or no variation)"
    assert (
        single["sentence_zh"]
        == "向“一带一路”合作国家转让或许可专利: 0.0%，无法计算置信区间（n = 1：单位过少或无变异） [微型企业]"
    )


def test_records_behind_an_estimate_are_its_domain(small_demo, table):
    indicators = load_indicators()
    rows = records_behind(small_demo.enterprises, indicators.get("bri_transfer"), indicators, {"sector": "private"})
    mine = table[(table["key"] == "bri_transfer") & (table["group"] == "private")].iloc[0]
    assert len(rows) == mine["n"]
    assert set(rows["transfer_out_abroad"]) == {"yes"} and set(rows["sector"]) == {"private"}
    partners = rows["transfer_out_countries"].str.split()
    assert rows["counted"].eq("yes").tolist() == partners.map(lambda cs: bool(set(cs) & BRI)).tolist()
    w = rows["final_weight"].to_numpy(dtype=float)
    assert float(np.sum(w * (rows["counted"] == "yes")) / np.sum(w)) == pytest.approx(mine["estimate"], rel=1e-12)


def test_a_replicate_design_gives_the_engines_replicate_se(small_demo):
    design = {
        "strata": "stratum",
        "weights": "final_weight",
        "fpc": ["fpc"],
        "replicates": {"type": "bootstrap", "generate": {"replicates": 20, "seed": 7}},
    }
    e = small_demo.enterprises
    table = headline_rows({"holder": e}, {"holder": design}, by=(None,), keys=["export_unprotected_none"])
    engine = estimate(e, design, ["prop:export_unprotected=yes"], by="exporter").set_index("domain").loc["yes"]
    row = table.iloc[0]
    assert (row["se"], row["ci_lower"], row["ci_upper"]) == (
        pytest.approx(engine["se"], rel=1e-12),
        pytest.approx(engine["ci_lower"], rel=1e-12),
        pytest.approx(engine["ci_upper"], rel=1e-12),
    )
    taylor = headline_rows({"holder": e}, {"holder": ENTERPRISE_DESIGN}, by=(None,), keys=["export_unprotected_none"])
    assert row["estimate"] == pytest.approx(taylor["estimate"].iloc[0], rel=1e-9)
    assert row["se"] != pytest.approx(taylor["se"].iloc[0], rel=1e-6)  # really the replicate SE
