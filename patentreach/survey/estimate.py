"""``estimate``: survey statistics in the command-line syntax, as one tidy table.

A statistic is written ``KIND:EXPRESSION[:OPTION=VALUE...]``:

* ``mean:api00``, ``total:enroll`` - a numeric column; a text column gives one row per category
  (the proportion or the estimated count in each), as R's ``svymean(~factor)``;
* ``prop:sch.wide=Yes`` - the proportion for which a condition holds (``=``/``==``, ``!=``,
  ``<``, ``<=``, ``>``, ``>=``; or a bare 0/1 or true/false column), with its interval by
  ``method=`` logit (default), likelihood, asin, beta, mean, xlogit or wilson;
* ``ratio:api.stu/enroll`` - the ratio of two totals.

Options: ``ci=t`` (default: t on the design degrees of freedom) or ``ci=normal``; ``df=`` a
number to override the degrees of freedom; ``deff=replace`` for a with-replacement design effect.
Units missing a statistic's variables are left out of that statistic only and counted in
``n_missing``. With ``by``, every statistic is estimated in each domain (level of ``by``), with
the domain's own degrees of freedom.

A statistic that no unit answered (in the whole sample, or in one domain: a question skipped by
everyone in it) has no estimate: its row says so, with ``n`` 0, the estimate, SE, interval and
design effect left empty (NaN, ``null`` in JSON) and the reason in ``note``, never a crash and
never a total of 0 that looks like a figure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from patentreach.survey import estimators
from patentreach.survey.design import DesignSpec, load_design
from patentreach.survey.grouping import factorize
from patentreach.survey.intervals import PROPORTION_METHODS, wald
from patentreach.survey.output import headline
from patentreach.survey.proportion import proportion, proportions
from patentreach.survey.survey_design import SurveyDesign

__all__ = ["COLUMNS", "StatRequest", "StatisticError", "estimate", "headline", "parse_stat"]

COLUMNS = [
    "stat",
    "variable",
    "domain",
    "category",
    "estimate",
    "se",
    "ci_lower",
    "ci_upper",
    "df",
    "deff",
    "n",
    "n_missing",
    "note",
]
_FIGURES = ("estimate", "se", "ci_lower", "ci_upper", "deff")
KINDS = ("mean", "total", "prop", "ratio")
_OPTION = re.compile(r"^(method|ci|df|deff)=(.*)$")
_CONDITION = re.compile(r"^(?P<column>.+?)\s*(?P<op>==|!=|<=|>=|=|<|>)\s*(?P<value>.*)$")


class StatisticError(ValueError):
    """A statistic that cannot be parsed or does not fit the data."""


@dataclass(frozen=True)
class StatRequest:
    """One parsed statistic."""

    kind: str
    expression: str
    columns: tuple[str, ...]
    operator: str | None = None
    value: str | None = None
    method: str = "logit"
    ci: str = "t"
    df: float | None = None
    deff: str = "srs"


def parse_stat(text: str) -> StatRequest:
    """Parse ``KIND:EXPRESSION[:OPTION=VALUE...]`` (see the module docstring)."""
    kind, sep, rest = text.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in KINDS:
        raise StatisticError(
            f"statistic {text!r}: write KIND:EXPRESSION with KIND one of {', '.join(KINDS)}, "
            "e.g. mean:api00, prop:sch.wide=Yes:method=beta, ratio:api.stu/enroll"
        )
    parts = rest.split(":")
    options: dict[str, str] = {}
    while len(parts) > 1 and _OPTION.match(parts[-1].strip()):
        key, value = _OPTION.match(parts.pop().strip()).groups()  # type: ignore[union-attr]
        options[key] = value.strip()
    expression = ":".join(parts).strip()
    if not expression:
        raise StatisticError(f"statistic {text!r} names no variable")
    method = options.get("method", "logit").lower()
    if "method" in options and kind != "prop":
        raise StatisticError(f"statistic {text!r}: `method=` applies to prop only")
    if method not in PROPORTION_METHODS:
        raise StatisticError(f"statistic {text!r}: method must be one of {', '.join(PROPORTION_METHODS)}")
    ci = options.get("ci", "t").lower()
    if ci not in ("t", "normal"):
        raise StatisticError(f"statistic {text!r}: ci must be t or normal")
    df = None
    if "df" in options:
        try:
            df = float(options["df"])
        except ValueError:
            raise StatisticError(f"statistic {text!r}: df must be a number or inf") from None
    deff = options.get("deff", "srs").lower()
    if deff not in ("srs", "replace"):
        raise StatisticError(f"statistic {text!r}: deff must be srs or replace")
    if kind == "ratio":
        numerator, slash, denominator = expression.partition("/")
        if not slash or not numerator.strip() or not denominator.strip():
            raise StatisticError(f"statistic {text!r}: a ratio is NUMERATOR/DENOMINATOR")
        return StatRequest(kind, expression, (numerator.strip(), denominator.strip()), ci=ci, df=df, deff=deff)
    if kind == "prop":
        match = _CONDITION.match(expression)
        if match:
            op = "==" if match["op"] == "=" else match["op"]
            return StatRequest(
                kind,
                expression,
                (match["column"].strip(),),
                op,
                match["value"].strip(),
                method=method,
                ci=ci,
                df=df,
                deff=deff,
            )
    return StatRequest(kind, expression, (expression,), method=method, ci=ci, df=df, deff=deff)


def estimate(
    data: pd.DataFrame,
    design: DesignSpec | SurveyDesign | Mapping[str, Any] | str | Path,
    stats: Sequence[str],
    by: str | Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Estimates with SE, confidence interval, degrees of freedom, design effect and counts.

    ``design`` may be a spec (applied to ``data``), a YAML path or mapping (read with
    :func:`load_design`), or a :class:`SurveyDesign` already built, to reuse calibrated weights
    across calls (its own copy of the data is used). Returns one row per statistic, category and domain
    with the columns of :data:`COLUMNS`."""
    if not 0 < level < 1:
        raise StatisticError(f"level must be between 0 and 1, got {level}")
    if not isinstance(design, DesignSpec | SurveyDesign):
        design = load_design(design)
    survey = design if isinstance(design, SurveyDesign) else SurveyDesign.build(data, design)
    if len(data) != survey.n:
        raise StatisticError(f"the design was built on {survey.n} rows but the data have {len(data)}")
    requests = [parse_stat(s) for s in stats]
    for request in requests:
        for column in request.columns:
            if column not in survey.data.columns:
                raise StatisticError(f"statistic {request.kind}:{request.expression}: no column {column!r}")
    batches = _batches(survey, requests)
    rows: list[dict] = []
    for label, mask in _domains(survey, by):
        done: dict[int, list[dict]] = {}
        for indices in batches:
            if len(indices) > 1 and requests[indices[0]].kind == "prop":
                done.update(_evaluate_props(survey, [requests[i] for i in indices], indices, mask, label, level))
            elif len(indices) > 1:
                done.update(_evaluate_batch(survey, [requests[i] for i in indices], indices, mask, label, level))
            else:
                done[indices[0]] = _evaluate(survey, requests[indices[0]], mask, label, level)
        for i in range(len(requests)):
            rows.extend(done[i])
    return pd.DataFrame([_without_answers(row) for row in rows], columns=COLUMNS)


