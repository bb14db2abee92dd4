"""``patentreach protect``: export protection gaps.

Thin adapter over :mod:`patentreach.protect`: ``gaps`` reads the inputs, calls the library
function of the same name and renders its report as a table, CSV (the routes), JSON, XLSX or an
iCalendar file of the open deadlines.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from patentreach.cli.consoles import Console, Table, Text, lazy_console
from patentreach.cli.options import WarehouseOption

if TYPE_CHECKING:  # the library (duckdb, openpyxl, numpy) loads when the command runs, not at CLI start
    from patentreach.protect.gap_report import GapReport

FORMATS = ("table", "csv", "json", "xlsx", "ics")
EXTENSION_FORMATS = {".txt": "table", ".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".ics": "ics"}

app = typer.Typer(
    help="Export protection gaps: coverage, open filing routes and deadlines, official fees, third-party risk.",
    no_args_is_help=True,
)
errors = lazy_console(stderr=True)


@app.callback()
def protect() -> None:
    """Export protection gaps: coverage, open filing routes and deadlines, official fees, third-party risk."""


@app.command("gaps")
def gaps(
    exports: Annotated[
        Path | None, typer.Option("--exports", help="Export markets: CSV/XLSX of product line x country.",
                                  show_default=False)
    ] = None,
    exports_alias: Annotated[Path | None, typer.Option("-e", hidden=True, help="Old short form of --exports.")] = None,
    portfolio: Annotated[
        Path | None, typer.Option("--portfolio", "-p", help="Portfolio: CSV/XLSX, one row per family and office.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Portfolio of this harmonised entity id, from the warehouse.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Date of the assessment, YYYY-MM-DD (default today)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Output: table, csv (routes), json, xlsx or ics "
                     "(default: from the --out extension, else table).", show_default=False),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the output to this file (.txt, .csv, .json, .xlsx, .ics).")
    ] = None,
    output_alias: Annotated[Path | None, typer.Option("--output", hidden=True, help="Old name of --out.")] = None,
    warehouse: WarehouseOption = None,
    fees: Annotated[
        Path | None, typer.Option("--fees", help="Fee table replacing the packaged official_fees.csv (same columns).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Third-party grants and owners listed per gap.")] = 10,
    all_routes: Annotated[
        bool, typer.Option("--all-routes", help="Table: also list closed routes that have no remedy left.")
    ] = False,
) -> None:
    """Unprotected export markets, open filing routes and deadlines, official fees, third-party risk.

    Give the portfolio as a file (--portfolio) or a warehouse entity (--entity); the warehouse
    (--warehouse) also gives the third-party grants in force in each unprotected market.
    """
    from patentreach.protect import EntityError, InputError, read_entity_portfolio, read_markets, read_portfolio
    from patentreach.protect import gaps as compute_gaps
    from patentreach.protect.user_fees import read_user_fees
    from patentreach.warehouse import Warehouse

    exports = exports or exports_alias
    out = out or output_alias
    if exports is None:
        _fail("missing option --exports FILE (CSV/XLSX of product line x country)")
    fmt = _output_format(fmt, out)
    if (portfolio is None) == (entity is None):
        _fail("give exactly one of --portfolio FILE or --entity ID")
    if fmt == "xlsx" and out is None:
        _fail("--format xlsx needs --out FILE.xlsx")
    day = _as_of(as_of)
    target = Warehouse.locate(warehouse)
    try:
        held = read_portfolio(portfolio) if portfolio is not None else read_entity_portfolio(target, entity or "")
        markets = read_markets(exports, held.families)
        fee_table = read_user_fees(fees) if fees is not None else None
    except InputError as error:
        for problem in error.problems:  # each problem is one line naming file, row and column
            _error_line(problem)
        raise typer.Exit(2) from None
    except (EntityError, ValueError, OSError) as error:
        _fail(str(error))
    report = compute_gaps(held, markets, day, warehouse=target if target.exists() else None,
                          fees=fee_table, fee_source=fees, risk_top=top)
    try:
        _write(report, fmt, out, all_routes)
    except OSError as error:
        _fail(f"{out}: cannot write: {error.strerror or error}")


@app.command("national")
def national(
    exporters: Annotated[
        Path, typer.Option("--exporters", help="Exporters: CSV/XLSX with exporter_id, name, markets (+ sector, size, "
                           "entity_id).", show_default=False)
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Date, YYYY-MM-DD (default today).")
    ] = None,
    warehouse: WarehouseOption = None,
    survey: Annotated[
        str | None, typer.Option("--survey", help="Survey store: show the survey's estimate of the same shares.")
    ] = None,
    survey_weights: Annotated[
        Path | None, typer.Option("--survey-weights", help="The enterprise weights file for --survey.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for national.csv, unmatched.csv and national.json.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the table and files: en or zh.")] = "en",
) -> None:
    """Share of exporters with no patent in force in any / in every one of their export markets.

    Exporters are matched to the warehouse's harmonised applicants by entity id, else by
    normalised name; the matching rate and the unmatched exporters are part of the output.
    """
    from patentreach.protect import EntityError, InputError
    from patentreach.protect.exporters import read_exporters
    from patentreach.protect.national import national_from_warehouse
    from patentreach.warehouse import Warehouse

    if lang not in ("en", "zh"):
        _fail(f"--lang {lang!r} is not one of en, zh")
    if survey is not None and survey_weights is None:
        _fail("--survey needs --survey-weights FILE (the enterprise weights of `patentreach survey weight`)")
    if survey is not None and "://" not in survey and not Path(survey).is_file():
        _fail(f"{survey}: no such survey store")  # before the matching, which takes a while
    day = _as_of(as_of)
    target = Warehouse.locate(warehouse)
    try:
        found = read_exporters(exporters)
        report = national_from_warehouse(found, target, day, f"file {exporters.name}")
        if survey is not None:
            report.survey = _survey_shares(survey, survey_weights)  # type: ignore[arg-type]
    except InputError as error:
        for problem in error.problems:
            _error_line(problem)
        raise typer.Exit(2) from None
    except (EntityError, ValueError, OSError) as error:
        _fail(str(error))
    _national_tables(report, lang)
    if out is not None:
        from patentreach.protect.national_files import write_national

        try:
            for path in write_national(report, out, lang):
                typer.echo(f"wrote {path}")
        except OSError as error:
            _fail(f"{out}: cannot write: {error.strerror or error}")


# The survey's estimate of the same shares, shown beside the register's: the headlines
# export_unprotected_none (no protection in any export market) and export_unprotected_any (not in
# all of them), computed exactly as `patentreach survey headlines` computes them. It lives here,
# not in patentreach.protect, because protect and survey are separate capabilities of one layer.
SURVEY_KEYS = {"export_unprotected_none": "none", "export_unprotected_any": "not_all"}


class SurveyUnavailable(ValueError):
    """The survey estimate cannot be computed (one line: why)."""


def _survey_shares(store: str, weights: Path) -> list[dict[str, object]]:
    """One record per headline and group (all, sector, size): key, share (none / not_all),
    breakdown, group, estimate, ci_lower, ci_upper, n, note."""
    from sqlalchemy.exc import SQLAlchemyError

    from patentreach.survey.design import DesignError
    from patentreach.survey.estimate import StatisticError
    from patentreach.survey.headlines import HeadlineError, headline_rows, joined, load_indicators, read_weights
    from patentreach.survey.linearisation import LonelyPSUError
    from patentreach.survey.store import StoreError, load_responses, open_store

    if "://" not in store and not Path(store).is_file():
        raise SurveyUnavailable(f"{store}: no such survey store")
    try:
        engine = open_store(store)
        try:
            responses = {"holder": load_responses(engine, "holder")}
        finally:
            engine.dispose()
        data = joined(responses, {"holder": read_weights(weights, "holder")})
        table = headline_rows(data, {}, load_indicators(), by=(None, "sector", "size"), keys=list(SURVEY_KEYS))
    except (StoreError, SQLAlchemyError, HeadlineError, DesignError, StatisticError, LonelyPSUError, OSError) as exc:
        raise SurveyUnavailable(f"the survey estimate cannot be computed: {str(exc).splitlines()[0]}") from None
    records = []
    for row in table.to_dict("records"):
        records.append({
            "key": row["key"], "share": SURVEY_KEYS[row["key"]], "breakdown": _text(row["breakdown"]),
            "group": _text(row["group"]), "estimate": _number(row["estimate"]), "ci_lower": _number(row["ci_lower"]),
            "ci_upper": _number(row["ci_upper"]), "n": _number(row["n"]), "note": row.get("note") or "",
        })
    return records


def _text(value: object) -> str:
    """A breakdown or group cell; empty (None, NaN) is the whole population, "all"."""
    return value if isinstance(value, str) and value else "all"


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else round(number, 4)  # NaN: no estimate


def _national_tables(report: object, lang: str) -> None:
    from patentreach.protect.national_files import NOTES, SHARE_COLUMNS, UNMATCHED_COLUMNS, share_rows, unmatched_rows
    from patentreach.protect.national_words import words

    _ = words(lang)
    console = Console()
    title = _("Exporters without a patent in force in their export markets, as of %(date)s") % {
        "date": report.as_of.isoformat()}  # type: ignore[attr-defined]
    _table(console, title, [_(c) for c in SHARE_COLUMNS], _percent(share_rows(report, lang)))  # type: ignore[arg-type]
    if report.unmatched:  # type: ignore[attr-defined]
        _table(console, _("Unmatched exporters"), [_(c) for c in UNMATCHED_COLUMNS],
               unmatched_rows(report))  # type: ignore[arg-type]
    if report.survey:  # type: ignore[attr-defined]
        _table(console, _("Survey estimate of the same share"),
               ["key", _("breakdown"), _("group"), "estimate", "ci_lower", "ci_upper", "n", "note"],
               _percent([(r["key"], r["breakdown"], r["group"], r["estimate"], r["ci_lower"], r["ci_upper"],
                          int(r["n"]) if r["n"] is not None else None, r["note"])
                         for r in report.survey]))  # type: ignore[attr-defined]
    for note in (*NOTES, *report.notes):  # type: ignore[attr-defined]
        console.print(f"note: {_(note)}", highlight=False, markup=False)


def _percent(rows: list[tuple]) -> list[tuple]:
    """Shares (floats in 0..1) as percentages for the terminal; the files keep the numbers."""
    return [tuple(f"{value:.1%}" if isinstance(value, float) else value for value in row) for row in rows]


def _output_format(fmt: str | None, out: Path | None) -> str:
    """``--format`` as given, else the ``--out`` extension's format, else ``table``; exit 2 otherwise."""
    if fmt is not None:
        if fmt not in FORMATS:
            close = difflib.get_close_matches(fmt, FORMATS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            _fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}{hint}")
        return fmt
    if out is None:
        return "table"
    by_extension = EXTENSION_FORMATS.get(out.suffix.lower())
    if by_extension is None:
        _fail(f"--out {out}: cannot tell the format from {out.suffix or 'no extension'!r}; use one of "
              f"{', '.join(EXTENSION_FORMATS)} or give --format ({', '.join(FORMATS)})")
    return by_extension  # type: ignore[return-value]


