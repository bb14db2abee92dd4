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


def fit_intercept(y: np.ndarray, prior: np.ndarray, epsilon: float = 1e-8, maxit: int = 25) -> LogitFit:
    """``glm.fit(1, y, weights=prior, family=quasibinomial)`` without a start value."""
    y = np.where(prior == 0, 0.0, y)  # binomial initialize: y[weights == 0] <- 0
    good_prior = prior > 0
    mustart = (prior * y + 0.5) / (prior + 1)
    eta = np.log(mustart / (1 - mustart))
    mu = linkinv(eta)
    dev_old = deviance(y, mu, prior)
    coef = np.nan
    w2 = np.zeros_like(prior)
    converged = False
    iterations = 0
    for iteration in range(1, maxit + 1):
        iterations = iteration
        me = mu_eta(eta)
        good = good_prior & (me != 0)
        z = eta[good] + (y[good] - mu[good]) / me[good]
        w2_good = prior[good] * me[good] ** 2 / (mu[good] * (1 - mu[good]))
        coef = float(np.sum(w2_good * z) / np.sum(w2_good))
        w2 = np.zeros_like(prior)
        w2[good] = w2_good
        eta = np.full_like(prior, coef)
        mu = linkinv(eta)
        dev = deviance(y, mu, prior)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        dev_old = dev
    return LogitFit(coef, coef, float(mu[0]), w2, float(dev), iterations, converged)


def fit_intercept_from(
    y: np.ndarray, weights: np.ndarray, start: float, epsilon: float = 1e-8, maxit: int = 25
) -> np.ndarray:
    """Coefficients of many fits, one per column of ``weights`` (n, R), started at ``start``
    (R's replicate refits in ``svyglm.svyrep.design``). Columns that are all zero give NaN."""
    y = np.asarray(y, dtype=float)
    weights = np.where(weights > 0, weights, 0.0)
    total = weights.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = weights / total
    s1 = weights.sum(axis=0)
    sy = weights.T @ y
    n_cols = weights.shape[1]
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
