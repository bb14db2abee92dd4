"""A design applied to data: structure, final weights, replicate weights and calibration.

``SurveyDesign.build(data, spec)`` runs the spec in R's order: design weights from the structure,
replicate weights (if any) from those, then each calibration step on both. The result holds
everything the estimators need and nothing else; it is computed once and reused for every
statistic and domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from patentreach.survey.calibration import Calibrated, CalibrationError, calibrate, poststratify, rake
from patentreach.survey.design import CalibrationStep, DesignError, DesignSpec
from patentreach.survey.grouping import Grouping, factorize, interaction
from patentreach.survey.linearisation import Projection
from patentreach.survey.replicates import ReplicateWeights, build_replicates
from patentreach.survey.structure import SampleStructure, build_structure


@dataclass
class SurveyDesign:
    """Data plus everything derived from the design spec."""

    data: pd.DataFrame
    spec: DesignSpec
    structure: SampleStructure
    weights: np.ndarray
    replicates: ReplicateWeights | None = None
    projections: list[Projection] = field(default_factory=list)
    _degf_cache: dict[Any, int] = field(default_factory=dict, repr=False)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    """Values derived from the design alone that estimators share across statistics (keyed by
    the estimator's own names and the domain)."""

    @classmethod
    def build(cls, data: pd.DataFrame, spec: DesignSpec) -> SurveyDesign:
        data = data.reset_index(drop=True)
        structure = build_structure(data, spec)
        weights = structure.base_weights.copy()
        replicates = None
        if spec.replicates is not None:
            replicates = build_replicates(
                data, spec.replicates, structure, spec.lonely_psu, writable=bool(spec.calibrate)
            )
        projections: list[Projection] = []
        for number, step in enumerate(spec.calibrate, start=1):
            try:
                result = _apply_step(data, step, weights, replicates)
            except CalibrationError as exc:
                raise CalibrationError(f"calibrate step {number} ({step.method}): {exc}") from None
            weights = result.weights
            if replicates is not None and result.replicates is not None:
                replicates.analysis = result.replicates
                replicates.changed()
            projections.append(result.projection)
        return cls(data, spec, structure, weights, replicates, projections)

    @property
    def n(self) -> int:
        return self.weights.size

    @property
    def calibrated(self) -> bool:
        return bool(self.spec.calibrate)

    @property
    def subset_keeps_rows(self) -> bool:
        """R keeps all rows (zero weight outside) when subsetting calibrated Taylor designs and
        drops them otherwise; this decides a few sample sizes in the interval formulas."""
        return self.replicates is None and self.calibrated

    def degf(self, domain: np.ndarray | None = None) -> int:
        """Design degrees of freedom, for the whole sample or a domain (boolean mask).

        Taylor designs: PSUs minus strata among units with positive weight (R's ``degf``).
        Replicate designs: rank of the replicate weights minus one, or the given ``degf``."""
        key = None if domain is None else domain.tobytes()
        if key in self._degf_cache:
            return self._degf_cache[key]
        if self.replicates is not None:
            if self.replicates.degf_given is not None:
                value = self.replicates.degf_given
            else:
                value = self.replicates.degf(domain)
        else:
            inset = self.weights != 0
            if domain is not None:
                inset = inset & domain
            stage = self.structure.stages[0]
            value = _distinct(stage.cluster, inset) - _distinct(stage.stratum, inset)
        self._degf_cache[key] = value
        return value


def _distinct(groups: Grouping, rows: np.ndarray) -> int:
    """How many groups have a row in ``rows`` (a count of dense codes, not a sort)."""
    return int(np.count_nonzero(np.bincount(groups.codes[rows], minlength=groups.n_groups)))


def _apply_step(
    data: pd.DataFrame,
    step: CalibrationStep,
    weights: np.ndarray,
    replicates: ReplicateWeights | None,
) -> Calibrated:
    reps = None if replicates is None else replicates.analysis
    if step.method == "poststratify":
        cells, population, labels = _cells(data, step)
        return poststratify(weights, cells, population, reps, labels)
    if step.method == "rake":
        margins, labels = [], []
        for variable in step.variables:
            codes, levels = _factor(data, variable)
            population = _level_counts(step.population[variable], levels, variable)
            margins.append((Grouping(codes, levels.size), population))
            labels.append(levels)
        return rake(
            weights,
            margins,
            reps,
            maxit=step.maxit or 100,
            epsilon=step.epsilon if step.epsilon is not None else 1e-10,
            labels=labels,
            inplace=True,  # the design owns its replicate matrix
        )
    model, totals = calibration_model(data, step.population, step.variables)
    return calibrate(
        weights,
        model,
        totals,
        method=step.method,
        bounds=step.bounds,
        replicates=reps,
        maxit=step.maxit or 50,
        epsilon=step.epsilon if step.epsilon is not None else 1e-7,
    )


def calibration_model(
    data: pd.DataFrame, population: dict[str, Any], variables: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Model matrix and totals as R's ``model.matrix(~ v1 + v2 ...)`` with treatment contrasts.

    The intercept's total is the first factor's population (or ``"(Intercept)"``); every factor
    must describe the same population size."""
    columns: list[np.ndarray] = []
    totals: list[float] = []
    size: float | None = population.get("(Intercept)")
    factors_seen = 0
    for variable in variables:
        spec = population[variable]
        if isinstance(spec, dict):
            codes, levels = _factor(data, variable)
            counts = _level_counts(spec, levels, variable)
            empty = counts == 0
            if np.any(empty & (np.bincount(codes, minlength=levels.size) > 0)):
                level = levels[np.flatnonzero(empty)[0]]
                raise CalibrationError(f"level {level!r} of {variable!r} has a population count of 0")
            factor_size = float(counts.sum())
            if size is None:
                size = factor_size
            elif abs(factor_size - size) > 1e-6 * max(abs(size), 1.0):
                raise CalibrationError(
                    f"the population counts of {variable!r} sum to {factor_size:g}, not "
                    f"{size:g} as the other totals: every factor must describe one population"
                )
            if factors_seen == 0 and "(Intercept)" not in population:
                columns.insert(0, np.ones(len(data)))
                totals.insert(0, size)
            for k in range(1, levels.size):
                columns.append((codes == k).astype(float))
                totals.append(float(counts[k]))
            factors_seen += 1
        else:
            values = pd.to_numeric(data[variable], errors="coerce").to_numpy(dtype=float)
            if np.isnan(values).any():
                raise CalibrationError(f"calibration variable {variable!r} has missing values")
            columns.append(values)
            totals.append(float(spec))
    if "(Intercept)" in population:
        columns.insert(0, np.ones(len(data)))
        totals.insert(0, float(population["(Intercept)"]))
    if not columns:
        raise CalibrationError("no calibration variables")
    return np.column_stack(columns), np.asarray(totals)


def _factor(data: pd.DataFrame, variable: str) -> tuple[np.ndarray, np.ndarray]:
    if variable not in data.columns:
        raise DesignError(f"calibration variable {variable!r} is not in the data")
    codes, levels = factorize(data[variable])
    if (codes < 0).any():
        raise CalibrationError(
            f"calibration variable {variable!r} has {int((codes < 0).sum())} missing value(s): "
            "impute or give them a level of their own"
        )
    return codes, levels


def _level_counts(spec: dict[Any, Any], levels: np.ndarray, variable: str) -> np.ndarray:
    """Population counts in the order of the sample's levels; keys compared as text."""
    by_text = {str(k): float(v) for k, v in spec.items()}
    level_text = [_text(level) for level in levels]
    unknown = [lv for lv in level_text if lv not in by_text]
    if unknown:
        raise CalibrationError(f"level {unknown[0]!r} of {variable!r} occurs in the sample but has no population count")
    extra = [k for k, v in by_text.items() if k not in level_text and v > 0]
    if extra:
        raise CalibrationError(
            f"level {extra[0]!r} of {variable!r} has a population count of {by_text[extra[0]]:g} "
            "but no sample units: collapse it with a neighbouring level"
        )
    return np.asarray([by_text[lv] for lv in level_text])


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cells(data: pd.DataFrame, step: CalibrationStep) -> tuple[Grouping, np.ndarray, np.ndarray]:
    """Post-stratification cells: one variable with {level: count}, or rows of several."""
    if isinstance(step.population, dict):
        variable = step.variables[0]
        codes, levels = _factor(data, variable)
        return Grouping(codes, levels.size), _level_counts(step.population[variable], levels, variable), levels
    parts = [_factor(data, v) for v in step.variables]
    codes = interaction(*[p[0] for p in parts])
    keys = pd.DataFrame({v: [_text(p[1][c]) for c in p[0]] for v, p in zip(step.variables, parts, strict=True)})
    labels = keys.drop_duplicates().assign(_code=lambda d: codes[d.index]).sort_values("_code")
    lookup: dict[tuple[str, ...], float] = {}
    for row in step.population:
        count = row.get("N", row.get("Freq", row.get("count")))
        if count is None:
            raise DesignError("poststratify population rows need a count (`N`, `Freq` or `count`)")
        lookup[tuple(_text(row[v]) for v in step.variables)] = float(count)
    population = np.zeros(int(codes.max()) + 1)
    names = []
    for _, row in labels.iterrows():
        key = tuple(row[v] for v in step.variables)
        if key not in lookup:
            raise CalibrationError(f"cell {':'.join(key)} occurs in the sample but has no population count")
        population[int(row["_code"])] = lookup.pop(key)
        names.append(":".join(key))
    missing = [k for k, v in lookup.items() if v > 0]
    if missing:
        raise CalibrationError(f"cell {':'.join(missing[0])} has a population count but no sample units: collapse it")
    return Grouping(codes, population.size), population, np.asarray(names, dtype=object)
