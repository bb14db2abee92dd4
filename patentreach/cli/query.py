"""``patentreach info`` and ``patentreach query``: look inside the warehouse."""

from __future__ import annotations

from typing import Annotated

import typer

from patentreach.cli.consoles import Console
from patentreach.cli.errors import print_note, usage_error
from patentreach.cli.options import FormatOption, InferredFormatOption, OutOption, WarehouseOption
from patentreach.cli.output import FORMATS, choose_format, render, write_rows
from patentreach.warehouse import Warehouse

SCREEN_ROWS = 1_000
"""Rows a table on the screen shows by default; files and csv/json on stdout get every row."""


def info(warehouse: WarehouseOption = None, fmt: FormatOption = "table") -> None:
    """Counts by office, document type and year; documents typed other per office and why; quarantine;
    ingest log."""
    from patentreach.warehouse.summary import summary  # DuckDB: loaded by the command, not at CLI start

    target = _existing(warehouse)
    if fmt not in FORMATS:
        usage_error(f"--format {fmt!r} is not a format", FORMATS, fmt)
    console = Console()
    for section in summary(target):
        render(section.columns, section.rows, fmt, console, title=section.title)


def query(
    sql: Annotated[str, typer.Argument(metavar="SQL", help="DuckDB SQL (SELECT statements) over the warehouse views.")],
    warehouse: WarehouseOption = None,
    fmt: InferredFormatOption = None,
    out: OutOption = None,
    max_rows: Annotated[
        int | None,
        typer.Option("--max-rows", min=1, metavar="N",
                     help=f"Most rows to print or write (default: {SCREEN_ROWS:,} for a table, else all).",
                     show_default=False),
    ] = None,
    unsafe: Annotated[
        bool,
        typer.Option("--unsafe", help="Allow any SQL (COPY, ATTACH, INSTALL, reading any file): no sandbox."),
    ] = False,
) -> None:
    """Run read-only DuckDB SQL over the warehouse views (publications, parties, classifications,
    priorities, designations, quarantine, ingest_log, all_publications, transfers, ...).

    Only SELECT statements run, and they can read nothing outside the warehouse folder; --unsafe
    lifts both (see docs/reliability.md)."""
    import duckdb

    from patentreach.warehouse.read_only_query import QueryRefused, run_read_only_query

    target = _existing(warehouse)
    chosen = choose_format(fmt, out)
    limit = max_rows if max_rows is not None else (SCREEN_ROWS if chosen == "table" else None)
    try:
        result = run_read_only_query(target, sql, unsafe=unsafe, max_rows=limit)
    except QueryRefused as exc:
        usage_error(str(exc))
    except duckdb.Error as exc:
        usage_error(" ".join(str(exc).split("\n")[0].split()))
    console = Console()  # made per run: it reads the terminal's width now, not at import
    if out is not None:
        write_rows(result.columns, result.rows, chosen, out)
        print_note(f"{len(result.rows):,} rows written to {out}")
    else:
        render(result.columns, result.rows, chosen, console)
        if chosen == "table" and _natural_width(result.columns, result.rows) > console.width:
            print_note(f"the table is wider than the screen ({console.width} characters), so values are cut (…); "
                       "--format csv or --out FILE.csv shows them whole")
    if result.truncated:
        hint = "--max-rows N" if out is not None or chosen != "table" else "--max-rows N, or --out FILE.csv"
        print_note(f"only the first {len(result.rows):,} rows are shown; {hint} for more")


def _natural_width(columns: list[str], rows: list[tuple]) -> int:
    """Characters a table needs to show every value whole (three per column for borders and padding)."""
    widths = [len(c) for c in columns]
    for row in rows:
        widths = [max(w, len("" if v is None else str(v))) for w, v in zip(widths, row, strict=True)]
    return sum(widths) + 3 * len(columns) + 1


def _existing(warehouse) -> Warehouse:
    """The warehouse named on the command line, which must exist: an empty answer from a
    mistyped path would look like an empty warehouse."""
    target = Warehouse.locate(warehouse)
    if not target.exists():
        usage_error(f"{target.root}: no warehouse here (run `patentreach ingest` first, or give --warehouse DIR)")
    return target
