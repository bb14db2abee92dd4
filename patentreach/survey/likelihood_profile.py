"""The "likelihood" interval for a proportion: a design-adjusted profile of the logistic deviance.

As R's ``confint.svyglm(method="likelihood")``: the quasi-binomial deviance is profiled over the
log-odds in steps of a fifth of the design-based SE, scaled by the dispersion (the design-weighted
variance of the Pearson residuals), and the interval ends are read off where the signed root of
the deviance change reaches the t quantile times the square root of the design effect (design
variance / model variance). The reading-off interpolates an FMM cubic spline through the profile
points (R's ``spline``) and then linearly (R's ``approx``); that machinery is reproduced here so
the ends agree with R to rounding, not just to the spline's accuracy.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from patentreach.survey.logistic import deviance, linkinv


class ProfileError(ValueError):
    """The profile found a better fit than the original (the fit had not converged)."""


def likelihood_interval(
    coef: float,
    se: float,
    naive_variance: float,
    dispersion: float,
    original_deviance: float,
    y: np.ndarray,
    prior: np.ndarray,
    ddf: float,
    level: float,
) -> tuple[float, float]:
    """Interval for the log-odds (not yet transformed); NaN where the profile does not reach."""
    if not (np.isfinite(se) and se > 0 and dispersion > 0):
        return (np.nan, np.nan)
    lam = se**2 / naive_variance
    half = (1 - level) / 2
    if np.isinf(ddf):
        alpha = stats.norm.cdf(stats.norm.ppf(half) * np.sqrt(lam)) / 2
    elif ddf <= 0:
        raise ProfileError("zero or negative denominator degrees of freedom")
    else:
        alpha = stats.norm.cdf(stats.t.ppf(half, ddf) * np.sqrt(lam)) / 2
    n = y.size
    zmax = np.sqrt(stats.f.isf(alpha, 1, n - 1))
    delta = zmax / 5
    zs = [0.0]
    betas = [coef]
    for sign in (-1, 1):
        step = 0
        z = 0.0
        while True:
            step += 1
            if not (step < 10 and abs(z) < zmax):
                break
            b = coef + sign * step * delta * se
            dev = deviance(y, linkinv(np.full(n, b)), prior)
            zz = (dev - original_deviance) / dispersion
            if zz <= -0.001:
                raise ProfileError("profiling has found a better solution, so the original fit had not converged")
            z = sign * np.sqrt(max(zz, 0.0))
            zs.append(z)
            betas.append(b)
    if not (np.all(np.isfinite(zs)) and np.all(np.isfinite(betas))):
        return (np.nan, np.nan)
    order = np.argsort(np.asarray(zs), kind="stable")
    x = np.asarray(betas)[order]
    z_sorted = np.asarray(zs)[order]
    grid_x, grid_z = spline_fmm(x, z_sorted, 3 * x.size)
    cutoff = np.array([stats.norm.ppf(2 * alpha), stats.norm.isf(2 * alpha)])
    lower, upper = approx(grid_z, grid_x, cutoff)
    return (float(lower), float(upper))


def spline_fmm(x: np.ndarray, y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """R's ``spline(x, y, n, method="fmm")``: Forsythe-Malcolm-Moler cubic spline at n equally
    spaced points from min(x) to max(x)."""
    x, y = _regularize(x, y)
    b, c, d = _fmm_coefficients(x, y)
    grid = _seq(x[0], x[-1], n)
    return grid, _spline_eval(grid, x, y, b, c, d)


def approx(x: np.ndarray, y: np.ndarray, xout: np.ndarray) -> np.ndarray:
    """R's ``approx(x, y, xout)`` (linear, rule 1: NaN outside, ties averaged)."""
    x, y = _regularize(x, y)
    out = np.empty(xout.size)
    if x.size == 0:
        return np.full(xout.size, np.nan)
    for k, v in enumerate(xout):
        if not (x[0] <= v <= x[-1]):
            out[k] = np.nan
            continue
        i, j = 0, x.size - 1
        while i < j - 1:
            mid = (i + j) // 2
            if v < x[mid]:
                j = mid
            else:
                i = mid
        if v == x[j]:
            out[k] = y[j]
        elif v == x[i]:
            out[k] = y[i]
        else:
            out[k] = y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]))
    return out


def _regularize(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort by x (stably) and average y over tied x, as R's ``regularize.values``."""
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    if np.any(np.diff(x) < 0):
        order = np.argsort(x, kind="stable")
        x, y = x[order], y[order]
    unique, inverse = np.unique(x, return_inverse=True)
    if unique.size < x.size:
        y = np.bincount(inverse, weights=y) / np.bincount(inverse)
        x = unique
    return x, y


def _seq(start: float, stop: float, n: int) -> np.ndarray:
    """R's ``seq.int(from, to, length.out=n)`` for doubles (symmetric from both ends)."""
    out = np.empty(n)
    out[0] = start
    if n > 1:
        out[-1] = stop
    if n > 2:
        by = (stop - start) / (n - 1)
        for i in range(1, n - 1):
            out[i] = start + i * by if i < n // 2 else stop - (n - 1 - i) * by
    return out


def _fmm_coefficients(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Port of R's ``fmm_spline`` (splines.c): end conditions matching the third derivatives
    of cubics through the first and last four points."""
    n = x.size
    b = np.zeros(n)
    c = np.zeros(n)
    d = np.zeros(n)
    if n < 2:
        return b, c, d
    if n < 3:
        t = (y[1] - y[0]) / (x[1] - x[0])
        b[:] = t
        return b, c, d
    nm1 = n - 1
    d[0] = x[1] - x[0]
    c[1] = (y[1] - y[0]) / d[0]
    for i in range(1, nm1):
        d[i] = x[i + 1] - x[i]
        b[i] = 2.0 * (d[i - 1] + d[i])
        c[i + 1] = (y[i + 1] - y[i]) / d[i]
        c[i] = c[i + 1] - c[i]
    b[0] = -d[0]
    b[nm1] = -d[n - 2]
    c[0] = c[nm1] = 0.0
    if n > 3:
        c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
        c[nm1] = c[n - 2] / (x[nm1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
        c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
        c[nm1] = -c[nm1] * d[n - 2] * d[n - 2] / (x[nm1] - x[n - 4])
    for i in range(1, n):
        t = d[i - 1] / b[i - 1]
        b[i] = b[i] - t * d[i - 1]
        c[i] = c[i] - t * c[i - 1]
    c[nm1] = c[nm1] / b[nm1]
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
    b[nm1] = (y[nm1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[nm1])
    for i in range(nm1):
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]
        c[i] = 3.0 * c[i]
    c[nm1] = 3.0 * c[nm1]
    d[nm1] = d[n - 2]
    return b, c, d


def _spline_eval(
    u: np.ndarray, x: np.ndarray, y: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray
) -> np.ndarray:
    """Port of R's ``spline_eval`` for the fmm method (interval search as in C)."""
    n_1 = x.size - 1
    out = np.empty(u.size)
    i = 0
    for k, ul in enumerate(u):
        if ul < x[i] or (i < n_1 and x[i + 1] < ul):
            i, j = 0, x.size
            while True:
                mid = (i + j) // 2
                if ul < x[mid]:
                    j = mid
                else:
                    i = mid
                if not j > i + 1:
                    break
        dx = ul - x[i]
        out[k] = y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]))
    return out
