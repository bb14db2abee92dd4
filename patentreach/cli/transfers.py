"""``patentreach stats transfers``: cross-border transfers and licences from recorded transactions.

Thin adapter over :mod:`patentreach.transfers`: each command parses its options into a
``TransferSpec``, opens the engine and calls the library function of the same name, then renders
the rows as a table, CSV or JSON (with the definition), or writes them to ``--out`` (format from
``--format`` or the file's extension: ``.csv``, ``.json``, ``.parquet``, ``.xlsx``) with the
outbound indicators' writer, which keeps the definition in every format. ``--output`` and ``-e``
are hidden old spellings of ``--out`` and ``--engine``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from patentreach import transfers as library  # its __init__ is lazy: each statistic loads Ibis when called
from patentreach.cli.consoles import lazy_console
from patentreach.cli.options import WarehouseOption
from patentreach.cli.output import fail as _fail
from patentreach.cli.output import render
from patentreach.cli.output import result_format as _format
from patentreach.transfers.options import parse_cell, parse_date, transfer_spec
from patentreach.transfers.spec import SpecError, TransferSpec
from patentreach.warehouse.layout import Warehouse

if TYPE_CHECKING:
    from patentreach.transfers.results import TransferResult

app = typer.Typer(
    help="Cross-border transfers and licences: flows, owner shares, counterparties, records.",
    no_args_is_help=True,
)
console = lazy_console()
errors = lazy_console(stderr=True)


@app.callback()
def transfers() -> None:
    """Cross-border transfers and licences from recorded assignments and legal events."""


Types = Annotated[str, typer.Option("--types", "-t", help="Conveyance types counted, comma-separated.")]
By = Annotated[str, typer.Option("--by", help="Dimensions: origin, destination, origin_group, destination_group, "
                                              "year, field, conveyance_type (comma-separated; empty for a total).")]
From = Annotated[str | None, typer.Option("--from", help="Period start (YYYY-MM-DD or YYYY, inclusive).")]
To = Annotated[str | None, typer.Option("--to", help="Period end (YYYY-MM-DD or YYYY, inclusive).")]
Basis = Annotated[str, typer.Option("--date-basis", help="record (recording date) or execution (signature).")]
Origin = Annotated[str | None, typer.Option("--origin", help="Origin countries, comma-separated (ISO codes).")]
Destination = Annotated[str | None, typer.Option("--destination", help="Destination countries, comma-separated.")]
OriginGroup = Annotated[str | None, typer.Option("--origin-group", help="Country group of the origin (e.g. bri).")]
DestinationGroup = Annotated[
    str | None, typer.Option("--destination-group", help="Country group of the destination (e.g. bri).")
]
AllPairs = Annotated[bool, typer.Option("--all-pairs", help="Keep domestic pairs and unknown countries too.")]
Engine = Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")]
EngineAlias = Annotated[str | None, typer.Option("-e", hidden=True, help="Old spelling of --engine.")]
DEFAULT_TYPES = ",".join(library.DEFAULT_TYPES)
Format = Annotated[str | None, typer.Option(
    "--format", "-f", help="table, csv, json, parquet or xlsx (default: table, or the extension of --out).",
    show_default=False)]
Out = Annotated[Path | None, typer.Option("--out", "-o", help="Write the rows to .csv, .json, .parquet or .xlsx.")]
OutAlias = Annotated[Path | None, typer.Option("--output", hidden=True, help="Old spelling of --out.")]


def _date(text: str | None, option: str) -> date | None:
    """YYYY-MM-DD, or a bare year: its first day for --from, its last for --to (``transfers.options``)."""
    try:
        return parse_date(text, option)
    except SpecError as exc:
        _fail(str(exc))
        raise


def _spec(types: str, by: str, date_from: str | None, date_to: str | None, basis: str, origin: str | None,
          destination: str | None, origin_group: str | None, destination_group: str | None,
          all_pairs: bool) -> TransferSpec:
    """The options' spec, parsed by ``transfers.options`` (the web's parser too)."""
    try:
        return transfer_spec(types, by, date_from, date_to, basis, origin, destination, origin_group,
                             destination_group, all_pairs)
    except SpecError as exc:
        _fail(str(exc))
        raise


def _run(warehouse: Path | None, engine: str, compute: Any) -> TransferResult:
    from patentreach.warehouse.engines import MissingTable, connect

    target = Warehouse.locate(warehouse)
    if not target.exists():
        _fail(f"{target.root}: no warehouse here (run `patentreach ingest` first)")
    try:
        if engine == "spark":
            with errors.status("starting Spark and counting ..."), connect(target, engine) as opened:
                return compute(opened)
        with connect(target, engine) as opened:
            return compute(opened)
    except (MissingTable, KeyError, ValueError) as exc:
        _fail(str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc))
        raise


def _percent(column: str, value: Any) -> Any:
    """Shares on screen as ``stats outbound`` shows them: ``12.5%``."""
    return f"{100 * value:.1f}%" if column == "share" and isinstance(value, float) else value


def _show(result: TransferResult, fmt: str, output: Path | None) -> None:
    from patentreach.indicators.result_files import write_result

    if output is not None:
        try:
            write_result(result, fmt, output)  # the outbound indicators' writer: the definition goes along
        except OSError as exc:
            _fail(f"--out {output}: cannot write it ({exc.strerror or exc})")
        errors.print(f"{len(result.rows)} rows written to {output}", soft_wrap=True, highlight=False)
        return
    if fmt == "json":
        console.print_json(json.dumps(result.as_json(), ensure_ascii=False))
        return
    title = result.definition.get("label")
    rows = result.tuples()
    if fmt == "table":
        rows = [tuple(_percent(c, v) for c, v in zip(result.columns, row, strict=True)) for row in rows]
    render(result.columns, rows, fmt, console, title=title)


@app.command("flows")
def flows(
    types: Types = DEFAULT_TYPES, by: By = "origin,destination", date_from: From = None,
    date_to: To = None, date_basis: Basis = "record", origin: Origin = None, destination: Destination = None,
    origin_group: OriginGroup = None, destination_group: DestinationGroup = None, all_pairs: AllPairs = False,
    engine: Engine = "duckdb", engine_alias: EngineAlias = None, warehouse: WarehouseOption = None,
    fmt: Format = None, output: Out = None, output_alias: OutAlias = None,
) -> None:
    """Cross-border transfers by origin -> destination (country or group), year, field: transactions and patents."""
    spec = _spec(types, by, date_from, date_to, date_basis, origin, destination, origin_group, destination_group,
                 all_pairs)
    fmt, output = _format(fmt, output, output_alias)
    _show(_run(warehouse, engine_alias or engine, lambda e: library.flows(e, spec)), fmt, output)


@app.command("owner-shares")
def owner_shares(
    types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None,
    date_basis: Basis = "record", origin: Origin = None, destination_group: DestinationGroup = None,
    engine: Engine = "duckdb", engine_alias: EngineAlias = None, warehouse: WarehouseOption = None,
    fmt: Format = None, output: Out = None, output_alias: OutAlias = None,
) -> None:
    """Share of an origin's owners who transferred or licensed abroad (or into --destination-group) in the period."""
    spec = _spec(types, "", date_from, date_to, date_basis, origin, None, None, destination_group, False)
    fmt, output = _format(fmt, output, output_alias)
    _show(_run(warehouse, engine_alias or engine, lambda e: library.owner_shares(e, spec)), fmt, output)


