"""Reading a Figure's ``command`` and ``records`` back into what they ask ``stats outbound`` for."""

from __future__ import annotations

import shlex
from typing import Any

from patentreach.indicators.counting import KEY_COLUMNS
from patentreach.indicators.options import outbound_spec
from patentreach.indicators.spec import Cell, OutboundSpec


def options_of(command: str) -> dict[str, str]:
    """``--name value`` pairs of a command line (after ``patentreach stats <command>``)."""
    argv = shlex.split(command)
    assert argv[:2] == ["patentreach", "stats"], command
    pairs = argv[3:]
    out: dict[str, str] = {}
    for name, value in zip(pairs[::2], pairs[1::2], strict=True):
        assert name.startswith("--"), command
        out.setdefault(name[2:], value) if name != "--cell" else out.setdefault("cell", "")
    return out


def spec_of(command: str) -> OutboundSpec:
    """The spec ``stats outbound`` builds from the command's options (as the CLI does)."""
    options = options_of(command)
    kwargs: dict[str, Any] = {("types" if k == "type" else k.replace("-", "_")): v for k, v in options.items()
                              if k not in ("warehouse", "cell")}
    if "top" in kwargs:
        kwargs["top"] = int(kwargs["top"])
    return outbound_spec(**kwargs)


def cell_of(records: str) -> dict[str, Any]:
    """The ``--cell KEY=VALUE`` items of a records command, parsed as ``stats records`` does."""
    argv = shlex.split(records)
    items = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--cell"]
    return Cell.parse(items).keys


def row_of(rows: list[dict[str, Any]], cell: dict[str, Any]) -> dict[str, Any]:
    """The one result row of ``cell``."""
    found = [row for row in rows if all(row[KEY_COLUMNS[k]] == v for k, v in cell.items())]
    assert len(found) == 1, (cell, found)
    return found[0]
