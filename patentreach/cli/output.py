"""Render rows as a Rich table, CSV or JSON: the three formats of every listing command."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from patentreach.model.spreadsheet_cells import neutralise

FORMATS = ("table", "csv", "json")


def _jsonable(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def render(columns: list[str], rows: list[tuple], fmt: str, console: Console, title: str | None = None) -> None:
    if fmt == "json":
        console.print_json(json.dumps([{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows]))
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
