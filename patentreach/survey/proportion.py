"""A proportion with its confidence interval by any of R's ``svyciprop`` methods.

The estimate and SE are those of the weighted mean of the 0/1 indicator; the interval comes from
:mod:`intervals`, or, for ``logit`` and ``likelihood``, from a design-weighted logistic fit
(:mod:`logistic`) whose design variance is linearised (Taylor designs) or re-fitted per replicate
(replicate designs), exactly as ``svyglm`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from patentreach.survey import estimators
from patentreach.survey.intervals import ProportionInputs, expit, quantile, simple_interval
from patentreach.survey.likelihood_profile import ProfileError, likelihood_interval
from patentreach.survey.linearisation import linearised_variance
from patentreach.survey.logistic import BinaryStart, LogitFit, fit_intercept, fit_intercept_sums, mu_eta
from patentreach.survey.replicates import replicate_variance
from patentreach.survey.survey_design import SurveyDesign


@dataclass
class ProportionResult:
    estimate: float
    se: float
    ci_lower: float
    ci_upper: float
    df: float
    deff: float
    n: int
    n_missing: int


def proportion(
    design: SurveyDesign,
    indicator: np.ndarray,
    domain: np.ndarray | None,
    method: str,
    level: float,
    df: float | None = None,
) -> ProportionResult:
    """``svyciprop(~indicator, subset(design, domain), method, level, df)``."""
    return proportions(design, indicator[:, None], domain, method, level, df)[0]


def proportions(
    design: SurveyDesign,
    indicators: np.ndarray,
    domain: np.ndarray | None,
    method: str,
    level: float,
    df: float | None = None,
) -> list[ProportionResult]:
    """:func:`proportion` for every column of ``indicators`` (n, k) at once: one pass of the
    weighted means over all columns (for replicate designs one product of the replicate matrix
    with all of them), whose replicate sums also give every logistic refit."""
    m = estimators.mean(design, indicators, domain)
    degf = float(design.degf(domain))
    ci_df = degf if df is None else df
    in_design = _design_rows(design, domain)
    results = []
    for j in range(indicators.shape[1]):
        p = float(m.estimate[j])
        variance = float(m.variance[j])
        estimate = p
        if method in ("logit", "likelihood"):
            estimate, lower, upper = _logistic_interval(
                design, indicators[:, j], domain, in_design, method, level, ci_df, m, j
            )
        else:
            inputs = ProportionInputs(p, variance, ci_df, degf, int(in_design.sum()), level)
            lower, upper = simple_interval(method, inputs)
        results.append(
            ProportionResult(
                estimate=estimate,
                se=float(np.sqrt(variance)),
                ci_lower=lower,
                ci_upper=upper,
                df=ci_df,
                deff=float(m.deff[j]),
                n=int(m.n[j]),
                n_missing=int(m.n_missing[j]),
            )
        )
    return results


def _design_rows(design: SurveyDesign, domain: np.ndarray | None) -> np.ndarray:
    """Rows R keeps in the subset design: all rows for calibrated Taylor designs (weight zero
    outside the domain), the domain's rows otherwise."""
    if domain is None or design.subset_keeps_rows:
        return np.ones(design.n, dtype=bool)
    return domain


def _logistic_interval(
    design: SurveyDesign,
    indicator: np.ndarray,
    domain: np.ndarray | None,
    in_design: np.ndarray,
    method: str,
    level: float,
    ddf: float,
    mean: estimators.Estimates,
    column: int = 0,
) -> tuple[float, float, float]:
    weights, prior_all, start, start_rows = _prior_weights(design, domain, in_design)
    if start_rows is not None and not design.subset_keeps_rows:
        # the design's rows are the domain's: work on them alone (a fifth of the data for a
        # fifth of the units), the fit's rows being those with an answer
        local = indicator[start_rows]
        answered = ~np.isnan(local)
        row_index = start_rows[answered]
        y = local[answered]
        prior = prior_all[row_index]
    else:
        answered = in_design & ~np.isnan(indicator)
        row_index = np.flatnonzero(answered)
        y = indicator[answered]
        prior = prior_all[answered]
        local = indicator
        if start_rows is not None:  # the terms cover the domain's rows (the others weigh 0)
            local, answered = indicator[start_rows], answered[start_rows]
    first = None
    if start.usable and bool(np.all((y == 0) | (y == 1))):
        first = start.first_step(answered, local)
    fit = fit_intercept(y, prior, first=first)
    rows = None  # the fit's rows as a mask of the design's, built only where needed
    if design.replicates is None:
        variance = _linearised_coef_variance(design, fit, y, row_index)
    else:
        if design.replicates.has_negative or mean.replicate_sums is None:
            rows = _mask(design.n, row_index)
        betas = fit_intercept_sums(*_replicate_sums(design, mean, column, y, rows), fit.coef)
        variance = float(replicate_variance(betas[:, None], np.array([fit.coef]), design.replicates)[0])
    se = float(np.sqrt(variance))
    estimate = expit(fit.coef)
    if method == "logit":
        if not ddf > 0:
            return estimate, np.nan, np.nan
        q = quantile(level, ddf)
        return estimate, expit(fit.coef - q * se), expit(fit.coef + q * se)
    naive_variance = 1.0 / fit.working_weights.sum()
    rows = _mask(design.n, row_index) if rows is None else rows
    dispersion = _dispersion(design, fit, y, prior, rows, weights, in_design)
    try:
        lower, upper = likelihood_interval(fit.coef, se, naive_variance, dispersion, fit.deviance, y, prior, ddf, level)
    except ProfileError:
        return estimate, np.nan, np.nan
    return estimate, _expit_or_nan(lower), _expit_or_nan(upper)


