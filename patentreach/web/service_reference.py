"""What the reference routes delegate to: ``refdata.catalogue`` (``patentreach refdata list|show``),
as the records the CLI prints with ``--format json``.

The tables are small files read once per process by the loader (its own cache), so nothing is
cached here; they do not depend on the warehouse.
"""

from __future__ import annotations

import difflib
from typing import Any

from patentreach.refdata import catalogue

LIST_COLUMNS = ["name", "rows", "key", "description", "files"]


class UnknownTable(LookupError):
    """No reference table of that name; the message is the CLI's (with the choices)."""


def tables() -> list[dict[str, Any]]:
    """``refdata list --format json``: one record per table."""
    return [
        {"name": info.name, "rows": info.rows, "key": ", ".join(info.key), "description": info.description,
         "files": " + ".join(str(path) for path in info.files)}
        for info in catalogue.list_tables()
    ]


def table(name: str) -> tuple[list[str], list[dict[str, Any]]]:
    """``refdata show NAME --format json``: the columns and every row (missing cells as ``""``);
    ``UnknownTable`` with the CLI's message otherwise."""
    try:
        columns, rows = catalogue.show(name)
    except KeyError:
        raise UnknownTable(unknown_message(name)) from None
    return columns, [{column: row.get(column, "") for column in columns} for row in rows]


def unknown_message(name: str) -> str:
    """The CLI's line for an unknown table (``cli.errors.usage_error``'s wording)."""
    names = [info.name for info in catalogue.list_tables()]
    message = f"unknown reference table {name!r}; choose from {', '.join(names)}"
    close = difflib.get_close_matches(name, names, n=1)
    return message + (f" (did you mean {close[0]}?)" if close else "")
