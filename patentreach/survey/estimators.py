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
from patentreach.survey.replicates import ReplicateWeights, replicate_variance
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


def weighted_sums(weights: np.ndarray, block: np.ndarray) -> np.ndarray:
    """``weights @ block`` (column sums weighted by unit) without BLAS.

    A vector-matrix product this thin is memory-bound either way, and a threaded BLAS wakes its
    threads for it: on a machine shared with other work that costs ten times the arithmetic."""
    return np.einsum("i,ij->j", weights, block)


class _Block:
    """A block ready for estimation: its own copy of the values with unused entries set to 0
    (free for the estimator to overwrite), the unused mask, and per column the weight, count
    and design-count of the units used.

    The counts are taken from the *missing* entries (a few percent of a survey's answers) and
    subtracted from the domain's totals, so no (n, p) matrix of floats is built for them: on a
    large block every such temporary costs more than the arithmetic."""

    def __init__(
        self,
        design: SurveyDesign,
        block: np.ndarray,
        domain: np.ndarray | None,
        overwrite: bool = False,
        weights: np.ndarray | None = None,
    ) -> None:
        missing = np.isnan(block)
        unused = missing if domain is None else missing | ~domain[:, None]
        self.unused = unused
        values = block if overwrite else block.copy(order="K")
        np.copyto(values, 0.0, where=unused)
        self.values = values
        weights = design.weights if weights is None else weights
        self.weights = weights
        p = block.shape[1]
        rows, cols = _nonzero_by_column(missing)
        if domain is None:
            weight_total, unit_total = float(weights.sum()), float(block.shape[0])
            nonzero_total = float(np.count_nonzero(weights))
        else:
            inside = domain[rows]
            rows, cols = rows[inside], cols[inside]
            weight_total = float(weights[domain].sum())
            unit_total = float(np.count_nonzero(domain))
            nonzero_total = float(np.count_nonzero(weights[domain]))
        self.domain = domain
        self.missing_entries = (rows, cols)  # in the domain, column by column
        missed_weights = weights[rows]
        self.n_missing = np.bincount(cols, minlength=p).astype(float)
        self.psum = weight_total - np.bincount(cols, weights=missed_weights, minlength=p)
        self.count = unit_total - self.n_missing
        if design.replicates is None:
            self.nobs = nonzero_total - np.bincount(cols, weights=missed_weights != 0, minlength=p)
        else:
            self.nobs = self.count

    @property
    def used(self) -> np.ndarray:
        """1.0 where a unit is used, 0.0 where not (built on demand: an (n, p) temporary)."""
        return np.subtract(1.0, self.unused, dtype=float)

    @property
    def valid(self) -> np.ndarray:
        return ~self.unused


def _nonzero_by_column(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the true entries, column by column (contiguous in a column-major
    block, which is what a DataFrame's columns give)."""
    rows = [np.flatnonzero(mask[:, j]) for j in range(mask.shape[1])]
    cols = [np.full(r.size, j, dtype=np.intp) for j, r in enumerate(rows)]
    if not rows:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(rows), np.concatenate(cols)


def _weighted_squares(b: _Block, centre: np.ndarray, linear: np.ndarray | None = None) -> np.ndarray:
    """sum_i w_i (x_i - centre)^2 over the units used, per column.

    One pass without temporaries as sum w x^2 - c^2 sum w (``centre`` is the weighted mean);
    columns where that cancels badly (a mean large against its spread) are recomputed from the
    deviations."""
    square_sum = np.einsum("i,ij,ij->j", b.weights, b.values, b.values)
    linear_sum = weighted_sums(b.weights, b.values) if linear is None else linear
    fast = square_sum - 2 * centre * linear_sum + centre * centre * b.psum
    unsafe = ~(fast > 1e-6 * square_sum)
    if unsafe.any():
        cols = np.flatnonzero(unsafe)
        dev = np.where(b.unused[:, cols], 0.0, b.values[:, cols] - centre[cols])
        fast[cols] = weighted_sums(b.weights, dev * dev)
    return fast


def _srs_variance(
    b: _Block, centre: np.ndarray, kind: str, deff: str, linear: np.ndarray | None = None
) -> np.ndarray:
    """Variance under simple random sampling of the same size (the design effect's reference)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        element = _weighted_squares(b, centre, linear) / b.psum * b.nobs / (b.nobs - 1)
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
    rows = None
    if domain is not None and design.replicates is None:
        # Taylor: the units outside the domain have influence 0, so only the domain's rows are
        # touched (their PSU totals are all the variance needs)
        rows = np.flatnonzero(domain)
        b = _Block(design, block[rows], None, overwrite=True, weights=design.weights[rows])
    else:
        b = _Block(design, block, domain, overwrite)
    linear = weighted_sums(b.weights, b.values)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = linear / b.psum
        srs = _srs_variance(b, estimate, "mean", deff, linear)  # before the values are overwritten
    if design.replicates is None:
        sums = used_weight = None
        with np.errstate(invalid="ignore", divide="ignore"):
            influence = b.values  # the block's own copy becomes the influence values, in place
            influence -= estimate
            np.copyto(influence, 0.0, where=b.unused)
            influence *= b.weights[:, None]
            influence /= b.psum
        variance = _linearised(design, influence, rows)
    else:
        sums, used_weight = _replicate_products(design.replicates, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            thetas = sums / used_weight
        variance = replicate_variance(thetas, estimate, design.replicates)
    with np.errstate(invalid="ignore", divide="ignore"):
        design_effect = variance / srs
    return Estimates(
        estimate, variance, design_effect, b.count.astype(int), b.n_missing.astype(int), sums, used_weight
    )


def _replicate_products(replicates: ReplicateWeights, b: _Block) -> tuple[np.ndarray, np.ndarray]:
    """``A'X`` and ``A'U``: the replicate weighted sums and weights used (see
    :meth:`ReplicateWeights.sums_and_used`)."""
    return replicates.sums_and_used(b.values, b.unused, b.domain, b.missing_entries)


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
    estimate = weighted_sums(b.weights, b.values)
    with np.errstate(invalid="ignore", divide="ignore"):
        srs = _srs_variance(b, estimate / b.psum, "total", deff, estimate)
    if design.replicates is None:
        influence = b.values  # the block's own copy, overwritten in place
        influence *= b.weights[:, None]
        variance = _linearised(design, influence)
    else:
        thetas = design.replicates.transposed_product(b.values)
        variance = replicate_variance(thetas, estimate, design.replicates)
    with np.errstate(invalid="ignore", divide="ignore"):
        design_effect = variance / srs
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
    ty = weighted_sums(b.weights, b.values)
    tx = weighted_sums(b.weights, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = ty / tx
        residual = (b.values - estimate * x) / tx
    if design.replicates is None:
        variance = _linearised(design, residual * b.weights[:, None])
    else:
        analysis = design.replicates
        with np.errstate(invalid="ignore", divide="ignore"):
            thetas = analysis.transposed_product(b.values) / analysis.transposed_product(x)
        variance = replicate_variance(thetas, estimate, design.replicates)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = weighted_sums(b.weights, residual) / b.psum
        b.values = residual
        design_effect = variance / _srs_variance(b, centre, "total", deff)
    return Estimates(estimate, variance, design_effect, b.count.astype(int), b.n_missing.astype(int))


def _linearised(design: SurveyDesign, influence: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    return linearised_variance(influence, design.structure, design.projections, design.spec.lonely_psu, rows=rows)
