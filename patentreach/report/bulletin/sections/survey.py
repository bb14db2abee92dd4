"""The bulletin's survey section: the survey's headline indicators with their confidence
intervals, for all enterprises and by holder type and size, and the response rates.

The indicators and their sentences are the survey team's (``survey/instrument/headlines.yaml``,
worded per language in ``survey_messages``); the estimates are ``survey.headlines.headline_rows``
on the stored responses and the newest stored weight run (``survey_inputs``). Each estimate is a
figure ``survey.<indicator>.<group>`` (a percentage, with the interval's bounds as ``low`` and
``high``); the bounds are printed, so they are figures too (``...<group>.low``/``.high``), with
the same command. The headline sentence (``sentences[0]``) is the indicator of option
``headline`` (default: the first of the yaml with an estimate).
"""

from __future__ import annotations

import math
from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Column, Figure, Ref, Section, SectionUnavailable, Table, Text
from patentreach.report.bulletin.sections.survey_chart import estimates_chart
from patentreach.report.bulletin.sections.survey_inputs import SurveyInputs, survey_inputs
from patentreach.report.bulletin.sections.survey_messages import group_msgid, label_msgid, sentence_msgid

TITLE = N_("Enterprise patent survey")
NO_ESTIMATE = N_("%(label)s: no estimate, no enterprise in the group answered the question (n = %(n)s).")
NO_INTERVAL = N_("%(label)s: %(estimate)s, no confidence interval (n = %(n)s: too few units or no variation).")
NO_HEADLINE = N_("None of the survey's headline indicators could be estimated from the stored responses.")
ALL_GROUP = N_("All enterprises")
NO_GROUP_ESTIMATE = N_("no estimate (n = 0)")
NO_GROUP_INTERVAL = N_("no confidence interval (n = %(n)s: too few units or no variation)")
TABLE_NOTE = N_(
    "Weighted estimates in percent with %(level)s confidence intervals (logit method, as R survey's svyciprop; "
    "standard errors by Taylor linearisation over the stratified design); SE in percentage points; n: "
    "responding enterprises in the group (unweighted).")
WEIGHTS_NOTE = N_(
    "Weights: the newest weight run stored with the responses (run %(run)s, %(date)s), written to %(file)s so "
    "that the command beside each figure reproduces it.")
LEFT_OUT = {
    "patent": N_("The per-patent indicators (industrialisation and licence rates) are left out: the survey store "
                 "holds no patent weights (run `patentreach survey weight` with --patent-sample)."),
    "holder": N_("The enterprise indicators are left out: the survey store holds no enterprise weights (run "
                 "`patentreach survey weight`)."),
}
RATES_NOTE = N_(
    "Response rate: %(rate)s of the %(invited)s enterprises invited returned a complete questionnaire "
    "(%(web)s on the web, %(paper)s on paper).")
NO_RATES = N_("No invitations are stored in the survey store, so no response rate can be given (invitations are "
              "stored by `patentreach survey invite`).")
RATES_CAPTION = N_("Response rates by stratum")
LABEL_RATE = N_("Response rate (complete questionnaires per enterprise invited)")
LABEL_LOW = N_("Confidence interval, lower bound")
LABEL_HIGH = N_("Confidence interval, upper bound")
COLUMN_GROUP = N_("Group")
COLUMN_ESTIMATE = N_("Estimate")
COLUMN_LOW = N_("Lower bound")
COLUMN_HIGH = N_("Upper bound")
COLUMN_SE = N_("SE")
COLUMN_N = N_("n")
COLUMN_NOTE = N_("Note")
COLUMN_STRATUM = N_("Stratum")
COLUMN_INVITED = N_("Invited")
COLUMN_COMPLETE = N_("Complete")
COLUMN_WEB = N_("Web")
COLUMN_PAPER = N_("Paper")
COLUMN_RATE = N_("Response rate")
DEFINITION_KEYS = ("unit", "population", "denominator", "numerator", "ci_method", "published")


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _percent(value: Any) -> float | None:
    number = _finite(value)
    return None if number is None else number * 100


