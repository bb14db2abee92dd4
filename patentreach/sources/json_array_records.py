"""Cut the records of a JSON array out of a byte stream, and find the next record after damage.

The array is never decoded here, so a file far larger than memory can be cut, and a damaged
record cannot take the rest of the file with it. A byte scanner tracks strings (with escapes)
and bracket depth to find where each element ends; ``parse`` decodes each element on its own.

Resynchronisation: the records of an export all start alike (``{"publication_number":`` in a
BigQuery export, ``{"lens_id":`` in a Lens page), so the first record's opening ``{`` and first
key are the *record signature*. When a record is damaged - a syntax error the scanner cannot
see past (an unbalanced quote or bracket), junk between records, or a file cut short - the
damaged bytes up to the next signature become one unit (quarantined by ``parse``), and cutting
restarts cleanly at that signature. A record that merely has a syntax error inside balanced
brackets is cut exactly and quarantined alone. Content after the closing ``]`` is one more unit.

Fast path: the byte scanner is a Python loop over every quote and bracket. A well-formed element
is first handed to the C decoder (``raw_decode`` on a text view of a window of the buffer, decoded
with ``surrogateescape`` so every byte maps back exactly); for valid JSON its end is the scanner's
end. Any failure - damage, deep nesting, a buffer that ends first and may not grow - falls back to
the byte scanner for that element, so damaged records are cut exactly as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources import limits
from patentreach.sources.base import Unit
from patentreach.sources.byte_order_mark import UTF8_BOM

BLOCK_SIZE = 1 << 20
_STRUCTURE = re.compile(rb'[{}\[\]"]')
_IN_STRING = re.compile(rb'["\\]')
_SPACE = re.compile(rb"[ \t\r\n]*")
_FIRST_KEY = re.compile(rb'\{\s*"((?:[^"\\\n]|\\.){1,200})"\s*:')
_FIRST_WINDOW = 16 * 1024
_DECODER = json.JSONDecoder()


class _Buffer:
    """The unread part of the stream: ``data`` starts at file line ``line``.

    ``data`` is a ``bytearray``: appending a block and dropping a cut element from the front are
    amortised in place (CPython moves the start of a bytearray instead of copying the rest), where
    ``bytes`` copied the whole remaining block once per element.
    """

    def __init__(self, stream: BinaryIO, data: bytes, line: int, block_size: int = BLOCK_SIZE):
        self.stream, self.data, self.line, self.eof = stream, bytearray(data), line, False
        self.block_size = block_size

    def more(self) -> bool:
        if self.eof:
            return False
        block = self.stream.read(self.block_size)
        if not block:
            self.eof = True
            return False
        self.data += block
        return True

    def line_at(self, pos: int) -> int:
        return self.line + self.data.count(b"\n", 0, pos)

    def drop(self, upto: int) -> None:
        self.line += self.data.count(b"\n", 0, upto)
        del self.data[:upto]

    def skip_space(self, pos: int) -> int:
        while True:
            end = _SPACE.match(self.data, pos).end()  # type: ignore[union-attr]
            if end < len(self.data) or not self.more():
                return end
            pos = end


def array_units(
    stream: BinaryIO,
    opening: re.Pattern[bytes] | None = None,
    block_size: int = BLOCK_SIZE,
    search_limit: int | None = None,
) -> Iterator[Unit]:
    """One unit per element of the first top-level array (or of the array ``opening`` ends at,
    looked for in the first ``search_limit`` bytes when given).

    Well-formed elements are yielded as their exact bytes; damaged stretches as described in the
    module docstring. Units carry the line each starts on. Content after the closing bracket is
    a unit of its own for a file that is an array, and ignored for an array inside a document
    (``opening`` given: the rest of the document follows it).
    """
    buf = _Buffer(stream, b"", 1, block_size)
    while (start := _array_start(buf.data, opening)) is None:
        if not buf.more() or (search_limit is not None and len(buf.data) > search_limit):
            if buf.data.strip(UTF8_BOM + b" \t\r\n"):
                yield Unit(0, 1, bytes(buf.data[: 64 * 1024]))  # not an array at all: parse says why
            return
    buf.drop(start + 1)
    index, resume = 0, 0  # resume: where the next element may start in buf.data
    signature: re.Pattern[bytes] | None = None
    max_bytes = limits.current().max_document_bytes
    window = _FIRST_WINDOW
    while True:
        pos = buf.skip_space(resume)
        if pos >= len(buf.data):  # the end of the file before the closing bracket
            return
        if buf.data[pos : pos + 1] == b"]":
            rest = buf.skip_space(pos + 1)
            if rest < len(buf.data) and opening is None:
                while buf.more():
                    pass
                yield Unit(index, buf.line_at(rest), bytes(buf.data[rest:]))
            return
        buf.drop(pos)  # the element starts at buf.data[0]
        end = None
        if buf.data[:1] in (b"{", b"["):
            end = _decoded_end(buf, max_bytes, window)
            if end is None:
                end = _element_end(buf, max_bytes)
            else:
                window = max(_FIRST_WINDOW, 2 * end)
        if signature is None and end is not None:
            signature = _signature_of(bytes(buf.data[:end]))
        damaged_until = _damage_end(buf, end, signature)
        stop = end if damaged_until is None else damaged_until
        yield Unit(index, buf.line, bytes(buf.data[:stop]))
        index += 1
        resume = stop
        if damaged_until is None:
            after = buf.skip_space(stop)
            if buf.data[after : after + 1] == b",":
                resume = after + 1


def _array_start(data: bytes, opening: re.Pattern[bytes] | None) -> int | None:
    if opening is not None:
        match = opening.search(data)
        return match.end() - 1 if match else None
    body = data.lstrip(UTF8_BOM).lstrip(b" \t\r\n")
    if not body:
        return None
    return len(data) - len(body) if body[:1] == b"[" else None


def _element_end(buf: _Buffer, max_bytes: int) -> int | None:
    """End (exclusive) of the element starting at ``buf.data[0]``; None if the file ends first
    or the element grows past ``max_bytes`` (a runaway string or bracket)."""
    depth, pos, in_string = 0, 0, False
    while True:
        data = buf.data
        while pos < len(data):
            if in_string:
                hit = _IN_STRING.search(data, pos)
                if hit is None:
                    pos = len(data)
                    break
                if data[hit.start()] == 0x5C:
                    if hit.start() + 1 >= len(data):
                        pos = hit.start()
                        break
                    pos = hit.start() + 2
                    continue
                in_string, pos = False, hit.start() + 1
                continue
            hit = _STRUCTURE.search(data, pos)
            if hit is None:
                pos = len(data)
                break
            char, pos = data[hit.start()], hit.start() + 1
            if char == 0x22:
                in_string = True
            elif char in b"{[":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return pos
        if len(data) > max_bytes or not buf.more():
            return None


def _decoded_end(buf: _Buffer, max_bytes: int, window: int) -> int | None:
    """End (exclusive) of the element at ``buf.data[0]`` found by the C decoder, or None when
    it cannot tell (damage, deep nesting, the end of the file or of ``max_bytes``): the byte
    scanner decides then.

    A window of the buffer is decoded, growing fourfold while the element may simply run past
    it; the buffer is read further under the same rule as the scanner's (only while it holds
    at most ``max_bytes``), so both can see the same bytes and agree on every well-formed element.
    """
    while True:
        data = buf.data
        text = data[:window].decode("utf-8", "surrogateescape")
        try:
            _, end = _DECODER.raw_decode(text)
        except json.JSONDecodeError as exc:
            if not _may_be_cut_short(exc, len(text)):
                return None
        except RecursionError:
            return None
        else:
            if text.isascii():  # one byte per character (O(1) for str)
                return end
            return len(text[:end].encode("utf-8", "surrogateescape"))
        if window < len(data):
            window *= 4
        elif _read_to(buf, max(window, 2 * len(data)), max_bytes):
            window = len(buf.data)
        else:
            return None


def _read_to(buf: _Buffer, size: int, max_bytes: int) -> bool:
    """Read blocks until the buffer holds ``size`` bytes (the window grows geometrically, so small
    blocks do not mean one decode per block), never past the point where the byte scanner stops
    reading (``max_bytes``). False when nothing more could be read."""
    grew = False
    while len(buf.data) < size and len(buf.data) <= max_bytes and buf.more():
        grew = True
    return grew


def _may_be_cut_short(exc: json.JSONDecodeError, length: int) -> bool:
    """True when the decoder stopped because the text ended (possibly mid-string, mid-literal
    or mid-escape), not at a syntax error well inside it."""
    return exc.msg.startswith("Unterminated string") or exc.pos >= length - 6


def _signature_of(element: bytes) -> re.Pattern[bytes] | None:
    match = _FIRST_KEY.match(element)
    if match is None:
        return None
    return re.compile(rb'\{\s*"' + re.escape(match.group(1)) + rb'"\s*:')


def _damage_end(buf: _Buffer, end: int | None, signature: re.Pattern[bytes] | None) -> int | None:
    """None when the element ``buf.data[:end]`` is sound and followed by ``,`` or ``]``; else
    where the damaged stretch ends: the next record signature, or the end of the file."""
    if end is not None:
        after = buf.skip_space(end)
        follows_well = after >= len(buf.data) or buf.data[after : after + 1] in (b",", b"]")
        inner = signature.search(buf.data, 1, end) if signature is not None else None
        if follows_well and (inner is None or _decodes(buf.data[:end])):
            return None
        if inner is not None:
            return inner.start()
    return _next_signature(buf, signature, 1 if end is None else end)


def _next_signature(buf: _Buffer, signature: re.Pattern[bytes] | None, pos: int) -> int:
    while True:
        if signature is not None:
            found = signature.search(buf.data, pos)
            if found is not None:
                return found.start()
        if not buf.more():
            return len(buf.data)


def _decodes(element: bytes) -> bool:
    try:
        json.loads(element)
    except (ValueError, RecursionError):
        return False
    return True
