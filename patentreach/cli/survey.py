"""``patentreach survey ...``: the enterprise patent survey, one command per step."""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from patentreach.cli.consoles import Table, Text, lazy_console

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(
    help="The enterprise patent survey: instrument, sample, responses and estimates.",
    no_args_is_help=True,
)
console = lazy_console()
errors = lazy_console(stderr=True)
ID_RULES = ("uscc", "demo", "free")  # patentreach.survey.enterprise_ids (not imported at start)


# --- estimate ------------------------------------------------------------------------------


@app.command("estimate")
def estimate(
    data: Annotated[Path, typer.Argument(help="Responses: CSV (or .parquet), one row per unit.")],
    design: Annotated[Path, typer.Option("--design", "-d", help="Design YAML (ids, strata, weights, fpc, ...).")],
    stat: Annotated[
        list[str],
        typer.Option(
            "--stat",
            "-s",
            help="KIND:EXPRESSION[:OPTION=VALUE], repeatable: mean:employees, total:inv_patents_cn, "
            "prop:exports=yes:method=logit, ratio:rd_staff/employees. Options: method= (prop), "
            "ci=t|normal, df=N, deff=replace.",
        ),
    ],
    by: Annotated[str | None, typer.Option("--by", help="Estimate within each level of this column.")] = None,
    level: Annotated[float, typer.Option("--level", help="Confidence level.")] = 0.95,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Printed output: table, csv or json.")] = "table",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also write the estimates to a file; .csv, .xlsx or .json by its extension."),
    ] = None,
    output_alias: Annotated[Path | None, typer.Option("--output", hidden=True, help="Old name of --out.")] = None,
    headline: Annotated[
        str | None,
        typer.Option("--headline", help="Print a sentence per estimate about this subject, e.g. 'enterprises'."),
    ] = None,
) -> None:
    """Design-based estimates with SEs, confidence intervals, design effects and counts.

    \b
    Examples (files from `patentreach survey demo --out DIR`, in DIR):
      patentreach survey estimate analysis_enterprises.csv -d design_enterprise.yaml \\
          -s prop:exports=yes -s mean:employees -s ratio:rd_staff/employees --by size
      patentreach survey estimate analysis_enterprises.csv -d design_enterprise.yaml \\
          -s prop:bri_partner=yes --by transferred_abroad --headline enterprises
      patentreach survey estimate analysis_patents.csv -d design_patent.yaml \\
          -s prop:implemented=yes:method=beta --by patent_type -o rates.xlsx
    """
    from patentreach.survey import estimate as estimation
    from patentreach.survey.calibration import CalibrationError
    from patentreach.survey.design import DesignError, load_design
    from patentreach.survey.linearisation import LonelyPSUError
    from patentreach.survey.output import FILE_FORMATS, render, write_estimates
    from patentreach.survey.table_files import TableFileError, read_table
    from patentreach.survey.weights import WeightingError

    _check_choice("--format", fmt, ("table", "csv", "json"))
    out = out or output_alias
    if out is not None and out.suffix.lower().lstrip(".") not in FILE_FORMATS:
        _fail(f"--out {out}: cannot tell the file format from {out.suffix or 'no extension'!r}; "
              f"use one of {', '.join('.' + f for f in FILE_FORMATS)}")
    try:
        frame = read_table(data, what="rows to estimate from")
        spec = load_design(design)
    except (TableFileError, DesignError) as exc:
        _fail(str(exc))
    try:
        table = estimation.estimate(frame, spec, stat, by=by, level=level)
    except (
        DesignError,
        estimation.StatisticError,
        CalibrationError,
        LonelyPSUError,
        WeightingError,
        ValueError,
    ) as exc:
        _fail(f"{data}: {exc}")
    if out is not None:
        try:
            write_estimates(table, out)
        except OSError as exc:
            _fail(f"{out}: cannot write the estimates: {exc.strerror or exc}")
    if fmt == "table":
        _print_table(table, level)
    else:
        console.file.write(render(table, fmt))
    if headline:
        for _, row in table.iterrows():
            # markup=False: a domain label such as "[large]" is data, not Rich markup
            console.print(estimation.headline(row, headline, level=level), highlight=False, markup=False)


