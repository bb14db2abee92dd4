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
