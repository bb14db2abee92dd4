"""Calibration of weights to known population totals: post-stratification, raking, and the
calibration estimators of Deville & Särndal (linear/GREG, raking, logit, bounded linear).

Every function takes the current weights (and, for replicate designs, the matrix of replicate
analysis weights, calibrated the same way replicate by replicate so that the replicates carry the
calibration's variance reduction) and returns the new weights with a *projection*: the object
that turns influence values into calibration residuals for Taylor variances
(:mod:`linearisation`). The algorithms, defaults and stopping rules are those of R's
``postStratify``, ``rake`` and ``calibrate`` (survey 4.5), so results agree to rounding.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from patentreach.survey.grouping import Grouping, interaction
from patentreach.survey.linearisation import (
    PostStratumProjection,
    Projection,
    RakingProjection,
    RegressionProjection,
)

_EPS = np.finfo(float).eps


class CalibrationError(ValueError):
    """Population totals that the sample cannot meet, or a calibration that did not converge."""


@dataclass
class Calibrated:
    """New weights, new replicate weights (or None) and the projection for Taylor variances."""

    weights: np.ndarray
    replicates: np.ndarray | None
    projection: Projection
    iterations: int = 1


def poststratify(
    weights: np.ndarray,
    cells: Grouping,
    population: np.ndarray,
    replicates: np.ndarray | None = None,
    labels: np.ndarray | None = None,
) -> Calibrated:
    """Scale weights within each cell so that they sum to the cell's population count.

    ``population`` is indexed by cell code. A cell with sample units but no population, or a
    population but no sample units, is an error: collapse cells first."""
    sample = cells.sum(weights)
    _check_cells(sample, population, labels)
    reweight = population / sample
    new = weights * reweight[cells.codes]
    new_reps = None
    if replicates is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            rep_reweight = population[:, None] / cells.sum(replicates)
        new_reps = _scale_rows(replicates, rep_reweight, cells.codes)
    return Calibrated(new, new_reps, PostStratumProjection(cells, weights, new))


def rake(
    weights: np.ndarray,
    margins: list[tuple[Grouping, np.ndarray]],
    replicates: np.ndarray | None = None,
    maxit: int = 100,
    epsilon: float = 1e-10,
    labels: list[np.ndarray] | None = None,
    inplace: bool = False,
) -> Calibrated:
    """Iterative proportional fitting over several margins (R's ``rake``).

    Stops when no margin's weighted table moves by ``epsilon`` (times the total weight when
    ``epsilon < 1``, R's convention) in a full pass; the replicates are post-stratified in the
    same passes (overwriting ``replicates`` when ``inplace``)."""
    for i, (cells, population) in enumerate(margins):
        _check_cells(cells.sum(weights), population, None if labels is None else labels[i])
    tolerance = epsilon * weights.sum() if epsilon < 1 else epsilon
    # Every raking factor is a function of the margins' levels, so the passes run on the table of
    # level combinations (a few hundred cells) instead of on every unit; the units' weights are
    # the starting weights times their combination's accumulated factor.
    joint = Grouping.of(interaction(*[cells.codes for cells, _ in margins]))
    first = joint.first_row()
    level_of = [cells.codes[first] for cells, _ in margins]
    level_groups = [Grouping(lv, cells.n_groups) for lv, (cells, _) in zip(level_of, margins, strict=True)]
    table = joint.sum(weights)
    factor = np.ones(joint.n_groups)
    rep_table = None if replicates is None else joint.sum(replicates)
    rep_factor = None if replicates is None else np.ones_like(rep_table)
    old_tables = [np.bincount(lv, table, cells.n_groups) for lv, (cells, _) in zip(level_of, margins, strict=True)]
    after_margin: list[np.ndarray] = []
    converged = False
    iteration = 0
    while iteration < maxit:
        after_margin = []
        for lv, groups, (cells, population) in zip(level_of, level_groups, margins, strict=True):
            current = np.bincount(lv, table * factor, cells.n_groups)
            factor = factor * (population / current)[lv]
            if rep_table is not None:
                rep_current = groups.sum(rep_table * rep_factor)
                with np.errstate(divide="ignore", invalid="ignore"):
                    rep_factor = rep_factor * (population[:, None] / rep_current)[lv]
            after_margin.append(factor)
        new_tables = [
            np.bincount(lv, table * factor, cells.n_groups) for lv, (cells, _) in zip(level_of, margins, strict=True)
        ]
        delta = max(float(np.max(np.abs(n - o))) for n, o in zip(new_tables, old_tables, strict=True))
        if delta < tolerance:
            converged = True
            break
        old_tables = new_tables
        iteration += 1
    if not converged:
        warnings.warn(f"raking did not converge after {maxit} iterations", stacklevel=2)
    projection = RakingProjection(joint, level_of, [cells.n_groups for cells, _ in margins], after_margin, weights)
    new_reps = None
    if replicates is not None:
        new_reps = _scale_rows(replicates, rep_factor, joint.codes, inplace=inplace)
    return Calibrated(weights * factor[joint.codes], new_reps, projection, iteration + 1)


def calibrate(
    weights: np.ndarray,
    model: np.ndarray,
    totals: np.ndarray,
    method: str = "linear",
    bounds: tuple[float, float] | None = None,
    replicates: np.ndarray | None = None,
    maxit: int = 50,
    epsilon: float = 1e-7,
) -> Calibrated:
    """Calibrate weights so that ``model.T @ weights == totals``.

    ``method``: ``linear`` (GREG; with ``bounds`` the truncated "bounded linear" distance),
    ``raking`` (exponential distance) or ``logit`` (bounded, needs ``bounds``). Unbounded linear
    calibration is solved directly, the others by Newton's method (R's ``grake``) with
    convergence when every total is met to ``epsilon`` relative to ``1 + |total|``."""
    model, totals = _drop_empty_columns(model, weights, totals)
    whalf = np.sqrt(weights)
    basis = _orthonormal_basis(model * whalf[:, None])
    if method == "linear" and bounds is None:
        g = _linear_g(model, weights[:, None], totals)[:, 0]
        iterations = 1
        new_reps = None
        if replicates is not None:
            new_reps = np.multiply(replicates, _linear_g(model, replicates, totals), order="F")
    else:
        lower, upper = bounds if bounds is not None else (-np.inf, np.inf)
        g, iters, failed = _grake(model, weights[:, None], method, lower, upper, totals, epsilon, maxit)
        g = g[:, 0]
        iterations = int(iters[0])
        if failed[0]:
            raise CalibrationError(
                f"{method} calibration did not meet the totals within {maxit} iterations "
                f"(relative misfit {failed[0]:.3g}): widen the bounds or check the totals"
            )
        new_reps = None
        if replicates is not None:
            g_reps, _, rep_failed = _grake(model, replicates, method, lower, upper, totals, epsilon, maxit)
            if np.any(rep_failed):
                warnings.warn(
                    f"{int(np.count_nonzero(rep_failed))} replicate(s) did not meet the calibration totals",
                    stacklevel=2,
                )
            new_reps = np.multiply(replicates, g_reps, order="F")
    projection = RegressionProjection(basis, g * whalf)
    return Calibrated(weights * g, new_reps, projection, iterations)


def _scale_rows(replicates: np.ndarray, factors: np.ndarray, codes: np.ndarray, inplace: bool = False) -> np.ndarray:
    """``replicates * factors[codes]``, column by column so that column-major replicate weights
    stay column-major and are read once, in memory order (in place when allowed: the matrix is
    large and fresh memory is slow)."""
    out = replicates if inplace else np.empty_like(replicates, order="F")
    by_replicate = np.ascontiguousarray(factors.T)
    for r in range(replicates.shape[1]):
        np.multiply(replicates[:, r], by_replicate[r].take(codes), out=out[:, r])
    return out


def _check_cells(sample: np.ndarray, population: np.ndarray, labels: np.ndarray | None) -> None:
    name = (lambda i: repr(labels[i])) if labels is not None else (lambda i: f"#{i}")
    no_pop = (sample > 0) & ~(population > 0)
    if no_pop.any():
        i = int(np.flatnonzero(no_pop)[0])
        raise CalibrationError(f"cell {name(i)} has sample units but no population count: add it to the population")
    no_sample = (population > 0) & ~(sample > 0)
    if no_sample.any():
        i = int(np.flatnonzero(no_sample)[0])
        raise CalibrationError(
            f"cell {name(i)} has a population count of {population[i]:g} but no sample units "
            "with positive weight: collapse it with a neighbouring cell"
        )


def _drop_empty_columns(model: np.ndarray, weights: np.ndarray, totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop columns that are zero in the sample and in the population (as R does)."""
    sample = model.T @ weights
    empty = (sample == 0) & (totals == 0) & np.all(model == 0, axis=0)
    if empty.any():
        model, totals = model[:, ~empty], totals[~empty]
    return model, totals


