"""``patentreach survey invite | remind | status | close``: running the fieldwork from the shell.

The survey team's year: ``invite`` the sample (one single-use link per unit, and the mail-merge
file for the letters and e-mails), ``status`` as answers come in, ``remind`` those who have not
answered (a new mail-merge file; the reminder is recorded), ``close`` at the deadline. Paper and
e-mailed questionnaires are keyed in and brought in with ``survey import --store``, into the same
store: a unit is counted once, whichever way it answered. The web pages
(``patentreach serve``) read and write the same store.

Only typer and rich are imported here; pandas and SQLAlchemy load inside the commands, so
``patentreach survey --help`` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from patentreach.cli.consoles import Table, Text

if TYPE_CHECKING:
    import pandas as pd

STORE_HELP = ("Survey store: a SQLite file, or a database URL such as postgresql+psycopg://user@host/db "
              "(the one `patentreach serve --survey-store` uses).")
FORM_HELP = "Bundled form (holder, patent) or an XLSForm path."
BASE_URL_HELP = "Where `patentreach serve` is reached by respondents; links are BASE-URL/survey/TOKEN."


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``patentreach survey``."""
    app.command("invite")(invite)
    app.command("remind")(remind)
    app.command("status")(status)
    app.command("close")(close)


def invite(
    sample: Annotated[Path, typer.Option("--sample", help="Sample CSV or XLSX (`survey sample` writes it).")],
    store: Annotated[str, typer.Option("--store", help=STORE_HELP)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Mail-merge file to write: .csv or .xlsx.")],
    form_name: Annotated[str, typer.Option("--form", help=FORM_HELP)] = "holder",
    base_url: Annotated[str, typer.Option("--base-url", help=BASE_URL_HELP)] = "http://127.0.0.1:8000",
) -> None:
    """One single-use link per sampled unit, and the mail-merge file (token, link, ids, stratum,
    contact columns, status). Running it again keeps the links already sent."""
    from patentreach.survey import fieldwork
    from patentreach.survey.store import StoreError
    from patentreach.survey.table_files import TableFileError, read_table

    _check_out(out)
    _check_base_url(base_url)
    form = _load_form(form_name)
    try:
        units = read_table(sample, dtype=str, keep_default_na=False, what="sampled units")
    except (TableFileError, OSError, ValueError) as exc:
        _fail(str(exc) if str(sample) in str(exc) else f"{sample}: {exc}")
    if units.empty:
        _fail(f"{sample}: the sample has no rows: nobody to invite")
    engine = _open(store)
    try:
        before = set(fieldwork.invitation_table(engine, form)["unit_key"])
        table = fieldwork.invite(engine, form, units)
    except StoreError as exc:
        _fail(f"{sample}: {exc}")
    keys = list(dict.fromkeys(fieldwork.unit_key(form, row) for row in units.to_dict("records")))
    mine = table.set_index("unit_key").loc[keys].reset_index()  # the sample's order
    new = len(set(keys) - before)
    rows = fieldwork.mail_merge(mine, form, base_url)
    _write(rows, out)
    _print(f"{len(rows):,} invitations for form {form.form_id}: {new:,} new, {len(rows) - new:,} already "
           f"invited (their links are kept)")
    _print(f"mail merge: {out} (links {fieldwork.survey_link(base_url, '<token>')})")


def remind(
    store: Annotated[str, typer.Option("--store", help=STORE_HELP)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Reminder mail-merge file to write: .csv or .xlsx.")],
    form_name: Annotated[str, typer.Option("--form", help=FORM_HELP)] = "holder",
    base_url: Annotated[str, typer.Option("--base-url", help=BASE_URL_HELP)] = "http://127.0.0.1:8000",
) -> None:
    """The invitations not yet answered (invited, opened or partly answered), for a reminder mail
    merge; each gets one more reminder counted."""
    from patentreach.survey import fieldwork

    _check_out(out)
    _check_base_url(base_url)
    form = _load_form(form_name)
    engine = _open(store)
    if fieldwork.is_closed(engine, form.form_id):
        _fail(f"{store}: the fieldwork of form {form.form_id} is closed; no reminders are sent after closing")
    if fieldwork.invitation_table(engine, form).empty:
        _fail(f"{store}: nobody has been invited to form {form.form_id} yet (run `patentreach survey invite`)")
    left = fieldwork.outstanding(engine, form)
    counted = fieldwork.record_reminders(engine, left["token"].tolist())
    rows = fieldwork.mail_merge(fieldwork.outstanding(engine, form), form, base_url)
    _write(rows, out)
    if rows.empty:
        _print(f"no reminders: every invited unit of form {form.form_id} has answered; {out} has the header only")
        return
    by_status = rows["status"].value_counts()
    parts = ", ".join(f"{by_status[s]:,} {s}" for s in fieldwork.STATUSES if s in by_status)
    _print(f"{counted:,} reminders for form {form.form_id} ({parts}); recorded in {store}")
    _print(f"mail merge: {out}")


def status(
    store: Annotated[str, typer.Option("--store", help=STORE_HELP)],
    form_name: Annotated[str, typer.Option("--form", help=FORM_HELP)] = "holder",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
) -> None:
    """Response rates per stratum and overall: invited, opened, partly answered, complete (on the
    web and on paper) and the response rate."""
    from patentreach.cli.survey import console
    from patentreach.survey import fieldwork

    _check_choice("--format", fmt, ("table", "csv", "json"))
    form = _load_form(form_name)
    engine = _open(store)
    rates = fieldwork.response_rates(engine, form)
    closed = fieldwork.closed_at(engine, form.form_id)
    if fmt == "json":
        import json

        from patentreach.survey.output import to_records

        document = {
            "form": form.form_id,
            "closed_at": None if closed is None else closed.isoformat(),
            "definition": fieldwork.RATE_DEFINITION,
            "strata": to_records(rates),
        }
        console.file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        from patentreach.survey.output import render

        console.file.write(render(rates, "csv"))
        return
    if rates.empty:
        _print(f"nobody has been invited to form {form.form_id} in {store} yet: no response rates "
               "(run `patentreach survey invite`)")
        return
    state = "open" if closed is None else f"closed {closed:%Y-%m-%d %H:%M} UTC"
    view = Table(title=f"Response rates, form {form.form_id} (fieldwork {state})")
    for column in ("stratum", "invited", "opened", "partial", "complete", "web", "paper", "rate"):
        view.add_column(column, justify="left" if column == "stratum" else "right")
    for row in rates.itertuples(index=False):
        view.add_row(Text(str(row.stratum)), *(f"{int(getattr(row, c)):,}" for c in
                                                ("invited", "opened", "partial", "complete", "web", "paper")),
                     f"{row.response_rate:.1%}")
    console.print(view)
    _print(fieldwork.RATE_DEFINITION)


def close(
    store: Annotated[str, typer.Option("--store", help=STORE_HELP)],
    form_name: Annotated[str, typer.Option("--form", help=FORM_HELP)] = "holder",
    by: Annotated[str, typer.Option("--by", help="Who closes it (kept in the store).")] = "",
) -> None:
    """Close the fieldwork of a form: links stop accepting answers and drafts; paper returns can
    still be imported with `survey import --store`."""
    from patentreach.survey import fieldwork

    form = _load_form(form_name)
    engine = _open(store)
    closed = fieldwork.closed_at(engine, form.form_id)
    if closed is not None:
        _print(f"the fieldwork of form {form.form_id} was already closed on {closed:%Y-%m-%d %H:%M} UTC")
        return
    fieldwork.close_fieldwork(engine, form, by=by)
    rates = fieldwork.response_rates(engine, form)
    if rates.empty:
        _print(f"fieldwork of form {form.form_id} closed; nobody had been invited")
        return
    total = rates.iloc[-1]
    _print(f"fieldwork of form {form.form_id} closed: {int(total['complete']):,} of {int(total['invited']):,} "
           f"invited units answered ({total['response_rate']:.1%}); paper returns can still be imported "
           "with `patentreach survey import --store`")


# --- shared helpers --------------------------------------------------------------------------


def _load_form(name: str) -> Any:
    from patentreach.survey.instrument.form import FormError, load_form

    try:
        return load_form(name)
    except (FormError, OSError, ValueError) as exc:
        _fail(f"--form {name}: {exc}" if name not in str(exc) else str(exc))


def _open(store: str) -> Any:
    from patentreach.survey.store import StoreError, open_store

    try:
        return open_store(store)
    except StoreError as exc:
        _fail(str(exc))


def _check_out(out: Path) -> None:
    from patentreach.survey.fieldwork import MAIL_MERGE_FORMATS

    if out.suffix.lower() not in MAIL_MERGE_FORMATS:
        _fail(f"--out {out}: a mail-merge file is {' or '.join(MAIL_MERGE_FORMATS)}, not "
              f"{out.suffix or 'a file without extension'!r}")


def _check_base_url(base_url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        _fail(f"--base-url {base_url!r}: give the web service's address, such as https://survey.example.cn")


def _write(rows: pd.DataFrame, out: Path) -> None:
    from patentreach.survey.fieldwork import write_mail_merge

    try:
        write_mail_merge(rows, out)
    except OSError as exc:
        _fail(f"{out}: cannot write the mail merge: {exc.strerror or exc}")


def _print(message: str) -> None:
    from patentreach.cli.survey import console

    console.print(message, markup=False, highlight=False)


def _check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    from patentreach.cli.survey import _check_choice as check

    check(option, value, choices)


def _fail(message: str) -> None:
    from patentreach.cli.survey import _fail as fail

    fail(message)
