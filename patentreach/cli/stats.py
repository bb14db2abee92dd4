"""``patentreach stats``: outbound indicators and the publications behind each cell.

Thin adapter over :mod:`patentreach.indicators`: ``outbound``, ``records`` and ``prepare`` parse
their options into an ``OutboundSpec`` and call the library function of the same name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from patentreach.cli.consoles import lazy_console
from patentreach.cli.options import WarehouseOption
from patentreach.cli.output import fail as _fail
from patentreach.cli.output import render
from patentreach.cli.output import result_format as _format
from patentreach.indicators.spec import (
    Cell,
    OutboundSpec,
    SpecError,
)
from patentreach.warehouse.layout import Warehouse

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult

# The indicator library (Ibis), the engines and the result writers (Arrow) are imported inside the
# commands: `patentreach --help` and every other command start without them.

app = typer.Typer(help="Outbound patent indicators: patents obtained abroad, by origin.", no_args_is_help=True)
console = lazy_console()
errors = lazy_console(stderr=True)


def _refused() -> tuple[type[Exception], ...]:
    """The library's refusals of a request (bad switch, missing or stale table, unknown format):
    each is one line and exit 2."""
    from patentreach.indicators.result_files import FormatError
    from patentreach.warehouse.engines import MissingTable
    from patentreach.warehouse.freshness import StaleDerivedTables

    return SpecError, MissingTable, StaleDerivedTables, FormatError

Origin = Annotated[str | None, typer.Option(help="Origin countries, e.g. CN or CN,HK (default: all).")]
OriginRule = Annotated[str, typer.Option(help="first_applicant, applicants or inventors.")]
Years = Annotated[str | None, typer.Option(help="Year or range: 2021, 2019-2021.")]
Offices = Annotated[str | None, typer.Option(help="Offices and groups: major, ip5, bri, US,EP,JP (default: all).")]
Unit = Annotated[str, typer.Option(help="documents or families.")]
Counting = Annotated[str, typer.Option(help="whole or fractional.")]
Basis = Annotated[str, typer.Option(help="Date basis: grant, filing or priority.")]
Stage = Annotated[str, typer.Option(help="grants or applications.")]
Types = Annotated[str, typer.Option("--type", help="invention, utility_model, design (comma-separated).")]
Sector = Annotated[str | None, typer.Option(help="Origin sector: company (= enterprise), university, ...")]
Scope = Annotated[str, typer.Option(help="abroad, non_resident, resident or all.")]
By = Annotated[str, typer.Option(help="Breakdown: office,year,origin,field,entity,sector,route,destination,residence.")]
FieldCounting = Annotated[str, typer.Option(help="Technology fields: fractional or first.")]
Top = Annotated[int | None, typer.Option(help="Top N entities (with --by entity).")]
Destination = Annotated[str, typer.Option(help="Group for the destination breakdown (default bri).")]
Engine = Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")]
EngineAlias = Annotated[str | None, typer.Option("-e", hidden=True, help="Old spelling of --engine.")]
SparkMaster = Annotated[str | None, typer.Option(help="Spark master URL (default local[2]).")]
Prepared = Annotated[bool, typer.Option(help="Use prepared fact tables when fresh (see `stats prepare`).")]
Format = Annotated[str | None, typer.Option(
    "--format", "-f", help="table, csv, json, parquet or xlsx (default: table, or the extension of --out).",
    show_default=False)]
Out = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Write to this file (.csv, .json, .parquet or .xlsx; needed for parquet and xlsx).")]
OutAlias = Annotated[Path | None, typer.Option("--output", hidden=True, help="Old spelling of --out.")]
InForceAt = Annotated[str | None, typer.Option(
    "--in-force-at", metavar="YYYY-MM-DD", help="Count only grants in force on this date (patents in force).",
    show_default=False)]


def _spec(origin: str | None, origin_rule: str, years: str | None, offices: str | None, unit: str, counting: str,
          basis: str, stage: str, types: str, sector: str | None, scope: str, by: str, field_counting: str,
          top: int | None, destination_group: str) -> OutboundSpec:
    from patentreach.indicators.options import outbound_spec  # shared with the web's query parameters

    return outbound_spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                         field_counting, top, destination_group)


def _open(warehouse: Path | None, engine: str, spark_master: str | None) -> Any:
    """The engine over the warehouse, once the warehouse exists and its harmonised tables are
    current (checked before a Spark session is started for nothing)."""
    from patentreach.warehouse.engines import ENGINES, connect
    from patentreach.warehouse.freshness import require_fresh

    if engine not in ENGINES:
        _fail(f"--engine {engine!r} is not known; choose from {', '.join(ENGINES)}")
    target = Warehouse.locate(warehouse)
    if not target.exists():
        _fail(f"{target.root}: no warehouse here (run `patentreach ingest` or `patentreach synth` first)")
    require_fresh(target)
    options = {"master": spark_master} if engine == "spark" and spark_master else {}
    if engine == "spark":
        with errors.status("starting Spark ..."):
            return connect(target, engine, **options)
    return connect(target, engine, **options)


def _compute(engine: str, compute: Any) -> Any:
    """Run ``compute`` (a spinner with its step on Spark, where the wait is long)."""
    if engine != "spark":
        return compute()
    with errors.status("counting on Spark ..."):
        return compute()


def _emit(result: IndicatorResult, fmt: str, out: Path | None) -> None:
    from patentreach.indicators.result_files import to_csv_text, to_json_text, write_result

    if out is not None:
        try:
            write_result(result, fmt, out)
        except OSError as exc:
            _fail(f"--out {out}: cannot write it ({exc.strerror or exc})")
        errors.print(f"wrote {len(result.rows)} rows to {out}", soft_wrap=True, highlight=False)
    elif fmt == "json":
        console.file.write(to_json_text(result) + "\n")
    elif fmt == "csv":
        console.file.write(to_csv_text(result))
    else:
        rows = [tuple(_shown(c, row[c]) for c in result.columns) for row in result.rows]
        render(result.columns, rows, "table", console, title=result.definition["label"])
        for note in result.definition.get("notes", []):
            console.print(f"[yellow]note:[/yellow] {note}", soft_wrap=True, highlight=False)
        console.print(f"[dim]facts: {result.definition['computed']['facts']}; engine "
                      f"{result.definition['computed']['engine']}; --format json for the full definition[/dim]")


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _shown(column: str, value: Any) -> Any:
    """Table cells: percentages with one decimal, fractional counts with three."""
    if value is None or not isinstance(value, float):
        return value
    if column == "yoy_pct":
        return f"{value:+.1f}%"
    if column == "share":
        return f"{100 * value:.1f}%"
    return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else int(value)


@app.command("outbound")
def outbound_command(
    origin: Origin = None, origin_rule: OriginRule = "first_applicant", years: Years = None,
    offices: Offices = None, unit: Unit = "documents", counting: Counting = "whole", basis: Basis = "grant",
    stage: Stage = "grants", types: Types = "invention", sector: Sector = None, scope: Scope = "abroad",
    by: By = "office,year", field_counting: FieldCounting = "fractional", top: Top = None,
    destination_group: Destination = "bri", engine: Engine = "duckdb", engine_alias: EngineAlias = None,
    spark_master: SparkMaster = None, prepared: Prepared = True, fmt: Format = None, out: Out = None,
    out_alias: OutAlias = None, warehouse: WarehouseOption = None, in_force_at: InForceAt = None,
) -> None:
    """Grants (or applications) abroad by origin, per office and year, with year-on-year change."""
    from patentreach.indicators import outbound

    fmt, out = _format(fmt, out, out_alias)
    engine = engine_alias or engine
    try:
        spec = _spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                     field_counting, top, destination_group)
        with _open(warehouse, engine, spark_master) as opened:
            if in_force_at is not None:  # patents in force on a date (indicators/in_force.py)
                from patentreach.indicators.in_force import outbound_in_force, parse_day

                day = parse_day(in_force_at)
                result = _compute(engine, lambda: outbound_in_force(opened, spec, day, use_prepared=prepared))
            else:
                result = _compute(engine, lambda: outbound(opened, spec, use_prepared=prepared))
    except _refused() as exc:
        _fail(str(exc))
    _emit(result, fmt, out)


@app.command("records")
def records_command(
    cell: Annotated[list[str], typer.Option(help="The cell's keys, e.g. --cell office=US --cell year=2021.")],
    origin: Origin = None, origin_rule: OriginRule = "first_applicant", years: Years = None,
    offices: Offices = None, unit: Unit = "documents", counting: Counting = "whole", basis: Basis = "grant",
    stage: Stage = "grants", types: Types = "invention", sector: Sector = None, scope: Scope = "abroad",
    by: By = "office,year", field_counting: FieldCounting = "fractional", top: Top = None,
    destination_group: Destination = "bri",
    limit: Annotated[int | None, typer.Option(min=0, help="At most N rows.")] = None,
    engine: Engine = "duckdb", engine_alias: EngineAlias = None, spark_master: SparkMaster = None,
    prepared: Prepared = True, fmt: Format = None, out: Out = None, out_alias: OutAlias = None,
    warehouse: WarehouseOption = None,
) -> None:
    """The publications behind one cell of `stats outbound` (same switches, plus --cell KEY=VALUE)."""
    from patentreach.indicators import records

    fmt, out = _format(fmt, out, out_alias)
    engine = engine_alias or engine
    try:
        spec = _spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                     field_counting, top, destination_group)
        keys = Cell.parse(cell).keys
        with _open(warehouse, engine, spark_master) as opened:
            result = _compute(engine, lambda: records(opened, spec, keys, limit=limit, use_prepared=prepared))
    except _refused() as exc:
        _fail(str(exc))
    _emit(result, fmt, out)


@app.command("prepare")
def prepare_command(
    engine: Engine = "duckdb", engine_alias: EngineAlias = None, spark_master: SparkMaster = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Write the fact tables the indicators count from (fast counts on large warehouses)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from patentreach.indicators import prepare

    engine = engine_alias or engine
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with _open(warehouse, engine, spark_master) as opened, Progress(*columns, console=errors,
                                                                        transient=True) as bar:
            task = bar.add_task("prepare", total=None)

            def step(name: str, done: int, total: int) -> None:
                bar.update(task, description=f"writing {name}", completed=done, total=total)

            report = prepare(opened, progress=step)
    except _refused() as exc:
        _fail(str(exc))
    except OSError as exc:  # a read-only or full warehouse: say where, in one line
        where = exc.filename or Warehouse.locate(warehouse).root
        _fail(f"{where}: cannot write the prepared facts ({exc.strerror or exc}); "
              "the warehouse is read-only, full or not yours")
    rows = [(name, f"{seconds:.1f}") for name, seconds in report.tables.items()]
    render(["table", "seconds"], rows, "table", console, title="prepared fact tables")


@app.command("compare")
def compare_command(
    published: Annotated[str | None, typer.Option(
        help="Published table, e.g. cnipa-yearbook-2022-t6-2 (--list shows them).")] = None,
    origin: Annotated[str | None, typer.Option(
        help="Origin of the published figures (default: the table's first).")] = None,
    year: Annotated[int | None, typer.Option(
        help="Year of the published figures (default: the table's latest).")] = None,
    offices: Annotated[str | None, typer.Option(
        help="Offices: major, a group, or US,EP,JP (default: every office of the table).")] = None,
    listing: Annotated[bool, typer.Option("--list", help="List the published tables and exit.")] = False,
    engine: Engine = "duckdb", spark_master: SparkMaster = None, prepared: Prepared = True,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="table, csv or json (default: table, or the "
                                            "extension of --out).", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file (.csv or .json).")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """The warehouse's figure beside a published one, with the differences of definition and the coverage."""
    from patentreach.cli.output import choose_format
    from patentreach.indicators.compare_request import comparison_request

    fmt = choose_format(fmt, out)
    if listing:
        from patentreach.refdata.published import published_tables

        rows = [(t.name, t.title, t.measure, t.years, ", ".join(t.origins), t.verified, t.source_url)
                for t in published_tables().values()]
        render(["table", "title", "measure", "years", "origins", "verified", "source_url"], rows, fmt, console,
               title="published tables (stats compare --published NAME)")
        return
    if published is None:
        _fail("--published NAME is needed (or --list to see the published tables)")
    try:
        request = comparison_request(published, origin, year, offices)
        with _open(warehouse, engine, spark_master) as opened:
            from patentreach.indicators.compare import compare

            result = _compute(engine, lambda: compare(opened, Warehouse.locate(warehouse), request, prepared))
    except _refused() as exc:
        _fail(str(exc))
    _emit_comparison(result, fmt, out)


def _emit_comparison(result: Any, fmt: str, out: Path | None) -> None:
    from patentreach.indicators.compare_files import to_csv_text, to_json_text

    if fmt in ("json", "csv"):
        text = to_json_text(result) + "\n" if fmt == "json" else to_csv_text(result)
        if out is None:
            console.file.write(text)
            return
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(f"--out {out}: cannot write it ({exc.strerror or exc})")
        errors.print(f"wrote {len(result.rows)} rows to {out}", soft_wrap=True, highlight=False)
        return
    columns = ["office", "published", "warehouse", "difference", "ratio", "held", "without_origin", "status"]
    rows = [tuple(_ratio(row[c]) if c == "ratio" else _shown(c, row[c]) for c in columns) for row in result.rows]
    render(columns, rows, "table", console, title=result.published["title"])
    console.print("[dim]route split, office names and typed-other counts: --format csv or json[/dim]")
    for note in result.notes():
        console.print(note, soft_wrap=True, highlight=False, markup=False)


# `stats transfers ...`: cross-border transfers and licences (issue 9), its own module.
from patentreach.cli import transfers as _transfers  # noqa: E402

app.add_typer(_transfers.app, name="transfers")
