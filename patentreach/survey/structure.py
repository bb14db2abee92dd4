"""The sampling structure of a design: clusters, strata and population sizes at every stage.

This is R's ``svydesign`` bookkeeping, done once on integer codes: later-stage clusters are nested
in earlier ones, clusters in strata when ``nest`` is set, later-stage strata in the clusters of
the stage above; per row it records how many PSUs its stratum has in the sample (``n_psu``) and in
the population (``popsize``, infinite when the stage is sampled with replacement). The variance
formulas in :mod:`linearisation` read nothing else.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patentreach.survey.design import DesignError, DesignSpec
from patentreach.survey.grouping import Grouping, factorize, interaction


@dataclass
class Stage:
    """One sampling stage: cluster and stratum of each row; PSU counts of the row's stratum."""

    cluster: Grouping
    stratum: Grouping
    n_psu: np.ndarray
    popsize: np.ndarray | None
    stratum_labels: np.ndarray


@dataclass
class SampleStructure:
    """All stages, whether strata were given, and the base (design) weights."""

    stages: list[Stage]
    has_strata: bool
    has_fpc: bool
    base_weights: np.ndarray

    @property
    def n(self) -> int:
        return self.base_weights.size


def build_structure(data: pd.DataFrame, spec: DesignSpec) -> SampleStructure:
    """Apply the spec's ids, strata, fpc and weights/probs to the data, checking as R does."""
    n = len(data)
    if n == 0:
        raise DesignError("the data has no rows")
    n_stages = max(len(spec.ids), 1)
    id_codes = [_codes(data, column, "ids") for column in spec.ids] or [np.arange(n, dtype=np.int64)]
    has_strata = bool(spec.strata)
    if has_strata:
        if len(spec.strata) > n_stages:
            raise DesignError(f"`strata` has {len(spec.strata)} stages but `ids` has {n_stages}")
        coded = [_codes(data, column, "strata", with_levels=True) for column in spec.strata]
        strata_codes = [codes for codes, _ in coded]
        strata_labels = [levels for _, levels in coded]
    else:
        strata_codes = [np.zeros(n, dtype=np.int64)]
        strata_labels = [np.array(["(all)"], dtype=object)]

    if id_codes[0].max() == 0 and not (spec.nest and has_strata):  # dense codes: one value
        raise DesignError(
            "the design has only one primary sampling unit (all rows share the first `ids` "
            "value): check the cluster column"
        )
    for i in range(1, len(id_codes)):  # subclusters nested in clusters
        id_codes[i] = interaction(*id_codes[: i + 1])
    if spec.nest and has_strata:  # clusters nested in strata
        for i in range(len(id_codes)):
            upto = strata_codes[: min(i + 1, len(strata_codes))]
            id_codes[i] = interaction(*upto, id_codes[i])
    elif has_strata:
        _check_nested(data, spec, id_codes[0], strata_codes[0])

    stage_strata = [strata_codes[0]]
    for i in range(1, n_stages):  # later-stage strata nested in the clusters above
        given = strata_codes[min(i, len(strata_codes) - 1)]
        stage_strata.append(interaction(given, id_codes[i - 1]))

    n_psu = [_clusters_per_stratum(stage_strata[i], id_codes[i]) for i in range(n_stages)]

    popsize = _popsize(data, spec, n_psu, stage_strata, n_stages, strata_labels)
    base = _base_weights(data, spec, n_psu, popsize)

    stages = []
    for i in range(n_stages):
        labels = (
            strata_labels[0]
            if i == 0
            else np.array(
                [f"#{k + 1} of stage {i + 1}" for k in range(int(stage_strata[i].max()) + 1)],
                dtype=object,
            )
        )
        stages.append(
            Stage(
                cluster=Grouping.of(id_codes[i]),
                stratum=Grouping.of(stage_strata[i]),
                n_psu=n_psu[i],
                popsize=None if popsize is None else popsize[:, i],
                stratum_labels=labels,
            )
        )
    return SampleStructure(stages=stages, has_strata=has_strata, has_fpc=popsize is not None, base_weights=base)


def _codes(data: pd.DataFrame, column: str, key: str, with_levels: bool = False):
    """Dense codes of a design column (and its levels, with ``with_levels``); missing values refused."""
    if column not in data.columns:
        raise DesignError(f"`{key}` names column {column!r}, which is not in the data")
    codes, levels = factorize(data[column])
    missing = int((codes < 0).sum())
    if missing:
        raise DesignError(f"column {column!r} (`{key}`) has {missing} missing value(s)")
    return (codes, levels) if with_levels else codes