def _without_answers(row: dict) -> dict:
    """A row estimated from no unit: its figures are not figures (a total of 0, a 0/0 mean)."""
    if row["n"] > 0:
        return {**row, "note": row.get("note")}
    where = "" if row["domain"] is None else f" in domain {row['domain']!r}"
    note = f"no unit{where} answered {row['variable']}: no estimate (n = 0)"
    return {**row, **dict.fromkeys(_FIGURES, np.nan), "note": note}


def _batches(survey: SurveyDesign, requests: list[StatRequest]) -> list[list[int]]:
    """Means and totals of numeric columns with the same options are estimated as one block
    (one pass over the data for all of them); everything else one by one."""
    groups: dict[tuple, list[int]] = {}
    out: list[list[int]] = []
    for i, request in enumerate(requests):
        series = survey.data[request.columns[0]]
        if request.kind == "prop" or (request.kind in ("mean", "total") and not _is_categorical(series)):
            key = (request.kind, request.method, request.ci, request.df, request.deff)
            if key not in groups:
                groups[key] = []
                out.append(groups[key])
            groups[key].append(i)
        else:
            out.append([i])
    return out


def _evaluate_batch(
    survey: SurveyDesign,
    requests: list[StatRequest],
    indices: list[int],
    domain: np.ndarray | None,
    label: str | None,
    level: float,
) -> dict[int, list[dict]]:
    first = requests[0]
    columns = [r.columns[0] for r in requests]
    frame = survey.data[columns]
    if all(pd.api.types.is_float_dtype(t) or pd.api.types.is_integer_dtype(t) for t in frame.dtypes):
        block = frame.to_numpy(dtype=float, copy=True)
    else:
        block = np.column_stack([_numeric(frame[c], f"{first.kind}:{c}") for c in columns])
    if np.isinf(block).any():  # one pass; the column and row only when there is one to name
        for k, column in enumerate(columns):
            _refuse_infinite(block[:, k], column, f"{first.kind}:{column}")
    fn = estimators.mean if first.kind == "mean" else estimators.total
    res = fn(survey, block, domain, first.deff, overwrite=True)
    df = _df(first, survey, domain)
    lower, upper = wald(res.estimate, res.se, level, df)
    out = {}
    for k, (i, column) in enumerate(zip(indices, columns, strict=True)):
        out[i] = [
            {
                "stat": first.kind,
                "variable": column,
                "domain": label,
                "category": None,
                "estimate": float(res.estimate[k]),
                "se": float(res.se[k]),
                "ci_lower": float(lower[k]),
                "ci_upper": float(upper[k]),
                "df": df,
                "deff": float(res.deff[k]),
                "n": int(res.n[k]),
                "n_missing": int(res.n_missing[k]),
            }
        ]
    return out


