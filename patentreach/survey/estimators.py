"""Means, totals and ratios with their design variances and design effects, many columns at once.

Each estimator takes a block of columns (NaN where a unit did not answer) and a domain mask. A unit
outside the domain or missing a column keeps its place in the design with zero weight for that
column, so strata and PSUs are counted as in the full design (R's domain estimation and
``na.rm=TRUE``). Taylor designs linearise (:mod:`linearisation`); replicate designs re-estimate
with every replicate's weights, as matrix products over all columns at once.

Design effects compare with simple random sampling of the same number of units without
replacement (with ``deff="replace"``: with replacement), using the weighted element variance
with the n/(n-1) divisor, as R's ``svymean(..., deff=TRUE)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from patentreach.survey.linearisation import linearised_variance
from patentreach.survey.replicates import replicate_variance
from patentreach.survey.survey_design import SurveyDesign


@dataclass
class Estimates:
    """Per column: estimate, variance, design effect, units used, units missing in the domain."""

    estimate: np.ndarray
    variance: np.ndarray
    deff: np.ndarray
    n: np.ndarray
    n_missing: np.ndarray
    # replicate designs: per replicate (rows) and column, the weighted sum and the weight used
    replicate_sums: np.ndarray | None = None
    replicate_weights_used: np.ndarray | None = None

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(self.variance)


class _Block:
    """A block ready for estimation: values with unused entries set to 0, and the use mask (as
    floats, so that weighted counts are matrix products)."""

    def __init__(
        self, design: SurveyDesign, block: np.ndarray, domain: np.ndarray | None, overwrite: bool = False
    ) -> None:
        missing = np.isnan(block)
        unused = missing if domain is None else missing | ~domain[:, None]
        self.valid = ~unused
        if overwrite:  # the caller's fresh block: zero it in place, sparing a large allocation
            np.putmask(block, unused, 0.0)
            self.values = block
        else:
            self.values = np.where(unused, 0.0, block)
        self.used = np.subtract(1.0, unused, dtype=float)
        self.weights = design.weights
        self.psum = self.weights @ self.used
        # counts as products with a vector of ones: far faster than summing booleans by column
        self.count = np.ones(block.shape[0]) @ self.used
        if domain is None:
            self.n_missing = block.shape[0] - self.count
        else:
            self.n_missing = domain.astype(float) @ missing.astype(float)
        if design.replicates is None:
            self.nobs = (self.weights != 0).astype(float) @ self.used
        else:
            self.nobs = self.count

    def counts(self, weights: np.ndarray) -> np.ndarray:
        """``weights.T @ used``: (p,) for a weight vector, (R, p) for a weight matrix."""
        return weights.T @ self.used


def _weighted_squares(b: _Block, centre: np.ndarray) -> np.ndarray:
    """sum_i w_i (x_i - centre)^2 over the units used, per column.

    One pass without temporaries as sum w x^2 - c^2 sum w (``centre`` is the weighted mean);
    columns where that cancels badly (a mean large against its spread) are recomputed from the
    deviations."""
    square_sum = np.einsum("i,ij,ij->j", b.weights, b.values, b.values)
    linear_sum = b.weights @ b.values
    fast = square_sum - 2 * centre * linear_sum + centre * centre * b.psum
    unsafe = ~(fast > 1e-6 * square_sum)
    if unsafe.any():
        cols = np.flatnonzero(unsafe)
        dev = (b.values[:, cols] - centre[cols]) * b.used[:, cols]
        fast[cols] = b.weights @ (dev * dev)
    return fast


def _srs_variance(b: _Block, centre: np.ndarray, kind: str, deff: str) -> np.ndarray:
    """Variance under simple random sampling of the same size (the design effect's reference)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        element = _weighted_squares(b, centre) / b.psum * b.nobs / (b.nobs - 1)
        if kind == "mean":
            if deff == "replace":
                return element / b.nobs
            return np.where(b.psum >= b.nobs, element * (b.psum - b.nobs) / (b.psum * b.nobs), np.nan)
        if deff == "replace":
            return element * b.psum**2 / b.nobs
        return element * b.psum**2 * (b.psum - b.nobs) / (b.psum * b.nobs)


def mean(
    design: SurveyDesign,
    block: np.ndarray,
    domain: np.ndarray | None = None,
    deff: str = "srs",
    overwrite: bool = False,
) -> Estimates:
    """Weighted means of the columns of ``block`` within ``domain`` (``overwrite``: the block may
    be changed in place)."""
    b = _Block(design, block, domain, overwrite)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = (b.weights @ b.values) / b.psum
    if design.replicates is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            influence = b.values - estimate
            influence *= b.used
            influence *= b.weights[:, None]
            influence /= b.psum
        variance = _linearised(design, influence)
        sums = used_weight = None
    else:
        sums, used_weight = _replicate_products(design.replicates.analysis, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            thetas = sums / used_weight
        variance = replicate_variance(thetas, estimate, design.replicates)
    with np.errstate(invalid="ignore", divide="ignore"):
        design_effect = variance / _srs_variance(b, estimate, "mean", deff)
    return Estimates(
        estimate, variance, design_effect, b.count.astype(int), b.n_missing.astype(int), sums, used_weight
    )


def _replicate_products(analysis: np.ndarray, b: _Block) -> tuple[np.ndarray, np.ndarray]:
    """``A'X`` and ``A'U`` (replicate weighted sums and weights used) as one matrix product, so
    that the (n, R) replicate matrix, by far the largest array, is read once."""
    p = b.values.shape[1]
    both = np.empty((b.values.shape[0], 2 * p))
    both[:, :p] = b.values
    both[:, p:] = b.used
    product = analysis.T @ both
    return product[:, :p], product[:, p:]


def total(
    design: SurveyDesign,
    block: np.ndarray,
    domain: np.ndarray | None = None,
    deff: str = "srs",
    overwrite: bool = False,
) -> Estimates:
    """Weighted totals of the columns of ``block`` within ``domain`` (``overwrite``: the block
    may be changed in place)."""
    b = _Block(design, block, domain, overwrite)
    estimate = b.weights @ b.values
    if design.replicates is None:
        variance = _linearised(design, b.values * b.weights[:, None])
    else:
        thetas = design.replicates.analysis.T @ b.values
        variance = replicate_variance(thetas, estimate, design.replicates)
    with np.errstate(invalid="ignore", divide="ignore"):
        design_effect = variance / _srs_variance(b, estimate / b.psum, "total", deff)
    return Estimates(estimate, variance, design_effect, b.count.astype(int), b.n_missing.astype(int))


def ratio(
    design: SurveyDesign,
    numerator: np.ndarray,
    denominator: np.ndarray,
    domain: np.ndarray | None = None,
    deff: str = "srs",
) -> Estimates:
    """Ratios of weighted totals, sum(w y)/sum(w x), column by column; a unit missing either
    variable is left out of that ratio."""
    y_block = np.where(np.isnan(denominator), np.nan, numerator)
    b = _Block(design, y_block, domain, overwrite=True)
    x = np.where(b.valid, denominator, 0.0)
    ty = b.weights @ b.values
    tx = b.weights @ x
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = ty / tx
        residual = (b.values - estimate * x) / tx
    if design.replicates is None:
        variance = _linearised(design, residual * b.weights[:, None])
    else:
        analysis = design.replicates.analysis
        with np.errstate(invalid="ignore", divide="ignore"):
            thetas = (analysis.T @ b.values) / (analysis.T @ x)
        variance = replicate_variance(thetas, estimate, design.replicates)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (b.weights @ residual) / b.psum
        b.values = residual
        design_effect = variance / _srs_variance(b, centre, "total", deff)
    return Estimates(estimate, variance, design_effect, b.count.astype(int), b.n_missing.astype(int))


def _linearised(design: SurveyDesign, influence: np.ndarray) -> np.ndarray:
    return linearised_variance(influence, design.structure, design.projections, design.spec.lonely_psu)
