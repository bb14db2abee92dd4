"""The survey's published indicators, from the answers: definitions read from data, estimates with CIs.

The definitions live in ``instrument/headlines.yaml`` next to the XLSForms (versioned; each
indicator's unit, population, denominator, numerator, sentences in Chinese and English and the
figure as published), read by :mod:`headline_definitions`. Expressions are the XPath subset the
forms already use, evaluated column-wise by :mod:`xpath_subset` - no second expression language -
so a statistician reads an indicator the way they read a form's skip logic.

Each indicator is estimated by the estimation engine (:func:`estimate.estimate`) as a domain
proportion over the whole responding sample (the design is kept for the variance), for the whole
population and by holder type and size. A group with no unit, or one whose units all left the
numerator's question blank, is a row that says so (n = 0, no figures, a note), never a crash.

:func:`records_behind` lists the responses behind one estimate (``survey records``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from patentreach.survey.headline_definitions import (
    FORMS,
    LANGUAGES,
    UNITS,
    HeadlineError,
    Indicator,
    Indicators,
    default_path,
    in_language,
    load_indicators,
)
from patentreach.survey.instrument.form import load_form
from patentreach.survey.xpath_subset import Context

__all__ = [
    "COLUMNS",
    "HeadlineError",
    "Indicator",
    "Indicators",
    "default_path",
    "headline_rows",
    "headline_table",
    "load_indicators",
    "read_weights",
    "records_behind",
]

CI_METHOD = "logit"
_DOMAIN, _VALUE = "_hl_domain", "_hl_value"
COLUMNS = [
    "key",
    "unit",
    "breakdown",
    "group",
    "estimate",
    "se",
    "ci_lower",
    "ci_upper",
    "ci_method",
    "df",
    "n",
    "n_missing",
    "note",
    "published",
    "population",
    "denominator",
    "numerator",
]


# --- inputs ----------------------------------------------------------------------------------


def read_weights(path: str | Path, unit: str) -> pd.DataFrame:
    """A weights CSV (``survey weight`` writes it): the unit's id column, ``stratum``,
    ``final_weight``, optional ``fpc`` and ``rep_*``. Errors name the file, row and column."""
    path = Path(path)
    id_column = UNITS[unit]
    try:
        table = pd.read_csv(path, dtype={id_column: str, "enterprise_id": str, "stratum": str}, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise HeadlineError(f"{path}: cannot read the weights ({first})") from None
    for column in (id_column, "final_weight"):
        if column not in table.columns:
            raise HeadlineError(
                f"{path}: no column {column!r} (a {unit} weights file has {id_column} and final_weight)"
            )
    weight = pd.to_numeric(table["final_weight"], errors="coerce")
    bad = np.flatnonzero(weight.isna().to_numpy() | (weight < 0).to_numpy() | np.isinf(weight.to_numpy()))
    if bad.size:
        raise HeadlineError(
            f"{path}, row {bad[0] + 2} ({id_column} {table[id_column].iloc[bad[0]]}): final_weight "
            f"{table['final_weight'].iloc[bad[0]]!r} is not a weight (a number >= 0)"
        )
    duplicated = table[id_column].duplicated()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise HeadlineError(f"{path}, row {row + 2}: {id_column} {table[id_column].iloc[row]} appears twice")
    table["final_weight"] = weight
    return table


def join_weights(
    responses: pd.DataFrame, weights: pd.DataFrame, unit: str, source: str = "the weights"
) -> pd.DataFrame:
    """The responses with their weights (and design columns); every response needs a weight."""
    id_column = UNITS[unit]
    if id_column not in responses.columns:
        raise HeadlineError(f"the {unit} responses have no {id_column} column")
    extra = [c for c in weights.columns if c == id_column or c not in responses.columns]
    merged = responses.assign(**{id_column: responses[id_column].astype(str)}).merge(
        weights[extra].assign(**{id_column: weights[id_column].astype(str)}), on=id_column, how="left", validate="m:1"
    )
    missing = merged["final_weight"].isna().to_numpy()
    if missing.any():
        ids = merged.loc[missing, id_column].tolist()
        more = f" (and {len(ids) - 1} more)" if len(ids) > 1 else ""
        raise HeadlineError(f"{source}: no final_weight for {id_column} {ids[0]}{more}, which has a response")
    return merged


def default_design(data: pd.DataFrame, unit: str) -> dict[str, Any]:
    """The design a weights file implies when no design YAML is given: strata ``stratum``,
    ``final_weight``, ``fpc`` when present (enterprises); patents are clustered in their
    enterprise (ultimate clusters, with replacement at the first stage), as the demo analyses them."""
    design: dict[str, Any] = {"weights": "final_weight"}
    if "stratum" in data.columns:
        design["strata"] = "stratum"
    if unit == "patent":
        design["ids"] = ["enterprise_id"]
    elif "fpc" in data.columns:
        design["fpc"] = ["fpc"]
    return design


# --- evaluation ------------------------------------------------------------------------------


def _answers(data: pd.DataFrame, indicators: Indicators, unit: str, names: set[str]) -> dict[str, np.ndarray]:
    """The columns ``names`` as the evaluator reads them (strings, "" when blank); a derived
    variable is computed from its source question."""
    wanted = {indicators.derived[n].source if n in indicators.derived else n for n in names}
    answers = {
        c: data[c].astype(object).where(data[c].notna(), "").astype(str).to_numpy(dtype=object)
        for c in wanted
        if c in data.columns
    }
    form = load_form(FORMS[unit])
    for name in names & set(indicators.derived):
        spec = indicators.derived[name]
        if spec.source not in answers:
            continue
        list_name = form.field(spec.source).list_name or ""
        keep = {
            c.name
            for c in form.choices[list_name]
            if spec.choice_filter.truth(Context({}, 1, choice={"name": c.name, **c.attributes}))[0]
        }
        answers[name] = np.array(
            [" ".join(x for x in str(v).split() if x in keep) for v in answers[spec.source]], dtype=object
        )
    return answers


def _sources(indicator: Indicator, indicators: Indicators) -> set[str]:
    """The answer columns the numerator reads (a derived variable reads its source)."""
    out = set()
    for name in indicator.numerator.references:
        out.add(indicators.derived[name].source if name in indicators.derived else name)
    return out


def evaluate_indicator(
    data: pd.DataFrame, indicator: Indicator, indicators: Indicators
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit: in the domain (population and denominator), the numerator (0/1), and whether the
    numerator's answers are blank (left out, counted as missing)."""
    n = len(data)
    expressions = [e for e in (indicator.population, indicator.denominator, indicator.numerator) if e is not None]
    names = {ref for e in expressions for ref in e.references}
    answers = _answers(data, indicators, indicator.unit, names)
    for expression in expressions:
        for ref in expression.references:
            if ref not in answers:
                raise HeadlineError(
                    f"indicator {indicator.key!r}: the {indicator.unit} responses have no column {ref!r}"
                )
    ctx = Context(answers, n)
    domain = indicator.denominator.truth(ctx)
    if indicator.population is not None:
        domain &= indicator.population.truth(ctx)
    numerator = indicator.numerator.truth(ctx)
    blank = np.zeros(n, dtype=bool)
    for column in _sources(indicator, indicators):
        blank |= answers[column] == ""
    return domain, numerator, blank


