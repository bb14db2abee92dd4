"""``patentreach stats``: outbound indicators and the publications behind each cell.

Thin adapter over :mod:`patentreach.indicators`: ``outbound``, ``records`` and ``prepare`` parse
their options into an ``OutboundSpec`` and call the library function of the same name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from patentreach.cli.options import WarehouseOption
from patentreach.cli.output import render
from patentreach.indicators import OutboundSpec, SpecError, outbound, prepare, records
from patentreach.indicators.result_files import FILE_FORMATS, to_csv_text, to_json_text, write_result
from patentreach.indicators.results import IndicatorResult
from patentreach.indicators.spec import Cell, parse_list, parse_offices, parse_sectors, parse_years
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import ENGINES, MissingTable, connect

app = typer.Typer(help="Outbound patent indicators: patents obtained abroad, by origin.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)
OUTPUT_FORMATS = ("table", *FILE_FORMATS)

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
Engine = Annotated[str, typer.Option(help="duckdb (default) or spark.")]
SparkMaster = Annotated[str | None, typer.Option(help="Spark master URL (default local[2]).")]
Prepared = Annotated[bool, typer.Option(help="Use prepared fact tables when fresh (see `stats prepare`).")]
Format = Annotated[str, typer.Option("--format", "-f", help="table, csv, json, parquet or xlsx.")]
Out = Annotated[Path | None, typer.Option(help="Write to this file (needed for parquet and xlsx).")]


def _spec(origin: str | None, origin_rule: str, years: str | None, offices: str | None, unit: str, counting: str,
          basis: str, stage: str, types: str, sector: str | None, scope: str, by: str, field_counting: str,
          top: int | None, destination_group: str) -> OutboundSpec:
    return OutboundSpec(
        origin=parse_list(origin, upper=True), origin_rule=origin_rule, years=parse_years(years),
        offices=parse_offices(offices), unit=unit, counting=counting, basis=basis, stage=stage,
        types=parse_list(types), sector=parse_sectors(sector), scope=scope, by=parse_list(by),
        field_counting=field_counting, top=top, destination_group=destination_group.lower(),
    )


def _open(warehouse: Path | None, engine: str, spark_master: str | None) -> Any:
    target = Warehouse.locate(warehouse)
    if not target.exists():
        _fail(f"{target.root}: no warehouse here (run `patentreach ingest` or `patentreach synth` first)")
    if engine not in ENGINES:
        _fail(f"--engine must be one of {', '.join(ENGINES)}")
    options = {"master": spark_master} if engine == "spark" and spark_master else {}
    return connect(target, engine, **options)


def _fail(message: str) -> None:
    errors.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def _emit(result: IndicatorResult, fmt: str, out: Path | None) -> None:
    if fmt not in OUTPUT_FORMATS:
        _fail(f"--format must be one of {', '.join(OUTPUT_FORMATS)}")
    if out is not None and fmt != "table":
        write_result(result, fmt, out)
        errors.print(f"wrote {len(result.rows)} rows to {out}")
    elif fmt in ("parquet", "xlsx"):
        _fail(f"--format {fmt} needs --out FILE")
    elif fmt == "json":
        console.file.write(to_json_text(result) + "\n")
    elif fmt == "csv":
        console.file.write(to_csv_text(result))
    else:
        rows = [tuple(_shown(c, row[c]) for c in result.columns) for row in result.rows]
        render(result.columns, rows, "table", console, title=result.definition["label"])
        console.print(f"[dim]facts: {result.definition['computed']['facts']}; engine "
                      f"{result.definition['computed']['engine']}; --format json for the full definition[/dim]")


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
    destination_group: Destination = "bri", engine: Engine = "duckdb", spark_master: SparkMaster = None,
    prepared: Prepared = True, fmt: Format = "table", out: Out = None, warehouse: WarehouseOption = None,
) -> None:
    """Grants (or applications) abroad by origin, per office and year, with year-on-year change."""
    try:
        spec = _spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                     field_counting, top, destination_group)
        with _open(warehouse, engine, spark_master) as opened:
            result = outbound(opened, spec, use_prepared=prepared)
    except (SpecError, MissingTable) as exc:
        _fail(str(exc))
    _emit(result, fmt, out)


@app.command("records")
def records_command(
    cell: Annotated[list[str], typer.Option(help="The cell's keys, e.g. --cell office=US --cell year=2021.")],
    origin: Origin = None, origin_rule: OriginRule = "first_applicant", years: Years = None,
    offices: Offices = None, unit: Unit = "documents", counting: Counting = "whole", basis: Basis = "grant",
    stage: Stage = "grants", types: Types = "invention", sector: Sector = None, scope: Scope = "abroad",
    by: By = "office,year", field_counting: FieldCounting = "fractional", top: Top = None,
    destination_group: Destination = "bri", limit: Annotated[int | None, typer.Option(help="At most N rows.")] = None,
    engine: Engine = "duckdb", spark_master: SparkMaster = None, prepared: Prepared = True,
    fmt: Format = "table", out: Out = None, warehouse: WarehouseOption = None,
) -> None:
    """The publications behind one cell of `stats outbound` (same switches, plus --cell KEY=VALUE)."""
    try:
        spec = _spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                     field_counting, top, destination_group)
        keys = Cell.parse(cell).keys
        with _open(warehouse, engine, spark_master) as opened:
            result = records(opened, spec, keys, limit=limit, use_prepared=prepared)
    except (SpecError, MissingTable) as exc:
        _fail(str(exc))
    _emit(result, fmt, out)


@app.command("prepare")
def prepare_command(
    engine: Engine = "duckdb", spark_master: SparkMaster = None, warehouse: WarehouseOption = None
) -> None:
    """Write the fact tables the indicators count from (fast counts on large warehouses)."""
    try:
        with _open(warehouse, engine, spark_master) as opened:
            report = prepare(opened)
    except MissingTable as exc:
        _fail(str(exc))
    rows = [(name, f"{seconds:.1f}") for name, seconds in report.tables.items()]
    render(["table", "seconds"], rows, "table", console, title="prepared fact tables")


# `stats transfers ...`: cross-border transfers and licences (issue 9), its own module.
from patentreach.cli import transfers as _transfers  # noqa: E402

app.add_typer(_transfers.app, name="transfers")
