"""Confidence intervals: which quantile, and the proportion methods' formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from patentreach.survey.design import load_design
from patentreach.survey.estimate import estimate
from tests.conftest import shared_path

STRAT = {"strata": "stype", "weights": "pw", "fpc": ["fpc"]}


def api(name: str) -> pd.DataFrame:
    return pd.read_csv(shared_path("reference", "survey", "data", f"{name}.csv"))


def test_means_use_t_on_the_design_df_unless_normal_is_asked_for() -> None:
    table = estimate(api("apistrat"), load_design(STRAT), ["mean:api00", "mean:api00:ci=normal", "mean:api00:df=30"])
    t, z, thirty = (table.iloc[i] for i in range(3))
    assert t.df == 197
    assert (t.ci_upper - t.estimate) / t.se == pytest.approx(stats.t.ppf(0.975, 197), rel=1e-12)
    assert np.isinf(z.df)
    assert (z.ci_upper - z.estimate) / z.se == pytest.approx(stats.norm.ppf(0.975), rel=1e-12)
    assert (thirty.ci_upper - thirty.estimate) / thirty.se == pytest.approx(stats.t.ppf(0.975, 30), rel=1e-12)
    # R: confint(svymean(~api00, strat)) and confint(..., df=degf(strat))
    assert z.ci_lower == pytest.approx(643.846178053194, rel=1e-12)
    assert t.ci_lower == pytest.approx(643.732188272086, rel=1e-12)


def test_level_sets_the_quantile() -> None:
    table = estimate(api("apistrat"), load_design(STRAT), ["mean:api00"], level=0.9)
    row = table.iloc[0]
    assert (row.ci_upper - row.estimate) / row.se == pytest.approx(stats.t.ppf(0.95, 197), rel=1e-12)


def test_beta_is_korn_graubard() -> None:
    row = estimate(api("apistrat"), load_design(STRAT), ["prop:sch.wide=Yes:method=beta"]).iloc[0]
    p, v, n, df = row.estimate, row.se**2, 200, 197
    n_eff = p * (1 - p) / v * (stats.t.ppf(0.025, n - 1) / stats.t.ppf(0.025, df)) ** 2
    assert row.ci_lower == pytest.approx(stats.beta.ppf(0.025, n_eff * p, n_eff * (1 - p) + 1), rel=1e-12)
    assert row.ci_upper == pytest.approx(stats.beta.ppf(0.975, n_eff * p + 1, n_eff * (1 - p)), rel=1e-12)


def test_wilson_uses_the_effective_sample_size() -> None:
    row = estimate(api("apistrat"), load_design(STRAT), ["prop:sch.wide=Yes:method=wilson"]).iloc[0]
    p, n = row.estimate, row.estimate * (1 - row.estimate) / row.se**2
    t = stats.t.ppf(0.975, 197)
    centre, half = p + t * t / (2 * n), t * np.sqrt(p * (1 - p) / n + t * t / (4 * n * n))
    assert row.ci_lower == pytest.approx((centre - half) / (1 + t * t / n), rel=1e-12)
    assert row.ci_upper == pytest.approx((centre + half) / (1 + t * t / n), rel=1e-12)


def test_with_replicates_logit_can_span_zero_to_one_where_xlogit_does_not() -> None:
    design = load_design(
        {"ids": ["dnum"], "weights": "pw", "fpc": ["fpc"], "replicates": {"type": "JK1", "generate": {}}}
    )
    table = estimate(api("apiclus1"), design, ["prop:ell=0:method=logit", "prop:ell=0:method=xlogit"])
    logit, xlogit = table.iloc[0], table.iloc[1]
    # R: svyciprop(~I(ell == 0), as.svrepdesign(clus1), method=...)
    assert logit.ci_lower == pytest.approx(7.94182733465299e-19, rel=1e-9)
    assert logit.ci_upper == pytest.approx(0.999999999999998, rel=1e-12)
    assert xlogit.ci_lower == pytest.approx(0.00231959487826636, rel=1e-9)
    assert xlogit.ci_upper == pytest.approx(0.176805470334651, rel=1e-9)


def test_mean_method_interval_can_leave_zero_one_but_logit_cannot() -> None:
    design = load_design({"ids": ["dnum"], "fpc": ["fpc"]})
    table = estimate(api("apiclus1"), design, ["prop:ell=0:method=mean", "prop:ell=0:method=logit"])
    assert table.iloc[0].ci_lower == pytest.approx(-0.026662407957767, rel=1e-9)
    assert table.iloc[1].ci_lower == pytest.approx(0.00230469129853851, rel=1e-9)
