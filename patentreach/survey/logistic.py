"""Intercept-only weighted logistic regression by iteratively reweighted least squares.

The logit and likelihood intervals for a proportion (R's ``svyciprop``) come from
``svyglm(y ~ 1, family=quasibinomial)``. R stops ``glm.fit`` when the deviance changes by less than
1e-8 relative, so its coefficient differs from the exact log-odds in the tenth digit, and in a
replicate that has no cases the coefficient is wherever the iterations stopped on their way to
minus infinity. To agree with R to 1e-9 this module repeats ``glm.fit``'s iterations step for step:
the same starting values ``(w y + 0.5)/(w + 1)``, the same logit link with its +-30 clamps, the
same working weights (from the fitted values *before* the last update) and the same convergence
test. For an intercept the least-squares step is a weighted mean, so fits for many replicate
weight columns run side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_DBL_EPS = np.finfo(float).eps
_THRESH = 30.0


def linkinv(eta: np.ndarray) -> np.ndarray:
    """R's ``logit_linkinv`` (C): exp clamped to [eps, 1/eps] outside +-30."""
    eta = np.asarray(eta, dtype=float)
    with np.errstate(over="ignore"):
        tmp = np.where(eta < -_THRESH, _DBL_EPS, np.where(eta > _THRESH, 1 / _DBL_EPS, np.exp(eta)))
    return tmp / (1 + tmp)


def mu_eta(eta: np.ndarray) -> np.ndarray:
    """R's ``logit_mu_eta``: d mu / d eta, eps outside +-30."""
    eta = np.asarray(eta, dtype=float)
    with np.errstate(over="ignore"):
        opexp = 1 + np.exp(eta)
        out = np.exp(eta) / (opexp * opexp)
    return np.where((eta > _THRESH) | (eta < -_THRESH), _DBL_EPS, out)


def deviance(y: np.ndarray, mu: np.ndarray, weights: np.ndarray) -> float | np.ndarray:
    """Binomial deviance, summed over rows (axis 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y != 0, y * np.log(y / mu), 0.0)
        b = np.where(1 - y != 0, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
    return np.sum(2 * weights * (a + b), axis=0)


@dataclass
class LogitFit:
    """Coefficient (log-odds), final fitted mean, working weights, deviance, iterations."""

    coef: float
    eta: float
    mu: float
    working_weights: np.ndarray
    deviance: float
    iterations: int
    converged: bool


def fit_intercept(
    y: np.ndarray,
    prior: np.ndarray,
    epsilon: float = 1e-8,
    maxit: int = 25,
    first: _FirstStep | None = None,
) -> LogitFit:
    """``glm.fit(1, y, weights=prior, family=quasibinomial)`` without a start value.

    Only the first iteration sees the rows one by one: ``glm.fit`` starts every row at its own
    ``mustart``. After it the linear predictor is one number, so the least-squares step, the
    deviance and the convergence test depend on the data only through weighted sums (the weight
    of the ones, of the zeros, and a constant that is 0 for 0/1 data): the later iterations run on
    scalars, the same arithmetic as R's in a different summation order."""
    if first is None:
        y = np.where(prior == 0, 0.0, y)  # binomial initialize: y[weights == 0] <- 0
        binary = bool(np.all((y == 0) | (y == 1)))
        if binary and prior.min() >= 0:
            first = _first_step_binary(y, prior)
        if first is None:  # a prior weight beyond exp(30): R's clamps apply row by row
            first = _first_step(y, prior)
    coef, dev_old, w2, sums = first
    ones, zeros, constant, good_prior_sum, good_ones = sums
    good_prior = prior > 0
    mu_c = float(linkinv(np.array(coef)))
    dev = _scalar_deviance(constant, ones, zeros, mu_c)
    iterations, converged = 1, abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon
    factor = None
    while not converged and iterations < maxit:
        iterations += 1
        dev_old = dev
        me_c = float(mu_eta(np.array(coef)))
        factor = me_c**2 / (mu_c * (1 - mu_c))  # working weight per unit of prior weight
        coef = coef + (good_ones / good_prior_sum - mu_c) / me_c
        mu_c = float(linkinv(np.array(coef)))
        dev = _scalar_deviance(constant, ones, zeros, mu_c)
        converged = abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon
    if factor is not None:  # the last iteration's working weights (from the mean before its update)
        w2 = np.where(good_prior, prior * factor, 0.0)
    elif w2 is None:  # converged at once, from BinaryStart: the first step's working weights
        rest = 1 / (2 * prior + 2)
        w2 = prior * rest * (1 - rest)
    return LogitFit(coef, coef, mu_c, w2, dev, iterations, bool(converged))


