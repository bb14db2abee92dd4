"""Quarantine reasons that quote the line in the FILE, never the line in a re-parsed piece.

Readers parse one unit (a document cut from a weekly file, an element cut from a bulk file) or
a smaller fragment of it, so a parser's line numbers count from the start of that piece. A user
opens the file, so every reason quotes ``unit.line + line_in_unit - 1``; line numbers that a
parser writes into its own message (libxml2's "tag mismatch: mtr line 880 and mtable") are
taken out, since they count from the piece.
"""

from __future__ import annotations

import re

from patentreach.sources.base import Quarantined, Unit

_MENTION = re.compile(r",? (?:at )?line \d+(?:,? column \d+)?")


def in_file(unit_line: int | None, line_in_unit: int | None) -> int | None:
    """The file line of ``line_in_unit`` (1-based within the unit), when both are known."""
    if unit_line is None or line_in_unit is None:
        return unit_line
    return unit_line + line_in_unit - 1


def without_line_mentions(message: str) -> str:
    """A parser's message on one line, without the line numbers it counts from the parsed piece."""
    return " ".join(_MENTION.sub("", message).split())


def located_quarantine(
    unit: Unit, reason: str, line_in_unit: int | None = None, column: int | None = None,
    raw: bytes | str | None = None,
) -> Quarantined:
    """Quarantine ``unit`` with ``reason`` ending in `` at line N[, column C]`` of the file."""
    line = in_file(unit.line, line_in_unit)
    if line_in_unit is not None and line is not None:
        reason = f"{reason} at line {line}" + (f", column {column}" if column else "")
    data = raw if raw is not None else unit.data if isinstance(unit.data, bytes | str) else b""
    return Quarantined(unit.index, line, [reason], data)
