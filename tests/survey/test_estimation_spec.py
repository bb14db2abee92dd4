"""The design spec and the statistic syntax: what parses, what is refused, and why."""

from __future__ import annotations

import pandas as pd
import pytest

from patentreach.survey.design import DesignError, DesignSpec, load_design
from patentreach.survey.estimate import StatisticError, estimate, parse_stat
from patentreach.survey.survey_design import SurveyDesign
from tests.conftest import shared_path


def apistrat() -> pd.DataFrame:
    return pd.read_csv(shared_path("reference", "survey", "data", "apistrat.csv"))


# --- the design spec -----------------------------------------------------------------------


def test_yaml_file_and_mapping_give_the_same_frozen_spec(tmp_path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("ids: [psu]\nstrata: region\nnest: true\nreplicates: {type: JKn, generate: {}}\n")
    spec = load_design(path)
    assert spec == load_design(
        {"ids": ["psu"], "strata": "region", "nest": True, "replicates": {"type": "jkn", "generate": {}}}
    )
    assert spec.ids == ("psu",) and spec.strata == ("region",) and spec.nest is True
    assert spec.replicates.type == "JKn" and spec.replicates.generate.replicates == 50
    with pytest.raises(AttributeError):
        spec.nest = False  # type: ignore[misc]


def test_spec_round_trips_through_its_mapping() -> None:
    raw = {
        "ids": ["dnum"],
        "weights": "pw",
        "fpc": ["fpc"],
        "lonely_psu": "adjust",
        "replicates": {"type": "bootstrap", "generate": {"replicates": 80, "seed": 3}, "mse": True},
        "calibrate": [{"method": "logit", "population": {"stype": {"E": 1, "H": 2}}, "bounds": [0.5, 2]}],
    }
    spec = load_design(raw)
    assert load_design(spec.to_mapping()) == spec


def test_ids_of_one_mean_every_row_is_its_own_psu() -> None:
    assert load_design({"ids": [1]}).ids == ()
    assert load_design({"ids": "1"}).ids == ()
    assert load_design({}) == DesignSpec()


def test_a_design_without_weights_gives_every_unit_weight_one() -> None:
    survey = SurveyDesign.build(apistrat(), load_design({"strata": "stype"}))
    assert (survey.weights == 1).all()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"weight": "pw"}, "unknown key(s) weight; known keys:"),
        ({"weights": "pw", "probs": "p"}, "give `weights` or `probs`, not both"),
        ({"lonely_psu": "skip"}, "`lonely_psu` must be one of fail, certainty, adjust, average, remove"),
        ({"nest": "yes"}, "`nest` is true or false"),
        ({"ids": ["a"], "fpc": ["f1", "f2"]}, "`fpc` has 2 stages but `ids` has 1"),
        ({"replicates": {"type": "JK2", "generate": {}}}, "`type` must be one of JK1, JKn, bootstrap"),
        ({"replicates": {"type": "JK1"}}, "give either `columns`"),
        ({"replicates": {"type": "Fay", "generate": {}}}, "type Fay needs `rho`"),
        ({"calibrate": [{"method": "logit", "population": {"x": 1}}]}, "logit calibration needs finite `bounds`"),
        ({"calibrate": [{"method": "linear", "population": {"x": 1}, "bounds": [1.2, 2]}]}, "lower < 1 < upper"),
        ({"calibrate": [{"method": "trim", "population": {"x": 1}}]}, "`method` must be one of poststratify"),
        ({"calibrate": [{"method": "rake", "population": {"x": 100}}]}, "rake needs {level: count}"),
    ],
)
def test_invalid_designs_are_refused_with_the_key_named(raw, message) -> None:
    with pytest.raises(DesignError) as caught:
        load_design(raw)
    assert message in str(caught.value)