def _proportion_row(base: dict, request: object, category: object, result: object) -> dict:
    """One output row of a proportion: ``base`` (stat, domain) and the estimate's figures."""
    return {
        **base,
        "variable": request.columns[0],  # type: ignore[attr-defined]
        "category": category,
        **{key: getattr(result, key) for key in ("estimate", "se", "ci_lower", "ci_upper", "df", "deff", "n",
                                                  "n_missing")},
    }


def _evaluate_props(
    survey: SurveyDesign,
    requests: list[StatRequest],
    indices: list[int],
    domain: np.ndarray | None,
    label: str | None,
    level: float,
) -> dict[int, list[dict]]:
    """Proportions with the same options as one block (:func:`proportions`); a column nobody in
    the domain answered gets its empty row from :func:`_evaluate`."""
    indicators = np.column_stack([_indicator(survey.data, r) for r in requests])
    usable = survey.weights != 0
    if domain is not None:
        usable &= domain
    missing = np.isnan(indicators)
    answered = ~missing.all(axis=0) if usable.all() else (~missing[usable]).any(axis=0)
    out = {i: _evaluate(survey, r, domain, label, level) for i, r, a in zip(indices, requests, answered, strict=True)
           if not a}
    keep = np.flatnonzero(answered)
    if keep.size:
        first = requests[keep[0]]
        # every column, usually: the block as stacked (row-major), not a fancy-indexed copy, which
        # numpy lays out column-major and the replicate products would copy back
        block = indicators if keep.size == indicators.shape[1] else np.ascontiguousarray(indicators[:, keep])
        results = proportions(survey, block, domain, first.method, level, _df(first, survey, domain))
        for k, result in zip(keep, results, strict=True):
            request = requests[k]
            category = (
                request.value
                if request.operator == "=="
                else (None if request.operator is None else f"{request.operator}{request.value}")
            )
            out[indices[k]] = [_proportion_row({"stat": "prop", "domain": label}, request, category, result)]
    return out


