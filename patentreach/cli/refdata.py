"""``patentreach refdata``: list the reference tables and show one.

Thin adapter over :mod:`patentreach.refdata.catalogue`: each command calls the library function
of the same name and only renders its result.
"""

from __future__ import annotations

from typing import Annotated

import typer

from patentreach.cli.consoles import Console, Table
from patentreach.cli.errors import usage_error
from patentreach.cli.options import FormatOption
from patentreach.cli.output import FORMATS, render
from patentreach.refdata import catalogue

app = typer.Typer(
    help="Reference tables: offices, kind codes, countries, country groups, technology fields.",
    no_args_is_help=True,
)

NameArgument = Annotated[
    str, typer.Argument(help="Table name, as printed by `patentreach refdata list`.")
]


@app.command("list")
def list_tables(fmt: FormatOption = "table") -> None:
    """List the reference tables, their row counts, and the files they are read from."""
    _check_format(fmt)
    columns = ["name", "rows", "key", "description", "files"]
    rows = [
        (
            info.name,
            info.rows,
            ", ".join(info.key),
            info.description,
            " + ".join(str(path) for path in info.files),
        )
        for info in catalogue.list_tables()
    ]
    render(columns, rows, fmt, Console(), title="patentreach reference tables")
    if fmt == "table":
        Console().print(catalogue.override_note())


@app.command("show")
def show(name: NameArgument, fmt: FormatOption = "table") -> None:
    """Print every row of one reference table, with its source and checked date."""
    _check_format(fmt)
    try:
        columns, rows = catalogue.show(name)
    except KeyError:
        usage_error(f"unknown reference table {name!r}", [info.name for info in catalogue.list_tables()], name)
    values = [tuple(row.get(column, "") for column in columns) for row in rows]
    title = f"{name} ({len(rows)} rows)"
    if fmt != "table":
        render(columns, values, fmt, Console(), title=title)
        return
    # Wide text columns (source, note): fold them rather than cut them off with an ellipsis.
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for value in values:
        table.add_row(*value)
    Console().print(table)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        usage_error(f"--format {fmt!r} is not a format", FORMATS, fmt)
