"""Cut a JSON file into records without holding it whole: a top-level array one element at a
time (``json_array_records``, which also finds the next record after a damaged one), JSON Lines
one line at a time; a single pretty-printed document (an API response page, bounded by the API's
page size) is read whole.

Used by the Google Patents and Lens JSON readers. ``units`` hands each record on as undecoded
``bytes`` with the line it starts on, so that decoding happens in ``parse``, one record at a time,
within the nesting limit (``json_nesting``): a damaged record is quarantined alone.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources import limits
from patentreach.sources.base import Unit
from patentreach.sources.byte_order_mark import UTF8_BOM
from patentreach.sources.json_array_records import array_units
from patentreach.sources.json_nesting import NestingTooDeep, deeper_than, loads_record

_WHITESPACE = " \t\r\n"


def json_shape(head: bytes, records_key: str | None = None) -> str:
    """``array``, ``lines`` (JSON Lines) or ``document``, from the first bytes.

    A first line that is a complete object by itself means JSON Lines, unless it holds the
    ``records_key`` list (a minified API response page). A first line longer than the head is
    JSON Lines too: a pretty-printed document opens with a short line.
    """
    body = head.lstrip(b"\xef\xbb\xbf" + _WHITESPACE.encode())
    if body.startswith(b"["):
        return "array"
    if not body.startswith(b"{"):
        return "document"
    first, newline, _ = body.partition(b"\n")
    if not newline:
        return "lines" if len(head) >= 64 * 1024 else _complete_line_shape(first, records_key)
    return _complete_line_shape(first, records_key)


def _complete_line_shape(first: bytes, records_key: str | None) -> str:
    try:
        value = loads_record(first, 1)
    except NestingTooDeep:
        return "lines"  # a complete line, too deep to look into: its record is quarantined
    except ValueError:
        return "document"
    if records_key and isinstance(value, dict) and isinstance(value.get(records_key), list):
        return "document"
    return "lines"


def json_units(stream: BinaryIO, records_key: str | None = None) -> Iterator[Unit]:
    """Units of a JSON array, a JSON Lines file or one JSON document.

    A document that is an object holding a list under ``records_key`` (an API response page)
    gives one unit per element of that list; any other document is one unit.
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    shape = json_shape(buffered.peek(64 * 1024), records_key)
    if shape == "array":
        yield from array_units(buffered)
    elif shape == "lines":
        yield from _line_units(buffered)
    else:
        yield from _document_units(buffered.read(), records_key)


def _line_units(stream: BinaryIO) -> Iterator[Unit]:
    index = 0
    for line_no, line in enumerate(stream, start=1):
        if line_no == 1:
            line = line.removeprefix(UTF8_BOM)
        if line.strip():
            yield Unit(index, line_no, line.rstrip(b"\r\n"))
            index += 1


def _document_units(data: bytes, records_key: str | None) -> Iterator[Unit]:
    try:
        if deeper_than(data, limits.current().max_nesting_depth):
            raise ValueError("nested too deep")
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        # A damaged page: its records are cut from the records array where one can be found
        # (a damaged record then costs only itself); otherwise one unit of raw text, which
        # parse quarantines with the reason.
        opening = re.compile(rb'"' + re.escape(records_key.encode()) + rb'"\s*:\s*\[') if records_key else None
        if opening is not None and opening.search(data):
            yield from array_units(io.BytesIO(data), opening)
        else:
            yield Unit(0, 1, data)
        return
    records = document.get(records_key) if isinstance(document, dict) and records_key else None
    if isinstance(records, list):
        for index, record in enumerate(records):
            yield Unit(index, None, record if isinstance(record, dict) else json.dumps(record))
    else:
        yield Unit(0, 1, document if isinstance(document, dict) else json.dumps(document))


def decode_record(data: bytes | str | dict, line: int | None = None) -> dict:
    """The record of a unit: a dict as is, text decoded within the nesting limit
    (``ValueError`` says why it is not one, quoting the file line counted from ``line``)."""
    if isinstance(data, dict):
        return data
    value = loads_record(data, line)
    if not isinstance(value, dict):
        raise ValueError(f"a JSON {type(value).__name__}, not an object")
    return value


def raw_of(data: bytes | str | dict) -> bytes | str:
    """The unit as text for the quarantine table."""
    if isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False, default=str)
    return data