def _orthonormal_basis(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the column space (rank-revealing QR, R's qr tolerance 1e-7)."""
    q, r, _ = scipy.linalg.qr(matrix, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int(np.sum(diag > 1e-7 * diag[0])) if diag.size else 0
    return q[:, :rank]


def _linear_g(model: np.ndarray, weights: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """g-weights of unbounded linear calibration for each weight column: 1 + X (X'WX)^-1 (T - X'w)."""
    t_mat = np.einsum("ni,nr,nj->rij", model, weights, model, optimize=True)
    misfit = totals[None, :] - (model.T @ weights).T
    try:
        coef = np.linalg.solve(t_mat, misfit[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        raise CalibrationError(
            "the calibration variables are collinear in the sample (or, for replicate weights, "
            "in a replicate): a level with no units cannot be calibrated"
        ) from None
    return 1.0 + model @ coef.T


def _distance(
    method: str, lower: float, upper: float
) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """(F^-1(u) - 1, its derivative) for the calibration distance, with R's bounds handling."""
    if method == "linear":

        def fm1(u):
            return np.minimum(np.maximum(u + 1, lower), upper) - 1

        def df(u):
            return ((u < upper - 1) & (u > lower - 1)).astype(float)
    elif method == "raking":

        def fm1(u):
            return np.minimum(np.maximum(np.exp(u), lower), upper) - 1

        def df(u):
            return np.where((u < upper - 1) & (u > lower - 1), np.exp(u), 0.0)
    elif method == "logit":
        if not (np.isfinite(lower) and np.isfinite(upper)):
            raise CalibrationError("logit calibration requires finite bounds")
        a = (upper - lower) / ((upper - 1) * (1 - lower))

        def fm1(u):
            e = np.exp(a * u)
            return (lower * (upper - 1) + upper * (1 - lower) * e) / (upper - 1 + (1 - lower) * e) - 1

        def df(u):
            e = np.exp(a * u)
            den = upper - 1 + (1 - lower) * e
            return (
                upper * (1 - lower) * e * a / den
                - ((lower * (upper - 1) + upper * (1 - lower) * e) * ((1 - lower) * e * a)) / den**2
            )
    else:
        raise CalibrationError(f"unknown calibration method {method!r}")
    return fm1, df


def _grake(
    model: np.ndarray,
    weights: np.ndarray,
    method: str,
    lower: float,
    upper: float,
    totals: np.ndarray,
    epsilon: float,
    maxit: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Newton iterations for g = F(X eta), one weight column at a time but vectorised.

    Returns (g of shape (n, R), iterations per column, relative misfit of failed columns or 0).
    Each column follows exactly the iteration R's ``grake`` would take on its own."""
    fm1, df = _distance(method, lower, upper)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _newton(model, weights, fm1, df, totals, epsilon, maxit)


def _newton(
    model: np.ndarray,
    weights: np.ndarray,
    fm1: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray],
    totals: np.ndarray,
    epsilon: float,
    maxit: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_cols = weights.shape[1]
    sample_total = (model.T @ weights).T  # (R, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        scales = totals[None, :] / sample_total
    prescale = np.where(np.min(scales, axis=1) > 20, np.mean(scales, axis=1), 1.0)
    weights = weights * prescale[None, :]
    sample_total = sample_total * prescale[:, None]
    eta = np.zeros((n_cols, model.shape[1]))
    xeta = np.zeros_like(weights)
    deriv = df(xeta)
    iters = np.ones(n_cols, dtype=int)
    active = np.ones(n_cols, dtype=bool)
    failed = np.zeros(n_cols)
    rel = 1.0 + np.abs(totals)
    while active.any():
        cols = np.flatnonzero(active)
        w = weights[:, cols]
        t_mat = np.einsum("ni,nr,nj->rij", model, w * deriv[:, cols], model, optimize=True)
        misfit = totals[None, :] - sample_total[cols] - (model.T @ (w * fm1(xeta[:, cols]))).T
        deta = np.einsum("rij,rj->ri", np.linalg.pinv(t_mat, rcond=256 * _EPS), misfit)
        eta[cols] += deta
        xeta[:, cols] = model @ eta[cols].T
        deriv[:, cols] = df(xeta[:, cols])
        g = 1 + fm1(xeta[:, cols])
        bad = ~(np.all(np.isfinite(g), axis=0) & np.all(np.isfinite(deriv[:, cols]), axis=0))
        while np.any(bad & (iters[cols] < maxit)):
            halve = bad & (iters[cols] < maxit)
            idx = cols[halve]
            iters[idx] += 1
            deta[halve] /= 2
            eta[idx] -= deta[halve]
            xeta[:, idx] = model @ eta[idx].T
            deriv[:, idx] = df(xeta[:, idx])
            g_idx = 1 + fm1(xeta[:, idx])
            bad[halve] = ~(np.all(np.isfinite(g_idx), axis=0) & np.all(np.isfinite(deriv[:, idx]), axis=0))
        misfit = totals[None, :] - sample_total[cols] - (model.T @ (w * fm1(xeta[:, cols]))).T
        worst = np.max(np.abs(misfit) / rel[None, :], axis=1)
        done = worst < epsilon
        iters[cols[~done]] += 1
        over = ~done & (iters[cols] > maxit)
        failed[cols[over]] = np.where(np.isfinite(worst[over]), worst[over], np.inf)
        active[cols[done | over]] = False
    g = (1 + fm1(xeta)) * prescale[None, :]
    return g, iters, failed
