"""``patentreach stats transfers``: cross-border transfers and licences from recorded transactions.

Thin adapter over :mod:`patentreach.transfers`: each command parses its options into a
``TransferSpec``, opens the engine and calls the library function of the same name, then renders
the rows as a table, CSV or JSON (with the definition), or writes them to ``--output``
(``.csv``, ``.json``, ``.parquet``, ``.xlsx``) with the outbound indicators' writer, which keeps
the definition in every format.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from patentreach import transfers as library
from patentreach.cli.options import FormatOption, WarehouseOption
from patentreach.cli.output import FORMATS, render
from patentreach.indicators.result_files import FILE_FORMATS, write_result
from patentreach.transfers import SpecError, TransferResult, TransferSpec
from patentreach.warehouse import Warehouse

app = typer.Typer(
    help="Cross-border transfers and licences: flows, owner shares, counterparties, records.",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True)


@app.callback()
def transfers() -> None:
    """Cross-border transfers and licences from recorded assignments and legal events."""


Types = Annotated[str, typer.Option("--types", "-t", help="Conveyance types counted, comma-separated.")]
By = Annotated[str, typer.Option("--by", help="Dimensions: origin, destination, origin_group, destination_group, "
                                              "year, field, conveyance_type (comma-separated; empty for a total).")]
From = Annotated[str | None, typer.Option("--from", help="Period start (YYYY-MM-DD, inclusive).")]
To = Annotated[str | None, typer.Option("--to", help="Period end (YYYY-MM-DD, inclusive).")]
Basis = Annotated[str, typer.Option("--date-basis", help="record (recording date) or execution (signature).")]
Origin = Annotated[str | None, typer.Option("--origin", help="Origin countries, comma-separated (ISO codes).")]
Destination = Annotated[str | None, typer.Option("--destination", help="Destination countries, comma-separated.")]
OriginGroup = Annotated[str | None, typer.Option("--origin-group", help="Country group of the origin (e.g. bri).")]
DestinationGroup = Annotated[
    str | None, typer.Option("--destination-group", help="Country group of the destination (e.g. bri).")
]
AllPairs = Annotated[bool, typer.Option("--all-pairs", help="Keep domestic pairs and unknown countries too.")]
Engine = Annotated[str, typer.Option("--engine", "-e", help="duckdb (default) or spark.")]
DEFAULT_TYPES = ",".join(library.DEFAULT_TYPES)
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the rows to .csv, .json, .parquet or .xlsx.")
]


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split(",") if p.strip())


def _date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.print(f"[red]error:[/red] {option}: {text!r} is not a YYYY-MM-DD date")
        raise typer.Exit(2) from None


def _spec(types: str, by: str, date_from: str | None, date_to: str | None, basis: str, origin: str | None,
          destination: str | None, origin_group: str | None, destination_group: str | None,
          all_pairs: bool) -> TransferSpec:
    try:
        return TransferSpec(
            types=_split(types), by=_split(by), date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to"),
            date_basis=basis, origin=tuple(c.upper() for c in _split(origin)),
            destination=tuple(c.upper() for c in _split(destination)),
            origin_group=origin_group, destination_group=destination_group, cross_border_only=not all_pairs,
        )
    except SpecError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _run(warehouse: Path | None, engine: str, compute: Any) -> TransferResult:
    from patentreach.warehouse.engines import MissingTable, connect

    target = Warehouse.locate(warehouse)
    if not target.exists():
        errors.print(f"[red]error:[/red] {target.root}: no warehouse here (run `patentreach ingest` first)")
        raise typer.Exit(2)
    try:
        with connect(target, engine) as opened:
            return compute(opened)
    except (MissingTable, KeyError, ValueError) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _show(result: TransferResult, fmt: str, output: Path | None) -> None:
    if fmt not in FORMATS:
        errors.print(f"[red]error:[/red] --format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if output is not None:
        suffix = output.suffix.lower().lstrip(".")
        if suffix not in FILE_FORMATS:
            errors.print(f"[red]error:[/red] --output {output}: use .csv, .json, .parquet or .xlsx")
            raise typer.Exit(2)
        write_result(result, suffix, output)  # the outbound indicators' writer: the definition goes along
        errors.print(f"{len(result.rows)} rows written to {output}")
        return
    if fmt == "json":
        console.print_json(json.dumps(result.as_json(), ensure_ascii=False))
        return
    title = result.definition.get("label")
    render(result.columns, result.tuples(), fmt, console, title=title)


@app.command("flows")
def flows(
    types: Types = DEFAULT_TYPES, by: By = "origin,destination", date_from: From = None,
    date_to: To = None, date_basis: Basis = "record", origin: Origin = None, destination: Destination = None,
    origin_group: OriginGroup = None, destination_group: DestinationGroup = None, all_pairs: AllPairs = False,
    engine: Engine = "duckdb", warehouse: WarehouseOption = None, fmt: FormatOption = "table", output: Output = None,
) -> None:
    """Cross-border transfers by origin -> destination (country or group), year, field: transactions and patents."""
    spec = _spec(types, by, date_from, date_to, date_basis, origin, destination, origin_group, destination_group,
                 all_pairs)
    _show(_run(warehouse, engine, lambda e: library.flows(e, spec)), fmt, output)


@app.command("owner-shares")
def owner_shares(
    types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None,
    date_basis: Basis = "record", origin: Origin = None, destination_group: DestinationGroup = None,
    engine: Engine = "duckdb", warehouse: WarehouseOption = None, fmt: FormatOption = "table", output: Output = None,
) -> None:
    """Share of an origin's owners who transferred or licensed abroad (or into --destination-group) in the period."""
    spec = _spec(types, "", date_from, date_to, date_basis, origin, None, None, destination_group, False)
    _show(_run(warehouse, engine, lambda e: library.owner_shares(e, spec)), fmt, output)


