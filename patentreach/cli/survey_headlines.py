"""``survey headlines`` and ``survey records``: the published indicators from stored answers.

The indicators are defined in ``patentreach/survey/instrument/headlines.yaml`` (or ``--indicators``);
the answers come from the survey store (``survey import``, the web form), the weights from the CSV
``survey weight`` writes. Heavy libraries are imported inside the commands (``survey --help``
stays fast).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from patentreach.cli.consoles import Table, Text

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")
OUT_FORMATS = ("csv", "xlsx", "json")
LANGS = ("zh", "en")

StoreOption = Annotated[str, typer.Option("--store", help="The survey store: a SQLite file or a SQLAlchemy URL.")]
WeightsOption = Annotated[
    Path | None,
    typer.Option("--weights", help="Enterprise weights CSV (enterprise_id, stratum, final_weight[, fpc, rep_*])."),
]
PatentWeightsOption = Annotated[
    Path | None,
    typer.Option("--patent-weights", help="Patent weights CSV (patent_id, enterprise_id, stratum, final_weight)."),
]
IndicatorsOption = Annotated[
    Path | None, typer.Option("--indicators", help="Indicator definitions YAML (default: the bundled one).")
]


def register(app: typer.Typer) -> None:
    """Add ``headlines`` and ``records`` to ``patentreach survey``."""
    app.command("headlines")(headlines)
    app.command("records")(records)


def _split(option: str, value: str, choices: tuple[str, ...]) -> list[str]:
    from patentreach.cli.survey import _check_choice

    items = [v.strip() for v in value.split(",") if v.strip()]
    for item in items:
        _check_choice(option, item, choices)
    return items


def _inputs(
    store: str,
    weights: Path | None,
    patent_weights: Path | None,
    indicators_path: Path | None,
) -> tuple[Any, dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """The indicator file, responses by unit and weights by unit; one-line errors (exit 2)."""
    from sqlalchemy.exc import SQLAlchemyError

    from patentreach.cli.survey import _fail
    from patentreach.survey.headlines import HeadlineError, load_indicators, read_weights
    from patentreach.survey.store import StoreError, load_responses, open_store

    if weights is None and patent_weights is None:
        _fail("give --weights (enterprises) and/or --patent-weights (patents)")
    if "://" not in store and not Path(store).exists():
        _fail(f"{store}: no such survey store (import responses with `patentreach survey import --store`)")
    try:
        indicators = load_indicators(indicators_path)
        table = {u: read_weights(p, u) for u, p in (("holder", weights), ("patent", patent_weights)) if p is not None}
    except HeadlineError as exc:
        _fail(str(exc))
    try:
        engine = open_store(store)
        responses = {"holder": load_responses(engine, "holder")}
        if patent_weights is not None:
            responses["patent"] = load_responses(engine, "patent")
        engine.dispose()
    except (StoreError, SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        _fail(f"{_shown(store)}: cannot read the survey store ({reason})")
    for unit, data in responses.items():
        if data.empty and unit in table:
            _fail(f"{store}: no {unit} responses are stored (import them with `patentreach survey import`)")
    return indicators, responses, table


def _shown(store: str) -> str:
    """The store as it may be printed: a URL's password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if "://" not in store:
        return store
    try:
        return make_url(store).render_as_string(hide_password=True)
    except ArgumentError:
        return store.split("://", 1)[0] + "://..."


