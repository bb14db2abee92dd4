"""``patentreach ingest``: files or folders into the warehouse, with a progress bar over bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from patentreach.cli.options import WarehouseOption
from patentreach.warehouse import Warehouse
from patentreach.warehouse import ingest as ingest_lib
from patentreach.warehouse.inputs import InputError

console = Console()
errors = Console(stderr=True)


class RichProgress(ingest_lib.ProgressHook):
    def __init__(self, progress: Progress):
        self.progress = progress
        self.task = progress.add_task("ingest", total=None)

    def start(self, total_bytes: int) -> None:
        self.progress.update(self.task, total=total_bytes)

    def file(self, label: str) -> None:
        self.progress.update(self.task, description=Path(label).name[-40:])

    def advance(self, n_bytes: int) -> None:
        self.progress.advance(self.task, n_bytes)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.xml, .zip, .gz, ...).")],
    warehouse: WarehouseOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parser processes.")] = 1,
    format_name: Annotated[
        str | None, typer.Option("--format", help="Force a reader instead of detecting it.")
    ] = None,
) -> None:
    """Ingest patent files into the warehouse; prints a table of per-file counts."""
    target = Warehouse.locate(warehouse)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=errors, transient=True) as bar:
            report = ingest_lib.ingest(paths, target, jobs=jobs, format_name=format_name,
                                       progress=RichProgress(bar))
    except (InputError, ingest_lib.IngestError, KeyError) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(_report_table(report))
    warnings = sum(len(f.warnings) for f in report.files)
    if warnings:
        errors.print(
            f"{warnings} warnings (records repaired or noticed, all stored): "
            'patentreach query "SELECT * FROM ingest_warnings"'
        )
    for outcome in report.failed:
        errors.print(f"[red]error:[/red] {outcome.error}")
    if report.nothing_ingested:
        raise typer.Exit(1)


def _report_table(report: ingest_lib.IngestReport) -> Table:
    table = Table(title="ingest")
    for name in ("file", "reader", "status", "read", "stored", "quarantined", "skipped"):
        table.add_column(name, justify="right" if name in {"read", "stored", "quarantined", "skipped"} else "left")
    totals = [0, 0, 0, 0]
    for f in report.files:
        counts = [f.read, f.stored, f.quarantined, f.skipped]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        table.add_row(Path(f.label).name, f.reader, f.status, *map(str, counts))
    table.add_row(f"{len(report.files)} files", "", "", *map(str, totals), style="bold")
    return table
