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


def resolve_out(out: Path | None, old_output: Path | None) -> Path | None:
    """The output path from ``--out`` or its hidden old spelling ``--output``; both with different
    values is a usage error (exit 2) rather than a silent choice."""
    if out is not None and old_output is not None and out != old_output:
        from patentreach.cli.errors import usage_error

        usage_error(f"--out {out} and --output {old_output} both given; --output is the old name of --out")
    return out if out is not None else old_output


EngineOption = Annotated[
    str, typer.Option("--engine", metavar="ENGINE", help="Where it runs: duckdb (default) or spark.")
]
"""``--engine`` has no short form anywhere (``-e`` was also ``--exports``)."""

OldEngineShortOption = Annotated[
    str | None, typer.Option("-e", hidden=True, help="Old short form of --engine (kept for one release).")
]
"""The old ``-e`` for ``--engine``, hidden, for one release; merge it with ``resolve_engine``."""


def resolve_engine(engine: str, old_short: str | None) -> str:
    """``--engine``, or the value of the old hidden ``-e`` when only that was given."""
    return old_short if old_short is not None else engine
