"""Text columns of an Arrow batch read as numpy and Arrow kernels, for the native CSV plans
(``native_csv``): where each record starts in the file, which values are plain printable ASCII
(where RE2's and Python's patterns agree), the per-record bounds of ``csv_records``, and the
one-rule-per-distinct-value helpers that keep a reader's own Python rules exact without a loop
per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from patentreach.sources import limits
from patentreach.sources.csv_records import MAX_RECORD_LINES
from patentreach.sources.native_tables import NeedsRowReader

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


def record_lines(batch: pa.RecordBatch, first_line: int) -> tuple[np.ndarray, int]:
    """The file line each row starts on, as ``csv_records`` numbers them when the file has no
    blank lines (the warehouse checks that before it trusts these numbers), and the line after
    the batch. A row spans one line more per line break inside its quoted values, counted on the
    columns' byte buffers (numpy: Arrow's substring kernels take 20x longer). A record over the
    bounds of ``csv_records`` raises ``NeedsRowReader`` (``check_bounds``)."""
    import numpy as np

    spans = np.ones(batch.num_rows, dtype=np.int64)
    for column in batch.columns:
        offsets, data = buffers(column)
        if data is None:
            continue
        breaks = np.flatnonzero(data == 10)
        if len(breaks):  # each line break counted on the row that holds it
            rows = np.searchsorted(offsets, breaks + offsets[0], side="right") - 1
            spans += np.bincount(rows, minlength=batch.num_rows)
    check_bounds(batch, spans)
    ends = first_line + np.cumsum(spans)
    return ends - spans, int(ends[-1]) if batch.num_rows else first_line


def check_bounds(batch: pa.RecordBatch, spans: np.ndarray) -> None:
    """A record ``csv_records`` would cut as a runaway quote (over ``MAX_RECORD_LINES`` lines or
    ``max_document_bytes``) sends the file to the per-row reader (as ``patentsview.native.
    check_bounds``, from the offsets and line counts already at hand)."""
    import numpy as np

    if not batch.num_rows:
        return
    row_bytes = np.zeros(batch.num_rows, dtype=np.int64)
    for column in batch.columns:
        offsets, _ = buffers(column)
        row_bytes += np.diff(offsets)
    margin = 2 * batch.num_columns + 2  # quotes and delimiters around the values
    if int(row_bytes.max()) + margin > limits.current().max_document_bytes or int(spans.max()) >= MAX_RECORD_LINES:
        raise NeedsRowReader("a record near max_document_bytes or MAX_RECORD_LINES lines")


def buffers(column: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """A string array's offsets and the bytes of its values (None when there are none)."""
    import numpy as np

    offsets = np.frombuffer(column.buffers()[1], np.int32)[column.offset:column.offset + len(column) + 1]
    if column.buffers()[2] is None or not len(offsets) or offsets[-1] == offsets[0]:
        return offsets, None
    return offsets, np.frombuffer(column.buffers()[2], np.uint8)[offsets[0]:offsets[-1]]


def printable_ascii(column: pa.Array) -> np.ndarray:
    """Per value: every byte printable ASCII (0x20-0x7e), where the only whitespace is the space
    and RE2's ``\\s``/``\\d`` match what Python's do."""
    import numpy as np

    offsets, data = buffers(column)
    plain = np.ones(len(column), dtype=bool)
    if data is None:
        return plain
    odd = np.flatnonzero(np.subtract(data, 0x20, dtype=np.uint8) > 0x7E - 0x20)  # wraps below 0x20
    if len(odd):  # the rows holding those bytes (no cumulative count over every byte)
        plain[np.searchsorted(offsets, odd + offsets[0], side="right") - 1] = False
    return plain


def repeat(value: str, n: int) -> pa.Array:
    """One text ``n`` times."""
    import pyarrow as pa

    return pa.repeat(pa.scalar(value, pa.string()), n)


def count_within(parent: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each run of equal parents (rows sorted by parent)."""
    import numpy as np

    if not len(parent):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]])
    return np.arange(len(parent)) - np.repeat(starts, np.diff(np.r_[starts, len(parent)]))


# A memo of a rule's answers kept for a whole file (``Memo``) is emptied when it holds this many
# values, so that a file of millions of distinct names keeps memory flat.
MEMO_VALUES = 200_000


class Memo(dict):
    """A rule's answers by value, kept across the batches of one file: symbols, dates, names
    and document types repeat from batch to batch, so each is worked out about once a file.
    Shared by the threads mapping batches (a lost race only computes a value twice)."""

    def answers(self, values: list[Any], rule: Callable[[Any], Any]) -> list[Any]:
        """``rule`` of each value, from the memo where it has it."""
        if len(self) > MEMO_VALUES:
            self.clear()
        for value in set(values).difference(self):  # set and dict lookups in C, not a loop here
            self.setdefault(value, rule(value))
        return list(map(self.__getitem__, values))


def _answers(values: list[Any], rule: Callable[[Any], Any], memo: Memo | None) -> list[Any]:
    return [rule(v) for v in values] if memo is None else memo.answers(values, rule)


def per_distinct(values: pa.Array, rule: Callable[[Any], Any], kind: pa.DataType, memo: Memo | None = None) -> pa.Array:
    """``rule`` of every value, computed once per distinct value (once per file with ``memo``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(values, null_encoding="encode")  # one hash pass (unique, index_in: two)
    results = pa.array(_answers(encoded.dictionary.to_pylist(), rule, memo), kind)
    return results.take(encoded.indices)


def replace_where(target: pa.Array, source: pa.Array, mask: np.ndarray, rule: Callable[[str], Any],
                  kind: pa.DataType, memo: Memo | None = None) -> pa.Array:
    """``target`` (Arrow's answer), with ``rule`` of ``source`` in Python where ``mask`` is set
    (the values Arrow's kernels may read differently)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not mask.any():
        return target
    values = source.take(pa.array(np.flatnonzero(mask))).to_pylist()
    return pc.replace_with_mask(target, pa.array(mask), pa.array(_answers(values, rule, memo), kind))