def figure_key(key: str, breakdown: str | None, group: str) -> str:
    return f"survey.{key}.{'all' if breakdown is None else group}"


def _level(inputs: SurveyInputs) -> str:
    return f"{inputs.level * 100:g}%"


def survey_figures(inputs: SurveyInputs, key: str, breakdown: str | None, group: str,
                   section: str = "survey", prefix: str | None = None) -> list[Figure]:
    """The estimate of one indicator and group and its interval's bounds, as figures of ``section``."""
    row = inputs.row(key, breakdown, group)
    name = prefix or figure_key(key, breakdown, group)
    unit = inputs.indicators.get(key).unit
    definition = {k: row.get(k) for k in DEFINITION_KEYS} | {
        "indicator": key, "breakdown": breakdown, "group": group, "level": inputs.level,
        "se": _percent(row.get("se")), "df": _finite(row.get("df")), "n": int(row["n"]),
        "n_missing": int(row["n_missing"]), "note": row["note"] if isinstance(row.get("note"), str) else None,
        "indicators_version": inputs.indicators.version, "weight_run": inputs.runs[unit].run_id,
        "weights_file": str(inputs.weight_files[unit]), "column": "estimate",
    }
    command, records = inputs.command(), inputs.records(key, breakdown, group)
    low, high = _percent(row["ci_lower"]), _percent(row["ci_upper"])
    label = label_msgid(inputs.indicators.get(key))
    return [
        Figure(name, section, _percent(row["estimate"]), "percent", label, definition, command, records,
               low=low, high=high),
        Figure(f"{name}.low", section, low, "percent", LABEL_LOW, definition | {"column": "ci_lower"}, command,
               records),
        Figure(f"{name}.high", section, high, "percent", LABEL_HIGH, definition | {"column": "ci_upper"}, command,
               records),
    ]


def survey_sentence(inputs: SurveyInputs, key: str, name: str) -> Text:
    """The indicator's sentence over the figures ``name`` (and ``.low``/``.high``)."""
    indicator = inputs.indicators.get(key)
    row = inputs.row(key, None, "all")
    label, n = Text(label_msgid(indicator)), str(int(row["n"]))
    if _finite(row["estimate"]) is None:
        return Text(NO_ESTIMATE, {"label": label, "n": n})
    if _finite(row["ci_lower"]) is None or _finite(row["ci_upper"]) is None:
        return Text(NO_INTERVAL, {"label": label, "estimate": Ref(name), "n": n})
    return Text(sentence_msgid(indicator), {"estimate": Ref(name), "level": _level(inputs), "low": Ref(f"{name}.low"),
                                            "high": Ref(f"{name}.high"), "n": n})


def _groups(inputs: SurveyInputs, key: str) -> list[tuple[str | None, str]]:
    rows = inputs.table[inputs.table["key"] == key]
    return [(None if not isinstance(b, str) else b, str(g)) for b, g in zip(rows["breakdown"], rows["group"],
                                                                             strict=True)]


def _group_note(row: dict[str, Any]) -> Text | str:
    if _finite(row["estimate"]) is None:
        return Text(NO_GROUP_ESTIMATE)
    if _finite(row["ci_lower"]) is None or _finite(row["ci_upper"]) is None:
        return Text(NO_GROUP_INTERVAL, {"n": str(int(row["n"]))})
    return ""


