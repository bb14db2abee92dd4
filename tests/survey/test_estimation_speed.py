"""The shortcuts that make estimation fast give the values of the direct computations.

* the logit interval's first IRLS step in closed form (and from per-design terms) equals R's
  row-by-row step;
* replicate refits from sums equal the exact log-odds of the replicate proportions (R's glm stops
  within 1e-8 of them), and the interval built from them;
* PSU-constant replicate weights are compressed, and estimates through the compressed form equal
  those through the full matrix; a matrix that varies inside a PSU is not compressed;
* the batched proportions equal the one-at-a-time ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from patentreach.survey import logistic
from patentreach.survey.design import load_design
from patentreach.survey.estimate import estimate
from patentreach.survey.proportion import proportion, proportions
from patentreach.survey.survey_design import SurveyDesign
from tests.conftest import shared_path

CLUS_JK1 = {"ids": ["dnum"], "weights": "pw", "fpc": ["fpc"], "replicates": {"type": "JK1", "generate": {}}}
CLUS_BOOT = {
    "ids": ["dnum"],
    "weights": "pw",
    "replicates": {"type": "bootstrap", "generate": {"replicates": 40, "seed": 7}},
}
STRAT_BOOT = {
    "strata": "stype",
    "weights": "pw",
    "replicates": {"type": "bootstrap", "generate": {"replicates": 40, "seed": 7}},
}


def api(name: str) -> pd.DataFrame:
    return pd.read_csv(shared_path("reference", "survey", "data", f"{name}.csv"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_closed_form_first_step_equals_row_by_row(seed: int) -> None:
    rng = np.random.default_rng(seed)
    prior = rng.uniform(0, 3, 500)
    prior[:7] = 0.0
    y = (rng.random(500) < 0.3).astype(float)
    row_by_row = logistic._first_step(np.where(prior == 0, 0.0, y), prior)
    closed = logistic._first_step_binary(np.where(prior == 0, 0.0, y), prior)
    from_terms = logistic.BinaryStart(prior).first_step(np.ones(500, dtype=bool), y)
    assert closed is not None
    for other in (closed, from_terms):
        assert other[0] == pytest.approx(row_by_row[0], rel=1e-13)  # coefficient after step 1
        assert other[1] == pytest.approx(row_by_row[1], rel=1e-13)  # starting deviance
        np.testing.assert_allclose(other[3], row_by_row[3], rtol=1e-13)  # the sums
    np.testing.assert_allclose(closed[2], row_by_row[2], rtol=1e-13)  # working weights


def test_fit_converges_to_the_weighted_log_odds() -> None:
    rng = np.random.default_rng(4)
    prior = rng.uniform(0.2, 2, 1000)
    y = (rng.random(1000) < 0.2).astype(float)
    fit = logistic.fit_intercept(y, prior)
    p = prior @ y / prior.sum()
    assert fit.converged
    assert fit.coef == pytest.approx(np.log(p / (1 - p)), rel=1e-9)


def test_replicate_logit_interval_is_the_log_odds_of_the_replicate_proportions() -> None:
    data = api("apistrat")
    survey = SurveyDesign.build(data, load_design(STRAT_BOOT))
    y = (data["sch.wide"] == "Yes").to_numpy(dtype=float)
    row = estimate(data, survey, ["prop:sch.wide=Yes"]).iloc[0]
    reps = survey.replicates
    p_r = reps.analysis.T @ y / reps.analysis.sum(axis=0)
    p = survey.weights @ y / survey.weights.sum()
    beta_r = np.log(p_r / (1 - p_r))
    se = np.sqrt(reps.scale * np.sum((beta_r - beta_r.mean()) ** 2))
    q = stats.t.ppf(0.975, survey.degf())
    logit = np.log(p / (1 - p))
    assert row.estimate == pytest.approx(p, rel=1e-9)
    assert row.ci_lower == pytest.approx(1 / (1 + np.exp(-(logit - q * se))), rel=1e-8)
    assert row.ci_upper == pytest.approx(1 / (1 + np.exp(-(logit + q * se))), rel=1e-8)


STATS = ["mean:api00", "mean:enroll", "total:enroll", "prop:sch.wide=Yes", "prop:ell=0:method=likelihood",
         "ratio:api.stu/enroll"]


@pytest.mark.parametrize("mapping", [CLUS_JK1, CLUS_BOOT], ids=["jk1", "bootstrap"])
def test_compressed_replicates_give_the_full_matrix_values(mapping: dict) -> None:
    data = api("apiclus1")
    fast = SurveyDesign.build(data, load_design(mapping))
    assert fast.replicates.compressed() is not None
    full = SurveyDesign.build(data, load_design(mapping))
    full.replicates._compressed = False  # forbid the shortcut: every product over the (n, R) matrix
    assert full.replicates.compressed() is None
    a = estimate(data, fast, STATS, by="stype")
    b = estimate(data, full, STATS, by="stype")
    for column in ("estimate", "se", "ci_lower", "ci_upper", "deff"):
        np.testing.assert_allclose(a[column], b[column], rtol=1e-12, equal_nan=True)


def test_replicates_that_vary_inside_a_psu_are_not_compressed() -> None:
    data = api("apiclus1")
    survey = SurveyDesign.build(data, load_design(CLUS_JK1))
    analysis = np.array(survey.replicates.analysis, order="F")
    analysis[5, 3] *= 1 + 1e-9
    columns = pd.DataFrame(analysis, columns=[f"r{i}" for i in range(analysis.shape[1])])
    given = pd.concat([data, columns], axis=1)
    mapping = {
        "ids": ["dnum"],
        "weights": "pw",
        "replicates": {"type": "JK1", "columns": list(columns.columns), "scale": survey.replicates.scale},
    }
    design = SurveyDesign.build(given, load_design(mapping))
    assert design.replicates.compressed() is None
    y = given["api00"].to_numpy()
    expected = analysis.T @ y / analysis.sum(axis=0)
    thetas = design.replicates.transposed_product(y[:, None])[:, 0] / design.replicates.analysis.sum(axis=0)
    np.testing.assert_allclose(thetas, expected, rtol=1e-13)


@pytest.mark.parametrize("mapping", [{"strata": "stype", "weights": "pw", "fpc": ["fpc"]}, STRAT_BOOT],
                         ids=["taylor", "bootstrap"])
def test_batched_proportions_equal_one_at_a_time(mapping: dict) -> None:
    data = api("apistrat")
    survey = SurveyDesign.build(data, load_design(mapping))
    block = np.column_stack(
        [(data["sch.wide"] == "Yes"), (data["ell"] == 0), (data["awards"] == "Yes")]
    ).astype(float)
    block[::9, 1] = np.nan
    domain = (data["stype"] != "E").to_numpy()
    for method in ("logit", "beta"):
        together = proportions(survey, block, domain, method, 0.95)
        for j, result in enumerate(together):
            alone = proportion(survey, block[:, j], domain, method, 0.95)
            for field in ("estimate", "se", "ci_lower", "ci_upper", "deff"):
                assert getattr(result, field) == pytest.approx(getattr(alone, field), rel=1e-12)
            assert (result.n, result.n_missing) == (alone.n, alone.n_missing)


@pytest.mark.parametrize("mapping", [CLUS_JK1, CLUS_BOOT], ids=["jk1", "bootstrap"])
def test_degrees_of_freedom_from_the_compressed_form_equal_the_full_rank(mapping: dict) -> None:
    from patentreach.survey.replicates import replicate_degf

    data = api("apiclus1")
    survey = SurveyDesign.build(data, load_design(mapping))
    reps = survey.replicates
    assert reps.compressed() is not None
    domain = (data["stype"] == "H").to_numpy()
    assert reps.degf() == replicate_degf(reps.analysis)
    assert reps.degf(domain) == replicate_degf(reps.analysis[domain])


def _given_jk1(nan_at: int | None = None) -> tuple[pd.DataFrame, dict]:
    data = api("apiclus1")
    survey = SurveyDesign.build(data, load_design(CLUS_JK1))
    analysis = np.array(survey.replicates.analysis)
    if nan_at is not None:
        analysis[nan_at, 2] = np.nan
    columns = pd.DataFrame(analysis, columns=[f"r{i}" for i in range(analysis.shape[1])])
    mapping = {
        "ids": ["dnum"],
        "weights": "pw",
        "replicates": {"type": "JK1", "columns": list(columns.columns), "scale": survey.replicates.scale},
    }
    return pd.concat([data, columns], axis=1), mapping


def test_given_psu_constant_columns_are_compressed_when_built() -> None:
    given, mapping = _given_jk1()
    design = SurveyDesign.build(given, load_design(mapping))
    assert isinstance(design.replicates._compressed, tuple)
    np.testing.assert_allclose(design.replicates.norms, np.linalg.norm(design.replicates.analysis, axis=0), rtol=1e-12)
    from_generated = estimate(api("apiclus1"), load_design(CLUS_JK1), STATS)
    from_given = estimate(given, design, STATS)
    for column in ("estimate", "se", "ci_lower", "ci_upper"):
        np.testing.assert_allclose(from_given[column], from_generated[column], rtol=1e-12)


def test_a_missing_replicate_weight_is_still_refused() -> None:
    from patentreach.survey.design import DesignError

    given, mapping = _given_jk1(nan_at=17)
    with pytest.raises(DesignError, match="missing or non-numeric"):
        SurveyDesign.build(given, load_design(mapping))
