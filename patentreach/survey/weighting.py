"""Survey weights from the sample to the analysis: ``survey weight`` for holders and patents.

Holders (:func:`weight_survey`), in the order of every national statistical office's manual:

1. **design weights** from the sample: its ``design_weight`` (``N_h / n_h``), or ``1 / prob``;
2. **non-response adjustment** within weighting classes (strata by default, any sample columns,
   or quintiles of a fitted response propensity), classes that are too thin collapsed into a
   neighbour (:mod:`weighting_classes`, :mod:`weighting_propensity`);
3. **calibration** of the respondents' weights to the frame's counts of holders by the chosen
   variables (sector, size, region): linear (GREG) or raking (iterative proportional fitting),
   done by the estimation engine's own :class:`SurveyDesign`, so that the design YAML written
   next to the weights reproduces them exactly and estimates carry the calibration's variance;
4. **replicate weights** on request (JK1, JKn, bootstrap): the design's replicates with steps 2
   and 3 repeated in every replicate, so replicate variances include both adjustments.

Patents within holders (:func:`weight_patents`): the holder's final weight x ``M_i / m_i`` (patents
held / patents drawn), the same class adjustment among the patents of responding holders, and
calibration to the frame's patent counts by type when the frame has them (``patents_<type>``).

Every run returns a :class:`WeightResult`: the unit table (all sampled units; respondents carry
the weights), the design dict :func:`patentreach.survey.estimate.estimate` needs, and
:class:`WeightDiagnostics`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from patentreach.survey.calibration import CalibrationError
from patentreach.survey.design import load_design
from patentreach.survey.survey_design import SurveyDesign
from patentreach.survey.weighting_classes import adjust_classes, class_keys, replicate_factors
from patentreach.survey.weighting_diagnostics import WeightDiagnostics, build_diagnostics
from patentreach.survey.weighting_inputs import (
    frame_margins,
    numeric_column,
    patent_type_totals,
    responded_flags,
    sample_units,
    with_frame_columns,
)
from patentreach.survey.weighting_propensity import fit_propensity
from patentreach.survey.weights import WeightingError

WEIGHT_COLUMNS = ("stratum", "fpc", "design_weight", "nr_factor", "final_weight")
FRAME_PREFIX = "frame_"  # frame values of calibration variables (answers may disagree with the frame)
METHODS = {"linear": "linear", "raking": "rake"}
PROPENSITY_VARIABLES = ("sector", "size", "region")
# A jackknife has one replicate per PSU: beyond this the (units x replicates) matrix is too large.
MAX_JACKKNIFE = 2_000


@dataclass
class WeightResult:
    """All sampled units with their weights, the design for estimate(), and the diagnostics."""

    units: pd.DataFrame
    id_column: str
    design: dict[str, Any]
    diagnostics: WeightDiagnostics
    specification: dict[str, Any]
    replicate_columns: list[str] = field(default_factory=list)

    @property
    def weights(self) -> pd.DataFrame:
        """The respondents' rows of the weights file: id, stratum, fpc, design_weight, nr_factor,
        final_weight, the replicate columns, then what the design needs (nr_weight, frame_*)."""
        respondents = self.units[self.units["respondent"]]
        extra = [c for c in respondents.columns if c == "nr_weight" or c.startswith(FRAME_PREFIX)]
        holder = ["enterprise_id"] if self.id_column != "enterprise_id" and "enterprise_id" in respondents else []
        first = [self.id_column, *holder]
        columns = [*first, *[c for c in WEIGHT_COLUMNS if c in respondents.columns], *self.replicate_columns, *extra]
        return respondents[columns].reset_index(drop=True)


def weight_survey(
    sample: pd.DataFrame,
    respondents: pd.DataFrame | Iterable[str],
    frame: pd.DataFrame | None = None,
    *,
    classes: Sequence[str] = ("stratum",),
    propensity: bool = False,
    propensity_variables: Sequence[str] = PROPENSITY_VARIABLES,
    calibrate: Sequence[str] | None = None,
    method: str = "linear",
    replicates: str | None = None,
    min_class_respondents: int = 3,
    max_factor: float = 4.0,
    id_column: str = "enterprise_id",
    seed: int = 2021,
) -> WeightResult:
    """Holder weights: design weight x class non-response factor, then calibration to the frame.

    ``respondents``: the responses (a frame with ``id_column``) or their ids. ``calibrate``: frame
    variables whose counts the weights must meet (``method`` ``linear`` or ``raking``);
    ``replicates``: ``jk1``, ``jkn`` or ``bootstrap:R``."""
    units = sample_units(sample, id_column)
    responded = responded_flags(units[id_column], respondents, id_column)
    units["respondent"] = responded
    spec: dict[str, Any] = {
        "unit": "holder",
        "classes": list(classes),
        "propensity": propensity,
        "calibrate": list(calibrate or []),
        "method": method,
        "replicates": replicates,
        "min_class_respondents": min_class_respondents,
        "max_factor": max_factor,
        "seed": seed,
    }
    notes: list[str] = []
    if propensity:
        data = with_frame_columns(units, frame, propensity_variables, id_column, "propensity")
        model = fit_propensity(data, responded, units["design_weight"].to_numpy(), propensity_variables)
        labels = model.classes
        spec["propensity_variables"] = list(propensity_variables)
        spec["propensity_coefficients"] = model.coefficients
        notes.append("classes: quintiles of the response propensity on " + ", ".join(propensity_variables))
    else:
        labels = class_keys(units, classes)
    population = None
    if calibrate:
        if method not in METHODS:
            raise WeightingError(f"calibration method {method!r} is not one of {', '.join(METHODS)}")
        population = frame_margins(frame, calibrate)
        data = with_frame_columns(units, frame, calibrate, id_column, "calibration")
        for variable in calibrate:
            units[FRAME_PREFIX + variable] = data[variable].astype(str).to_numpy()
        population = {FRAME_PREFIX + v: counts for v, counts in population.items()}
    design_base: dict[str, Any] = {"ids": [], "strata": "stratum"}
    if "fpc" in units.columns:
        design_base["fpc"] = ["fpc"]
    return _finish(
        units,
        labels,
        id_column,
        spec,
        notes,
        design_base,
        population,
        METHODS.get(method, method),
        replicates,
        seed,
        (min_class_respondents, max_factor),
        frame_total=None if frame is None else float(len(frame)),
    )


def weight_patents(
    patent_sample: pd.DataFrame,
    patent_respondents: pd.DataFrame | Iterable[str],
    holder_weights: WeightResult,
    frame: pd.DataFrame | None = None,
    *,
    classes: Sequence[str] = ("stratum",),
    min_class_respondents: int = 3,
    max_factor: float = 4.0,
    id_column: str = "patent_id",
    holder_column: str = "enterprise_id",
    type_column: str = "patent_type",
) -> WeightResult:
    """Patent weights: the holder's final weight x ``M_i / m_i`` for patents of responding
    holders, the class adjustment among them, and calibration to the frame's patent counts by
    type when it has ``patents_<type>`` columns. Replicates follow the holders'."""
    for column in (holder_column, "patents", "m_i", id_column):
        if column not in patent_sample.columns:
            raise WeightingError(f"the patent sample has no column {column!r}")
    holders = holder_weights.units.set_index(holder_weights.id_column)
    patents = patent_sample.copy()
    patents[holder_column] = patents[holder_column].astype(str).str.strip()
    unknown = ~patents[holder_column].isin(holders.index)
    if unknown.any():
        raise WeightingError(
            f"{int(unknown.sum())} patent(s) belong to enterprises not in the holder sample "
            f"(first: {patents.loc[unknown, holder_column].iloc[0]})"
        )
    in_scope = patents[patents[holder_column].map(holders["respondent"]).astype(bool)].copy()
    ratio = numeric_column(in_scope, "patents") / numeric_column(in_scope, "m_i")
    in_scope["holder_weight"] = in_scope[holder_column].map(holders["final_weight"]).to_numpy()
    in_scope["design_weight"] = in_scope["holder_weight"] * ratio
    if "stratum" not in in_scope.columns:
        in_scope["stratum"] = in_scope[holder_column].map(holders["stratum"])
    in_scope = in_scope.drop(columns=[c for c in ("fpc", "prob") if c in in_scope.columns]).reset_index(drop=True)
    units = sample_units(in_scope, id_column, weights_given=True)
    units["respondent"] = responded_flags(units[id_column], patent_respondents, id_column)
    base_reps = None
    if holder_weights.replicate_columns:
        holder_reps = holders[holder_weights.replicate_columns]
        base_reps = holder_reps.loc[units[holder_column]].to_numpy() * ratio.to_numpy()[:, None]
    notes = [f"{len(patents) - len(in_scope):,} sampled patents of non-responding holders are out of scope"]
    population = None
    type_totals = patent_type_totals(frame, in_scope, type_column)
    if type_totals is not None:
        units[FRAME_PREFIX + type_column] = units[type_column].astype(str)
        population = {FRAME_PREFIX + type_column: type_totals}
    elif frame is not None:
        notes.append(f"the frame has no patents_<{type_column}> columns: patents not calibrated by type")
    spec = {
        "unit": "patent",
        "classes": list(classes),
        "calibrate": [type_column] if population else [],
        "min_class_respondents": min_class_respondents,
        "max_factor": max_factor,
        "holder_run": holder_weights.specification,
    }
    labels = class_keys(units, classes)
    design_base = {"ids": [holder_column], "strata": "stratum"}
    frame_total = (
        None if frame is None or "patents" not in frame.columns else float(numeric_column(frame, "patents").sum())
    )
    result = _finish(
        units,
        labels,
        id_column,
        spec,
        notes,
        design_base,
        population,
        "rake",
        holder_weights.diagnostics.replicates,
        0,
        (min_class_respondents, max_factor),
        frame_total=frame_total,
        base_reps=base_reps,
    )
    result.diagnostics.unit = "patent"
    return result