_FirstStep = tuple[float, float, np.ndarray | None, tuple[float, float, float, float, float]]


class BinaryStart:
    """The row terms of :func:`_first_step_binary` that depend on the prior weights only, for
    fitting many 0/1 variables (or domains' answers) with the same prior weights: each fit's
    first step is then one small product, :meth:`first_step`, instead of a pass of logarithms.

    ``usable`` is False when some prior weight is negative or beyond R's +-30 clamp; the caller
    then fits row by row."""

    def __init__(self, prior: np.ndarray) -> None:
        log_odds = np.log1p(2 * prior)
        self.usable = bool(prior.min(initial=0.0) >= 0 and log_odds.max(initial=0.0) <= _THRESH)
        rest = 1 / (2 * prior + 2)
        terms = np.empty((prior.size, 5), order="F")  # columns contiguous: written and summed in order
        np.multiply(prior, rest * (1 - rest), out=terms[:, 0])  # w2
        np.multiply(terms[:, 0], log_odds, out=terms[:, 1])  # w2 log(2p+1)
        np.multiply(prior, rest, out=terms[:, 2])  # p (1 - b)
        np.multiply(prior, np.log1p(-rest), out=terms[:, 3])  # p log b
        terms[:, 4] = prior
        self.terms = terms

    def first_step(self, rows: np.ndarray, y: np.ndarray) -> _FirstStep:
        """The first step for the 0/1 values ``y`` (any value where ``rows`` is False) over ``rows``."""
        # sums of the terms over the rows and over the ones (einsum: no threaded BLAS for a
        # product this thin)
        over_rows = np.einsum("ij,i->j", self.terms, rows.astype(float))
        over_ones = np.einsum("ij,i->j", self.terms, np.where(rows, y, 0.0))
        coef = float((2 * over_ones[1] - over_rows[1] + 2 * over_ones[2] - over_rows[2]) / over_rows[0])
        dev_old = float(-2 * over_rows[3])
        total, one = float(over_rows[4]), float(over_ones[4])
        return coef, dev_old, None, (one, total - one, 0.0, total, one)


def _first_step(y: np.ndarray, prior: np.ndarray) -> _FirstStep:
    """Iteration 1 as ``glm.fit`` runs it, row by row: the coefficient, the starting deviance,
    the working weights, and the weighted sums the later iterations need."""
    good_prior = prior > 0
    mustart = (prior * y + 0.5) / (prior + 1)
    eta = np.log(mustart / (1 - mustart))
    mu = linkinv(eta)
    dev_old = float(deviance(y, mu, prior))
    me = mu_eta(eta)
    good = good_prior & (me != 0)
    z = eta[good] + (y[good] - mu[good]) / me[good]
    w2_good = prior[good] * me[good] ** 2 / (mu[good] * (1 - mu[good]))
    coef = float(np.sum(w2_good * z) / np.sum(w2_good))
    w2 = np.zeros_like(prior)
    w2[good] = w2_good
    py = prior * y
    sums = (
        float(py.sum()),
        float(prior.sum() - py.sum()),
        float(np.sum(prior * _xlogx_pair(y))),
        float(np.sum(prior[good_prior])),
        float(np.sum(py[good_prior])),
    )
    return coef, dev_old, w2, sums


