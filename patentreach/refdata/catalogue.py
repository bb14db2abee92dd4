"""What the reference tables are, for people: the library side of ``patentreach refdata``.

``list_tables`` and ``show`` return plain data (the CLI and a web route only render it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from patentreach.refdata.loader import (
    ENV_VAR,
    TABLES,
    Row,
    load_table,
    override_dir,
    table_columns,
    table_origin,
    table_spec,
)


@dataclass(frozen=True, slots=True)
class TableInfo:
    name: str
    rows: int
    description: str
    key: tuple[str, ...]
    files: list[Path]


def list_tables() -> list[TableInfo]:
    """One entry per table, with the files it is read from (package file, then user override)."""
    return [
        TableInfo(
            name=spec.name,
            rows=len(load_table(spec.name)),
            description=spec.description,
            key=spec.key,
            files=table_origin(spec.name),
        )
        for spec in TABLES
    ]


def show(name: str) -> tuple[list[str], list[Row]]:
    """Columns and rows of one table, after user overrides. Unknown name: KeyError."""
    table_spec(name)
    return list(table_columns(name)), [dict(row) for row in load_table(name)]


def override_note() -> str:
    """One line saying whether user overrides are active, and how to set them."""
    folder = override_dir()
    if folder is None:
        return f"No user overrides: set {ENV_VAR} to a folder of same-named CSV files to add some."
    state = "" if folder.is_dir() else " (folder does not exist)"
    return f"User overrides from {ENV_VAR}={folder}{state}"
