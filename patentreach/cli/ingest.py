"""``patentreach ingest``: files or folders into the warehouse, with a progress bar over bytes.

Exit status: 0 every file is in the warehouse, 1 some file failed (each has its one-line error and
the others were ingested), 2 nothing could start (bad option, missing path, warehouse not writable
or busy).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from patentreach.cli.consoles import Table, escape, lazy_console
from patentreach.cli.options import WarehouseOption
from patentreach.sources import limits
from patentreach.warehouse.layout import Warehouse

if TYPE_CHECKING:
    from rich.progress import Progress

    from patentreach.warehouse.ingest import IngestReport, ProgressHook

# The ingest machinery (readers, Arrow, DuckDB) is imported inside `ingest`, not when the CLI starts.

console = lazy_console()
errors = lazy_console(stderr=True)


def rich_progress(progress: Progress) -> ProgressHook:
    """Bytes read on a Rich bar (the hook class is defined here, once the ingest module is loaded)."""
    from patentreach.warehouse.ingest import ProgressHook

    class RichProgress(ProgressHook):
        def __init__(self, progress: Progress):
            self.progress = progress
            self.task = progress.add_task("ingest", total=None)

        def start(self, total_bytes: int) -> None:
            self.progress.update(self.task, total=total_bytes)

        def file(self, label: str) -> None:
            self.progress.update(self.task, description=Path(label).name[-40:])

        def advance(self, n_bytes: int) -> None:
            self.progress.advance(self.task, n_bytes)

    return RichProgress(progress)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.xml, .zip, .gz, ...).")],
    warehouse: WarehouseOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parser processes.")] = 1,
    reader: Annotated[
        str | None, typer.Option(
            "--reader", metavar="NAME", help="Force a reader instead of detecting it.", show_default=False
        )
    ] = None,
    old_format: Annotated[str | None, typer.Option("--format", hidden=True)] = None,
    engine: Annotated[str, typer.Option(
        "--engine", metavar="ENGINE", help="Where files are parsed: local processes (default) or spark.")] = "local",
    spark_master: Annotated[str | None, typer.Option(
        help="Spark master URL with --engine spark (default local[2]).", show_default=False)] = None,
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            metavar="NAME=VALUE",
            help="Lift or lower a bound for this run, NAME=VALUE (repeatable). Defaults: "
            + limits.Limits().as_text().replace(",", ", "),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Ingest patent files into the warehouse; prints a table of per-file counts."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    from patentreach.warehouse import ingest as ingest_lib
    from patentreach.warehouse.inputs import InputError

    if old_format is not None:
        errors.print("note: --format is deprecated for ingest; use --reader (it names the reader to force)")
        reader = reader or old_format
    _configure_limits(limit or [])
    if engine not in ("local", "duckdb", "spark"):  # duckdb: the name the other commands give the default
        errors.print(f"[red]error:[/red] --engine {escape(engine)!r} is not known; choose from local, spark")
        raise typer.Exit(2)
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
            if engine == "spark":  # pyspark is imported by spark_ingest's session, only here
                from patentreach.warehouse import spark_ingest

                report = spark_ingest.ingest(paths, target, reader, rich_progress(bar), master=spark_master)
            else:
                report = ingest_lib.ingest(paths, target, jobs=jobs, reader=reader, progress=rich_progress(bar))
    except (InputError, ingest_lib.IngestError) as exc:
        errors.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    console.print(_report_table(report))
    warnings = sum(len(f.warnings) for f in report.files)
    if warnings:
        errors.print(
            f"{warnings} warnings (records repaired or noticed, all stored): "
            'patentreach query "SELECT * FROM ingest_warnings"'
        )
    for note in (note for f in report.files for note in f.notes):
        errors.print(f"note: {escape(note)}", highlight=False, soft_wrap=True)
    for outcome in report.failed:
        errors.print(f"[red]error:[/red] {escape(outcome.error or '')}", highlight=False, soft_wrap=True)
    if report.database_error:
        errors.print(f"[red]error:[/red] {escape(report.database_error)}", highlight=False, soft_wrap=True)
    if not report.complete:
        raise typer.Exit(1)


def _configure_limits(settings: list[str]) -> None:
    """``--limit name=value`` over the limits already in force (environment or defaults)."""
    if not settings:
        return
    try:
        configured = limits.parse(",".join(settings), base=limits.current())
    except limits.LimitError as exc:
        errors.print(f"[red]error:[/red] --limit: {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    limits.configure(configured)


def _report_table(report: IngestReport) -> Table:
    table = Table(title="ingest")
    for name in ("file", "reader", "status", "read", "stored", "quarantined", "skipped"):
        table.add_column(name, justify="right" if name in {"read", "stored", "quarantined", "skipped"} else "left")
    totals = [0, 0, 0, 0]
    for f in report.files:
        counts = [f.read, f.stored, f.quarantined, f.skipped]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        table.add_row(escape(Path(f.label).name), f.reader, f.status, *map(str, counts))
    table.add_row(f"{len(report.files)} files", "", "", *map(str, totals), style="bold")
    return table