# --- the shared steps ----------------------------------------------------------------------


def _finish(
    units: pd.DataFrame,
    labels: pd.Series,
    id_column: str,
    spec: dict[str, Any],
    notes: list[str],
    design_base: dict[str, Any],
    population: dict[str, dict[str, float]] | None,
    step_method: str,
    replicates: str | dict[str, Any] | None,
    seed: int,
    limits: tuple[int, float],
    frame_total: float | None,
    base_reps: np.ndarray | None = None,
) -> WeightResult:
    responded = units["respondent"].to_numpy(dtype=bool)
    w = units["design_weight"].to_numpy(dtype=float)
    adjustment = adjust_classes(labels, w, responded, *limits, ordinal=bool(spec.get("propensity")))
    units["nr_class"] = adjustment.labels.to_numpy()
    units["nr_factor"] = adjustment.factors.to_numpy()
    units["nr_weight"] = np.where(responded, w * units["nr_factor"].to_numpy(), 0.0)

    rep_info: dict[str, Any] | None = None
    nr_reps = None
    if isinstance(replicates, str):
        base_reps, rep_info = _design_replicates(units, design_base, replicates, seed)
    elif isinstance(replicates, dict) and base_reps is not None:
        rep_info = {k: replicates[k] for k in ("type", "count", "scale", "rscales", "mse")}
    if base_reps is not None and rep_info is not None:
        factors, empty = replicate_factors(adjustment.codes, len(adjustment.table), base_reps, responded)
        nr_reps = np.asfortranarray(base_reps * factors * responded[:, None])
        rep_info["classes_without_respondents"] = empty
        if empty:
            notes.append(f"{empty} (class, replicate) pairs had no respondent weight (factor 0)")

    resp = units[responded].reset_index(drop=True)
    rep_columns = [f"rep_{r + 1}" for r in range(nr_reps.shape[1])] if nr_reps is not None else []
    calibration: dict[str, Any] = {}
    final = resp["nr_weight"].to_numpy(dtype=float)
    final_reps = None if nr_reps is None else nr_reps[responded]
    step = None
    if population:
        step = {"method": step_method, "population": population}
        design: dict[str, Any] = {"weights": "nr_weight", "calibrate": [step]}
        data = resp
        if final_reps is not None:
            data = pd.concat([resp, pd.DataFrame(final_reps, columns=rep_columns)], axis=1)
            design["replicates"] = _replicate_design(rep_info, rep_columns)
        try:
            survey = SurveyDesign.build(data, load_design(design))
        except CalibrationError as exc:  # name the frame's variable as the user gave it
            raise CalibrationError(str(exc).replace(f"'{FRAME_PREFIX}", "'")) from None
        final = survey.weights
        if final_reps is not None:
            final_reps = survey.replicates.analysis
        g = final / resp["nr_weight"].to_numpy(dtype=float)
        calibration = {
            "method": step_method,
            "variables": [v.removeprefix(FRAME_PREFIX) for v in population],
            "g_min": float(g.min()),
            "g_max": float(g.max()),
            "totals": {v.removeprefix(FRAME_PREFIX): t for v, t in population.items()},
        }
    full = np.zeros(len(units))
    full[responded] = final
    units["final_weight"] = full
    if final_reps is not None:
        block = np.zeros((len(units), final_reps.shape[1]))
        block[responded] = final_reps
        units = pd.concat([units, pd.DataFrame(block, columns=rep_columns, index=units.index)], axis=1)

    if rep_info is not None:
        design_dict = {**{k: v for k, v in design_base.items() if k == "ids" and v}, "weights": "final_weight"}
        design_dict["replicates"] = _replicate_design(rep_info, rep_columns)
        rep_info["count"] = len(rep_columns)
    elif step is not None:
        design_dict = {**design_base, "weights": "nr_weight", "calibrate": [step]}
    else:
        design_dict = {**design_base, "weights": "final_weight"}
    diagnostics = build_diagnostics(spec["unit"], units, final, adjustment, calibration, rep_info, notes, frame_total)
    return WeightResult(units, id_column, design_dict, diagnostics, spec, rep_columns)