def _domains(survey: SurveyDesign, by: str | Sequence[str] | None):
    if by is None:
        return [(None, None)]
    columns = [by] if isinstance(by, str) else list(by)
    for column in columns:
        if column not in survey.data.columns:
            raise StatisticError(f"--by names column {column!r}, which is not in the data")
    codes_list = [factorize(survey.data[c]) for c in columns]
    keep = np.all([codes >= 0 for codes, _ in codes_list], axis=0) & (survey.weights != 0)
    shape = tuple(max(levels.size, 1) for _, levels in codes_list)
    flat = np.ravel_multi_index(tuple(codes[keep] for codes, _ in codes_list), shape)
    out = []
    # the combinations that occur, in the order of the levels (flat index order is lexicographic)
    for combo in zip(*np.unravel_index(np.unique(flat), shape), strict=True):
        mask = keep.copy()
        for (codes, _), code in zip(codes_list, combo, strict=True):
            mask &= codes == code
        label = ":".join(_text(levels[c]) for (_, levels), c in zip(codes_list, combo, strict=True))
        out.append((label, mask))
    if not out:  # no domain at all would be an empty table: say why instead
        raise StatisticError(f"--by {', '.join(columns)}: no unit (with a weight) has a value there, so there is "
                             "no domain to estimate in")
    return out


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _numeric(series: pd.Series, what: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float).to_numpy()
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() & series.notna()
    if bad.any():
        raise StatisticError(f"{what}: column {series.name!r} has non-numeric values")
    return _refuse_infinite(values.to_numpy(dtype=float), str(series.name), what)


def _refuse_infinite(values: np.ndarray, column: str, what: str) -> np.ndarray:
    """An infinite value (``inf``, ``1e400`` in a CSV) would make every figure it touches infinite
    or NaN: it is an error naming the row (as a spreadsheet numbers it, header = row 1)."""
    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:
        more = f" and {infinite.size - 1} more" if infinite.size > 1 else ""
        raise StatisticError(f"{what}: column {column!r} has an infinite value in row {infinite[0] + 2}{more}")
    return values


def _is_categorical(series: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series))


def _evaluate(
    survey: SurveyDesign, request: StatRequest, domain: np.ndarray | None, label: str | None, level: float
) -> list[dict]:
    data = survey.data
    name = f"{request.kind}:{request.expression}"
    base = {"stat": request.kind, "domain": label}
    if request.kind == "prop":
        indicator = _indicator(data, request)
        category = (
            request.value
            if request.operator == "=="
            else (None if request.operator is None else f"{request.operator}{request.value}")
        )
        in_domain = np.ones(survey.n, dtype=bool) if domain is None else domain
        if not (in_domain & ~np.isnan(indicator) & (survey.weights != 0)).any():
            # nothing to fit: the empty row (see _without_answers), not an IndexError in the fit
            return [{**base, "variable": request.columns[0], "category": category, "df": _df(request, survey, domain),
                     "n": 0, "n_missing": int(np.count_nonzero(in_domain)), **dict.fromkeys(_FIGURES, np.nan)}]
        result = proportion(survey, indicator, domain, request.method, level, _df(request, survey, domain))
        return [_proportion_row(base, request, category, result)]
    if request.kind == "ratio":
        numerator = _numeric(data[request.columns[0]], name)[:, None]
        denominator = _numeric(data[request.columns[1]], name)[:, None]
        res = estimators.ratio(survey, numerator, denominator, domain, request.deff)
        return _rows(base, request, res, [None], survey, domain, level, request.expression)
    series = data[request.columns[0]]
    if _is_categorical(series):
        codes, levels = factorize(series)
        if levels.size == 0:  # a text column nobody answered: one row saying so, not no row at all
            levels = np.array([None], dtype=object)
        block = np.where(codes[:, None] < 0, np.nan, (codes[:, None] == np.arange(levels.size)).astype(float))
        categories = [None if level_ is None else _text(level_) for level_ in levels]
    else:
        block = _numeric(series, name)[:, None]
        categories = [None]
    fn = estimators.mean if request.kind == "mean" else estimators.total
    res = fn(survey, block, domain, request.deff)
    return _rows(base, request, res, categories, survey, domain, level, request.columns[0])


