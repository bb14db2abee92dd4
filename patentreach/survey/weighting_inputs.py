"""Inputs of the weighting, checked: the sample's ids and design weights, who responded, and
the frame's margins. Every problem is a :class:`WeightingError` naming the column or the unit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from patentreach.survey.weights import WeightingError


def sample_units(sample: pd.DataFrame, id_column: str, weights_given: bool = False) -> pd.DataFrame:
    """A clean copy of the sample with string ids and a positive ``design_weight``."""
    if id_column not in sample.columns:
        raise WeightingError(f"the sample has no column {id_column!r}")
    if "stratum" not in sample.columns:
        raise WeightingError("the sample has no column 'stratum'")
    units = sample.reset_index(drop=True).copy()
    units[id_column] = units[id_column].astype(str).str.strip()
    repeated = units[id_column].duplicated()
    if repeated.any():
        raise WeightingError(f"{id_column} {units.loc[repeated, id_column].iloc[0]} appears twice in the sample")
    if "design_weight" in units.columns or weights_given:
        weight = numeric_column(units, "design_weight")
    elif "prob" in units.columns:
        weight = 1.0 / numeric_column(units, "prob")
    else:
        raise WeightingError("the sample has neither a design_weight nor a prob column")
    bad = ~np.isfinite(weight) | (weight <= 0)
    if bad.any():
        first = units.loc[bad.to_numpy(), id_column].iloc[0]
        raise WeightingError(f"the sample's design weight of {id_column} {first} is not a positive number")
    units["design_weight"] = weight.to_numpy()
    units["stratum"] = units["stratum"].astype(str)
    if "fpc" in units.columns:
        units["fpc"] = numeric_column(units, "fpc").to_numpy()
    return units


def numeric_column(data: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_numeric(data[column], errors="coerce").astype(float)
    if values.isna().any():
        raise WeightingError(f"column {column!r} has missing or non-numeric values")
    return values


def responded_flags(ids: pd.Series, respondents: pd.DataFrame | Iterable[str], id_column: str) -> np.ndarray:
    """Which sampled units responded; responses of units outside the sample are an error."""
    if isinstance(respondents, pd.DataFrame):
        if id_column not in respondents.columns:
            raise WeightingError(f"the responses have no column {id_column!r}")
        answered = pd.Index([str(x).strip() for x in respondents[id_column]], dtype=object)
    else:
        answered = pd.Index([str(x).strip() for x in respondents], dtype=object)
    sampled = pd.Index(ids.to_numpy(dtype=object))  # object-dtype hash lookups: arrow strings' isin is slow
    outside = ~answered.isin(sampled)
    if outside.any():
        raise WeightingError(
            f"{int(outside.sum())} response(s) are not units of the sample "
            f"(first: {id_column} {answered[outside][0]}): is this the sample of this survey?"
        )
    return np.asarray(sampled.isin(answered))


def frame_margins(frame: pd.DataFrame | None, variables: Sequence[str]) -> dict[str, dict[str, float]]:
    """Population counts per level of each variable, counted in the frame."""
    if frame is None:
        raise WeightingError("calibration needs the frame (its counts are the population totals)")
    missing = [v for v in variables if v not in frame.columns]
    if missing:
        raise WeightingError(
            f"the frame has no column {missing[0]!r} for the calibration margin "
            f"(its columns: {', '.join(map(str, frame.columns))})"
        )
    margins = {}
    for variable in variables:
        values = frame[variable].astype("string")
        if values.isna().any():
            raise WeightingError(f"the frame's column {variable!r} has empty values")
        margins[variable] = {str(k): int(v) for k, v in values.value_counts().sort_index().items()}
    return margins


def with_frame_columns(
    units: pd.DataFrame, frame: pd.DataFrame | None, variables: Sequence[str], id_column: str, purpose: str
) -> pd.DataFrame:
    """The units with ``variables`` taken from the sample, or looked up in the frame by id."""
    data = units.copy()
    for variable in variables:
        if variable in data.columns:
            continue
        if frame is None or variable not in frame.columns or id_column not in frame.columns:
            raise WeightingError(f"the {purpose} variable {variable!r} is neither in the sample nor in the frame")
        lookup = frame.assign(**{id_column: frame[id_column].astype(str).str.strip()}).set_index(id_column)[variable]
        data[variable] = data[id_column].map(lookup)
        if data[variable].isna().any():
            first = data.loc[data[variable].isna(), id_column].iloc[0]
            raise WeightingError(f"{id_column} {first} of the sample is not in the frame")
    return data


def patent_type_totals(frame: pd.DataFrame | None, patents: pd.DataFrame, type_column: str) -> dict[str, float] | None:
    """Patent counts by type from the frame's ``patents_<type>`` columns, if it has them all."""
    if frame is None or type_column not in patents.columns:
        return None
    levels = sorted(patents[type_column].astype(str).unique())
    columns = {level: f"patents_{level}" for level in levels}
    if not all(c in frame.columns for c in columns.values()):
        return None
    return {level: float(pd.to_numeric(frame[c], errors="coerce").fillna(0).sum()) for level, c in columns.items()}
