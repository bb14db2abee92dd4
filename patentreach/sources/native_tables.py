"""What a tabular reader offers the warehouse's native path (``warehouse/native_ingest``).

A reader of a delimited text table (PatentsView TSV, ...) may map whole Arrow batches of a file
with SQL instead of one row at a time. It describes how to read the file (``NativePlan``) and
maps each batch (``NativePlan.map_batch``). The native path promises the warehouse rows the
per-row reader would store; whenever a batch holds something only the per-row reader can judge
(a row to quarantine, a value the SQL does not reproduce exactly), ``map_batch`` raises
``NeedsRowReader`` and the whole file is read again by the per-row reader, so its quarantine
reasons and line numbers stay the reader's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    import pyarrow as pa

# The characters Python's str.split()/str.strip() treat as whitespace (every c with c.isspace()),
# as an RE2 character class, so SQL trims and collapses exactly as the per-row readers do.
PY_SPACE = (
    r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}]"
)
# The same without the plain space: a value holding none of these, no two spaces in a row and no
# space at either end is already what " ".join(value.split()) makes of it.
PY_SPACE_BUT_BLANK = PY_SPACE.replace(r"\x1c-\x1f \x{85}", r"\x1c-\x1f\x{85}")


# Every character of PY_SPACE, as a SQL string built from code points (a constant DuckDB folds).
_SPACE_CODES = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
                0x202F, 0x205F, 0x3000)
_SPACES = "(" + " || ".join(f"chr({c})" for c in _SPACE_CODES) + ")"


def py_strip(sql: str) -> str:
    """SQL for Python's ``str.strip()`` of a text expression: the regex runs only on values whose
    first or last character is whitespace (a substring test on the two ends settles the rest)."""
    return (f"CASE WHEN {sql} <> '' AND (strpos({_SPACES}, left({sql}, 1)) > 0 "
            f"OR strpos({_SPACES}, right({sql}, 1)) > 0) "
            f"THEN regexp_replace({sql}, '^{PY_SPACE}+|{PY_SPACE}+$', '', 'g') ELSE {sql} END")


def py_collapse(sql: str) -> str:
    """SQL for Python's ``" ".join(text.split())`` (the regex only where it changes something)."""
    return (f"CASE WHEN regexp_matches({sql}, '{PY_SPACE_BUT_BLANK}|  |^ | $') "
            f"THEN regexp_replace(regexp_replace({sql}, '{PY_SPACE}+', ' ', 'g'), '^ | $', '', 'g') "
            f"ELSE {sql} END")


class NeedsRowReader(Exception):
    """The batch holds a row the SQL mapping does not decide: read the file row by row."""


@dataclass(slots=True)
class NativeBatch:
    """One batch's output: warehouse tables (Arrow, in the warehouse schema) and its counts."""

    tables: dict[str, pa.Table] = field(default_factory=dict)
    stored: int = 0
    skipped: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (record index, message)


@dataclass(frozen=True, slots=True)
class NativePlan:
    """How to read one file natively: its column names (the header line is skipped), delimiter,
    and the batch mapping ``map_batch(batch, first_index, source_file, ingest_id)``, where
    ``first_index`` is the 0-based record index of the batch's first row; ``close`` is called once
    the file is read (a DuckDB connection costs 0.1 s to open, so a plan keeps one per file)."""

    columns: list[str]
    delimiter: str
    map_batch: Callable[[pa.RecordBatch, int, str, str], NativeBatch]
    close: Callable[[], None] = lambda: None  # releases what map_batch kept between batches
    batches: Callable[[Path], Iterator[pa.RecordBatch]] | None = None  # reads its own batches (JSON Lines, Parquet)
    threads: int = 1  # batches mapped at once (their map_batch calls share nothing)
    block_bytes: int = 0  # the CSV reader's block size; 0: the warehouse's default
    binary: bool = False  # hashed only, without the text scan (NUL bytes, lone CRs, blank lines)