def _indicator_table(inputs: SurveyInputs, key: str) -> Table:
    rows = []
    for breakdown, group in _groups(inputs, key):
        name = figure_key(key, breakdown, group)
        row = inputs.row(key, breakdown, group)
        se = _percent(row.get("se"))
        rows.append({
            "group": Text(ALL_GROUP) if breakdown is None else Text(group_msgid(inputs.indicators, breakdown, group)),
            "estimate": Ref(name, compact=False), "low": Ref(f"{name}.low", compact=False),
            "high": Ref(f"{name}.high", compact=False), "se": None if se is None else round(se, 2),
            "n": int(row["n"]), "note": _group_note(row),
        })
    columns = [Column("group", COLUMN_GROUP), Column("estimate", COLUMN_ESTIMATE, "figure"),
               Column("low", COLUMN_LOW, "figure"), Column("high", COLUMN_HIGH, "figure"),
               Column("se", COLUMN_SE, "number"), Column("n", COLUMN_N, "count"), Column("note", COLUMN_NOTE)]
    return Table(f"survey.table.{key}", label_msgid(inputs.indicators.get(key)), columns, rows,
                 [Text(TABLE_NOTE, {"level": _level(inputs)})])


def _rates(inputs: SurveyInputs, section: Section) -> None:
    rates = inputs.rates
    if rates.empty:
        section.notes.append(Text(NO_RATES))
        return
    rows = []
    for rate in rates.to_dict("records"):
        key = f"survey.response_rate.{rate['stratum']}"
        section.figures.append(Figure(
            key, "survey", _percent(rate["response_rate"]), "percent", LABEL_RATE,
            {"form": "holder", "stratum": rate["stratum"], "invited": int(rate["invited"]),
             "complete": int(rate["complete"]), "column": "response_rate"}, inputs.status_command()))
        rows.append({"stratum": str(rate["stratum"]), "invited": int(rate["invited"]),
                     "complete": int(rate["complete"]), "web": int(rate["web"]), "paper": int(rate["paper"]),
                     "rate": Ref(key, compact=False)})
    section.tables.append(Table("survey.response_rates", RATES_CAPTION, [
        Column("stratum", COLUMN_STRATUM), Column("invited", COLUMN_INVITED, "count"),
        Column("complete", COLUMN_COMPLETE, "count"), Column("web", COLUMN_WEB, "count"),
        Column("paper", COLUMN_PAPER, "count"), Column("rate", COLUMN_RATE, "figure")], rows))
    total = rates.iloc[-1]
    section.notes.append(Text(RATES_NOTE, {
        "rate": Ref(f"survey.response_rate.{total['stratum']}"), "invited": int(total["invited"]),
        "web": int(total["web"]), "paper": int(total["paper"])}))


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    inputs = survey_inputs(ctx)
    section = Section("survey", TITLE)
    keys = list(dict.fromkeys(inputs.table["key"]))
    if not keys:
        raise SectionUnavailable(Text(NO_HEADLINE))
    for key in keys:
        for breakdown, group in _groups(inputs, key):
            section.figures += survey_figures(inputs, key, breakdown, group)
    estimated = [k for k in keys if _finite(inputs.row(k, None, "all")["estimate"]) is not None]
    first = options.get("headline") or (estimated or keys)[0]
    if first not in keys:
        raise SectionUnavailable(Text(N_("The survey's headline indicator %(key)s is not estimated here; choose "
                                         "one of %(keys)s."), {"key": str(first), "keys": ", ".join(keys)}))
    for key in [first, *(k for k in keys if k != first)]:
        section.sentences.append(survey_sentence(inputs, key, figure_key(key, None, "all")))
    section.tables += [_indicator_table(inputs, key) for key in keys]
    section.charts.append(estimates_chart("survey.estimates", TITLE, [
        (label_msgid(inputs.indicators.get(k)), section.figure(figure_key(k, None, "all"))) for k in estimated]))
    for unit in inputs.left_out:
        section.notes.append(Text(LEFT_OUT[unit]))
    for unit, run in inputs.runs.items():
        section.notes.append(Text(WEIGHTS_NOTE, {"run": str(run.run_id), "date": run.created_at.date().isoformat(),
                                                 "file": str(inputs.weight_files[unit])}))
    _rates(inputs, section)
    return section
