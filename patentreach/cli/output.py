"""Render rows as a Rich table, CSV or JSON: the three formats of every listing command, on the
screen or (``--out``) in a file whose extension chooses the format."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import typer

from patentreach.cli.consoles import Console, Table, escape

FORMATS = ("table", "csv", "json")
FILE_FORMATS = {".csv": "csv", ".json": "json"}
"""Extensions ``--out`` understands, and the format each one means."""


def _jsonable(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def choose_format(fmt: str | None, out: Path | None) -> str:
    """The output format: ``--format`` if given (checked), else from ``--out``'s extension, else
    table. Never silently writes nothing: an unknown format or extension is a usage error (exit 2)."""
    from patentreach.cli.errors import usage_error

    if fmt is not None:
        if fmt not in FORMATS:
            usage_error(f"--format {fmt!r} is not a format", FORMATS, fmt)
        if out is not None and fmt == "table":
            usage_error(f"--out {out}: a table is for the screen; write a file as csv or json")
        return fmt
    if out is None:
        return "table"
    extension = out.suffix.lower()
    if extension not in FILE_FORMATS:
        what = f"unknown extension {extension!r}" if extension else "no extension"
        usage_error(f"--out {out}: {what} to tell the format from (or give --format)", tuple(FILE_FORMATS), extension)
    return FILE_FORMATS[extension]


def write_rows(columns: list[str], rows: list[tuple], fmt: str, out: Path) -> None:
    """Write rows to ``out`` as CSV (formula-like text neutralised) or JSON; UTF-8, no colour."""
    from patentreach.model.spreadsheet_cells import neutralise  # (the model loads when rows are written)

    with open(out, "w", encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([neutralise(c) for c in columns])
            writer.writerows([[neutralise(_jsonable(v)) for v in row] for row in rows])
        elif fmt == "json":
            records = [{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows]
            json.dump(records, handle, ensure_ascii=False, indent=1, default=str)
            handle.write("\n")
        else:
            raise ValueError(f"cannot write format {fmt!r} to a file (choose from {', '.join(FILE_FORMATS.values())})")


def render(columns: list[str], rows: list[tuple], fmt: str, console: Console, title: str | None = None) -> None:
    from patentreach.model.spreadsheet_cells import neutralise  # (the model loads when rows are written)

    if fmt == "json":
        records = [{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        console.print_json(json.dumps(records, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([neutralise(c) for c in columns])
        writer.writerows([[neutralise(_jsonable(v)) for v in row] for row in rows])
        console.file.write(buffer.getvalue())
    elif fmt == "table":
        table = Table(title=title)
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*["" if v is None else str(_jsonable(v)) for v in row])
        console.print(table)
    else:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def fail(message: str) -> NoReturn:
    """A command's own bad-value error: one line on stderr (never folded: scripts grep it), exit 2."""
    Console(stderr=True).print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(2)


def result_format(fmt: str | None, out: Path | None, out_alias: Path | None) -> tuple[str, Path | None]:
    """(format, file) of an indicator or transfer result from ``--format`` and ``--out`` (or its old
    spelling ``--output``), checked before any work is done."""
    from patentreach.indicators.result_files import FormatError, output_format

    out = out or out_alias
    try:
        return output_format(fmt, out), out
    except FormatError as exc:
        fail(str(exc))
