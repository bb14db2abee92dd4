"""weight_survey against R's survey package (the API samples): non-response, calibration,
raking, replicate weights, collapsing and the propensity model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from patentreach.survey.design import load_design
from patentreach.survey.estimate import estimate
from patentreach.survey.survey_design import SurveyDesign
from patentreach.survey.weighting import weight_survey
from patentreach.survey.weights import WeightingError
from tests.survey.weighting.conftest import reference


@pytest.fixture(scope="module")
def scenario() -> pd.DataFrame:
    data = reference("expected", "nonresponse_scenario_apistrat.csv")
    return data.assign(stratum=data["stype"], design_weight=data["pw"])


@pytest.fixture(scope="module")
def apipop() -> pd.DataFrame:
    return reference("data", "apipop.csv")


def _respondents(data: pd.DataFrame) -> pd.Series:
    return data.loc[data["responded"], "cds"]


def test_the_reference_non_response_scenario_is_reproduced(scenario: pd.DataFrame) -> None:
    result = weight_survey(scenario, _respondents(scenario), classes=("stype", "sch.wide"), id_column="cds")
    units = result.units
    np.testing.assert_allclose(units["final_weight"], scenario["w_nr"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(units["nr_factor"], scenario["nr_factor"], rtol=1e-9)
    assert (units["nr_class"] == scenario["nrcell"]).all()
    assert result.diagnostics.collapsed == []
    assert result.diagnostics.respondents == 118 and result.diagnostics.sampled == 200
    assert result.diagnostics.sum_weights == pytest.approx(scenario["pw"].sum(), rel=1e-12)
    assert len(result.weights) == 118
    assert list(result.weights.columns[:6]) == ["cds", "stratum", "fpc", "design_weight", "nr_factor", "final_weight"]
    assert result.design == {"ids": [], "strata": "stratum", "fpc": ["fpc"], "weights": "final_weight"}


def test_a_class_with_too_large_a_factor_joins_its_neighbour(scenario: pd.DataFrame) -> None:
    # E:No has factor 3 (kept at max_factor 3), H:No 3.43 (collapsed into H:Yes, the same stype)
    result = weight_survey(
        scenario, _respondents(scenario), classes=("stype", "sch.wide"), id_column="cds", max_factor=3
    )
    merges = [(c.cell, c.into, c.reason) for c in result.diagnostics.collapsed]
    assert merges == [("H:No", "H:Yes", "factor 3.429 above 3")]
    high = scenario["stype"] == "H"
    expected = scenario.loc[high, "pw"].sum() / scenario.loc[high & scenario["responded"], "pw"].sum()
    assert expected == pytest.approx(50 / 22)
    np.testing.assert_allclose(result.units.loc[high, "nr_factor"], expected, rtol=1e-12)
    assert set(result.units.loc[high, "nr_class"]) == {"H:Yes+H:No"}
    assert len(result.diagnostics.classes) == 5


def test_a_class_without_respondents_is_collapsed_and_said_so(scenario: pd.DataFrame) -> None:
    data = scenario.copy()
    data.loc[(data["stype"] == "M") & (data["sch.wide"] == "No"), "responded"] = False
    result = weight_survey(data, _respondents(data), classes=("stype", "sch.wide"), id_column="cds")
    (merge,) = result.diagnostics.collapsed
    assert (merge.cell, merge.into, merge.reason) == ("M:No", "M:Yes", "no respondents")
    middle = data["stype"] == "M"
    expected = data.loc[middle, "pw"].sum() / data.loc[middle & data["responded"], "pw"].sum()
    np.testing.assert_allclose(result.units.loc[middle, "nr_factor"], expected, rtol=1e-12)
    assert ("collapsed", "M:No into M:Yes: no respondents") in result.diagnostics.summary()
    # the total is kept: weights still add up to the population
    assert result.units["final_weight"].sum() == pytest.approx(data["pw"].sum(), rel=1e-12)


def test_too_few_respondents_collapse_worst_first(scenario: pd.DataFrame) -> None:
    result = weight_survey(
        scenario, _respondents(scenario), classes=("stype", "sch.wide"), id_column="cds", min_class_respondents=8
    )
    merges = [(c.cell, c.into, c.reason) for c in result.diagnostics.collapsed]
    assert merges == [
        ("E:No", "E:Yes", "3 respondent(s), fewer than 8"),
        ("H:No", "H:Yes", "7 respondent(s), fewer than 8"),
    ]


def test_nobody_responding_is_an_error(scenario: pd.DataFrame) -> None:
    with pytest.raises(WeightingError, match="no unit of the sample responded"):
        weight_survey(scenario, [], classes=("stype",), id_column="cds")


def test_responses_outside_the_sample_are_refused(scenario: pd.DataFrame) -> None:
    with pytest.raises(WeightingError, match="1 response\\(s\\) are not units of the sample \\(first: cds 123\\)"):
        weight_survey(scenario, ["123"], id_column="cds")


@pytest.mark.parametrize(
    ("dataset", "margins", "method", "column"),
    [
        ("apistrat", ("sch.wide", "comp.imp"), "raking", "w_strat_rake"),
        ("apistrat", ("sch.wide",), "linear", "w_strat_ps_sw"),
        ("apiclus1", ("stype", "sch.wide"), "raking", "w_clus1_rake"),
        ("apiclus1", ("stype",), "linear", "w_clus1_cal_lin_stype"),
    ],
)
def test_calibrated_weights_equal_r(dataset: str, margins: tuple[str, ...], method: str, column: str, apipop) -> None:
    data = reference("data", f"{dataset}.csv")
    data = data.assign(design_weight=data["pw"], stratum=data["stype"] if dataset == "apistrat" else "all")
    result = weight_survey(data, data["cds"], apipop, calibrate=margins, method=method, id_column="cds")
    expected = reference("expected", f"weights_{dataset}_calibrated.csv").set_index("cds")[column]
    np.testing.assert_allclose(result.units["final_weight"], expected.loc[data["cds"]].to_numpy(), rtol=1e-9)
    # the design written beside the weights rebuilds them exactly (estimate() uses it)
    rebuilt = SurveyDesign.build(result.weights, load_design(result.design))
    np.testing.assert_allclose(rebuilt.weights, result.weights["final_weight"], rtol=1e-12)


def test_jkn_replicates_equal_r_and_the_design_estimates_with_them(apipop) -> None:
    data = reference("data", "apistrat.csv")
    data = data.assign(design_weight=data["pw"], stratum=data["stype"])
    result = weight_survey(data, data["cds"], replicates="jkn", id_column="cds")
    expected = reference("expected", "repweights_rstrat_jkn.csv").set_index("key")
    r_columns = [c for c in expected.columns if c.startswith("rep")]
    ours = result.units[result.replicate_columns].to_numpy()
    np.testing.assert_allclose(ours, expected.loc[data["cds"], r_columns].to_numpy(), rtol=1e-9)
    assert result.design["replicates"]["type"] == "JKn"
    meta = reference("expected", "repweights_meta.csv").set_index("design_id")
    rscales = sorted({round(x, 12) for x in result.design["replicates"]["rscales"]})
    assert rscales == sorted(round(float(x), 12) for x in meta.loc["rstrat_jkn", "rscales_unique"].split(";"))
    # svymean(~api00, rstrat_jkn) from the reference results
    analysis = result.weights.merge(data[["cds", "api00"]], on="cds")
    row = estimate(analysis, result.design, ["mean:api00"]).iloc[0]
    values = reference("expected", "api_reference_results.csv")
    se = values.query("design_id == 'rstrat_jkn' and estimator == 'svymean' and variable == '~api00' and stat == 'se'")
    assert row["se"] == pytest.approx(float(se["value"].iloc[0]), rel=1e-9)


def test_replicates_repeat_the_adjustment_and_the_raking(apipop) -> None:
    data = reference("data", "apistrat.csv")
    data = data.assign(design_weight=data["pw"], stratum=data["stype"])
    respondents = data.loc[data["snum"] % 3 != 0, "cds"]
    result = weight_survey(
        data,
        respondents,
        apipop,
        calibrate=("sch.wide", "comp.imp"),
        method="raking",
        replicates="jkn",
        id_column="cds",
    )
    reps = result.weights[result.replicate_columns].to_numpy()
    pop = apipop["sch.wide"].value_counts()
    for level in ("Yes", "No"):
        mask = (result.weights["frame_sch.wide"] == level).to_numpy()
        np.testing.assert_allclose(reps[mask].sum(axis=0), pop[level], rtol=1e-7)
    assert not (result.units.loc[~result.units["respondent"], result.replicate_columns] != 0).any().any()


def test_propensity_classes_come_from_a_design_weighted_logistic_regression(scenario: pd.DataFrame) -> None:
    result = weight_survey(
        scenario,
        _respondents(scenario),
        propensity=True,
        propensity_variables=("stype", "sch.wide"),
        id_column="cds",
        min_class_respondents=1,
        max_factor=10,
    )
    # independent fit: maximise the weighted Bernoulli log-likelihood with scipy
    x = np.column_stack(
        [np.ones(200), scenario["stype"] == "H", scenario["stype"] == "M", scenario["sch.wide"] == "Yes"]
    ).astype(float)
    y, w = scenario["responded"].to_numpy(float), scenario["pw"].to_numpy()

    def loss(beta: np.ndarray) -> float:
        eta = x @ beta
        return float(-np.sum(w * (y * eta - np.logaddexp(0, eta))))

    beta = minimize(loss, np.zeros(4), method="BFGS", options={"gtol": 1e-10}).x
    assert "propensity quintile" in result.units["nr_class"].iloc[0]
    ordered = ["(Intercept)", "stype=H", "stype=M", "sch.wide=Yes"]
    coefficients = result.diagnostics.to_dict()["classes"]  # classes exist
    assert len(coefficients) == result.units["nr_class"].nunique()
    fitted = result.specification["propensity_coefficients"]
    np.testing.assert_allclose([fitted[k] for k in ordered], beta, rtol=1e-5)
    # every class holds units of similar propensity: within a class the adjustment is 1/response rate
    for _, group in result.units.groupby("nr_class"):
        rate = group.loc[group["respondent"], "design_weight"].sum() / group["design_weight"].sum()
        np.testing.assert_allclose(group["nr_factor"], 1 / rate, rtol=1e-12)
