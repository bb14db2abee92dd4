"""Taylor-linearised variances for stratified multistage designs, after calibration.

An estimator is reduced to its influence values ``x`` (one row per unit, one column per
statistic). Calibration steps first replace ``x`` by residuals from the calibration model, in the
order the steps were applied (post-stratification: within-cell means; raking: iterated cell
means; GREG/raking/logit calibration: weighted regression residuals); this is what makes the SE
of a calibrated margin zero. The variance is then the with-replacement sum of squared PSU totals
about their stratum means at stage 1, times the finite population correction, plus, where stage 1
has an fpc, the same at later stages weighted by the sampling fractions of the stages above
(R's ``svyrecvar``/``multistage``).

Strata with a single PSU have no within-stratum variance. ``lonely_psu`` decides (as R's
``survey.lonely.psu``): ``fail`` (default) stops with the stratum named; ``certainty`` and
``remove`` let it contribute nothing; ``adjust`` centres it at the grand mean of PSU totals;
``average`` replaces it by the average of the other strata. A stratum sampled completely (fpc equal
to its PSU count) contributes nothing and is never lonely.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from patentreach.survey.grouping import Grouping
from patentreach.survey.structure import SampleStructure, Stage


class LonelyPSUError(ValueError):
    """A stratum with one PSU under ``lonely_psu: fail``."""


@dataclass
class PostStratumProjection:
    """Post-stratification: cell of each row, weights before (``old``) and after (``new``)."""

    cells: Grouping
    old: np.ndarray
    new: np.ndarray

    def residualise(self, x: np.ndarray) -> np.ndarray:
        new = np.where((self.new == 0) & (self.old == 0), 1.0, self.new)
        col = (lambda v: v[:, None]) if x.ndim == 2 else (lambda v: v)
        sums = self.cells.sum(x * col(self.old / new))
        denom = self.cells.sum(self.old)
        means = sums / (denom[:, None] if x.ndim == 2 else denom)
        return x - means[self.cells.codes] * col(new)


@dataclass
class RakingProjection:
    """Raking: R's ten passes of ``x <- x - w_k * ave(x / w_k, margin_k)`` over the margins, with
    ``w_k`` the weights after margin k in the last raking pass.

    Every ``w_k`` is the starting weight times a factor of the unit's combination of margin levels
    (its *joint cell*), so with y = x / (starting weight) all the corrections are functions of the
    joint cell: the passes run on joint-cell sums (a few hundred rows) and the units are touched
    twice, once to sum and once to subtract."""

    joint: Grouping
    levels: list[np.ndarray]
    n_levels: list[int]
    factors: list[np.ndarray]
    base: np.ndarray
    iterations: int = 10

    def residualise(self, x: np.ndarray) -> np.ndarray:
        matrix = x if x.ndim == 2 else x[:, None]
        base = np.where(self.base == 0, 1.0, self.base)
        codes = self.joint.codes
        divide = sp.csr_matrix((1.0 / base, (codes, np.arange(codes.size))), shape=(self.joint.n_groups, codes.size))
        sums = np.asarray(divide @ matrix)  # joint-cell sums of x / base, without an (n, p) temporary
        n_cell = self.joint.counts().astype(float)
        groups = [Grouping(lv, n) for lv, n in zip(self.levels, self.n_levels, strict=True)]
        n_level = [g.sum(n_cell) for g in groups]
        correction = np.zeros_like(sums)
        for _ in range(self.iterations):
            for group, f, count in zip(groups, self.factors, n_level, strict=True):
                remaining = (sums - n_cell[:, None] * correction) / f[:, None]
                mean = group.sum(remaining) / count[:, None]
                correction += f[:, None] * mean[group.codes]
        out = correction[codes]
        out *= base[:, None]
        np.subtract(matrix, out, out=out)
        return out if x.ndim == 2 else out[:, 0]


@dataclass
class RegressionProjection:
    """Calibration on a model matrix: orthonormal basis of ``X * sqrt(d)`` and ``g * sqrt(d)``."""

    basis: np.ndarray
    scale: np.ndarray

    def residualise(self, x: np.ndarray) -> np.ndarray:
        col = (lambda v: v[:, None]) if x.ndim == 2 else (lambda v: v)
        safe = np.where(self.scale == 0, 1.0, self.scale)
        z = x / col(safe)
        z = z - self.basis @ (self.basis.T @ z)
        return np.where(col(self.scale) == 0, 0.0, z * col(safe))


Projection = PostStratumProjection | RakingProjection | RegressionProjection


def linearised_variance(
    x: np.ndarray,
    structure: SampleStructure,
    projections: list[Projection] | tuple[Projection, ...] = (),
    lonely_psu: str = "fail",
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Variance of the totals of the columns of ``x`` (influence values); shape ``(p,)``.

    ``rows`` (indices): ``x`` holds only those rows, every other row's influence being 0 (a
    domain's units): the PSU totals are then summed over them alone."""
    matrix = x if x.ndim == 2 else x[:, None]
    if rows is not None and (projections or (structure.has_fpc and len(structure.stages) > 1)):
        full = np.zeros((structure.n, matrix.shape[1]))  # these need every row
        full[rows] = matrix
        matrix, rows = full, None
    for projection in projections:
        matrix = projection.residualise(matrix)
    variance = _stage_variance(matrix, structure.stages[0], None, lonely_psu, 1, rows)
    if structure.has_fpc and len(structure.stages) > 1:
        multiplier = np.ones(structure.n)
        for k in range(1, len(structure.stages)):
            above = structure.stages[k - 1]
            multiplier = multiplier * above.n_psu / above.popsize
            if not np.any(multiplier > 0):
                break
            variance = variance + _stage_variance(
                matrix, structure.stages[k], (above.cluster, multiplier), lonely_psu, k + 1
            )
    return variance if x.ndim == 2 else variance[0]


