"""``patentreach info`` and ``patentreach query``: look inside the warehouse."""

from __future__ import annotations

from typing import Annotated

import duckdb
import typer
from rich.console import Console

from patentreach.cli.options import FormatOption, WarehouseOption
from patentreach.cli.output import FORMATS, render
from patentreach.warehouse import Warehouse
from patentreach.warehouse.summary import run_query, summary

console = Console()
errors = Console(stderr=True)


def info(warehouse: WarehouseOption = None, fmt: FormatOption = "table") -> None:
    """Counts by office, document type and year; quarantine; ingest log."""
    target = Warehouse.locate(warehouse)
    if not target.exists():
        errors.print(f"[red]error:[/red] {target.root}: no warehouse here (run `patentreach ingest` first)")
        raise typer.Exit(2)
    _check_format(fmt)
    for section in summary(target):
        render(section.columns, section.rows, fmt, console, title=section.title)


def query(
    sql: Annotated[str, typer.Argument(help="DuckDB SQL over the warehouse views.")],
    warehouse: WarehouseOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Run DuckDB SQL over the views publications, parties, classifications, priorities,
    quarantine, ingest_log and all_publications."""
    target = Warehouse.locate(warehouse)
    _check_format(fmt)
    try:
        columns, rows = run_query(target, sql)
    except duckdb.Error as exc:
        errors.print(f"[red]error:[/red] {str(exc).splitlines()[0]}")
        raise typer.Exit(2) from None
    render(columns, rows, fmt, console)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        errors.print(f"[red]error:[/red] --format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