def _replicate_design(info: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    return {
        "type": info["type"],
        "columns": columns,
        "combined_weights": True,
        "scale": info["scale"],
        "rscales": [float(x) for x in info["rscales"]],
        "mse": info["mse"],
    }


def _design_replicates(
    units: pd.DataFrame, design_base: dict[str, Any], replicates: str, seed: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """The design's replicate weights (before any adjustment) for every sampled unit."""
    kind, _, count = replicates.partition(":")
    types = {"jk1": "JK1", "jkn": "JKn", "bootstrap": "bootstrap"}
    if kind.lower() not in types or (count and kind.lower() != "bootstrap"):
        raise WeightingError(f"replicates {replicates!r}: use jk1, jkn or bootstrap:R (e.g. bootstrap:200)")
    generate: dict[str, Any] = {}
    if kind.lower() == "bootstrap":
        if (count and not count.isdigit()) or (count and int(count) < 2):
            raise WeightingError(f"replicates {replicates!r}: R must be a whole number of at least 2")
        generate = {"replicates": int(count or 50), "seed": seed}
    elif len(units) > MAX_JACKKNIFE:
        raise WeightingError(
            f"replicates {replicates!r} would make one replicate per sampled unit ({len(units):,}): "
            f"the jackknife is for samples up to {MAX_JACKKNIFE:,} units; use bootstrap:200"
        )
    design = {
        **design_base,
        "weights": "design_weight",
        "replicates": {"type": types[kind.lower()], "generate": generate},
    }
    if units["stratum"].nunique() == 1:
        design.pop("strata", None)  # one stratum: the unstratified jackknife applies
    survey = SurveyDesign.build(units.reset_index(drop=True), load_design(design))
    reps = survey.replicates
    info = {
        "type": reps.type,
        "count": reps.count,
        "scale": float(reps.scale),
        "rscales": [float(x) for x in reps.rscales],
        "mse": bool(reps.mse),
    }
    return np.asarray(reps.analysis), info