def headlines(
    store: StoreOption,
    weights: WeightsOption = None,
    patent_weights: PatentWeightsOption = None,
    design: Annotated[
        Path | None, typer.Option("--design", help="Enterprise design YAML (default: from the weights file).")
    ] = None,
    patent_design: Annotated[
        Path | None, typer.Option("--patent-design", help="Patent design YAML (default: clustered in enterprises).")
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Breakdowns, comma-separated: sector, size, or none.")
    ] = "sector,size",
    lang: Annotated[str, typer.Option("--lang", help="Sentence languages, comma-separated: zh, en.")] = "zh,en",
    fmt: Annotated[str, typer.Option("--format", "-f", help="Printed output: table, csv or json.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the table: .csv, .xlsx or .json.")] = None,
    level: Annotated[float, typer.Option("--level", help="Confidence level.")] = 0.95,
    indicators_path: IndicatorsOption = None,
) -> None:
    """The survey's published indicators (headlines.yaml): estimate, SE, CI, n and definition.

    \b
    Examples:
      patentreach survey headlines --store survey.sqlite --weights weights.csv
      patentreach survey headlines --store survey.sqlite --weights weights.csv \\
          --patent-weights weights_patents.csv --by size --lang zh --out headlines.xlsx
    """
    from patentreach.cli.survey import _check_choice, _fail, console
    from patentreach.survey.design import DesignError, load_design
    from patentreach.survey.estimate import StatisticError
    from patentreach.survey.headlines import HeadlineError, headline_rows, joined
    from patentreach.survey.linearisation import LonelyPSUError
    from patentreach.survey.output import render

    _check_choice("--format", fmt, FORMATS)
    breakdowns: list[str | None] = [None] + ([] if by.strip() == "none" else _split("--by", by, ("sector", "size")))
    languages = _split("--lang", lang, LANGS)
    if out is not None:
        _check_choice("--out extension", out.suffix.lower().lstrip("."), OUT_FORMATS)
    if not 0 < level < 1:
        _fail(f"--level {level}: give a confidence level between 0 and 1, e.g. 0.95")
    indicators, responses, weights_by_unit = _inputs(store, weights, patent_weights, indicators_path)
    designs: dict[str, Any] = {}
    try:
        for unit, path in (("holder", design), ("patent", patent_design)):
            if path is not None:
                designs[unit] = load_design(path)
        data = joined(responses, weights_by_unit)
        keys = [i.key for i in indicators.indicators if i.unit in data]
        table = headline_rows(data, designs, indicators, by=breakdowns, level=level, keys=keys)
    except (HeadlineError, DesignError, StatisticError, LonelyPSUError) as exc:
        _fail(str(exc))
    skipped = sorted({i.unit for i in indicators.indicators} - set(data))
    if out is not None:
        _write(table, indicators, out)
    if fmt == "table":
        _print(table, indicators, languages, console)
        for unit in skipped:
            option = "--patent-weights" if unit == "patent" else "--weights"
            console.print(f"({unit} indicators left out: give {option})", markup=False, highlight=False)
    else:
        columns = [c for c in table.columns if not c.startswith(("sentence_", "label_")) or c[-2:] in languages]
        console.file.write(render(table[columns], fmt))


def _print(table: pd.DataFrame, indicators: Any, languages: list[str], console: Any) -> None:
    """Sentences per language, the figures, then each indicator's definition."""
    from patentreach.cli.survey import _cell

    for lang in languages:
        for sentence in table[f"sentence_{lang}"]:
            console.print(f"- {sentence}", markup=False, highlight=False)
        console.print()
    view = Table(title=f"Headline indicators (definitions: {indicators.path}, version {indicators.version})")
    shown = ["key", "unit", "breakdown", "group", "estimate", "se", "ci_lower", "ci_upper", "n", "n_missing", "note"]
    for column in shown:
        view.add_column(
            column, justify="right" if column in ("estimate", "se", "ci_lower", "ci_upper", "n") else "left"
        )
    for row in table[shown].itertuples(index=False):
        view.add_row(*[Text(_cell(v)) for v in row])
    console.print(view)
    console.print(f"CI method: {indicators.method.get('en', '')}", markup=False, highlight=False)
    for indicator in indicators.indicators:
        if indicator.key not in set(table["key"]):
            continue
        d = indicator.definition()
        among = d["denominator"] if indicator.population is None else f"{d['population']} and {d['denominator']}"
        console.print(
            f"{indicator.key} ({indicator.unit}): share with {d['numerator']} among units with {among}; "
            f"published {indicator.published.get('figure', '?')}",
            markup=False,
            highlight=False,
        )


