"""Options shared by several commands, so each is spelled and documented once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        "-w",
        metavar="DIR",
        help="Warehouse directory (default: $PATENTREACH_HOME, else ./patentreach-data).",
        show_default=False,
    ),
]

FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="Output format: table, csv or json.")
]

InferredFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Output format: table, csv or json (default: from the --out extension, else table).",
        show_default=False,
    ),
]
"""``--format`` for commands that can also write a file: left out, the format follows ``--out``'s
extension (``patentreach.cli.output.choose_format``)."""

OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar="PATH", help="Write to this file instead of the screen (.csv or .json)."),
]
"""``--out``/``-o``: the one name of an output file or folder in every command."""

OldOutputOption = Annotated[
    Path | None,
    typer.Option("--output", hidden=True, help="Old spelling of --out (kept for one release)."),
]
"""The old ``--output`` spelling, hidden, feeding the same value as ``--out`` for one release."""
