"""Cut a JSON file into records without holding it whole: a top-level array is decoded one
element at a time, JSON Lines one line at a time; a single pretty-printed document (an API
response page, bounded by the API's page size) is read whole.

Used by the Google Patents and Lens JSON readers. ``units`` hands each array element on as an
already-decoded ``dict`` (``json`` decodes in C, and finding where an element ends needs the same
work), and each JSON Lines line as undecoded ``bytes`` so that the decoding happens in ``parse``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources.base import Unit

_CHUNK = 1 << 20
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
        value = json.loads(first)
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
        yield from _array_units(io.TextIOWrapper(buffered, encoding="utf-8-sig"))
    elif shape == "lines":
        yield from _line_units(buffered)
    else:
        yield from _document_units(buffered.read(), records_key)


def _line_units(stream: BinaryIO) -> Iterator[Unit]:
    index = 0
    for line_no, line in enumerate(stream, start=1):
        if line.strip():
            yield Unit(index, line_no, line.rstrip(b"\r\n"))
            index += 1


def _document_units(data: bytes, records_key: str | None) -> Iterator[Unit]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except ValueError:
        # Undecodable: one unit with the raw text, so that parse quarantines it with the reason.
        yield Unit(0, 1, data)
        return
    records = document.get(records_key) if isinstance(document, dict) and records_key else None
    if isinstance(records, list):
        for index, record in enumerate(records):
            yield Unit(index, None, record if isinstance(record, dict) else json.dumps(record))
    else:
        yield Unit(0, 1, document if isinstance(document, dict) else json.dumps(document))


def _array_units(text: io.TextIOWrapper) -> Iterator[Unit]:
    """Elements of a top-level array, decoded one at a time with ``raw_decode``.

    A syntax error inside the array ends the split: the rest of the file becomes one unit of
    raw text (quarantined by ``parse`` with the decoder's message) so that nothing is dropped.
    """
    decoder = json.JSONDecoder()
    buf = text.read(_CHUNK)
    pos = buf.index("[") + 1
    line = 1 + buf.count("\n", 0, pos)
    eof = False
    index = 0
    chunk = _CHUNK

    def more() -> bool:
        nonlocal buf, pos, eof
        data = text.read(chunk)
        if not data:
            eof = True
            return False
        buf = buf[pos:] + data
        pos = 0
        return True

    while True:
        while True:  # skip blanks and separators
            while pos < len(buf) and buf[pos] in _WHITESPACE + ",":
                if buf[pos] == "\n":
                    line += 1
                pos += 1
            if pos < len(buf) or not more():
                break
        if pos >= len(buf) or buf[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError:
            if not eof and more():
                chunk *= 2  # a large element: read bigger pieces rather than re-decoding often
                continue
            rest = buf[pos:] + text.read()
            yield Unit(index, line, rest)
            return
        chunk = _CHUNK
        yield Unit(index, line, value if isinstance(value, dict) else json.dumps(value))
        line += buf.count("\n", pos, end)
        pos = end
        index += 1


def decode_record(data: bytes | str | dict) -> dict:
    """The record of a unit: a dict as is, text decoded (``ValueError`` says why it is not one)."""
    if isinstance(data, dict):
        return data
    value = json.loads(data)
    if not isinstance(value, dict):
        raise ValueError(f"a JSON {type(value).__name__}, not an object")
    return value


def raw_of(data: bytes | str | dict) -> bytes | str:
    """The unit as text for the quarantine table."""
    if isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False, default=str)
    return data