def test_missing_design_file_is_reported(tmp_path) -> None:
    with pytest.raises(DesignError, match="does not exist"):
        load_design(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"ids": ["nope"]}, "`ids` names column 'nope', which is not in the data"),
        ({"ids": ["stype"]}, None),
        (
            {
                "fpc": [
                    0.5,
                ]
            },
            None,
        ),
        (
            {
                "strata": "stype",
                "fpc": ["fpc"],
                "weights": "pw",
                "calibrate": [{"method": "poststratify", "population": {"stype": {"E": 4421, "H": 755}}}],
            },
            "level 'M' of 'stype' occurs in the sample but has no population count",
        ),
    ],
)
def test_designs_that_do_not_fit_the_data(raw, message) -> None:
    data = apistrat()
    if message is None:
        SurveyDesign.build(data, load_design(raw))
        return
    with pytest.raises(ValueError) as caught:
        SurveyDesign.build(data, load_design(raw))
    assert message in str(caught.value)


def test_one_cluster_for_the_whole_sample_is_refused() -> None:
    with pytest.raises(DesignError, match="only one primary sampling unit"):
        SurveyDesign.build(apistrat().assign(one=1), load_design({"ids": ["one"]}))


def test_fpc_mixing_sizes_and_fractions_is_refused() -> None:
    data = apistrat().assign(mixed=lambda d: d["fpc"].where(d["stype"] != "E", 0.5))
    with pytest.raises(DesignError, match="mixes population sizes"):
        SurveyDesign.build(data, load_design({"strata": "stype", "fpc": ["mixed"]}))


def test_fpc_smaller_than_the_sample_is_refused() -> None:
    with pytest.raises(DesignError, match="more than 100% sampling at stage 1 \\(stratum E\\)"):
        SurveyDesign.build(apistrat(), load_design({"strata": "stype", "fpc": [20]}))


# --- statistics ------------------------------------------------------------------------


def test_statistic_syntax() -> None:
    prop = parse_stat("prop:sch.wide=Yes:method=beta:ci=normal")
    assert (prop.kind, prop.columns, prop.operator, prop.value, prop.method, prop.ci) == (
        "prop",
        ("sch.wide",),
        "==",
        "Yes",
        "beta",
        "normal",
    )
    assert parse_stat("prop:ell>=10").operator == ">="
    assert parse_stat("ratio:api.stu/enroll").columns == ("api.stu", "enroll")
    assert parse_stat("mean:api00:df=inf").df == float("inf")
    assert parse_stat("mean:api00:deff=replace").deff == "replace"
    assert parse_stat("prop:answered").operator is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("median:api00", "KIND one of mean, total, prop, ratio"),
        ("ratio:api00", "a ratio is NUMERATOR/DENOMINATOR"),
        ("mean:api00:method=logit", "`method=` applies to prop only"),
        ("prop:x=1:method=exact", "method must be one of logit, likelihood"),
        ("mean:api00:ci=wald", "ci must be t or normal"),
        ("mean:", "names no variable"),
    ],
)
def test_bad_statistics_are_refused(text, message) -> None:
    with pytest.raises(StatisticError) as caught:
        parse_stat(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("stat", "message"),
    [
        ("mean:nope", "no column 'nope'"),
        ("prop:sch.wide=Maybe", "'Maybe' never occurs in 'sch.wide'"),
        ("prop:sch.wide>No", "only = and != compare text columns"),
        ("prop:api00", "is not 0/1; write a condition"),
        ("prop:ell=none", "compare it with a number"),
    ],
)
def test_statistics_that_do_not_fit_the_data(stat, message) -> None:
    with pytest.raises(StatisticError) as caught:
        estimate(apistrat(), load_design({"weights": "pw"}), [stat])
    assert message in str(caught.value)


def test_a_condition_on_a_numeric_column_and_a_bare_indicator_agree() -> None:
    data = apistrat().assign(no_ell=lambda d: (d["ell"] == 0).astype(int))
    table = estimate(data, load_design({"strata": "stype", "weights": "pw"}), ["prop:ell=0", "prop:no_ell"])
    assert table["estimate"].iloc[0] == table["estimate"].iloc[1]
    assert table["category"].iloc[0] == "0" and pd.isna(table["category"].iloc[1])


def test_level_outside_zero_and_one_is_refused() -> None:
    with pytest.raises(StatisticError, match="level must be between 0 and 1"):
        estimate(apistrat(), load_design({}), ["mean:api00"], level=95)