def _stage_variance(
    x: np.ndarray,
    stage: Stage,
    nested: tuple[Grouping, np.ndarray] | None,
    lonely_psu: str,
    stage_number: int,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """One stage: sum over strata of scaled squared deviations of PSU totals from their mean.

    ``nested`` is (parent clusters, row multipliers) for stages below the first: the recursion of
    R's ``multistage`` is done for all parent clusters at once, which is the same sum because
    every stratum at this stage lies inside one parent cluster.
    """
    clusters, strata = stage.cluster, stage.stratum
    first = clusters.first_row()
    if rows is not None:
        codes = clusters.codes[rows]
        totals = np.column_stack(
            [np.bincount(codes, weights=x[:, j], minlength=clusters.n_groups) for j in range(x.shape[1])]
        )
    elif clusters.n_groups == x.shape[0] and _is_identity(clusters):
        totals = x
    else:
        totals = _cluster_totals(clusters, x)
    psu_stratum = strata.codes[first]
    n_psu = stage.n_psu[first]
    if stage.popsize is None:
        f = np.ones(first.size)
    else:
        pop = stage.popsize[first]
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(np.isinf(pop), 1.0, (pop - n_psu) / pop)
    scale = np.where(n_psu > 1, f * n_psu / np.maximum(n_psu - 1, 1), f)
    multiplier = None if nested is None else nested[1][first]

    per_stratum = Grouping(psu_stratum, strata.n_groups)
    stratum_n = per_stratum.counts().astype(float)
    # a stratum is self-representing (no variance, never lonely) when every f is ~0
    f_max = np.full(strata.n_groups, -np.inf)
    np.maximum.at(f_max, psu_stratum, f)
    self_rep = f_max < 1e-7
    lonely = (stratum_n == 1) & ~self_rep
    if lonely.any() and lonely_psu == "fail":
        stratum = int(np.flatnonzero(lonely)[0])
        raise LonelyPSUError(
            f"stratum {stage.stratum_labels[stratum]!s} has only one PSU at stage {stage_number} "
            f"({int(lonely.sum())} such strata): its variance cannot be estimated. Merge it with "
            "a similar stratum, or set `lonely_psu` in the design to certainty (contributes "
            "nothing), adjust (centred at the grand mean) or average (the mean of the other "
            "strata's variances)"
        )
    centre = per_stratum.sum(totals) / stratum_n[:, None]
    deviations = totals - centre[psu_stratum]
    if lonely.any() and lonely_psu == "adjust":
        recentre = _grand_mean(x, stage, per_stratum, nested)
        lonely_psus = lonely[psu_stratum]
        deviations[lonely_psus] = totals[lonely_psus] - recentre[lonely_psus]
    weight = scale if multiplier is None else scale * multiplier
    contributions = per_stratum.sum(deviations**2 * weight[:, None])
    contributions[self_rep] = 0.0
    if lonely.any() and lonely_psu == "average":
        return _average_lonely(contributions, lonely, strata, nested, stage)
    return contributions.sum(axis=0)


def _is_identity(clusters: Grouping) -> bool:
    return bool(np.array_equal(clusters.codes, np.arange(clusters.codes.size)))


def _grand_mean(
    x: np.ndarray, stage: Stage, per_stratum: Grouping, nested: tuple[Grouping, np.ndarray] | None
) -> np.ndarray:
    """R's ``adjust`` centre for each PSU: the column sums of x over the strata that share the
    PSU's parent (all strata at stage 1) divided by the number of PSUs in those strata."""
    first = stage.cluster.first_row()
    stratum_first = stage.stratum.first_row()
    if nested is None:
        n_total = stage.n_psu[stratum_first].sum()
        return np.broadcast_to(x.sum(axis=0) / n_total, (first.size, x.shape[1]))
    parents = nested[0]
    parent_sum = parents.sum(x)
    parent_of_stratum = parents.codes[stratum_first]
    psu_per_parent = np.bincount(parent_of_stratum, weights=stage.n_psu[stratum_first], minlength=parents.n_groups)
    mean = parent_sum / psu_per_parent[:, None]
    return mean[parents.codes[first]]


def _average_lonely(
    contributions: np.ndarray,
    lonely: np.ndarray,
    strata: Grouping,
    nested: tuple[Grouping, np.ndarray] | None,
    stage: Stage,
) -> np.ndarray:
    """``average``: drop lonely strata and scale up by strata / strata-with-a-variance, per
    parent cluster below stage 1 (R's ``nstrat/nokstrat`` in each ``onestage`` call)."""
    if nested is None:
        ok = ~lonely
        return contributions[ok].sum(axis=0) * strata.n_groups / max(int(ok.sum()), 1)
    parents = nested[0]
    stratum_first = stage.stratum.first_row()
    parent_of_stratum = parents.codes[stratum_first]
    n_strata = np.bincount(parent_of_stratum, minlength=parents.n_groups).astype(float)
    n_ok = np.bincount(parent_of_stratum, weights=(~lonely).astype(float), minlength=parents.n_groups)
    kept = np.where(lonely[:, None], 0.0, contributions)
    factor = np.divide(n_strata, n_ok, out=np.full_like(n_strata, np.nan), where=n_ok > 0)
    return (kept * factor[parent_of_stratum][:, None]).sum(axis=0)


def _cluster_totals(clusters: Grouping, x: np.ndarray) -> np.ndarray:
    """Cluster sums of the rows of ``x``. A row-major block (a stack of 0/1 indicators) goes
    through the indicator matrix stored by column (one entry per row, built without sorting),
    which adds each row to its cluster's row in one pass; ``Grouping.sum`` reads column-major
    blocks column by column."""
    if x.ndim == 2 and x.shape[1] > 1 and x.flags.c_contiguous and not x.flags.f_contiguous:
        n = x.shape[0]
        by_row = sp.csc_matrix((np.ones(n), clusters.codes, np.arange(n + 1)), shape=(clusters.n_groups, n))
        return np.asarray(by_row @ x)
    return clusters.sum(x)