def _first_step_binary(y: np.ndarray, prior: np.ndarray) -> _FirstStep | None:
    """:func:`_first_step` for 0/1 data and prior weights >= 0, in closed form.

    With ``mustart = (p y + 1/2)/(p + 1)`` a one has mu = b = (2p+1)/(2p+2) and a zero mu = 1 - b,
    so eta = +-log(2p+1), mu(1-mu) = b(1-b), y - mu = +-(1-b) and both contribute p log b to
    the log-likelihood: one logarithm per row instead of R's nine transcendental calls. (The
    same numbers up to rounding; rows beyond R's +-30 clamp of eta take the general path.)"""
    log_odds = np.log1p(2 * prior)
    if log_odds.max(initial=0.0) > _THRESH:
        return None
    sign = 2 * y - 1
    rest = 1 / (2 * prior + 2)  # 1 - b
    variance = rest * (1 - rest)  # mu (1 - mu) = mu.eta at the start
    w2 = prior * variance  # 0 where the prior weight is 0, as glm's "good" rows
    # coef = sum w2 z / sum w2 with z = eta + (y - mu)/mu.eta = sign (log_odds + rest/variance)
    coef = float(np.sum(w2 * sign * log_odds + prior * sign * rest) / w2.sum())
    dev_old = float(-2 * np.sum(prior * np.log1p(-rest)))
    total = float(prior.sum())
    ones = float(np.einsum("i,i->", prior, y))
    return coef, dev_old, w2, (ones, total - ones, 0.0, total, ones)


def _xlogx_pair(y: np.ndarray) -> np.ndarray:
    """y log y + (1 - y) log(1 - y), 0 at 0 and 1: the part of the deviance free of mu."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y != 0, y * np.log(y), 0.0)
        b = np.where(1 - y != 0, (1 - y) * np.log(1 - y), 0.0)
    return a + b


def _scalar_deviance(constant: float, ones: float, zeros: float, mu: float) -> float:
    """The binomial deviance at one fitted mean from the weighted sums of y and 1 - y."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(2 * (constant - ones * np.log(mu) - zeros * np.log(1 - mu)))


def fit_intercept_from(
    y: np.ndarray, weights: np.ndarray, start: float, epsilon: float = 1e-8, maxit: int = 25
) -> np.ndarray:
    """Coefficients of many fits, one per column of ``weights`` (n, R), started at ``start``
    (R's replicate refits in ``svyglm.svyrep.design``). Columns that are all zero give NaN."""
    positive = np.maximum(weights, 0.0)
    return fit_intercept_sums(positive.T @ np.asarray(y, dtype=float), positive.sum(axis=0), start, epsilon, maxit)


def fit_intercept_sums(
    ones: np.ndarray, total: np.ndarray, start: float, epsilon: float = 1e-8, maxit: int = 25
) -> np.ndarray:
    """:func:`fit_intercept_from` from its sufficient statistics: per fit, the weight of the
    ones ``ones`` and the total weight ``total`` (negative weights counted as 0, as glm drops them).

    Started at one value, an intercept-only fit of 0/1 data never looks at a row again: every
    iteration is a function of these two sums. So the replicate refits cost two numbers per
    replicate, which the replicate means have computed already, instead of a pass over the
    (n, R) weight matrix. R rescales each replicate's weights to sum 1 first; so does this, as
    the convergence test (relative to the deviance + 0.1) depends on the scale."""
    total = np.asarray(total, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        sy = np.asarray(ones, dtype=float) / total
    s1 = np.where(total > 0, 1.0, np.nan)
    n_cols = total.size
    eta = np.full(n_cols, float(start))
    mu = linkinv(eta)
    dev_old = _binary_deviance(sy, s1, mu)
    active = total > 0
    for _ in range(maxit):
        if not active.any():
            break
        me = mu_eta(eta)
        # weighted mean of z = eta + (y - mu)/mu.eta with weights w mu.eta^2 / V(mu)
        step = (sy - mu * s1) / (me * s1)
        new_eta = np.where(active, eta + step, eta)
        new_mu = linkinv(new_eta)
        dev = _binary_deviance(sy, s1, new_mu)
        done = active & (np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < epsilon)
        eta, mu = new_eta, new_mu
        dev_old = np.where(active, dev, dev_old)
        active = active & ~done
    return np.where(total > 0, eta, np.nan)


def _binary_deviance(sy: np.ndarray, s1: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Deviance of 0/1 data from its weighted count of ones ``sy`` and total weight ``s1``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2 * (sy * -np.log(mu) + (s1 - sy) * -np.log(1 - mu))
