"""Replicate products through the per-PSU multipliers equal those over the full (n, R) matrix:
``A'X`` through one scaled sparse PSU-by-row matrix, and ``A'U`` (the weight each replicate
gives the units used) from the domain's weight per PSU less the missing entries', exactly 0
where a PSU or a whole domain has no unit used."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from patentreach.survey import estimators
from patentreach.survey.design import load_design
from patentreach.survey.estimate import estimate
from patentreach.survey.replicates import psu_multipliers
from patentreach.survey.survey_design import SurveyDesign
from tests.conftest import shared_path

CLUS_BOOT = {
    "ids": ["dnum"],
    "weights": "pw",
    "replicates": {"type": "bootstrap", "generate": {"replicates": 40, "seed": 11}},
}


@pytest.fixture(scope="module")
def apiclus1() -> pd.DataFrame:
    return pd.read_csv(shared_path("reference", "survey", "data", "apiclus1.csv"))


def _block(data: pd.DataFrame) -> np.ndarray:
    """Three columns with holes: api00 missing in every 7th row, api99 in every 5th, and meals
    missing for every unit of school type M (a domain where nobody answered it)."""
    block = data[["api00", "api99", "meals"]].to_numpy(dtype=float, copy=True)
    block[::7, 0] = np.nan
    block[::5, 1] = np.nan
    block[(data["stype"] == "M").to_numpy(), 2] = np.nan
    return block


@pytest.mark.parametrize("stype", [None, "E", "M"])
def test_sums_and_used_through_the_psu_form_equal_the_full_matrix_products(apiclus1, stype):
    design = SurveyDesign.build(apiclus1, load_design(CLUS_BOOT))
    reps = design.replicates
    assert reps.compressed() is not None
    block = _block(apiclus1)
    domain = None if stype is None else (apiclus1["stype"] == stype).to_numpy()
    prepared = estimators._Block(design, block, domain)
    sums, used = reps.sums_and_used(prepared.values, prepared.unused, prepared.domain, prepared.missing_entries)
    analysis = np.asarray(reps.analysis)
    in_domain = np.ones(len(apiclus1), dtype=bool) if domain is None else domain
    use = ~np.isnan(block) & in_domain[:, None]
    np.testing.assert_allclose(sums, analysis.T @ np.where(use, block, 0.0), rtol=1e-12)
    np.testing.assert_allclose(used, analysis.T @ use.astype(float), rtol=1e-12, atol=0)
    if stype == "M":  # nobody in the domain answered meals: every replicate's weight used is 0, exactly
        assert (used[:, 2] == 0.0).all()


def test_a_column_nobody_in_a_domain_answered_leaves_the_other_columns_their_replicate_se(apiclus1):
    """meals is unanswered among the M schools: its replicate estimates are all 0/0, and the other
    columns of the same block keep every replicate (before, the 0/0 rows were dropped from every
    column, and api00's SE in M was NaN)."""
    design = SurveyDesign.build(apiclus1, load_design(CLUS_BOOT))
    domain = (apiclus1["stype"] == "M").to_numpy()
    block = _block(apiclus1)
    together = estimators.mean(design, block, domain)
    assert together.n[2] == 0 and (together.replicate_weights_used[:, 2] == 0.0).all()
    assert np.isnan(together.variance[2])
    for k in (0, 1):
        alone = estimators.mean(design, block[:, [k]], domain)
        np.testing.assert_allclose(together.variance[k], alone.variance[0], rtol=1e-12)
        assert np.isfinite(alone.variance[0])
    holed = apiclus1.assign(meals=block[:, 2])
    table = estimate(holed, SurveyDesign.build(holed, load_design(CLUS_BOOT)), ["mean:api00", "mean:meals"],
                     by="stype")
    assert table.query("domain == 'M' and variable == 'meals'")["n"].tolist() == [0]
    row = table[(table["domain"] == "M") & (table["variable"] == "api00")].iloc[0]
    alone_row = estimate(apiclus1, design, ["mean:api00"], by="stype").query("domain == 'M'").iloc[0]
    assert row["se"] == pytest.approx(alone_row["se"], rel=1e-12) and np.isfinite(row["se"])


def test_the_psu_constancy_proof_refuses_a_missing_weight_and_a_unit_off_its_psu(apiclus1):
    design = SurveyDesign.build(apiclus1, load_design(CLUS_BOOT))
    reps = design.replicates
    analysis = np.array(reps.analysis, order="F")
    assert psu_multipliers(analysis, reps.row_scale, reps.clusters) is not None
    holed = analysis.copy(order="F")
    holed[17, 3] = np.nan
    assert psu_multipliers(holed, reps.row_scale, reps.clusters) is None
    off = analysis.copy(order="F")
    off[len(off) - 1, len(off.T) - 1] *= 1 + 1e-12  # the last unit of the last replicate, 4500 ulps off
    assert psu_multipliers(off, reps.row_scale, reps.clusters) is None
