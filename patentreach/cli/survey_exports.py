"""``patentreach survey export`` and ``survey codebook``: the stored responses for SPSS, Stata,
R or a spreadsheet, and the codebook that explains their columns (both from the XLSForm)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

LANGUAGES = ("en", "zh")


def _existing_store(store: str) -> str:
    """The store to read: a SQLite path must exist (opening a mistyped path would create an
    empty store and export nothing without a word)."""
    from patentreach.cli.survey import _fail

    if "://" not in store and not Path(store).is_file():
        _fail(f"{store}: no such survey store (give the SQLite file or SQLAlchemy URL used by survey import)")
    if store.startswith("sqlite:///") and store != "sqlite:///:memory:" \
            and not Path(store.removeprefix("sqlite:///")).is_file():
        _fail(f"{store}: no such survey store")
    return store


def export(
    store: Annotated[str, typer.Option("--store", help="SQLite file or SQLAlchemy URL the responses are in.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write: .csv, .xlsx, .parquet, .sav (SPSS) or .dta (Stata).")
    ],
    form_name: Annotated[str, typer.Option("--form", help="Bundled form (holder, patent) or XLSForm path.")] = "holder",
    language: Annotated[str, typer.Option("--language", help="Labels in en or zh (SPSS/Stata).")] = "en",
) -> None:
    """Write the stored responses of a form, with variable and value labels from the XLSForm.

    Example: patentreach survey export --store survey.sqlite --form holder --out holder.sav --language zh"""
    from sqlalchemy.exc import SQLAlchemyError

    from patentreach.cli.survey import _check_choice, _fail, console
    from patentreach.survey.exports import ExportError, export_format, write_responses
    from patentreach.survey.instrument.form import FormError, load_form
    from patentreach.survey.store import load_responses, open_store

    _check_choice("--language", language, LANGUAGES)
    try:
        export_format(out)
        loaded = load_form(form_name)
    except (ExportError, FormError) as exc:
        _fail(str(exc))
    try:
        engine = open_store(_existing_store(store))
        data = load_responses(engine, loaded)
        engine.dispose()
    except (SQLAlchemyError, OSError, ValueError) as exc:
        _fail(f"{store}: cannot read the survey store: {str(exc).splitlines()[0]}")
    try:
        write_responses(data, loaded, out, language)
    except ExportError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{out}: cannot write the responses: {exc.strerror or exc}")
    console.print(f"{len(data):,} responses of form {loaded.form_id} written to {out}", markup=False, highlight=False)
    if not len(data):
        console.print("the store holds no responses of this form yet: the file has the columns only",
                      markup=False, highlight=False)


def codebook(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .csv, .xlsx or .md.")],
    form_name: Annotated[str, typer.Option("--form", help="Bundled form (holder, patent) or XLSForm path.")] = "holder",
    language: Annotated[str, typer.Option("--language", help="Labels in en or zh.")] = "en",
) -> None:
    """The codebook of a form: every exported variable with its label, type, group, skip logic,
    constraint, required rule and choice codes.

    Example: patentreach survey codebook --form patent --out codebook.xlsx --language zh"""
    from patentreach.cli.survey import _check_choice, _fail, console
    from patentreach.survey.codebook import write_codebook
    from patentreach.survey.instrument.form import FormError, load_form

    _check_choice("--language", language, LANGUAGES)
    try:
        loaded = load_form(form_name)
        write_codebook(loaded, out, language)
    except (FormError, ValueError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{out}: cannot write the codebook: {exc.strerror or exc}")
    console.print(f"codebook of form {loaded.form_id} written to {out}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``patentreach survey``."""
    app.command("export")(export)
    app.command("codebook")(codebook)
