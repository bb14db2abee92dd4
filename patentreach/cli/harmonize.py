"""``patentreach harmonize`` and ``patentreach entities search``: applicants as entities.

Thin adapters over :mod:`patentreach.harmonize`: ``harmonize`` calls ``harmonize.harmonize`` and
renders its report; ``entities search`` calls ``harmonize.search``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from patentreach import harmonize as harmonize_lib  # its __init__ is lazy: Splink and DuckDB load on first use
from patentreach.cli.consoles import escape, lazy_console
from patentreach.cli.options import FormatOption, WarehouseOption
from patentreach.cli.output import FORMATS, render
from patentreach.warehouse.coverage import coverage_of
from patentreach.warehouse.layout import Warehouse

if TYPE_CHECKING:
    from rich.progress import Progress

    from patentreach.harmonize import HarmonizeProgress

console = lazy_console()
errors = lazy_console(stderr=True)

app = typer.Typer(help="Applicant entities made by `patentreach harmonize`.", no_args_is_help=True)

EngineOption = Annotated[str, typer.Option("--engine", help="Where Splink scores pairs: duckdb (default) or spark.")]
# The old short spelling, kept hidden for one release: `--engine` has no short form anywhere.
OldEngineOption = Annotated[str | None, typer.Option("-e", hidden=True, show_default=False)]
SparkMasterOption = Annotated[str | None, typer.Option(help="Spark master URL with --engine spark (default local[2]).")]


def rich_progress(progress: Progress) -> HarmonizeProgress:
    """Harmonisation steps on a Rich bar (the hook class is defined here, once harmonize is loaded)."""

    class RichProgress(harmonize_lib.HarmonizeProgress):
        def __init__(self, progress: Progress):
            self.progress = progress
            self.task = progress.add_task("harmonize", total=None)
            self.started = False

        def start(self, steps: tuple[str, ...]) -> None:
            self.progress.update(self.task, total=len(steps))

        def step(self, label: str) -> None:
            if self.started:
                self.progress.advance(self.task)
            self.started = True
            self.progress.update(self.task, description=label)

    return RichProgress(progress)


def harmonize(
    warehouse: WarehouseOption = None,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = None,
    old_engine: OldEngineOption = None,
) -> None:
    """Resolve parties into entities (Splink), decide sectors and countries of origin; writes the
    entities, party_entity, origin_shares and entity_variants views."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    engine = old_engine or engine
    if engine not in harmonize_lib.ENGINES:
        message = escape(harmonize_lib.unknown_engine(engine))
        errors.print(f"[red]error:[/red] --engine: {message}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    target = Warehouse.locate(warehouse)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=errors, transient=True) as bar:
            report = harmonize_lib.harmonize(target, engine=engine, progress=rich_progress(bar),
                                             spark_master=spark_master)
    except (harmonize_lib.HarmonizeError, harmonize_lib.EngineUnavailable) as exc:
        errors.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    render(
        ["item", "value"],
        [
            ("publications", report.publications),
            ("party rows", report.parties),
            ("distinct names", report.names),
            ("name variants", report.variants),
            ("variants linked by Splink", report.linked_variants),
            ("linked pairs", report.linked_pairs),
            ("Splink parameters", report.parameters),
            ("entities", report.entities),
            ("entity ids kept / new / retired", f"{report.ids_kept} / {report.ids_new} / {report.ids_retired}"),
            ("engine", report.engine),
            ("seconds", report.seconds),
        ],
        "table",
        console,
        title="harmonize",
    )
    render(["sector", "entities"], list(report.sectors.items()), "table", console, title="entities by sector")
    render(["rule", "entities"], list(report.sector_rules.items()), "table", console, title="sector decided by")
    render(
        ["rule", "country from", "rows"],
        report.origin,
        "table",
        console,
        title="country of origin: own country, fallback used, or none",
    )
    columns, rows = coverage_of(target)
    render(columns, rows, "table", console, title="coverage: publications without origin, without sector, typed other")


@app.command("search")
def search(
    name: Annotated[str, typer.Argument(help="An applicant name, in any spelling.")],
    warehouse: WarehouseOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Entities to list.")] = 10,
    show: Annotated[int, typer.Option("--show", min=0, help="Entities to show variants and publications of.")] = 1,
    fmt: FormatOption = "table",
) -> None:
    """Find entities by name; show the best match's name variants and publications."""
    from patentreach.harmonize.search import ENTITY_COLUMNS, PUBLICATION_COLUMNS, VARIANT_COLUMNS, NotHarmonized

    if fmt not in FORMATS:
        errors.print(f"[red]error:[/red] --format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    try:
        result = harmonize_lib.search(Warehouse.locate(warehouse), name, limit=limit, show=show)
    except NotHarmonized as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if not result.entities:
        errors.print(f"no entity matches {name!r} (normalised: {result.normalised!r})")
        raise typer.Exit(1)
    if fmt == "json":  # one document, the web API's shape: {"query", "normalised", "entities", "variants", ...}
        console.print_json(json.dumps(result.as_json(), ensure_ascii=False, default=str))
        return
    render(ENTITY_COLUMNS, result.entities, fmt, console, title=f"entities matching {name!r}")
    if show:
        render(VARIANT_COLUMNS, result.variants, fmt, console, title="name variants")
        render(PUBLICATION_COLUMNS, result.publications, fmt, console, title="publications")