# --- form, sample, import, demo (instrument, frame and responses) ---------------------------


@app.command("form")
def form(
    source: Annotated[str, typer.Argument(help="A bundled form (holder, patent) or an XLSForm .xlsx path.")] = "holder",
    xform: Annotated[Path | None, typer.Option("--xform", help="Also write the ODK XForm XML (via pyxform).")] = None,
    language: Annotated[str, typer.Option("--language", help="Label language: en or zh.")] = "en",
) -> None:
    """Show a form's questions with their type, skip logic and constraint; check it with pyxform."""
    from pyxform.errors import PyXFormError

    from patentreach.survey.instrument.form import FormError, form_summary, load_form, to_xform

    try:
        loaded = load_form(source)
    except (FormError, OSError, ValueError) as exc:
        _fail(str(exc))
    # a language matches a label column by its code in brackets ("English (en)") or by its name
    codes = tuple(name.rsplit("(", 1)[-1].rstrip(")") if name.endswith(")") else name for name in loaded.languages)
    if codes and not any(language in (code, name) or name.startswith(language)
                         for code, name in zip(codes, loaded.languages, strict=True)):
        _check_choice("--language", language, codes)
    try:
        xml = to_xform(source)
    except (PyXFormError, OSError, ValueError) as exc:
        _fail(f"{source}: pyxform: {' '.join(str(exc).split())}")
    view = Table(title=Text(f"{loaded.title} ({loaded.form_id} {loaded.version})"))
    summary = form_summary(loaded, language)
    for column in summary.columns:
        view.add_column(column)
    for row in summary.itertuples(index=False):
        view.add_row(*[Text(str(v)) for v in row])
    console.print(view)
    if xform is not None:
        try:
            xform.write_text(xml, encoding="utf-8")
        except OSError as exc:
            _fail(f"{xform}: cannot write the XForm: {exc.strerror or exc}")
        console.print(f"XForm written to {xform}", markup=False, highlight=False)