def _mask(n: int, index: np.ndarray) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[index] = True
    return mask


def _prior_weights(
    design: SurveyDesign, domain: np.ndarray | None, in_design: np.ndarray
) -> tuple[np.ndarray, np.ndarray, BinaryStart, np.ndarray | None]:
    """The domain's weights, glm's prior weights and their first-step terms, once per design and
    domain (every proportion in a domain shares them). The terms cover the domain's rows only
    (their indices are returned; None: all rows), as every other row has prior weight 0."""
    key = ("logit-prior", None if domain is None else domain.tobytes())
    if key not in design.cache:
        weights = design.weights if domain is None else np.where(domain, design.weights, 0.0)
        # svyglm rescales the design rows' weights to mean 1; glm drops rows with a missing response
        prior_all = weights / weights[in_design].mean()
        index = None if domain is None else np.flatnonzero(domain)
        start = BinaryStart(prior_all if index is None else prior_all[index])
        design.cache[key] = (weights, prior_all, start, index)
    return design.cache[key]


def _replicate_sums(
    design: SurveyDesign, mean: estimators.Estimates, column: int, y: np.ndarray, rows: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per replicate, the weight of the ones and the total weight over the fit's rows: what the
    replicate refits need (see :func:`fit_intercept_sums`). The replicate means computed exactly
    these products over the same rows (the domain's rows with an answer), unless some replicate
    weight is negative: the refit drops those, so the sums are taken again without them."""
    reps = design.replicates
    assert reps is not None
    if not reps.has_negative and mean.replicate_sums is not None and mean.replicate_weights_used is not None:
        return mean.replicate_sums[:, column], mean.replicate_weights_used[:, column]
    assert rows is not None
    positive = np.maximum(reps.analysis[rows], 0.0)
    return positive.T @ y, positive.sum(axis=0)


def _expit_or_nan(x: float) -> float:
    return np.nan if np.isnan(x) else expit(x)


def _linearised_coef_variance(design: SurveyDesign, fit: LogitFit, y: np.ndarray, row_index: np.ndarray) -> float:
    """svyglm's sandwich: influence = working residual x working weight / sum(working weights)."""
    residual = (y - fit.mu) / mu_eta(np.array(fit.eta))
    estfun = residual * fit.working_weights / fit.working_weights.sum()  # zero off the fit's rows
    return float(
        linearised_variance(
            estfun, design.structure, design.projections, design.spec.lonely_psu, rows=row_index
        )
    )


def _dispersion(
    design: SurveyDesign,
    fit: LogitFit,
    y: np.ndarray,
    prior: np.ndarray,
    rows: np.ndarray,
    weights: np.ndarray,
    in_design: np.ndarray,
) -> float:
    """The scale of the quasi-binomial deviance, from the Pearson residuals: a design-weighted
    variance (Taylor, R's ``svyvar``) or weighted mean square (replicates, ``summary.svrepglm``)."""
    pearson = (y - fit.mu) / np.sqrt(fit.mu * (1 - fit.mu))
    # R rescales the prior weights over the design's rows but the residuals' weights over the
    # rows left after dropping missing responses: their ratio scales the residuals when some
    # responses are missing.
    kept = in_design.sum() if design.subset_keeps_rows else rows.sum()
    ratio = (weights[rows].sum() / kept) / (weights[in_design].sum() / in_design.sum())
    if design.replicates is None:
        keep = prior > 0
        w = weights[rows][keep]
        r = pearson[keep]
        n = r.size
        centre = np.sum(w * r) / np.sum(w)
        return float(ratio * np.sum(w * (r - centre) ** 2 * n / (n - 1)) / np.sum(w))
    return float(ratio * np.sum(weights[rows] * pearson**2) / np.sum(weights[rows]))
