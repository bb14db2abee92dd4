"""An executed indicator table as plain Python rows, converted and rounded a column at a time.

Why: the standard set at 10 million publications returns about 8,000 rows; converting them value
by value (pyarrow's ``Table.to_pylist``, then ``results.significant`` on each float) took about
50 ms, a quarter of DuckDB's own time for the set (issue #20). Here each column goes to Python in
one NumPy call and the rounding is vectorised.

Exactly ``significant``'s values: Python's ``round(x, n)`` is the double nearest to ``x`` correctly
rounded to ``n`` decimals. With ``P = |x| * 10**n`` below 2**52 and ``10**n`` exact (n <= 22), the
computed product is within ``P * 2**-53`` of ``P``, so its nearest integer ``k`` is ``P``'s own
unless ``P`` lies that close to a tie; and ``k / 10**n`` (both exact) is the double nearest to the
decimal ``k * 10**-n``, which is what ``round`` returns. The values where that argument does not
hold (a scaled value near a tie, a magnitude near a power of ten where ``log10`` could round to the
other decade, ``n`` outside 0..22, a scaled value of 2**52 or more) are rounded one by one by
``significant`` itself. ``tests/indicators/test_row_values.py`` checks every value against it.
"""

from __future__ import annotations

import functools
import gc
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TIE_MARGIN = 1e-12  # (added to the relative error bound: a scaled value nearer a tie is done one by one)


def significant(value: float, digits: int, max_decimals: int = 9) -> float:
    """``value`` rounded to ``digits`` significant digits and at most ``max_decimals`` decimals.

    The noise of a parallel float sum sits in the last bits of the operands: relative to the
    value for a count (8282.999999999 for 8283 at 100 million publications), but absolute for
    a difference of equal counts (-2.2e-16 for 0), hence both limits. inf and nan unchanged."""
    if value == 0 or not math.isfinite(value) or (value.is_integer() and abs(value) < 10.0**digits):
        return value  # (an integer of at most ``digits`` digits is already rounded)
    decimals = min(max_decimals, digits - 1 - math.floor(math.log10(abs(value))))
    return round(value, decimals) + 0.0  # + 0.0: no negative zero


def significant_array(values: np.ndarray, digits: int, max_decimals: int = 9) -> np.ndarray:
    """``significant(v, digits, max_decimals)`` of every ``v`` of a float64 array, vectorised."""
    values = np.asarray(values, dtype=np.float64)
    out = values.copy()
    magnitude = np.abs(values)
    with np.errstate(all="ignore"):
        whole = values == np.floor(values)
        todo = np.isfinite(values) & (values != 0) & ~(whole & (magnitude < 10.0**digits))
        if not todo.any():
            return out
        index = np.flatnonzero(todo)
        size = magnitude[index]
        decade = np.log10(size)
        exponent = np.floor(decade)
        decimals = np.minimum(max_decimals, digits - 1 - exponent)
        usable = (decimals >= 0) & (decimals <= 22) & (np.abs(decade - np.rint(decade)) > 1e-9)
        scale = 10.0 ** np.clip(decimals, 0, 22)
        scaled = size * scale
        tie = np.abs(scaled - np.floor(scaled) - 0.5) <= scaled * 2.0**-52 + TIE_MARGIN
        usable &= ~tie & (scaled < 2.0**52)
        rounded = np.rint(scaled) / scale * np.sign(values[index]) + 0.0
    out[index[usable]] = rounded[usable]
    for i in index[~usable].tolist():
        out[i] = significant(float(values[i]), digits, max_decimals)
    return out


def _numbers(column: pa.ChunkedArray) -> tuple[np.ndarray, list[int]] | None:
    """A numeric column as (values with its nulls as 0, positions of its nulls); None for others."""
    dtype = NUMPY_TYPES.get(column.type)
    if dtype is None:
        return None
    values, missing = _as_numpy(column, np.dtype(dtype))
    return (values.astype(np.float64, copy=False) if values.dtype.kind == "f" else values), missing