@app.command("sample")
def sample(
    frame: Annotated[Path, typer.Argument(help="Frame CSV: enterprise_id, sector, size, region, industry, patents.")],
    size: Annotated[int, typer.Option("--size", "-n", help="Enterprises to sample.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Sample CSV to write.")],
    method: Annotated[str, typer.Option("--method", help="proportional or neyman.")] = "neyman",
    strata: Annotated[
        str, typer.Option("--strata", help="Frame columns forming strata, comma-separated.")
    ] = "size,region",
    minimum: Annotated[int, typer.Option("--minimum", help="Least sample per stratum.")] = 2,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same sample).")] = 2021,
    patents_per_enterprise: Annotated[
        int, typer.Option("--patents-per-enterprise", help="Second stage: patents per enterprise (0: none).")
    ] = 0,
    patents_out: Annotated[Path | None, typer.Option("--patents-out", help="Second-stage sample CSV.")] = None,
    patent_list: Annotated[
        Path | None,
        typer.Option("--patent-list", help="The frame's patent list (CSV/XLSX: the id column and patent_id, the "
                     "publication number; patent_type etc. carried along): patents are drawn from it and the "
                     "sample names them, as `survey invite --form patent` needs."),
    ] = None,
    id_column: Annotated[
        str, typer.Option("--id-column", help="The frame's enterprise id column (e.g. uscc), read as enterprise_id.")
    ] = "enterprise_id",
    id_rule: Annotated[
        str | None,
        typer.Option("--id-rule", help="uscc (unified social credit code, check characters), demo (E000000) or "
                     "free; default: detected from the frame's ids."),
    ] = None,
) -> None:
    """Draw a stratified random sample of enterprises (and patents within them) with its design."""
    from patentreach.survey.allocation import AllocationError
    from patentreach.survey.frame import FrameError, add_strata, read_frame
    from patentreach.survey.sampling import (
        SamplingError,
        check_patent_list,
        draw_patents,
        draw_sample,
        read_patent_list,
        write_sample,
    )
    from patentreach.survey.table_files import TableFileError

    _check_choice("--method", method, ("proportional", "neyman"))
    if id_rule is not None:
        _check_choice("--id-rule", id_rule, ID_RULES)
    by = [c.strip() for c in strata.split(",") if c.strip()]
    if patent_list is not None and patents_per_enterprise < 1:
        _fail("--patent-list is the second stage's frame: give --patents-per-enterprise K (K >= 1) too")
    listing, notes = None, []
    try:
        units = read_frame(frame, id_column=id_column, id_rule=id_rule)
        lacking = [c for c in by if c not in units.columns]
        if lacking:
            raise FrameError(f"--strata names columns {lacking} that are not in the frame "
                             f"(columns: {', '.join(map(str, units.columns))})")
        drawn = draw_sample(add_strata(units, by), size, method, seed, minimum=minimum)  # type: ignore[arg-type]
    except (FrameError, AllocationError, SamplingError, KeyError, ValueError) as exc:
        _fail(str(exc) if str(frame) in str(exc) else f"{frame}: {exc}")
    second = None
    if patents_per_enterprise > 0:
        try:
            if patent_list is not None:
                listing = read_patent_list(patent_list, id_column)
                notes = check_patent_list(drawn, listing, str(patent_list))
            second = draw_patents(drawn, patents_per_enterprise, seed, patents=listing)
        except (TableFileError, SamplingError, OSError) as exc:
            where = frame if patent_list is None else patent_list
            _fail(str(exc) if str(where) in str(exc) else f"{where}: {exc}")
        if listing is None:
            notes.append(
                "no --patent-list: the drawn patents are numbered by patent_index (1..M_i, the enterprise's "
                "patents in publication-number order) and have no patent_id; `survey invite --form patent` "
                "needs their publication numbers (rerun with the frame's patent list, --patent-list)"
            )
    second_out = patents_out or out.with_name(f"{out.stem}_patents.csv")
    for table_, path in ((drawn, out), (second, second_out)):
        try:
            if table_ is not None:
                write_sample(table_, path)
        except OSError as exc:
            _fail(f"{path}: cannot write the sample: {exc.strerror or exc}")
    table = drawn.groupby("stratum").agg(N=("fpc", "first"), n=("n_h", "first"))
    table["design_weight"] = (table["N"] / table["n"]).round(3)
    view = Table(title=f"{method} allocation of {size:,} among {len(table)} strata (seed {seed})")
    for column in ("stratum", "N", "n", "design_weight"):
        view.add_column(column, justify="left" if column == "stratum" else "right")
    for row in table.itertuples():
        view.add_row(Text(str(row.Index)), f"{int(row.N):,}", f"{int(row.n):,}", f"{row.design_weight:g}")
    console.print(view)
    console.print(f"sample written to {out}", markup=False, highlight=False)
    if second is not None:
        console.print(
            f"second stage: {len(second):,} patents of {second['enterprise_id'].nunique():,} enterprises written "
            f"to {second_out}",
            markup=False,
            highlight=False,
        )
    for note in notes:
        console.print(f"note: {note}", markup=False, highlight=False)


