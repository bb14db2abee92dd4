"""Weights: non-response adjustment, calibration weights against R's, and replicate weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from patentreach.survey.calibration import CalibrationError, calibrate, poststratify, rake
from patentreach.survey.design import load_design
from patentreach.survey.grouping import Grouping, factorize
from patentreach.survey.replicates import ReplicateWeights, replicate_degf, replicate_variance
from patentreach.survey.survey_design import SurveyDesign
from patentreach.survey.weights import WeightingError, design_weights, nonresponse_adjust
from tests.conftest import shared_path

POP_TYPES = {"E": 4421, "H": 755, "M": 1018}
POP_SCHWIDE = {"No": 1072, "Yes": 5122}
POP_IMP = {"No": 1712, "Yes": 4482}


def reference(*parts: str) -> pd.DataFrame:
    return pd.read_csv(shared_path("reference", "survey", *parts), dtype={"cds": str, "key": str})


def api(name: str) -> pd.DataFrame:
    return reference("data", f"{name}.csv")


# --- non-response -------------------------------------------------------------------------


def test_weighting_class_adjustment_reproduces_the_reference_scenario() -> None:
    scenario = reference("expected", "nonresponse_scenario_apistrat.csv")
    adjusted = nonresponse_adjust(scenario, "pw", "responded", ["stype", "sch.wide"])
    np.testing.assert_allclose(adjusted, scenario["w_nr"], rtol=1e-12)
    assert (adjusted[~scenario["responded"]] == 0).all()
    # respondents carry the whole class: weighted totals per class are unchanged
    classes = scenario["stype"] + scenario["sch.wide"]
    np.testing.assert_allclose(adjusted.groupby(classes).sum(), scenario["pw"].groupby(classes).sum())


def test_a_class_without_respondents_is_named() -> None:
    data = pd.DataFrame({"w": [1.0, 2.0, 3.0], "r": ["yes", "no", "no"], "c": ["a", "b", "b"]})
    with pytest.raises(WeightingError, match="weighting class\\(es\\) b have no respondents"):
        nonresponse_adjust(data, "w", "r", "c")


def test_respondent_flags_must_be_true_or_false() -> None:
    data = pd.DataFrame({"w": [1.0, 2.0], "r": ["yes", "maybe"], "c": ["a", "a"]})
    with pytest.raises(WeightingError, match="must be true/false"):
        nonresponse_adjust(data, "w", "r", "c")


def test_design_weights_from_fpc_alone() -> None:
    weights = design_weights(api("apiclus1"), load_design({"ids": ["dnum"], "fpc": ["fpc"]}))
    np.testing.assert_allclose(weights, 757 / 15)


# --- calibration weights against R ---------------------------------------------------------

STRAT = {"strata": "stype", "weights": "pw", "fpc": ["fpc"]}
CLUS1 = {"ids": ["dnum"], "weights": "pw", "fpc": ["fpc"]}
CALIBRATIONS = {
    "w_strat_ps_sw": ("apistrat", STRAT, {"method": "poststratify", "population": {"sch.wide": POP_SCHWIDE}}),
    "w_strat_rake": (
        "apistrat",
        STRAT,
        {"method": "rake", "population": {"sch.wide": POP_SCHWIDE, "comp.imp": POP_IMP}},
    ),
    "w_clus1_ps": ("apiclus1", CLUS1, {"method": "poststratify", "population": {"stype": POP_TYPES}}),
    "w_clus1_rake": (
        "apiclus1",
        CLUS1,
        {"method": "rake", "population": {"stype": POP_TYPES, "sch.wide": POP_SCHWIDE}},
    ),
    "w_clus1_cal_lin_stype": ("apiclus1", CLUS1, {"method": "linear", "population": {"stype": POP_TYPES}}),
    "w_clus1_cal_lin_api99": (
        "apiclus1",
        CLUS1,
        {"method": "linear", "population": {"stype": POP_TYPES, "api99": 3914069}},
    ),
    "w_clus1_cal_rak_sw": (
        "apiclus1",
        CLUS1,
        {"method": "raking", "population": {"stype": POP_TYPES, "sch.wide": POP_SCHWIDE}},
    ),
}


@pytest.mark.parametrize("column", sorted(CALIBRATIONS))
def test_calibrated_weights_equal_r(column: str) -> None:
    dataset, design, step = CALIBRATIONS[column]
    data = api(dataset)
    expected = reference("expected", f"weights_{dataset}_calibrated.csv").set_index("cds")[column]
    survey = SurveyDesign.build(data, load_design({**design, "calibrate": [step]}))
    np.testing.assert_allclose(survey.weights, expected.loc[data["cds"]].to_numpy(), rtol=1e-9)


def test_linear_calibration_on_one_factor_is_post_stratification() -> None:
    data = api("apiclus1")
    linear = SurveyDesign.build(data, load_design({**CLUS1, "calibrate": [CALIBRATIONS["w_clus1_cal_lin_stype"][2]]}))
    post = SurveyDesign.build(data, load_design({**CLUS1, "calibrate": [CALIBRATIONS["w_clus1_ps"][2]]}))
    np.testing.assert_allclose(linear.weights, post.weights, rtol=1e-12)


def test_raking_by_calibration_equals_iterative_raking() -> None:
    data = api("apiclus1")
    iterative = SurveyDesign.build(data, load_design({**CLUS1, "calibrate": [CALIBRATIONS["w_clus1_rake"][2]]}))
    newton = SurveyDesign.build(data, load_design({**CLUS1, "calibrate": [CALIBRATIONS["w_clus1_cal_rak_sw"][2]]}))
    np.testing.assert_allclose(newton.weights, iterative.weights, rtol=1e-7)


def test_calibration_meets_the_totals_exactly() -> None:
    data = api("apiclus1")
    survey = SurveyDesign.build(data, load_design({**CLUS1, "calibrate": [CALIBRATIONS["w_clus1_cal_lin_api99"][2]]}))
    assert survey.weights @ data["api99"] == pytest.approx(3914069, rel=1e-12)
    by_type = pd.Series(survey.weights).groupby(data["stype"]).sum()
    assert by_type.to_dict() == pytest.approx(POP_TYPES, rel=1e-12)


def test_population_cell_without_sample_units_must_be_collapsed() -> None:
    weights = np.ones(4)
    cells = Grouping.of(np.array([0, 0, 1, 1]))
    with pytest.raises(CalibrationError, match="population count of 5 but no sample units"):
        poststratify(weights, Grouping(cells.codes, 3), np.array([2.0, 2.0, 5.0]))


def test_inconsistent_population_sizes_between_factors_are_refused() -> None:
    step = {"method": "raking", "population": {"stype": POP_TYPES, "sch.wide": {"No": 1, "Yes": 2}}}
    with pytest.raises(CalibrationError, match="sum to 3, not 6194"):
        SurveyDesign.build(api("apiclus1"), load_design({**CLUS1, "calibrate": [step]}))


def test_bounds_that_cannot_be_met_fail_clearly() -> None:
    x = np.column_stack([np.ones(4), [1.0, 0.0, 0.0, 0.0]])
    with pytest.raises(CalibrationError, match="did not meet the totals"):
        calibrate(np.ones(4), x, np.array([4.0, 3.0]), method="logit", bounds=(0.5, 1.5))


def test_rake_and_poststratify_adjust_replicates_replicate_by_replicate() -> None:
    codes, _ = factorize(pd.Series(["a", "a", "b", "b", "b"]))
    cells = Grouping.of(codes)
    reps = np.array([[1.0, 2.0], [1.0, 0.0], [1.0, 1.0], [2.0, 1.0], [1.0, 1.0]])
    result = poststratify(np.ones(5), cells, np.array([10.0, 30.0]), reps)
    np.testing.assert_allclose(cells.sum(result.replicates), [[10, 10], [30, 30]])
    raked = rake(np.ones(5), [(cells, np.array([10.0, 30.0]))], reps)
    np.testing.assert_allclose(raked.replicates, result.replicates)


# --- replicate weights ----------------------------------------------------------------------


def test_jk1_with_fpc_scales_by_the_sampling_fraction() -> None:
    survey = SurveyDesign.build(api("apiclus1"), load_design({**CLUS1, "replicates": {"type": "JK1", "generate": {}}}))
    assert survey.replicates.count == 15
    assert survey.replicates.scale == pytest.approx((1 - 15 / 757) * 14 / 15, rel=1e-15)
    meta = reference("expected", "repweights_meta.csv").set_index("design_id")
    assert survey.replicates.scale == pytest.approx(meta.loc["rclus1_jk1", "scale"], rel=1e-12)


def test_generated_bootstrap_draws_each_stratum_size_and_uses_r_scale() -> None:
    design = load_design({**STRAT, "replicates": {"type": "bootstrap", "generate": {"replicates": 50, "seed": 11}}})
    data = api("apistrat")
    survey = SurveyDesign.build(data, design)
    multipliers = survey.replicates.analysis / data["pw"].to_numpy()[:, None]
    per_stratum = pd.DataFrame(multipliers).groupby(data["stype"]).sum()
    assert (per_stratum.loc["E"] == 100).all() and (per_stratum.loc["H"] == 50).all()
    meta = reference("expected", "repweights_meta.csv").set_index("design_id")
    assert survey.replicates.scale == pytest.approx(meta.loc["rstrat_boot50", "scale"], rel=1e-12)
    again = SurveyDesign.build(data, design)
    np.testing.assert_array_equal(survey.replicates.analysis, again.replicates.analysis)


def test_rescaled_bootstrap_keeps_the_expected_weight_total() -> None:
    design = load_design(
        {
            "ids": ["dnum"],
            "strata": "stype",
            "weights": "pw",
            "nest": True,
            "replicates": {"type": "subbootstrap", "generate": {"replicates": 400, "seed": 5}},
        }
    )
    data = api("apistrat")
    survey = SurveyDesign.build(data, design)
    assert survey.replicates.scale == pytest.approx(1 / 399)
    assert survey.replicates.analysis.sum(axis=0).mean() == pytest.approx(data["pw"].sum(), rel=0.01)


def test_given_replicate_columns_default_scales_follow_r() -> None:
    reps = reference("expected", "repweights_rstrat_boot50.csv")
    data = api("apistrat").merge(reps, left_on="cds", right_on="key")
    columns = [c for c in reps.columns if c.startswith("rep")]
    survey = SurveyDesign.build(
        data, load_design({"weights": "pw", "replicates": {"type": "bootstrap", "columns": columns}})
    )
    assert survey.replicates.scale == pytest.approx(1 / 49)
    assert survey.degf() == 49
    brr = SurveyDesign.build(data, load_design({"weights": "pw", "replicates": {"type": "BRR", "columns": columns}}))
    assert brr.replicates.scale == pytest.approx(1 / 50)


def test_replicate_degrees_of_freedom_are_the_rank_minus_one() -> None:
    base = np.arange(1.0, 7.0)[:, None]
    columns = np.hstack([base, base * 2, base**2, base**2 + base])
    assert replicate_degf(columns) == 1
    rng = np.random.default_rng(0)
    assert replicate_degf(rng.random((100, 20))) == 19


def test_mse_centres_replicates_on_the_full_sample_estimate() -> None:
    thetas = np.array([[1.0], [3.0]])
    reps = ReplicateWeights(np.ones((2, 2)), scale=1.0, rscales=np.ones(2), mse=False, type="other")
    assert replicate_variance(thetas, np.array([0.0]), reps)[0] == 2.0
    reps.mse = True
    assert replicate_variance(thetas, np.array([0.0]), reps)[0] == 10.0


def test_poststratifying_on_cells_of_two_variables_equals_one_cell_column() -> None:
    data = api("apistrat")
    data["cell"] = data["stype"] + ":" + data["sch.wide"]
    totals = data.groupby("cell")["pw"].sum() * 1.1
    rows = [{"stype": k.split(":")[0], "sch.wide": k.split(":")[1], "N": v} for k, v in totals.items()]
    by_rows = {"method": "poststratify", "variables": ["stype", "sch.wide"], "population": rows}
    by_column = {"method": "poststratify", "population": {"cell": totals.to_dict()}}
    a = SurveyDesign.build(data, load_design({**STRAT, "calibrate": [by_rows]}))
    b = SurveyDesign.build(data, load_design({**STRAT, "calibrate": [by_column]}))
    np.testing.assert_allclose(a.weights, b.weights, rtol=1e-14)
    np.testing.assert_allclose(a.weights, data["pw"] * 1.1, rtol=1e-14)


def test_data_frame_helpers_give_the_calibrated_weights() -> None:
    from patentreach.survey.weights import calibrate_weights, poststratify_weights, rake_weights

    clus1 = api("apiclus1")
    expected = reference("expected", "weights_apiclus1_calibrated.csv").set_index("cds").loc[clus1["cds"]]
    np.testing.assert_allclose(poststratify_weights(clus1, "pw", "stype", POP_TYPES), expected["w_clus1_ps"], rtol=1e-9)
    raked = rake_weights(clus1, "pw", {"stype": POP_TYPES, "sch.wide": POP_SCHWIDE})
    np.testing.assert_allclose(raked, expected["w_clus1_rake"], rtol=1e-9)
    greg = calibrate_weights(clus1, "pw", {"stype": POP_TYPES, "api99": 3914069})
    np.testing.assert_allclose(greg, expected["w_clus1_cal_lin_api99"], rtol=1e-9)
    logit = calibrate_weights(clus1, "pw", {"stype": POP_TYPES, "api99": 3914069}, "logit", (0.7, 1.7))
    assert logit.min() == pytest.approx(23.722524613174922, rel=1e-9)