def _df(request: StatRequest, survey: SurveyDesign, domain: np.ndarray | None) -> float:
    if request.df is not None:
        return request.df
    if request.ci == "normal":
        return np.inf
    return float(survey.degf(domain))


def _rows(
    base: dict,
    request: StatRequest,
    res: estimators.Estimates,
    categories: list[str | None],
    survey: SurveyDesign,
    domain: np.ndarray | None,
    level: float,
    variable: str,
) -> list[dict]:
    df = _df(request, survey, domain)
    lower, upper = wald(res.estimate, res.se, level, df)
    return [
        {
            **base,
            "variable": variable,
            "category": category,
            "estimate": float(res.estimate[k]),
            "se": float(res.se[k]),
            "ci_lower": float(lower[k]),
            "ci_upper": float(upper[k]),
            "df": df,
            "deff": float(res.deff[k]),
            "n": int(res.n[k]),
            "n_missing": int(res.n_missing[k]),
        }
        for k, category in enumerate(categories)
    ]


def _indicator(data: pd.DataFrame, request: StatRequest) -> np.ndarray:
    """0/1 (NaN where missing) for a prop statistic's condition."""
    series = data[request.columns[0]]
    if request.operator is None and series.dtype == np.float64:
        # the common case (a 0/1 item read as numbers): three passes over a float array instead
        # of pandas' conversions; anything but 0, 1 and NaN takes the checks below
        values = series.to_numpy()
        n_missing = int(np.count_nonzero(np.isnan(values)))
        if 0 < values.size - n_missing == np.count_nonzero(values == 0) + np.count_nonzero(values == 1):
            return values
    missing = series.isna().to_numpy()
    name = f"prop:{request.expression}"
    if missing.all():  # nobody answered (a CSV reads such a column as numbers): the empty row says so
        return np.full(len(series), np.nan)
    if request.operator is None:
        values = _numeric(series, name)
        ok = values[~missing]
        if not np.all((ok == 0) | (ok == 1)):
            raise StatisticError(
                f"{name}: column {series.name!r} is not 0/1; write a condition such as {series.name}=Yes"
            )
        return values
    op, raw = request.operator, request.value or ""
    if _is_categorical(series):
        if op not in ("==", "!="):
            raise StatisticError(f"{name}: only = and != compare text columns")
        left = series.astype(str).to_numpy()
        right: object = raw
        observed = set(series.dropna().astype(str))
        if raw not in observed:
            raise StatisticError(
                f"{name}: {raw!r} never occurs in {series.name!r} (values: {', '.join(sorted(observed)[:10])})"
            )
    else:
        left = _numeric(series, name)
        try:
            right = float(raw) if raw.lower() not in ("true", "false") else float(raw.lower() == "true")
        except ValueError:
            raise StatisticError(f"{name}: {series.name!r} is numeric; compare it with a number") from None
    compare = {
        "==": np.equal,
        "!=": np.not_equal,
        "<": np.less,
        "<=": np.less_equal,
        ">": np.greater,
        ">=": np.greater_equal,
    }[op]
    result = compare(left, right).astype(float)
    result[missing] = np.nan
    return result
