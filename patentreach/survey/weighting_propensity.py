"""Response propensity classes: a logistic regression of response on frame variables, cut into
quintiles.

Weighting classes built from a few variables cannot use many of them at once without empty cells;
a response propensity model can (Little 1986; Valliant, Dever & Kreuter 2018, ch. 13). The model is
a design-weighted logistic regression (statsmodels' GLM, binomial family, the design weights as
variance weights, which gives the same coefficients as R's ``svyglm``) with every variable as a
factor (treatment contrasts). Units are then grouped by quintile of the predicted propensity and
adjusted within those classes as usual: the class adjustment is robust to a misspecified model,
while inverse propensities would not be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patentreach.survey.weights import WeightingError

QUINTILES = 5


@dataclass
class PropensityModel:
    """Fitted propensities per unit, the quintile class of each unit and the coefficients."""

    propensity: np.ndarray
    classes: pd.Series
    coefficients: dict[str, float]
    variables: tuple[str, ...]


def model_matrix(data: pd.DataFrame, variables: Sequence[str]) -> pd.DataFrame:
    """Intercept plus treatment-contrast dummies of each variable (first level sorted is the base)."""
    missing = [v for v in variables if v not in data.columns]
    if missing:
        raise WeightingError(f"propensity variable(s) {', '.join(missing)} not in the sample or frame")
    parts = [pd.Series(1.0, index=data.index, name="(Intercept)")]
    for variable in variables:
        values = data[variable].astype("string")
        if values.isna().any():
            raise WeightingError(f"propensity variable {variable!r} has empty values")
        dummies = pd.get_dummies(values, prefix=variable, prefix_sep="=", dtype=float)
        dummies = dummies[sorted(dummies.columns)]
        parts.append(dummies.iloc[:, 1:])
    return pd.concat(parts, axis=1)


def fit_propensity(
    data: pd.DataFrame,
    responded: np.ndarray,
    weights: np.ndarray,
    variables: Sequence[str],
) -> PropensityModel:
    """Fit the model and cut the predicted propensities into (at most) five classes."""
    import warnings

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    x = model_matrix(data, variables)
    y = responded.astype(float)
    if y.min() == y.max():
        raise WeightingError("response propensity needs both respondents and non-respondents in the sample")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        fit = sm.GLM(y, x.to_numpy(), family=sm.families.Binomial(), var_weights=weights).fit()
    propensity = np.asarray(fit.predict(x.to_numpy()))
    scores = pd.Series(propensity, index=data.index)
    # ties (units with the same frame variables) stay together: quantile edges that coincide are dropped
    classes = pd.qcut(scores, QUINTILES, labels=False, duplicates="drop") if scores.nunique() > 1 else scores * 0
    labels = classes.astype(int).map(lambda q: f"propensity quintile {q + 1}")
    coefficients = dict(zip(x.columns, (float(b) for b in fit.params), strict=True))
    return PropensityModel(propensity, labels, coefficients, tuple(variables))