@app.command("counterparties")
def counterparties(
    side: Annotated[str, typer.Option("--side", help="assignee (who received) or assignor (who sold).")] = "assignee",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many parties.")] = 20,
    types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None,
    date_basis: Basis = "record", origin: Origin = None, destination: Destination = None,
    destination_group: DestinationGroup = None, engine: Engine = "duckdb", engine_alias: EngineAlias = None,
    warehouse: WarehouseOption = None, fmt: Format = None, output: Out = None, output_alias: OutAlias = None,
) -> None:
    """Top counterparties of the counted cross-border transfers."""
    spec = _spec(types, "", date_from, date_to, date_basis, origin, destination, None, destination_group, False)
    fmt, output = _format(fmt, output, output_alias)
    _show(_run(warehouse, engine_alias or engine, lambda e: library.counterparties(e, spec, side, limit)), fmt, output)


@app.command("records")
def records(
    cell: Annotated[list[str] | None, typer.Option("--cell", help="A cell coordinate, e.g. origin=CN, year=2015, "
                                                                  "field=6 (repeat).")] = None,
    types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None,
    date_basis: Basis = "record", origin_group: OriginGroup = None, destination_group: DestinationGroup = None,
    all_pairs: AllPairs = False, engine: Engine = "duckdb", engine_alias: EngineAlias = None,
    warehouse: WarehouseOption = None, fmt: Format = None, output: Out = None, output_alias: OutAlias = None,
) -> None:
    """The transfers behind one cell of `flows`: parties, countries and how each country was found."""
    spec = _spec(types, "", date_from, date_to, date_basis, None, None, origin_group, destination_group, all_pairs)
    try:
        coordinates = parse_cell(cell)
    except SpecError as exc:
        _fail(str(exc))
    fmt, output = _format(fmt, output, output_alias)
    _show(_run(warehouse, engine_alias or engine, lambda e: library.records(e, spec, coordinates)), fmt, output)


@app.command("conveyances")
def conveyances(
    engine: Engine = "duckdb", engine_alias: EngineAlias = None, warehouse: WarehouseOption = None,
    fmt: Format = None, output: Out = None, output_alias: OutAlias = None,
) -> None:
    """How the stored transfers were classified: count per conveyance type and text."""
    fmt, output = _format(fmt, output, output_alias)
    _show(_run(warehouse, engine_alias or engine, lambda e: library.conveyances(e)), fmt, output)
