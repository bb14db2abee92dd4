"""``patentreach survey weight``: weights from the sample, the stored responses and the frame."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from patentreach.cli.consoles import Table, Text

if TYPE_CHECKING:
    import pandas as pd

    from patentreach.survey.weighting import WeightResult


def _variables(option: str, text: str | None) -> tuple[str, ...]:
    """Comma-separated names, each non-empty."""
    from patentreach.cli.survey import _fail

    if text is None:
        return ()
    names = tuple(part.strip() for part in text.split(","))
    if not all(names):
        _fail(f"{option} {text!r}: give column names separated by commas, e.g. sector,size,region")
    return names


def weight(
    store: Annotated[
        str, typer.Option("--store", help="Survey store (SQLite file or SQLAlchemy URL) with the responses.")
    ],
    sample_file: Annotated[Path, typer.Option("--sample", help="sample_enterprises.csv from `survey sample`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Weights CSV; design.yaml is written beside it.")] = Path(
        "weights.csv"
    ),
    frame_file: Annotated[
        Path | None, typer.Option("--frame", help="The frame CSV: its counts are the calibration totals.")
    ] = None,
    patent_sample: Annotated[
        Path | None, typer.Option("--patent-sample", help="sample_patents.csv: weight the patents too.")
    ] = None,
    classes: Annotated[
        str, typer.Option("--classes", help="Weighting-class columns of the sample, comma-separated.")
    ] = "stratum",
    propensity: Annotated[
        bool,
        typer.Option(
            "--propensity", help="Classes = quintiles of a response propensity model on sector, size, region."
        ),
    ] = False,
    calibrate: Annotated[
        str | None,
        typer.Option("--calibrate", help="Linear calibration to the frame's counts, e.g. sector,size,region."),
    ] = None,
    rake: Annotated[
        str | None, typer.Option("--rake", help="Raking to the frame's counts, e.g. sector,size,region.")
    ] = None,
    replicates: Annotated[
        str | None,
        typer.Option("--replicates", help="Replicate weights: jk1, jkn or bootstrap:R (e.g. bootstrap:200)."),
    ] = None,
    min_class_respondents: Annotated[
        int, typer.Option("--min-class-respondents", help="Collapse weighting classes with fewer respondents.")
    ] = 3,
    max_factor: Annotated[
        float, typer.Option("--max-factor", help="Collapse weighting classes whose adjustment factor is larger.")
    ] = 4.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of bootstrap replicates.")] = 2021,
) -> None:
    """Design weights, non-response adjustment, calibration or raking, replicates; stored with the responses."""
    import warnings

    import yaml

    from patentreach.cli.survey import _fail
    from patentreach.model.spreadsheet_cells import neutralise_frame
    from patentreach.survey.calibration import CalibrationError
    from patentreach.survey.design import DesignError
    from patentreach.survey.store import load_responses, open_store
    from patentreach.survey.table_files import read_table
    from patentreach.survey.weight_store import save_weights
    from patentreach.survey.weighting import weight_patents, weight_survey
    from patentreach.survey.weights import WeightingError

    if calibrate and rake:
        _fail("--calibrate and --rake are alternatives: give one of them")
    margins = _variables("--calibrate", calibrate) or _variables("--rake", rake)
    if replicates is not None and replicates.partition(":")[0].lower() not in ("jk1", "jkn", "bootstrap"):
        _fail(f"--replicates {replicates!r} is not one of jk1, jkn, bootstrap:R")
    if margins and frame_file is None:
        _fail("--calibrate/--rake need --frame (the frame's counts are the totals)")
    try:
        sample = read_table(sample_file, dtype=str, keep_default_na=False, what="sampled units")
        frame = None if frame_file is None else read_table(frame_file, dtype=str, keep_default_na=False, what="frame")
        patents = (
            None
            if patent_sample is None
            else read_table(patent_sample, dtype=str, keep_default_na=False, what="sampled patents")
        )
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    try:
        engine = open_store(store)
        holder_answers = load_responses(engine, "holder")
        patent_answers = load_responses(engine, "patent") if patents is not None else None
    except Exception as exc:
        _fail(f"{store}: cannot read the responses: {exc}")
    _match(holder_answers, sample, "enterprise_id", "holder", store, sample_file)
    if patents is not None:
        _match(patent_answers, patents, "patent_id", "patent", store, patent_sample)

    steps = [("holder", sample_file)]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            holders = weight_survey(
                sample,
                holder_answers,
                frame,
                classes=_variables("--classes", classes),
                propensity=propensity,
                calibrate=margins or None,
                method="raking" if rake else "linear",
                replicates=replicates,
                min_class_respondents=min_class_respondents,
                max_factor=max_factor,
                seed=seed,
            )
            patent_result = None
            if patents is not None:
                steps.append(("patent", patent_sample))
                patent_result = weight_patents(
                    patents,
                    patent_answers,
                    holders,
                    frame,
                    classes=("stratum",),
                    min_class_respondents=min_class_respondents,
                    max_factor=max_factor,
                )
    except (WeightingError, CalibrationError, DesignError) as exc:
        unit, source = steps[-1]
        _fail(f"{source}: {unit} weights: {exc}")

    sources = {"sample": str(sample_file), "frame": None if frame_file is None else str(frame_file)}
    holders.specification["files"] = sources
    if patent_result is not None:
        patent_result.specification["files"] = {**sources, "patent_sample": str(patent_sample)}
    outputs = [(holders, out, out.parent / "design.yaml", "holder")]
    if patent_result is not None:
        outputs.append(
            (
                patent_result,
                out.with_name(f"{out.stem}_patents{out.suffix}"),
                out.parent / "design_patents.yaml",
                "patent",
            )
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        for result, csv_path, design_path, _ in outputs:
            neutralise_frame(result.weights).to_csv(csv_path, index=False)
            design_path.write_text(yaml.safe_dump(result.design, sort_keys=False, allow_unicode=True), encoding="utf-8")
    except OSError as exc:
        _fail(f"{exc.filename or out}: cannot write the weights: {exc.strerror or exc}")
    try:
        runs = [save_weights(engine, form, result) for result, _, _, form in outputs]
    except Exception as exc:
        _fail(f"{store}: cannot store the weights: {exc}")
    from patentreach.cli.survey import console

    for (result, csv_path, design_path, form), run_id in zip(outputs, runs, strict=True):
        _print_diagnostics(result)

        console.print(
            f"{form} weights: {csv_path}; design: {design_path}; stored as run {run_id} in {store}",
            markup=False,
            highlight=False,
        )
    for message in sorted({str(w.message) for w in caught}):
        console.print(f"warning: {message}", markup=False, highlight=False)


def _match(answers: pd.DataFrame, sample: pd.DataFrame, key: str, form: str, store: str, sample_file: Path) -> None:
    """The store's responses must all be units of this sample (else it is another survey's)."""
    from patentreach.cli.survey import _fail

    if key not in sample.columns:
        _fail(f"{sample_file}: no column {key!r} (is this a sample file from `survey sample`?)")
    if answers.empty:
        _fail(f"{store}: no {form} responses are stored: import or collect them first")
    ids = set(sample[key].astype(str).str.strip())
    answered = answers[key].astype(str).str.strip()
    outside = answered[~answered.isin(ids)]
    if len(outside):
        _fail(
            f"{sample_file}: {len(outside):,} of the {len(answered):,} {form} responses in {store} are not in this "
            f"sample (first: {key} {outside.iloc[0]}): give the sample the responses were collected for"
        )


def _print_diagnostics(result: WeightResult) -> None:
    from patentreach.cli.survey import console

    view = Table(title=f"Weight diagnostics ({result.diagnostics.unit})")
    view.add_column("measure")
    view.add_column("value")
    for measure, value in result.diagnostics.summary():
        view.add_row(Text(measure), Text(value))
    console.print(view)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``patentreach survey``."""
    app.command("weight")(weight)