def _write(report: GapReport, fmt: str, out: Path | None, all_routes: bool) -> None:
    from patentreach.protect import write_workbook
    from patentreach.protect.report_files import report_bytes

    if fmt == "xlsx":
        write_workbook(report, out)  # type: ignore[arg-type]
        typer.echo(f"wrote {out}")
    elif fmt in ("ics", "json", "csv"):
        _emit(report_bytes(report, fmt), out)
    else:
        _tables(report, out, all_routes)


def _as_of(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"--as-of {text!r} is not a date (YYYY-MM-DD)")
        raise


def _emit(data: bytes, out: Path | None) -> None:
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        typer.echo(f"wrote {out}")


def _tables(report: GapReport, out: Path | None, all_routes: bool) -> None:
    from patentreach.protect import report_data

    handle = out.open("w", encoding="utf-8") if out else None
    console = Console(file=handle, width=200) if handle else Console()
    try:
        console.print(f"Export protection gaps - {report.owner}, as of {report.as_of.isoformat()} "
                      f"({report.portfolio_source}; exports {report.markets_source})", highlight=False, markup=False)
        _table(console, "Summary", ["item", "value"], report_data.summary_rows(report))
        _table(console, "Next deadlines", ["deadline", "expires", "family", "route", "office", "markets", "verified"],
               report_data.deadline_rows(report))
        _table(console, "Coverage", report_data.COVERAGE_COLUMNS, report_data.coverage_rows(report))
        _table(console, "Gaps", report_data.GAP_COLUMNS, report_data.gap_rows(report))
        columns = ["family", "market", "route", "office", "status", "deadline", "expires", "verified", "fee",
                   "reason / remedies / notes"]
        picked = [0, 1, 3, 4, 5, 6, 7, 8, 10]
        for title, wanted in (("Open and pending routes", ("open", "pending")), ("Closed routes", ("closed",))):
            rows = []
            for row in report_data.route_rows(report):
                status, remedies = row[5], row[18]
                if status not in wanted or (status == "closed" and not remedies and not all_routes):
                    continue
                text = " | ".join(part for part in (row[17], row[18], row[19], row[9]) if part)
                rows.append((*[row[i] for i in picked], text))
            if title == "Closed routes" and not all_routes:
                title += " with a remedy that may remain (--all-routes for every closed route)"
            _table(console, title, columns, rows)
        _table(console, "Renewal fees due in the coming year (official fees; unknown is never 0)",
               report_data.RENEWAL_COLUMNS[:10], [row[:10] for row in report_data.renewal_rows(report)])
        if report.risks:
            _table(console, "Third-party risk (grants assumed in force)", report_data.RISK_COLUMNS,
                   report_data.risk_rows(report))
        for warning in report.warnings:
            console.print(f"note: {warning}", highlight=False, markup=False)
        console.print(f"Fees are official fees only, in the office's currency, from the {report.fee_table}; "
                      "unknown amounts are shown as unknown, never as zero.", highlight=False, markup=False)
    finally:
        if handle:
            handle.close()
            typer.echo(f"wrote {out}")


def _table(console: Console, title: str, columns: list[str], rows: list[tuple]) -> None:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*[Text(_cell(value)) for value in row])  # Text: data is never Rich markup
    console.print(table)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)


def _error_line(message: str) -> None:
    """One line on stderr; the message is data (paths, cell values), never Rich markup."""
    errors.print(Text.assemble(("error:", "red"), " ", " ".join(message.split())), highlight=False, soft_wrap=True)


def _fail(message: str) -> None:
    _error_line(message)
    raise typer.Exit(2)
