"""JSON decoding bounded in nesting depth, with errors that name the line in the file.

Python's ``json`` decoder recurses once per nesting level: a record nested 100,000 deep (a few
hundred kilobytes of ``[[[[...``) ends in ``RecursionError``, which is not a ``ValueError`` and
used to escape as a traceback. Before decoding, the depth is checked without recursion against
``limits.current().max_nesting_depth``; most records hold fewer brackets than the limit in
total, and for those the check is two byte counts in C.
"""

from __future__ import annotations

import json
import re

from patentreach.sources import limits

_STRUCTURE = re.compile(rb'[\[\]{}"]')
_IN_STRING = re.compile(rb'["\\]')


class JsonRecordError(ValueError):
    """A record that is not valid JSON or is nested too deep; the message names the file line."""


class NestingTooDeep(JsonRecordError):
    """A record nested deeper than ``max_nesting_depth``."""


def deeper_than(data: bytes, limit: int) -> bool:
    """True when arrays/objects in ``data`` nest deeper than ``limit`` (strings are skipped)."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth, pos, n = 0, 0, len(data)
    while pos < n:
        hit = _STRUCTURE.search(data, pos)
        if hit is None:
            return False
        char, pos = data[hit.start()], hit.start() + 1
        if char == 0x22:  # a string: jump to its closing quote, past escapes
            while True:
                end = _IN_STRING.search(data, pos)
                if end is None:
                    return False
                pos = end.start() + (2 if data[end.start()] == 0x5C else 1)
                if data[end.start()] == 0x22:
                    break
        elif char in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def loads_record(data: bytes | str, first_line: int | None) -> object:
    """``json.loads(data)`` within the nesting limit; ``JsonRecordError`` says what is wrong
    and where, counting lines from ``first_line`` (the unit's line in the file)."""
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    limit = limits.current().max_nesting_depth
    if deeper_than(raw, limit):
        raise NestingTooDeep(
            f"nested deeper than {limit} levels{_at(first_line, 1)} "
            f"(limit max_nesting_depth={limit}; lift it with --limit max_nesting_depth=N)"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise JsonRecordError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}){_at(first_line, line)}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonRecordError(
            f"not valid JSON{_at(first_line, exc.lineno)}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:  # a limit set above what the interpreter's stack allows
        raise JsonRecordError(f"nested too deep to decode{_at(first_line, 1)}") from None


def _at(first_line: int | None, line_in_record: int) -> str:
    """`` at line N`` in the file, or nothing where lines mean nothing (a decoded value)."""
    if first_line is None:
        return ""
    return f" at line {first_line + line_in_record - 1}"
