"""The survey design as a frozen, serialisable spec: the YAML a user writes, checked strictly.

The keys mirror R's ``svydesign`` / ``svrepdesign`` / ``calibrate`` so that a design written for
the R survey package translates line by line:

```yaml
ids: [dnum]              # cluster columns, one per stage; [] or absent: every row is its own PSU
strata: stype            # a column, or a list with one column per stage
weights: pw              # sampling weights (or `probs`: inclusion probabilities, one per stage)
fpc: [fpc]               # per stage: population sizes (>= 1) or sampling fractions (<= 1)
nest: false              # cluster ids are only unique within strata (R's nest=TRUE)
lonely_psu: fail         # a stratum with one PSU: fail | certainty | adjust | average | remove
replicates: {type: JKn, generate: {}}     # or {type: bootstrap, columns: [r1, r2, ...], scale: ...}
calibrate:
  - method: logit        # poststratify | rake | linear | raking | logit
    population: {stype: {E: 4421, H: 755, M: 1018}, api99: 3914069}
    bounds: [0.7, 1.7]
```

A design with neither ``weights``, ``probs`` nor ``fpc`` gives every unit weight 1. The spec only
describes; :mod:`patentreach.survey.survey_design` applies it to data. Parsing is lenient about
shapes (a single column may be written without a list) and strict about meaning: unknown keys,
unknown methods and impossible combinations fail here, with the key named, before any data is
read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LONELY_PSU = ("fail", "certainty", "adjust", "average", "remove")
REPLICATE_TYPES = ("JK1", "JKn", "bootstrap", "subbootstrap", "BRR", "Fay", "other")
CALIBRATION_METHODS = ("poststratify", "rake", "linear", "raking", "logit")

_DESIGN_KEYS = {
    "ids",
    "id",
    "strata",
    "weights",
    "probs",
    "fpc",
    "nest",
    "replicates",
    "calibrate",
    "lonely_psu",
}
_REPLICATE_KEYS = {
    "type",
    "columns",
    "generate",
    "scale",
    "rscales",
    "mse",
    "rho",
    "combined_weights",
    "degf",
}
_CALIBRATION_KEYS = {"method", "variables", "population", "bounds", "maxit", "epsilon"}


class DesignError(ValueError):
    """A design that cannot be used as written: the message names the key and what to change."""


@dataclass(frozen=True)
class GenerateSpec:
    """Replicate weights to build from the design (as R's ``as.svrepdesign``).

    ``replicates`` and ``seed`` matter for the bootstrap only; the jackknives and BRR are
    determined by the design.
    """

    replicates: int = 50
    seed: int | None = None


@dataclass(frozen=True)
class ReplicateSpec:
    """Replicate weights, given as columns or generated; mirrors ``svrepdesign``.

    Given columns are full analysis weights (R's ``combined.weights=TRUE``) unless
    ``combined_weights`` is false, in which case they are multipliers of ``weights``. ``scale``,
    ``rscales`` and ``rho`` default as in R for each type.
    """

    type: str
    columns: tuple[str, ...] = ()
    generate: GenerateSpec | None = None
    scale: float | None = None
    rscales: tuple[float, ...] | None = None
    mse: bool = False
    rho: float | None = None
    combined_weights: bool = True
    degf: int | None = None


@dataclass(frozen=True)
class CalibrationStep:
    """One weighting step after the design weights, applied in the order written.

    ``population`` names each variable's control totals: a factor as ``{level: count}``, a numeric
    variable as its total; ``"(Intercept)"`` gives the population size when no factor does. For
    ``poststratify`` with several variables the population is a list of rows
    ``{var1: level, var2: level, N: count}``.
    """

    method: str
    variables: tuple[str, ...]
    population: Any
    bounds: tuple[float, float] | None = None
    maxit: int | None = None
    epsilon: float | None = None


@dataclass(frozen=True)
class DesignSpec:
    """A survey design: sampling structure, weights, replicate weights and calibration."""

    ids: tuple[str, ...] = ()
    strata: tuple[str, ...] = ()
    weights: str | None = None
    probs: tuple[str, ...] = ()
    fpc: tuple[str | float, ...] = ()
    nest: bool = False
    replicates: ReplicateSpec | None = None
    calibrate: tuple[CalibrationStep, ...] = field(default_factory=tuple)
    lonely_psu: str = "fail"

    def to_mapping(self) -> dict[str, Any]:
        """The spec as plain data (for provenance and for writing it back as YAML)."""
        out: dict[str, Any] = {"ids": list(self.ids)}
        if self.strata:
            out["strata"] = list(self.strata)
        if self.weights is not None:
            out["weights"] = self.weights
        if self.probs:
            out["probs"] = list(self.probs)
        if self.fpc:
            out["fpc"] = list(self.fpc)
        out["nest"] = self.nest
        out["lonely_psu"] = self.lonely_psu
        if self.replicates is not None:
            r = self.replicates
            rep: dict[str, Any] = {"type": r.type}
            if r.columns:
                rep["columns"] = list(r.columns)
            if r.generate is not None:
                rep["generate"] = {"replicates": r.generate.replicates, "seed": r.generate.seed}
            for key in ("scale", "rho", "degf"):
                if getattr(r, key) is not None:
                    rep[key] = getattr(r, key)
            if r.rscales is not None:
                rep["rscales"] = list(r.rscales)
            rep["mse"] = r.mse
            rep["combined_weights"] = r.combined_weights
            out["replicates"] = rep
        if self.calibrate:
            steps = []
            for step in self.calibrate:
                s: dict[str, Any] = {
                    "method": step.method,
                    "variables": list(step.variables),
                    "population": step.population,
                }
                if step.bounds is not None:
                    s["bounds"] = list(step.bounds)
                if step.maxit is not None:
                    s["maxit"] = step.maxit
                if step.epsilon is not None:
                    s["epsilon"] = step.epsilon
                steps.append(s)
            out["calibrate"] = steps
        return out


def _within_limit(path: Path) -> None:
    """A design is a few lines: a file over the document limit is not one (nor read whole)."""
    from patentreach.sources import limits

    bounds = limits.current()
    if path.is_file() and path.stat().st_size > bounds.max_document_bytes:
        raise DesignError(f"design file {path} is over the limit max_document_mb={bounds.max_document_mb}")


def load_design(path_or_mapping: str | Path | Mapping[str, Any]) -> DesignSpec:
    """Read a design from a YAML file (path) or an already-parsed mapping, and validate it."""
    if isinstance(path_or_mapping, Mapping):
        raw: Any = path_or_mapping
        where = "design"
    else:
        path = Path(path_or_mapping)
        try:
            _within_limit(path)
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DesignError(f"design file {path} does not exist") from None
        except IsADirectoryError:
            raise DesignError(f"design file {path} is a folder, not a YAML file") from None
        except UnicodeDecodeError:
            raise DesignError(f"design file {path} is not UTF-8 text (is it a YAML file?)") from None
        except yaml.YAMLError as exc:
            raise DesignError(f"design file {path} is not valid YAML: {' '.join(str(exc).split())}") from None
        where = str(path)
        if raw is None:
            raw = {}
    if not isinstance(raw, Mapping):
        raise DesignError(f"{where}: a design is a mapping of keys (ids, strata, weights, ...)")
    _reject_unknown(raw, _DESIGN_KEYS, where)
    if "id" in raw and "ids" in raw:
        raise DesignError(f"{where}: give `ids` or its alias `id`, not both")
    ids = _columns(raw.get("ids", raw.get("id")), "ids", where, allow_one=True)
    strata = _columns(raw.get("strata"), "strata", where)
    weights = raw.get("weights")
    if weights is not None and not isinstance(weights, str):
        raise DesignError(f"{where}: `weights` is one column name, got {weights!r}")
    probs = _columns(raw.get("probs"), "probs", where)
    if weights is not None and probs:
        raise DesignError(f"{where}: give `weights` or `probs`, not both (as in R's svydesign)")
    fpc = _fpc(raw.get("fpc"), where)
    if len(fpc) > max(len(ids), 1):
        raise DesignError(
            f"{where}: `fpc` has {len(fpc)} stages but `ids` has {max(len(ids), 1)}: give at "
            "most one fpc per sampling stage"
        )
    nest = raw.get("nest", False)
    if not isinstance(nest, bool):
        raise DesignError(f"{where}: `nest` is true or false, got {nest!r}")
    lonely = raw.get("lonely_psu", "fail")
    if lonely not in LONELY_PSU:
        raise DesignError(f"{where}: `lonely_psu` must be one of {', '.join(LONELY_PSU)}, got {lonely!r}")
    replicates = _replicates(raw.get("replicates"), where)
    calibrate = _calibration_steps(raw.get("calibrate"), where)
    return DesignSpec(
        ids=ids,
        strata=strata,
        weights=weights,
        probs=probs,
        fpc=fpc,
        nest=nest,
        replicates=replicates,
        calibrate=calibrate,
        lonely_psu=lonely,
    )


def _reject_unknown(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(map(str, raw)) - allowed)
    if unknown:
        raise DesignError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(allowed))}")


def _columns(value: Any, key: str, where: str, allow_one: bool = False) -> tuple[str, ...]:
    """A list of column names; a single name may be written bare. ``ids: [1]`` (R's ``~1``) and
    ``ids: []`` both mean no clusters."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for item in items:
        if allow_one and item in (1, "1", 0, "0"):
            continue
        if not isinstance(item, str) or not item:
            raise DesignError(f"{where}: `{key}` lists column names, got {item!r}")
        out.append(item)
    return tuple(out)


def _fpc(value: Any, where: str) -> tuple[str | float, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    out: list[str | float] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise DesignError(f"{where}: `fpc` lists columns or numbers per stage, got {item!r}")
        if isinstance(item, int | float) and not (item >= 0 and math.isfinite(item)):
            raise DesignError(f"{where}: `fpc` values must be finite and not negative, got {item!r}")
        out.append(float(item) if isinstance(item, int | float) else item)
    return tuple(out)


def _number(value: Any, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DesignError(f"{where}: `{key}` must be a number, got {value!r}")
    return float(value)


def _replicates(raw: Any, where: str) -> ReplicateSpec | None:
    if raw is None:
        return None
    where = f"{where}: replicates"
    if not isinstance(raw, Mapping):
        raise DesignError(f"{where}: expected a mapping with `type` and `columns` or `generate`")
    _reject_unknown(raw, _REPLICATE_KEYS, where)
    rtype = raw.get("type")
    canonical = {t.lower(): t for t in REPLICATE_TYPES}
    if not isinstance(rtype, str) or rtype.lower() not in canonical:
        raise DesignError(f"{where}: `type` must be one of {', '.join(REPLICATE_TYPES)}, got {rtype!r}")
    rtype = canonical[rtype.lower()]
    columns = _columns(raw.get("columns"), "columns", where)
    generate_raw = raw.get("generate")
    if bool(columns) == (generate_raw is not None):
        raise DesignError(f"{where}: give either `columns` (replicate weights in the data) or `generate`")
    generate = None
    if generate_raw is not None:
        if not isinstance(generate_raw, Mapping):
            raise DesignError(f"{where}: `generate` is a mapping, e.g. {{replicates: 80, seed: 1}}")
        _reject_unknown(generate_raw, {"replicates", "seed"}, f"{where}.generate")
        n_rep = generate_raw.get("replicates", 50)
        seed = generate_raw.get("seed")
        if isinstance(n_rep, bool) or not isinstance(n_rep, int) or n_rep < 2:
            raise DesignError(f"{where}.generate: `replicates` must be an integer >= 2")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise DesignError(f"{where}.generate: `seed` must be an integer")
        if rtype == "other":
            raise DesignError(f"{where}: type `other` cannot be generated; give `columns`")
        generate = GenerateSpec(replicates=n_rep, seed=seed)
    scale = None if raw.get("scale") is None else _number(raw["scale"], "scale", where)
    rscales_raw = raw.get("rscales")
    rscales: tuple[float, ...] | None = None
    if rscales_raw is not None:
        items = rscales_raw if isinstance(rscales_raw, list | tuple) else [rscales_raw]
        rscales = tuple(_number(v, "rscales", where) for v in items)
    rho = None if raw.get("rho") is None else _number(raw["rho"], "rho", where)
    if rtype == "Fay" and rho is None:
        raise DesignError(f"{where}: type Fay needs `rho` (the Fay coefficient, e.g. 0.5)")
    if rho is not None and not 0 <= rho < 1:
        raise DesignError(f"{where}: `rho` must be in [0, 1)")
    mse = raw.get("mse", False)
    combined = raw.get("combined_weights", True)
    for key, val in (("mse", mse), ("combined_weights", combined)):
        if not isinstance(val, bool):
            raise DesignError(f"{where}: `{key}` is true or false, got {val!r}")
    degf = raw.get("degf")
    if degf is not None and (isinstance(degf, bool) or not isinstance(degf, int) or degf < 1):
        raise DesignError(f"{where}: `degf` must be a positive integer")
    return ReplicateSpec(
        type=rtype,
        columns=columns,
        generate=generate,
        scale=scale,
        rscales=rscales,
        mse=mse,
        rho=rho,
        combined_weights=combined,
        degf=degf,
    )


def _calibration_steps(raw: Any, where: str) -> tuple[CalibrationStep, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list | tuple) else [raw]
    steps = []
    for i, item in enumerate(items, start=1):
        w = f"{where}: calibrate step {i}"
        if not isinstance(item, Mapping):
            raise DesignError(f"{w}: expected a mapping with `method` and `population`")
        _reject_unknown(item, _CALIBRATION_KEYS, w)
        method = item.get("method")
        if method not in CALIBRATION_METHODS:
            raise DesignError(f"{w}: `method` must be one of {', '.join(CALIBRATION_METHODS)}, got {method!r}")
        population = item.get("population")
        if population is None:
            raise DesignError(f"{w}: `population` (the control totals) is required")
        variables = _columns(item.get("variables"), "variables", w)
        if isinstance(population, Mapping):
            names = tuple(str(k) for k in population if str(k) != "(Intercept)")
            if not variables:
                variables = names
            elif set(variables) != set(names):
                raise DesignError(f"{w}: `variables` {list(variables)} and the population's keys {list(names)} differ")
            for name in names:
                value = population[name]
                if not isinstance(value, Mapping) and (isinstance(value, bool) or not isinstance(value, int | float)):
                    raise DesignError(f"{w}: population of {name!r} must be {{level: count}} or a number")
        elif isinstance(population, list):
            if method != "poststratify":
                raise DesignError(f"{w}: a list of population rows is for `poststratify` only")
            if not variables:
                raise DesignError(f"{w}: with population rows, name the cell `variables`")
        else:
            raise DesignError(f"{w}: `population` must be a mapping (or rows for poststratify)")
        if method in ("poststratify", "rake"):
            if isinstance(population, Mapping) and any(not isinstance(population[v], Mapping) for v in variables):
                raise DesignError(f"{w}: {method} needs {{level: count}} for every variable")
            if method == "poststratify" and isinstance(population, Mapping) and len(variables) > 1:
                raise DesignError(
                    f"{w}: poststratify on several variables takes population rows "
                    "[{var1: level, var2: level, N: count}, ...] (the cells), or use `rake`"
                )
        bounds = item.get("bounds")
        if bounds is not None:
            if method in ("poststratify", "rake"):
                raise DesignError(f"{w}: `bounds` apply to linear, raking and logit calibration")
            if not isinstance(bounds, list | tuple) or len(bounds) != 2:
                raise DesignError(f"{w}: `bounds` is [lower, upper], e.g. [0.5, 2]")
            lo, hi = (_number(b, "bounds", w) for b in bounds)
            if not lo < 1 < hi:
                raise DesignError(f"{w}: `bounds` must satisfy lower < 1 < upper, got {bounds}")
            bounds = (lo, hi)
        elif method == "logit":
            raise DesignError(f"{w}: logit calibration needs finite `bounds` [lower, upper]")
        maxit = item.get("maxit")
        if maxit is not None and (isinstance(maxit, bool) or not isinstance(maxit, int) or maxit < 1):
            raise DesignError(f"{w}: `maxit` must be a positive integer")
        epsilon = item.get("epsilon")
        if epsilon is not None:
            epsilon = _number(epsilon, "epsilon", w)
            if epsilon <= 0:
                raise DesignError(f"{w}: `epsilon` must be positive")
        steps.append(
            CalibrationStep(
                method=method,
                variables=variables,
                population=population,
                bounds=bounds,
                maxit=maxit,
                epsilon=epsilon,
            )
        )
    return tuple(steps)
