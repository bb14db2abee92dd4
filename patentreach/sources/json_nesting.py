"""JSON decoding bounded in nesting depth, with errors that name the line in the file.

Python's ``json`` decoder recurses once per nesting level: a record nested 100,000 deep (a few
hundred kilobytes of ``[[[[...``) ends in ``RecursionError``, which is not a ``ValueError`` and
used to escape as a traceback. Before decoding, the depth is checked without recursion against
``limits.current().max_nesting_depth``; most records hold fewer brackets than the limit in
total, and for those the check is two byte counts in C; for the others it is a few C passes.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

from patentreach.sources import limits

# A string, escapes included; an unterminated one (a trailing lone backslash too) runs to the end.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = bytes(byte for byte in range(256) if byte not in b"[]{}")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonRecordError(ValueError):
    """A record that is not valid JSON or is nested too deep; the message names the file line."""


class NestingTooDeep(JsonRecordError):
    """A record nested deeper than ``max_nesting_depth``."""


def deeper_than(data: bytes, limit: int) -> bool:
    """True when arrays/objects in ``data`` nest deeper than ``limit`` (strings are skipped).

    Every step runs in C: strings are cut out by one regular expression (an unterminated string
    takes the rest of the data with it: nothing after it is structure), everything but brackets
    is deleted, and the running depth is an ``accumulate`` over the brackets left.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    if brackets.count(b"[") + brackets.count(b"{") <= limit:
        return False
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets))) > limit


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