def _write(table: pd.DataFrame, indicators: Any, out: Path) -> None:
    """The table as CSV/JSON, or XLSX with a second sheet of definitions."""
    import pandas as pd

    from patentreach.cli.survey import _fail
    from patentreach.model.spreadsheet_cells import neutralise_frame
    from patentreach.survey.output import write_estimates

    try:
        if out.suffix.lower() != ".xlsx":
            write_estimates(table, out)
            return
        definitions = pd.DataFrame(
            [
                {
                    "key": i.key,
                    "unit": i.unit,
                    **i.definition(),
                    "label_zh": i.label["zh"],
                    "label_en": i.label["en"],
                    "published": i.published.get("figure", ""),
                    "published_source": i.published.get("source", ""),
                    "verified": i.published.get("verified", ""),
                    "ci_method_en": indicators.method.get("en", ""),
                    "ci_method_zh": indicators.method.get("zh", ""),
                    "indicators_version": indicators.version,
                }
                for i in indicators.indicators
            ]
        )
        with pd.ExcelWriter(out) as writer:
            neutralise_frame(table).to_excel(writer, index=False, sheet_name="headlines")
            neutralise_frame(definitions).to_excel(writer, index=False, sheet_name="definitions")
    except OSError as exc:
        _fail(f"{out}: cannot write the headlines: {exc.strerror or exc}")


def records(
    headline: Annotated[str, typer.Argument(help="The indicator's key, e.g. bri_transfer (see survey headlines).")],
    store: StoreOption,
    weights: WeightsOption = None,
    patent_weights: PatentWeightsOption = None,
    domain: Annotated[
        list[str] | None, typer.Option("--domain", help="Only this group, e.g. sector=private (repeatable).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Printed output: table, csv or json.")] = "table",
    indicators_path: IndicatorsOption = None,
) -> None:
    """The responses behind one headline estimate: every unit of its domain, whether it counts in
    the numerator (yes, no, blank = left out) and the answers the definition reads.

    \b
    Example:
      patentreach survey records bri_transfer --store survey.sqlite --weights weights.csv --domain sector=private
    """
    from patentreach.cli.survey import _cell, _check_choice, _fail, console
    from patentreach.survey.headlines import HeadlineError, joined, records_behind
    from patentreach.survey.output import render

    _check_choice("--format", fmt, FORMATS)
    groups: dict[str, str] = {}
    for item in domain or []:
        column, sep, value = item.partition("=")
        if not sep or not column.strip():
            _fail(f"--domain {item!r}: write COLUMN=VALUE, e.g. sector=private")
        groups[column.strip()] = value.strip()
    indicators, responses, weights_by_unit = _inputs(store, weights, patent_weights, indicators_path)
    try:
        indicator = indicators.get(headline)
        data = joined(responses, weights_by_unit)
        if indicator.unit not in data:
            option = "--patent-weights" if indicator.unit == "patent" else "--weights"
            _fail(f"{headline} is a {indicator.unit} indicator: give {option}")
        table = records_behind(data[indicator.unit], indicator, indicators, groups)
    except HeadlineError as exc:
        _fail(str(exc))
    if fmt != "table":
        console.file.write(render(table, fmt))
        return
    counted = table["counted"]
    view = Table(title=f"{headline}: {len(table)} responses in the domain")
    for column in table.columns:
        view.add_column(column)
    for row in table.itertuples(index=False):
        view.add_row(*[Text(_cell(v)) for v in row])
    console.print(view)
    console.print(
        f"numerator yes {int((counted == 'yes').sum())}, no {int((counted == 'no').sum())}, "
        f"blank (left out) {int((counted == '').sum())}",
        markup=False,
        highlight=False,
    )
