"""Records of a CSV/TSV byte stream, counted exactly even when the file is damaged.

The ``csv`` module alone cannot be trusted with a damaged file: one unbalanced quote makes it
read every following line into one field (a 20-row file reads as 19 records, or as 2), and one
invalid UTF-8 byte stops a text stream with ``UnicodeDecodeError`` for the whole file. Here:

* the stream is read as physical lines; each line is decoded on its own, and a line that is not
  UTF-8 is decoded with escapes and its record flagged, so only that record is quarantined;
* the ``csv`` module parses the lines, so quoted fields may span lines as the format allows, but
  a record may span at most ``MAX_RECORD_LINES`` lines (or ``max_document_mb`` bytes): a quote
  that is still open then, or at the end of the file, is a runaway quote. The record's first line
  is quarantined as "unbalanced quote", and reading restarts at the line after it, so the lines
  the runaway field swallowed are read again as the records they are. A record that spans lines
  and ends with the wrong number of values (the open quote was closed by a quote of some later
  row) is treated the same way;
* a NUL byte is never text: the record holding it is quarantined;
* blank lines are not records; a UTF-8 byte order mark before the header is dropped.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from patentreach.sources import limits
from patentreach.sources.byte_order_mark import UTF8_BOM

MAX_RECORD_LINES = 10_000
"""Most physical lines one record may span (real multi-line abstracts span tens)."""


@dataclass(slots=True)
class CsvRecord:
    """One record: its 0-based index among data records, the file line it starts on, its values
    and, when it cannot be trusted, why (naming the line and, where known, the column)."""

    index: int
    line: int
    values: list[str]
    error: str | None = None

    @property
    def raw(self) -> str:
        return "\t".join(self.values)


class _Runaway(Exception):
    """A quoted field is still open after the line or byte bound, or at the end of the file."""

    def __init__(self, at_end: bool):
        self.at_end = at_end


class _Lines:
    """Physical lines fed to ``csv.reader``, remembering those of the current record so that
    they can be read again after a runaway quote."""

    def __init__(self, stream: BinaryIO, first_line: int):
        self.stream = stream
        self.next_line = first_line
        self.replay: deque[tuple[int, bytes]] = deque()
        self.taken: list[tuple[int, bytes]] = []
        self.taken_bytes = 0
        self.flawed: list[tuple[int, bytes]] = []  # lines of the record with a NUL or invalid UTF-8
        self.max_bytes = limits.current().max_document_bytes

    def start_record(self) -> None:
        self.taken, self.taken_bytes, self.flawed = [], 0, []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if len(self.taken) >= MAX_RECORD_LINES or self.taken_bytes > self.max_bytes:
            raise _Runaway(at_end=False)
        if self.replay:
            number, raw = self.replay.popleft()
        else:
            raw = self.stream.readline()
            if not raw:
                if self.taken:  # csv asks for more inside a quoted field: it never closes
                    raise _Runaway(at_end=True)
                raise StopIteration
            number = self.next_line
            self.next_line += 1
        self.taken.append((number, raw))
        self.taken_bytes += len(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.flawed.append((number, raw))
            return raw.decode("utf-8", "surrogateescape")
        if "\x00" in text:
            self.flawed.append((number, raw))
        return text

    def read_again_after_first(self) -> tuple[int, bytes]:
        """Give back all lines of the current record but its first, which is returned."""
        first, rest = self.taken[0], self.taken[1:]
        self.replay.extendleft(reversed(rest))
        self.taken = []
        return first


def header_line(stream: BinaryIO) -> tuple[bytes, str]:
    """The first physical line (raw, and decoded leniently, without a byte order mark)."""
    raw = stream.readline().removeprefix(UTF8_BOM)
    return raw, raw.decode("utf-8", "replace")


def csv_records(stream: BinaryIO, first_line: int = 2, delimiter: str = ",",
                columns: list[str] | None = None) -> Iterator[CsvRecord]:
    """The records after the header (which the caller has read; data starts at ``first_line``).

    ``columns`` name the fields in error messages. Every record comes out, good or not: callers
    quarantine those with an ``error`` and count them.
    """
    lines = _Lines(stream, first_line)
    rows = csv.reader(lines, delimiter=delimiter)
    index = 0
    while True:
        lines.start_record()
        try:
            values = next(rows)
        except StopIteration:
            return
        except _Runaway as exc:
            number, raw = lines.read_again_after_first()
            bound = "before the end of the file" if exc.at_end else f"within {MAX_RECORD_LINES} lines"
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            yield CsvRecord(index, number, [text],
                            f"line {number}: unbalanced quote: a quoted field opened here is not closed {bound}; "
                            "the record is quarantined and reading restarts at the next line")
            index += 1
            rows = csv.reader(lines, delimiter=delimiter)
            continue
        except csv.Error as exc:
            number, raw = lines.taken[0] if lines.taken else (lines.next_line, b"")
            yield CsvRecord(index, number, [raw.decode("utf-8", "replace").rstrip("\r\n")],
                            f"line {number}: not a CSV record ({exc})")
            index += 1
            rows = csv.reader(lines, delimiter=delimiter)
            continue
        if not values:
            continue  # a blank line
        if columns and len(lines.taken) > 1 and len(values) != len(columns):
            # A quoted field ran over lines and closed at some later row's quote: the rows it
            # swallowed are read again; only the row that opened it is quarantined.
            last = lines.taken[-1][0]
            number, raw = lines.read_again_after_first()
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            yield CsvRecord(index, number, [text],
                            f"line {number}: unbalanced quote: a quoted field opened here runs to line {last} "
                            f"and leaves {len(values)} values for {len(columns)} columns; the record is "
                            "quarantined and reading restarts at the next line")
            index += 1
            rows = csv.reader(lines, delimiter=delimiter)
            continue
        number = lines.taken[0][0]
        problem = _problem(values, lines.flawed, columns) if lines.flawed else None
        if problem is not None:  # keep the text for the quarantine table, bad bytes as U+FFFD
            values = [v.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for v in values]
        yield CsvRecord(index, number, values, problem)
        index += 1


def _problem(values: list[str], flawed: list[tuple[int, bytes]], columns: list[str] | None) -> str:
    """Invalid UTF-8 or a NUL byte: the file line and the column where it is."""
    for number, raw in flawed:
        if b"\x00" in raw:
            return f"line {number}: NUL byte in {_column_of(values, chr(0), columns)}"
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = chr(0xDC00 + raw[exc.start])
            return f"line {number}: invalid UTF-8 (byte 0x{raw[exc.start]:02x}) in {_column_of(values, bad, columns)}"
    return "a NUL byte or invalid UTF-8"


def _column_of(values: list[str], char: str, columns: list[str] | None) -> str:
    for position, value in enumerate(values):
        if char in value:
            if columns and position < len(columns):
                return f"column {columns[position]!r}"
            return f"column {position + 1}"
    return "the record"