@app.command("import")
def import_(
    responses: Annotated[Path, typer.Argument(help="Responses: CSV or XLSX, columns = form names.")],
    form_name: Annotated[str, typer.Option("--form", help="Bundled form (holder, patent) or XLSForm path.")] = "holder",
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Rejects CSV (default: <file>.rejects.csv).")
    ] = None,
    store: Annotated[
        str | None,
        typer.Option("--store", help="SQLite file or SQLAlchemy URL to store the import in."),
    ] = None,
    sample_file: Annotated[Path | None, typer.Option("--sample", help="Sample CSV: responses must be in it.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite units already in the store.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when a row is rejected.")] = False,
    id_rule: Annotated[
        str | None,
        typer.Option("--id-rule", help="Rule for enterprise_id: uscc, demo or free; default: the sample's ids' rule."),
    ] = None,
) -> None:
    """Validate responses against the form; keep bad rows in a rejects file; store the rest."""
    from patentreach.survey.instrument.form import FormError, load_form
    from patentreach.survey.responses import ResponseFileError, import_responses, write_rejects
    from patentreach.survey.store import StoreError, open_store, save_import, shown_url
    from patentreach.survey.table_files import read_table

    if id_rule is not None:
        _check_choice("--id-rule", id_rule, ID_RULES)
    try:
        loaded = load_form(form_name)
        sample_frame = (None if sample_file is None
                        else read_table(sample_file, dtype=str, keep_default_na=False, what="sampled units"))
        result = import_responses(responses, loaded, sample=sample_frame, sample_name=str(sample_file),
                                  id_rule=id_rule)
    except (FormError, ResponseFileError, OSError, ValueError) as exc:
        _fail(str(exc))
    rejects = rejects or responses.with_name(f"{responses.stem}.rejects.csv")
    try:
        rejects_path, issues_path = write_rejects(result, rejects)
    except OSError as exc:
        _fail(f"{rejects}: cannot write the rejects: {exc.strerror or exc}")
    import_id = None
    if store is not None:
        try:
            engine = open_store(store)
        except StoreError as exc:  # names the store, without its password
            _fail(str(exc))
        try:
            import_id = save_import(engine, result, replace=replace)
        except (StoreError, OSError, ValueError) as exc:
            _fail(f"{shown_url(store)}: {exc}")
    # markup=False throughout: values and file names are data ("[x]" must print as typed)
    console.print(result.summary(), highlight=False, markup=False)
    if import_id is not None:
        console.print(f"stored as import {import_id} in {store}", markup=False)
    for issue in result.issues[:20]:
        console.print(f"  {responses.name}: {issue}", highlight=False, markup=False)
    if len(result.issues) > 20:
        console.print(f"  ... {len(result.issues) - 20} more in {issues_path}", markup=False)
    console.print(f"rejects: {rejects_path}; issues: {issues_path}", markup=False)
    if strict and len(result.rejected):
        raise typer.Exit(1)


@app.command("demo")
def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder where the demo writes its files.")
    ] = Path("demo-output/survey"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 2021,
) -> None:
    """The synthetic national survey: frame, sample, responses, weights and headline figures."""
    from patentreach.survey.demo import run_survey_demo
    from patentreach.web.survey_submissions import submit_through_web

    try:
        sentences = run_survey_demo(out, seed, web_submit=submit_through_web)
    except OSError as exc:
        _fail(f"{exc.filename or out}: cannot write the demo files: {exc.strerror or exc}")
    for sentence in sentences:
        console.print(f"- {sentence}", highlight=False, markup=False)
    console.print(f"files in {out}", markup=False)


def _print_table(table: pd.DataFrame, level: float) -> None:
    view = Table(title=f"Estimates ({level * 100:g}% confidence intervals)")
    for column in table.columns:
        view.add_column(column, justify="right" if column not in ("stat", "variable", "domain", "category") else "left")
    for row in table.itertuples(index=False):
        view.add_row(*[Text(_cell(v)) for v in row])
    console.print(view)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    """Exit 2 naming the valid choices (and the closest one) for an unknown option value."""
    if value not in choices:
        close = difflib.get_close_matches(value, choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        _fail(f"{option} {value!r} is not one of {', '.join(choices)}{hint}")


def _fail(message: str) -> None:
    """One line on stderr, exit 2; the message is data (paths, cell values), never Rich markup."""
    errors.print(Text.assemble(("error:", "red"), " ", " ".join(message.split())), highlight=False, soft_wrap=True)
    raise typer.Exit(2)


# --- commands kept in their own modules (one line each) -----------------------------------
from patentreach.cli import survey_exports, survey_fieldwork, survey_headlines, survey_weight  # noqa: E402

survey_fieldwork.register(app)
survey_weight.register(app)
survey_headlines.register(app)
survey_exports.register(app)
