"""``patentreach synth``: write a synthetic warehouse of any size (demo and benchmarks only)."""

from __future__ import annotations

from typing import Annotated

import typer

from patentreach.cli.consoles import lazy_console
from patentreach.cli.errors import usage_error
from patentreach.cli.options import WarehouseOption
from patentreach.cli.output import render
from patentreach.cli.progress_bars import step_bar
from patentreach.warehouse import Warehouse

console = lazy_console()


def synth(
    publications: Annotated[
        int, typer.Option(min=1, metavar="N", help="Number of publications to generate.")
    ] = 100_000,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same warehouse.")] = 1,
    chunk_size: Annotated[
        int, typer.Option(min=1, metavar="N", help="Publications per part (one ingest-log entry each).")
    ] = 5_000_000,
    threads: Annotated[
        int | None, typer.Option(min=1, metavar="N", help="DuckDB threads (default: all cores).")
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Write a synthetic warehouse (publications, parties, classifications, priorities and the
    harmonisation tables), shaped after the published figures. Replaces the warehouse's tables."""
    from patentreach.synth.warehouse import write_warehouse
    from patentreach.warehouse.views import write_database

    target = Warehouse.locate(warehouse)
    try:
        with step_bar("synthetic warehouse") as progress:
            report = write_warehouse(target.root, publications, seed=seed, chunk_size=chunk_size, threads=threads,
                                     progress=progress)
    except FileExistsError as exc:
        usage_error(str(exc))
    write_database(target)
    rows = [(name, f"{n:,}") for name, n in report.rows.items()]
    title = f"synthetic warehouse {report.root} ({report.seconds:.0f} s)"
    render(["table", "rows"], rows, "table", console, title=title)