def _clusters_per_stratum(strata: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """For every row, how many distinct clusters its stratum has (as floats)."""
    width = int(clusters.max()) + 1
    n_strata = int(strata.max()) + 1
    codes = strata.astype(np.int64) * width + clusters
    if n_strata * width <= 4 * codes.size:  # few combinations: mark them instead of sorting
        pairs = np.flatnonzero(np.bincount(codes, minlength=n_strata * width))
    else:
        pairs = np.unique(codes)
    per_stratum = np.bincount(pairs // width, minlength=n_strata)
    return per_stratum[strata].astype(float)


def _check_nested(data: pd.DataFrame, spec: DesignSpec, clusters: np.ndarray, strata: np.ndarray) -> None:
    if not spec.ids:
        return
    # nested: every row of a cluster has the stratum of the cluster's first row
    first = Grouping.of(clusters).first_row()
    differs = strata != strata[first[clusters]]
    if differs.any():
        bad = int(np.min(clusters[differs]))
        value = data[spec.ids[0]].to_numpy()[np.flatnonzero(clusters == bad)[0]]
        raise DesignError(
            f"cluster {value!r} of {spec.ids[0]!r} appears in more than one stratum: clusters "
            "are not nested in strata at the top level; if cluster ids restart within each "
            "stratum, set `nest: true`"
        )


def _popsize(
    data: pd.DataFrame,
    spec: DesignSpec,
    n_psu: list[np.ndarray],
    stage_strata: list[np.ndarray],
    n_stages: int,
    strata_labels: list[np.ndarray],
) -> np.ndarray | None:
    """Population PSU counts per row and stage from `fpc` (sizes or sampling fractions)."""
    if not spec.fpc:
        return None
    n = len(data)
    cols = []
    for item in spec.fpc:
        if isinstance(item, str):
            if item not in data.columns:
                raise DesignError(f"`fpc` names column {item!r}, which is not in the data")
            values = pd.to_numeric(data[item], errors="coerce").to_numpy(dtype=float)
            if np.isnan(values).any():
                raise DesignError(f"fpc column {item!r} has missing or non-numeric values")
        else:
            values = np.full(n, float(item))
        cols.append(values)
    fpc = np.column_stack(cols)
    if (fpc < 0).any():
        raise DesignError("fpc values must not be negative")
    is_popsize = bool((fpc > 1).any())
    if is_popsize and not (fpc >= 1).all():
        raise DesignError("fpc mixes population sizes (> 1) and sampling fractions (< 1): give all stages one way")
    if fpc.shape[1] < n_stages:
        warnings.warn("stages without fpc are treated as sampled with replacement", stacklevel=3)
        pad = np.full((n, n_stages - fpc.shape[1]), np.inf if is_popsize else 0.0)
        fpc = np.column_stack([fpc, pad])
    sampsize = np.column_stack(n_psu)
    if is_popsize and (fpc == 0).any():
        raise DesignError("fpc population sizes must be positive")
    with np.errstate(divide="ignore"):  # a sampling fraction of 0: sampled with replacement
        popsize = fpc if is_popsize else sampsize / fpc
    too_big = popsize < sampsize
    if too_big.any():
        row, stage = np.argwhere(too_big)[0]
        label = strata_labels[0][stage_strata[0][row]] if stage == 0 else "?"
        raise DesignError(
            f"fpc implies more than 100% sampling at stage {stage + 1} (stratum {label}): "
            f"population {popsize[row, stage]:g} PSUs but {sampsize[row, stage]:g} sampled"
        )
    for i in range(n_stages):
        spread = pd.DataFrame({"s": stage_strata[i], "p": popsize[:, i]}).groupby("s")["p"].nunique()
        if (spread > 1).any():
            warnings.warn(f"fpc varies within strata at stage {i + 1}", stacklevel=3)
            break
    return popsize


def _base_weights(
    data: pd.DataFrame,
    spec: DesignSpec,
    n_psu: list[np.ndarray],
    popsize: np.ndarray | None,
) -> np.ndarray:
    """Sampling weights: given, or 1/product of stage probabilities, or from fpc, or 1."""
    n = len(data)
    if spec.weights is not None:
        weights = _numeric(data, spec.weights, "weights")
    elif spec.probs:
        prob = np.ones(n)
        for column in spec.probs:
            p = _numeric(data, column, "probs")
            if ((p <= 0) | (p > 1)).any():
                raise DesignError(f"`probs` column {column!r} has values outside (0, 1]")
            prob = prob * p
        weights = 1.0 / prob
    elif popsize is not None:
        if np.isinf(popsize).any():
            raise DesignError("weights are not given and cannot be computed from fpc")
        weights = np.prod(popsize / np.column_stack(n_psu), axis=1)
    else:
        weights = np.ones(n)
    if (weights < 0).any():
        raise DesignError("sampling weights must not be negative")
    return weights


def _numeric(data: pd.DataFrame, column: str, key: str) -> np.ndarray:
    if column not in data.columns:
        raise DesignError(f"`{key}` names column {column!r}, which is not in the data")
    values = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
    bad = int(np.isnan(values).sum())
    if bad:
        raise DesignError(f"`{key}` column {column!r} has {bad} missing or non-numeric value(s)")
    return values