@app.command("counterparties")
def counterparties(
    side: Annotated[str, typer.Option("--side", help="assignee (who received) or assignor (who sold).")] = "assignee",
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many parties.")] = 20,
    types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None,
    date_basis: Basis = "record", origin: Origin = None, destination: Destination = None,
    destination_group: DestinationGroup = None, engine: Engine = "duckdb", warehouse: WarehouseOption = None,
    fmt: FormatOption = "table", output: Output = None,
) -> None:
    """Top counterparties of the counted cross-border transfers."""
    spec = _spec(types, "", date_from, date_to, date_basis, origin, destination, None, destination_group, False)
    _show(_run(warehouse, engine, lambda e: library.counterparties(e, spec, side, limit)), fmt, output)


@app.command("records")
def records(
    cell: Annotated[list[str] | None, typer.Option("--cell", help="A cell coordinate, e.g. origin=CN, year=2015, "
                                                                  "field=6 (repeat).")] = None,
    types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None,
    date_basis: Basis = "record", origin_group: OriginGroup = None, destination_group: DestinationGroup = None,
    all_pairs: AllPairs = False, engine: Engine = "duckdb", warehouse: WarehouseOption = None,
    fmt: FormatOption = "table", output: Output = None,
) -> None:
    """The transfers behind one cell of `flows`: parties, countries and how each country was found."""
    spec = _spec(types, "", date_from, date_to, date_basis, None, None, origin_group, destination_group, all_pairs)
    coordinates: dict[str, Any] = {}
    for item in cell or []:
        key, _, value = item.partition("=")
        if not value:
            errors.print(f"[red]error:[/red] --cell {item!r}: expected name=value")
            raise typer.Exit(2)
        coordinates[key.strip()] = int(value) if key.strip() in ("year", "field") and value.isdigit() else value.strip()
    _show(_run(warehouse, engine, lambda e: library.records(e, spec, coordinates)), fmt, output)


@app.command("conveyances")
def conveyances(
    engine: Engine = "duckdb", warehouse: WarehouseOption = None, fmt: FormatOption = "table", output: Output = None,
) -> None:
    """How the stored transfers were classified: count per conveyance type and text."""
    _show(_run(warehouse, engine, lambda e: library.conveyances(e)), fmt, output)
