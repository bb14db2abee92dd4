"""Confidence intervals: Wald (normal or t on the design degrees of freedom) and the seven
interval methods for a proportion of R's ``svyciprop``.

Methods for a proportion p with design variance v and df degrees of freedom:

* ``mean`` - Wald on p itself (can leave [0, 1]);
* ``asin``, ``xlogit`` - Wald on asin(sqrt(p)) or log(p/(1-p)) by the delta method, transformed
  back;
* ``logit`` - Wald on the log-odds of a design-weighted logistic fit, with its own design SE;
* ``likelihood`` - the design-adjusted profile likelihood of that fit
  (:mod:`likelihood_profile`);
* ``beta`` - Korn & Graubard: Clopper-Pearson with the effective sample size p(1-p)/v, adjusted
  for the design degrees of freedom;
* ``wilson`` - Wilson's score interval with the effective sample size and a t quantile.

All of them report p (the weighted mean) except ``logit`` and ``likelihood``, which report the
fitted proportion as R does (equal to p to about 1e-10).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import stats

PROPORTION_METHODS = ("logit", "likelihood", "asin", "beta", "mean", "xlogit", "wilson")


def quantile(level: float, df: float) -> float:
    """Two-sided quantile for a ``level`` interval: t on ``df`` degrees, normal when df is inf.

    Every statistic of a design asks for the same one or two (level, df) pairs, and scipy's
    ``ppf`` costs a third of a millisecond a call in argument handling: remembered."""
    return _quantile(float(level), float(df))


@functools.lru_cache(maxsize=256)
def _quantile(level: float, df: float) -> float:
    upper = 1 - (1 - level) / 2
    if np.isinf(df):
        return float(stats.norm.ppf(upper))
    if not df > 0:
        return np.nan
    return float(stats.t.ppf(upper, df))


def wald(estimate: np.ndarray, se: np.ndarray, level: float, df: float) -> tuple[np.ndarray, np.ndarray]:
    q = quantile(level, df)
    return estimate - q * se, estimate + q * se


def expit(x: float) -> float:
    """exp(x)/(1+exp(x)) as R's survey package computes it (1 for overflowing x)."""
    if x > 700:
        return 1.0
    e = np.exp(x)
    return float(e / (1 + e))


@dataclass
class ProportionInputs:
    """What the interval methods need besides the method itself."""

    p: float
    variance: float
    df: float
    degf: float
    n_rows: int
    level: float


def simple_interval(method: str, s: ProportionInputs) -> tuple[float, float]:
    """The methods computed from p and its variance alone (all but logit and likelihood)."""
    p, v, level = s.p, s.variance, s.level
    se = np.sqrt(v)
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "mean":
            lo, hi = wald(np.array(p), np.array(se), level, s.df)
            return float(lo), float(hi)
        if method == "asin":
            theta = np.arcsin(np.sqrt(p))
            grad = 0.5 * p**-0.5 / np.sqrt(1 - np.sqrt(p) ** 2)
            lo, hi = wald(np.array(theta), np.array(abs(grad) * se), level, s.df)
            return float(np.sin(lo) ** 2), float(np.sin(hi) ** 2)
        if method == "xlogit":
            theta = np.log(p / (1 - p))
            grad = (1 / (1 - p) + p / (1 - p) ** 2) / (p / (1 - p))
            lo, hi = wald(np.array(theta), np.array(abs(grad) * se), level, s.df)
            return expit(float(lo)), expit(float(hi))
        if method == "beta":
            if not v > 0:
                return (np.nan, np.nan)
            n_eff = p * (1 - p) / v
            ratio = stats.t.ppf(alpha / 2, s.n_rows - 1) / stats.t.ppf(alpha / 2, s.degf)
            n_eff = n_eff * ratio**2
            lo = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
            hi = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
            return float(lo), float(hi)
        if method == "wilson":
            if not v > 0:
                return (np.nan, np.nan)
            n_eff = p * (1 - p) / v
            t = quantile(level, s.df)
            denom = 1 + t * t / n_eff
            root = np.sqrt(4 * n_eff * p * (1 - p) + t * t)
            centre = p + t * t / (2 * n_eff)
            return (
                float((centre - t / (2 * n_eff) * root) / denom),
                float((centre + t / (2 * n_eff) * root) / denom),
            )
    raise ValueError(f"unknown proportion interval method {method!r}")