# Arrow's fixed-width numbers, read from their buffers: pyarrow's ``to_numpy`` imports pandas
# (0.8 s on a first call in a process), and a CLI call needs it nowhere else.
NUMPY_TYPES = {
    pa.float64(): np.float64, pa.float32(): np.float32,
    pa.int64(): np.int64, pa.int32(): np.int32, pa.int16(): np.int16, pa.int8(): np.int8,
    pa.uint64(): np.uint64, pa.uint32(): np.uint32, pa.uint16(): np.uint16, pa.uint8(): np.uint8,
}


def _as_numpy(column: pa.ChunkedArray | pa.Array, dtype: np.dtype) -> tuple[np.ndarray, list[int]]:
    """The values of a fixed-width numeric column (its nulls as 0) and the positions of its nulls."""
    if isinstance(column, pa.ChunkedArray):
        array = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    else:
        array = column
    if not len(array):
        return np.empty(0, dtype), []
    values = np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)
    if not array.null_count:
        return values, []
    where = pc.indices_nonzero(array.is_null())
    missing = np.frombuffer(where.buffers()[1], dtype=np.uint64, count=len(where), offset=where.offset * 8)
    values = values.copy()
    values[missing] = 0
    return values, missing.tolist()


def _with_wholes(array: np.ndarray) -> list[Any]:
    """Floats of ``array``, each integral one as ``int`` (as ``int(value)`` gives it)."""
    with np.errstate(all="ignore"):
        integral = np.isfinite(array) & (array == np.floor(array))
    if integral.all() and (array.size == 0 or np.abs(array).max() < 2.0**62):
        return array.astype(np.int64).tolist()
    floats = array.tolist()
    return [int(v) if keep else v for v, keep in zip(floats, integral.tolist(), strict=True)]


def table_rows(table: pa.Table, rounded: tuple[str, ...], digits: int, whole: tuple[str, ...] = ()) -> list[dict]:
    """The rows of ``table`` as dicts; float columns named in ``rounded`` rounded to ``digits``
    significant digits, and the integral values of those named in ``whole`` made ``int``. The
    columns to round are rounded together, in one vectorised pass."""
    names = table.column_names
    if not names:
        return [{} for _ in range(table.num_rows)]
    numbers = [_numbers(table.column(i)) for i in range(len(names))]
    to_round = [i for i, (name, n) in enumerate(zip(names, numbers, strict=True))
                if name in rounded and n is not None and n[0].dtype.kind == "f"]
    if to_round:
        together = significant_array(np.concatenate([numbers[i][0] for i in to_round]), digits)
        for part, i in zip(np.split(together, len(to_round)), to_round, strict=True):
            numbers[i] = part, numbers[i][1]  # type: ignore[index]
    columns: list[list[Any]] = []
    for i, (name, n) in enumerate(zip(names, numbers, strict=True)):
        if n is None:
            columns.append(table.column(i).to_pylist())
            continue
        array, missing = n
        values = _with_wholes(array) if i in to_round and name in whole else array.tolist()
        for position in missing:
            values[position] = None
        columns.append(values)
    # (no garbage collection while the rows are made: they hold no cycles, and the collections
    # their allocation triggers walk every object of the process, Ibis's included: 40-80 ms on a
    # process's first set at 10 million publications)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _row_maker(len(names))(columns, *names)
    finally:
        if collecting:
            gc.enable()


@functools.cache
def _row_maker(width: int) -> Callable[..., list[dict]]:
    """``make(columns, *names)``: the rows of ``columns`` (lists of equal length) as dicts.

    Written as one list comprehension of dict displays for this many columns: twice as fast as
    ``dict(zip(names, values))`` per row (4.5 ms against 9.3 ms for 6,257 rows of 7 columns).
    Only the number of columns goes into the source; the names are arguments."""
    keys = ", ".join(f"k{i}" for i in range(width))
    values = ", ".join(f"v{i}" for i in range(width))
    pairs = ", ".join(f"k{i}: v{i}" for i in range(width))
    comma = "," if width == 1 else ""
    source = f"lambda columns, {keys}: [{{{pairs}}} for {values}{comma} in zip(*columns)]"
    return eval(source)  # (built above from the column count alone)