def group_label(indicators: Indicators, breakdown: str, group: str, lang: str) -> str:
    """A breakdown's group as the form labels it in ``lang`` (民营企业 / Private (domestic))."""
    form = load_form("holder")
    list_name = form.field(_field(indicators, breakdown)).list_name or ""
    for choice in form.choices.get(list_name, ()):
        if choice.name == group:
            return next((t for k, t in choice.labels.items() if k.endswith(f"({lang})") and t), group)
    return group


def _level_labels(indicators: Indicators, breakdown: str) -> list[str]:
    field = indicators.breakdowns[breakdown]["field"]
    return list(load_form("holder").choice_names(load_form("holder").field(field).list_name or ""))


def headline_rows(
    data: Mapping[str, pd.DataFrame],
    designs: Mapping[str, Any],
    indicators: Indicators | None = None,
    by: Sequence[str | None] = (None, "sector", "size"),
    level: float = 0.95,
    keys: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The headline table from responses already joined to their weights: ``data`` and
    ``designs`` by unit (``holder``, ``patent``; a unit may be absent). One row per indicator and
    group (``breakdown`` None = the whole population), with the columns of :data:`COLUMNS` plus
    ``label_*`` and ``sentence_*`` in each language."""
    from patentreach.survey.design import load_design
    from patentreach.survey.survey_design import SurveyDesign

    indicators = indicators or load_indicators()
    chosen = [indicators.get(k) for k in keys] if keys is not None else list(indicators.indicators)
    rows: list[dict[str, Any]] = []
    for unit in UNITS:
        unit_indicators = [i for i in chosen if i.unit == unit]
        if not unit_indicators:
            continue
        if unit not in data or data[unit] is None:
            for indicator in unit_indicators:
                for breakdown, group in _groups(indicators, indicator, by):
                    note = indicators.message("no_data", "en")
                    rows.append(_empty(indicator, breakdown, group, note, 0))
            continue
        frame = data[unit].reset_index(drop=True)
        columns: dict[str, Any] = {}
        for indicator in unit_indicators:
            domain, numerator, blank = evaluate_indicator(frame, indicator, indicators)
            columns[f"{_DOMAIN}_{indicator.key}"] = pd.array(np.where(domain, "in", None), dtype="string")
            columns[f"{_VALUE}_{indicator.key}"] = np.where(domain & ~blank, numerator.astype(float), np.nan)
        frame = pd.concat([frame, pd.DataFrame(columns)], axis=1)
        spec = designs.get(unit) or default_design(frame, unit)
        spec = spec if not isinstance(spec, Mapping | str | Path) else load_design(spec)
        survey = SurveyDesign.build(frame, spec)
        for indicator in unit_indicators:
            stat = f"prop:{_VALUE}_{indicator.key}:method={CI_METHOD}"
            domain_column = f"{_DOMAIN}_{indicator.key}"
            tables: dict[str | None, pd.DataFrame | str] = {}
            for breakdown, group in _groups(indicators, indicator, by):
                if breakdown not in tables:
                    tables[breakdown] = _estimate_by(frame, survey, stat, domain_column, breakdown, indicators, level)
                table = tables[breakdown]
                if isinstance(table, str):  # the breakdown's column is missing: the reason
                    rows.append(_empty(indicator, breakdown, group, table, 0))
                    continue
                label = "in" if breakdown is None else f"in:{group}"
                found = table[table["domain"].astype(str) == label]
                if found.empty:
                    rows.append(_empty(indicator, breakdown, group, indicators.message("no_estimate", "en"), 0))
                    continue
                rows.append(_row(indicator, breakdown, group, found.iloc[0], indicators))
    out = pd.DataFrame(rows)
    for lang in LANGUAGES:
        out[f"label_{lang}"] = [indicators.get(k).label[lang] for k in out["key"]]
        out[f"sentence_{lang}"] = [
            sentence(row, indicators.get(row["key"]), indicators, lang, level) for row in out.to_dict("records")
        ]
    return out[[*COLUMNS, *(f"label_{lang}" for lang in LANGUAGES), *(f"sentence_{lang}" for lang in LANGUAGES)]]


def _estimate_by(
    frame: pd.DataFrame,
    survey: Any,
    stat: str,
    domain_column: str,
    breakdown: str | None,
    indicators: Indicators,
    level: float,
) -> pd.DataFrame | str:
    """One engine call for all groups of a breakdown; a string says why there is no table."""
    from patentreach.survey.estimate import StatisticError, estimate

    by_columns = [domain_column] if breakdown is None else [domain_column, _field(indicators, breakdown)]
    missing = [c for c in by_columns if c not in frame.columns]
    if missing:
        return f"the data have no {missing[0]} column, so no breakdown by {breakdown}"
    try:
        return estimate(frame, survey, [stat], by=by_columns, level=level)
    except StatisticError:  # no unit at all in the domain: every group says so
        return pd.DataFrame(columns=["domain"])


def _field(indicators: Indicators, breakdown: str) -> str:
    return str(indicators.breakdowns[breakdown]["field"])


def _groups(indicators: Indicators, indicator: Indicator, by: Sequence[str | None]) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    for breakdown in by:
        if breakdown is None:
            out.append((None, "all"))
        elif breakdown in indicator.breakdowns:
            out += [(breakdown, level) for level in _level_labels(indicators, breakdown)]
    return out


def _base(indicator: Indicator, breakdown: str | None, group: str) -> dict[str, Any]:
    published = indicator.published
    return {
        "key": indicator.key,
        "unit": indicator.unit,
        "breakdown": breakdown,
        "group": group,
        "ci_method": CI_METHOD,
        "published": published.get("figure", ""),
        **indicator.definition(),
    }


def _empty(indicator: Indicator, breakdown: str | None, group: str, note: str, n_missing: int) -> dict[str, Any]:
    return {
        **_base(indicator, breakdown, group),
        **dict.fromkeys(("estimate", "se", "ci_lower", "ci_upper", "df"), np.nan),
        "n": 0,
        "n_missing": n_missing,
        "note": note,
    }


def _row(indicator: Indicator, breakdown: str | None, group: str, found: pd.Series, indicators: Indicators) -> dict:
    n = int(found["n"])
    note = found["note"] if isinstance(found["note"], str) and found["note"] else None
    if n == 0:
        note = indicators.message("no_estimate", "en")
    elif not (np.isfinite(found["ci_lower"]) and np.isfinite(found["ci_upper"])):
        note = indicators.message("no_interval", "en", estimate=_percent(float(found["estimate"])), n=str(n))
    return {
        **_base(indicator, breakdown, group),
        **{k: float(found[k]) for k in ("estimate", "se", "ci_lower", "ci_upper", "df")},
        "n": n,
        "n_missing": int(found["n_missing"]),
        "note": note,
    }


def sentence(row: Mapping[str, Any], indicator: Indicator, indicators: Indicators, lang: str, level: float) -> str:
    """The indicator's sentence in ``lang`` for one row; a row without an estimate says why."""
    from patentreach.survey.output import headline

    breakdown = row.get("breakdown")
    group = (
        ""
        if breakdown is None or pd.isna(breakdown)
        else f" [{group_label(indicators, breakdown, row['group'], lang)}]"
    )
    estimate = row.get("estimate")
    if estimate is None or not np.isfinite(float(estimate)):
        reason = str(row.get("note") or "")
        for message in ("no_estimate", "no_data"):  # the file's own messages, in the language asked
            if reason == indicators.message(message, "en"):
                reason = indicators.message(message, lang)
        return f"{indicator.label[lang]}: {reason}{group}"
    if not (np.isfinite(float(row["ci_lower"])) and np.isfinite(float(row["ci_upper"]))):
        reason = indicators.message("no_interval", lang, estimate=_percent(float(estimate)), n=str(row["n"]))
        return f"{indicator.label[lang]}: {reason}{group}"
    engine_row = {"stat": "prop", **{k: row[k] for k in ("estimate", "ci_lower", "ci_upper", "se", "df", "n")}}
    template = in_language(indicator.sentence, lang)
    return headline(engine_row, indicator.label[lang], template=template, level=level) + group


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def headline_table(
    responses: Mapping[str, pd.DataFrame],
    weights: Mapping[str, pd.DataFrame],
    design: Mapping[str, Any] | None = None,
    indicators: Indicators | None = None,
    by: Sequence[str | None] = (None, "sector", "size"),
    level: float = 0.95,
) -> pd.DataFrame:
    """Headline estimates from stored responses (:func:`store.load_responses`) and weights
    (:func:`read_weights`), both by unit; ``design`` by unit (a YAML path, a mapping or a spec),
    default :func:`default_design`. Patents get the holder type and size of their enterprise."""
    data = joined(responses, weights)
    return headline_rows(data, design or {}, indicators, by, level)


def joined(responses: Mapping[str, pd.DataFrame], weights: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Responses joined to weights by unit; patents get their enterprise's sector and size."""
    data: dict[str, pd.DataFrame] = {}
    for unit in UNITS:
        if unit in responses and unit in weights and responses[unit] is not None and weights[unit] is not None:
            data[unit] = join_weights(responses[unit], weights[unit], unit, f"the {unit} weights")
    if "patent" in data and "holder" in responses and responses["holder"] is not None:
        holders = responses["holder"].drop_duplicates("enterprise_id").set_index("enterprise_id")
        patents = data["patent"]
        for column in ("sector", "size"):
            if column not in patents.columns and column in holders.columns:
                patents[column] = patents["enterprise_id"].astype(str).map(holders[column].astype(object))
    return data


def records_behind(
    data: pd.DataFrame,
    indicator: Indicator,
    indicators: Indicators | None = None,
    domain: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The responses behind one estimate: every unit of the indicator's domain (and of ``domain``,
    e.g. ``{"sector": "private"}``), with its id, weight, the numerator's value (``yes``/``no``,
    blank when unanswered) and the variables the definition reads."""
    indicators = indicators or load_indicators()
    inside, numerator, blank = evaluate_indicator(data, indicator, indicators)
    for column, value in (domain or {}).items():
        if column not in data.columns:
            raise HeadlineError(f"--domain {column}={value}: the {indicator.unit} data have no column {column!r}")
        inside &= data[column].astype(str).to_numpy() == value
    used = [indicator.numerator, indicator.denominator, indicator.population]
    variables = sorted(
        {indicators.derived[r].source if r in indicators.derived else r for e in used if e for r in e.references}
    )
    id_columns = [
        c
        for c in ("enterprise_id", "patent_id")
        if c in data.columns and (c != "patent_id" or indicator.unit == "patent")
    ]
    keep = [*id_columns, *[c for c in ("_row", "stratum", "final_weight", *(domain or {})) if c in data.columns]]
    out = data.loc[inside, list(dict.fromkeys(keep + variables))].copy()
    out.insert(len(id_columns), "counted", np.where(blank[inside], "", np.where(numerator[inside], "yes", "no")))
    return out.reset_index(drop=True)
