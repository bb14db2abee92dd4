"""Weights before calibration: design weights and the weighting-class non-response adjustment.

Design weights come from the design itself (:mod:`structure`: given weights, 1/probabilities, or
population/sample PSU counts from the fpc). Non-response is adjusted within weighting classes:
each respondent's weight is multiplied by (sum of weights of all sampled units in its class) /
(sum of weights of the respondents in its class), so that respondents stand for the
non-respondents who resemble them; non-respondents get weight 0. Calibration to population totals
(post-stratification, raking, GREG, ...) is a design step (``calibrate:`` in the design,
:mod:`calibration`); ``poststratify_weights``, ``rake_weights`` and ``calibrate_weights`` apply one
such step to a weight column of a data frame, for callers that only need the weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from patentreach.survey.design import DesignSpec, load_design
from patentreach.survey.structure import build_structure
from patentreach.survey.survey_design import SurveyDesign

_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}


class WeightingError(ValueError):
    """Weights that cannot be adjusted as asked (e.g. a class without respondents)."""


def design_weights(data: pd.DataFrame, design: DesignSpec) -> pd.Series:
    """The design (base) weights a spec gives the data, before any calibration."""
    structure = build_structure(data, design)
    return pd.Series(structure.base_weights, index=data.index, name="design_weight")


def poststratify_weights(data: pd.DataFrame, weight: str, variable: str, population: Mapping[Any, float]) -> pd.Series:
    """Post-stratified weights: ``weight`` scaled within the levels of ``variable`` to
    ``population`` ({level: count})."""
    return _calibrated(data, weight, {"method": "poststratify", "population": {variable: dict(population)}})


def rake_weights(
    data: pd.DataFrame,
    weight: str,
    population: Mapping[str, Mapping[Any, float]],
    epsilon: float = 1e-10,
    maxit: int = 100,
) -> pd.Series:
    """Raked weights: iterative proportional fitting to every margin ({variable: {level: N}})."""
    step = {"method": "rake", "population": {k: dict(v) for k, v in population.items()}}
    return _calibrated(data, weight, {**step, "epsilon": epsilon, "maxit": maxit})


def calibrate_weights(
    data: pd.DataFrame,
    weight: str,
    population: Mapping[str, Any],
    method: str = "linear",
    bounds: tuple[float, float] | None = None,
) -> pd.Series:
    """Calibrated weights (``method`` linear, raking or logit; ``bounds`` on the g-weights; linear
    with bounds is bounded linear calibration). ``population`` as in the design file."""
    step: dict[str, Any] = {"method": method, "population": dict(population)}
    if bounds is not None:
        step["bounds"] = list(bounds)
    return _calibrated(data, weight, step)


def _calibrated(data: pd.DataFrame, weight: str, step: dict[str, Any]) -> pd.Series:
    survey = SurveyDesign.build(data, load_design({"weights": weight, "calibrate": [step]}))
    return pd.Series(survey.weights, index=data.index, name=f"{weight}_{step['method']}")


def nonresponse_adjust(data: pd.DataFrame, weight: str, respondent: str, classes: Sequence[str] | str) -> pd.Series:
    """Weighting-class non-response adjustment: respondents' adjusted weights, 0 for others.

    ``respondent`` is a column of true/false (or 1/0, yes/no); ``classes`` the columns whose
    combinations form the weighting classes. A class with units but no respondents cannot be
    adjusted and is reported, so that it can be collapsed with a neighbour."""
    classes = [classes] if isinstance(classes, str) else list(classes)
    for column in [weight, respondent, *classes]:
        if column not in data.columns:
            raise WeightingError(f"column {column!r} is not in the data")
    w = pd.to_numeric(data[weight], errors="coerce")
    if w.isna().any():
        raise WeightingError(f"weight column {weight!r} has missing or non-numeric values")
    responded = _flags(data[respondent], respondent)
    if data[classes].isna().any().any():
        raise WeightingError(f"weighting-class columns {classes} have missing values")
    cell = _cells(data, classes)
    total = w.groupby(cell).transform("sum")
    responding = w.where(responded, 0.0).groupby(cell).transform("sum")
    empty = (responding == 0) & (total > 0)
    if empty.any():
        bad = sorted(cell[empty].unique())
        raise WeightingError(
            f"weighting class(es) {', '.join(bad)} have no respondents: collapse them with "
            "similar classes before adjusting"
        )
    factor = total / responding.where(responding != 0, np.nan)
    adjusted = np.where(responded, w * factor, 0.0)
    return pd.Series(adjusted, index=data.index, name=f"{weight}_nr")


def _cells(data: pd.DataFrame, classes: Sequence[str]) -> pd.Series:
    """Each unit's weighting class as one key ``a:b``, built column-wise (a row-wise join takes
    seconds on a national sample)."""
    if not classes:
        return pd.Series("", index=data.index)
    parts = [data[column].astype(str) for column in classes]
    return parts[0] if len(parts) == 1 else parts[0].str.cat(parts[1:], sep=":")


def _flags(series: pd.Series, name: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(series):
        if series.isna().any():
            raise WeightingError(f"respondent column {name!r} has missing values")
        return series.to_numpy(dtype=bool)
    text = series.astype(str).str.strip().str.lower()
    unknown = ~text.isin(_TRUE | _FALSE)
    if unknown.any():
        raise WeightingError(
            f"respondent column {name!r} must be true/false (or 1/0, yes/no); found {series[unknown].iloc[0]!r}"
        )
    return text.isin(_TRUE).to_numpy()
