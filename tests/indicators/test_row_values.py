"""Rows a column at a time (``indicators/row_values.py``): every value exactly what converting and
rounding one value at a time gives (pyarrow's ``to_pylist``, Python's ``round`` to ten significant
digits and at most nine decimals, integral counts as ``int``), including the values where a
vectorised rounding could differ: decimal ties, powers of ten, huge and tiny magnitudes, nulls."""

from __future__ import annotations

import math
import random

import numpy as np
import pyarrow as pa

from patentreach.indicators.row_values import significant_array, table_rows


def one_by_one(value: float, digits: int = 10, max_decimals: int = 9) -> float:
    """The rounding rule written out independently: Python's correctly rounded ``round``."""
    if value == 0 or not math.isfinite(value) or (value.is_integer() and abs(value) < 10.0**digits):
        return value
    decimals = min(max_decimals, digits - 1 - math.floor(math.log10(abs(value))))
    return round(value, decimals) + 0.0


def rows_one_by_one(table: pa.Table, rounded: tuple[str, ...], whole: tuple[str, ...]) -> list[dict]:
    rows = table.to_pylist()
    for row in rows:
        for column in rounded:
            value = row.get(column)
            if isinstance(value, float):
                value = one_by_one(value)
                if column in whole and value == int(value):
                    value = int(value)
                row[column] = value
    return rows


def hard_values() -> list[float]:
    """Values at every edge of the vectorised path, and a spread of ordinary ones."""
    rng = random.Random(20)
    values = [0.0, -0.0, 1.0, -1.0, 8282.999999999, 8283.0000000004, -2.2e-16, 2.2e-16, 0.1, 0.01, 1000.0,
              1e10, 1e10 + 0.5, 12345678901.25, 1.5e12 + 0.3, 9.9999999995, 9.99999999949, 0.1234567895,
              -0.1234567895, 14.285714285714286, 1 / 3, 2 / 3, 123456.78905, 0.0000000005, 0.0000000015,
              -0.0000000025, 5e-324, 1e300, math.inf, -math.inf, 2.0**52 + 0.5, 2.0**60,
              0.9999999999999999, 99.99999999950001, 1e-9, 1e-10, 3.0000000000000004]
    for decimals in range(10):  # decimal ties at each place (not exact in binary: either side)
        values += [(n + 0.5) / 10**decimals for n in (1, 12, 123456789, 999999999)]
    for _ in range(4000):
        values.append(rng.uniform(-1, 1) * 10 ** rng.uniform(-12, 14))
        values.append(round(rng.uniform(0, 1e6)) + rng.choice((0.0, 1e-12, -1e-12, 0.5, 1e-7)))
        values.append(rng.randrange(1, 10**9) / 10 ** rng.randrange(0, 12))
    return values


def test_vectorised_rounding_gives_exactly_the_one_by_one_value_for_every_hard_value():
    values = hard_values()
    got = significant_array(np.array(values), 10).tolist()
    expected = [one_by_one(v) for v in values]
    wrong = [(v, g, e) for v, g, e in zip(values, got, expected, strict=True)
             if not (g == e and math.copysign(1, g) == math.copysign(1, e))]
    assert wrong == []
    assert math.isnan(significant_array(np.array([math.nan]), 10)[0])


def test_negative_zero_stays_as_it_came_and_a_rounded_tiny_value_is_plain_zero():
    got = significant_array(np.array([-0.0, -2.2e-16]), 10).tolist()
    assert math.copysign(1, got[0]) == -1.0 and got[1] == 0.0 and math.copysign(1, got[1]) == 1.0


def test_rows_equal_the_value_by_value_conversion_with_nulls_ints_and_strings():
    values = hard_values()[:600]
    n = len(values)
    table = pa.table({
        "office": pa.array([None if i % 7 == 0 else f"O{i % 13}" for i in range(n)]),
        "year": pa.array([2000 + i % 20 for i in range(n)], pa.int32()),
        "entity_rank": pa.array([None if i % 5 == 0 else i for i in range(n)], pa.int64()),
        "count": pa.array([float(i // 3) + (0.25 if i % 11 == 0 else 0.0) for i in range(n)]),
        "yoy_abs": pa.array([None if i % 4 == 0 else float(i - 300) for i in range(n)]),
        "yoy_pct": pa.array([None if i % 3 == 0 else v for i, v in enumerate(values)]),
        "share": pa.array(values, pa.float64()),
        "weight": pa.array([float(v) for v in range(n)], pa.float32()),
        "other": pa.array(values),  # a float column that is not rounded
    })
    rounded = ("count", "yoy_abs", "yoy_pct", "share", "weight")
    got = table_rows(table, rounded, 10, ("count", "yoy_abs"))
    expected = rows_one_by_one(table, rounded, ("count", "yoy_abs"))
    assert [[(k, type(v)) for k, v in row.items()] for row in got] == \
        [[(k, type(v)) for k, v in row.items()] for row in expected]
    assert got == expected
    assert got[12]["count"] == 4 and type(got[12]["count"]) is int and got[0]["yoy_abs"] is None


def test_an_empty_table_gives_no_rows():
    table = pa.table({"office": pa.array([], pa.string()), "count": pa.array([], pa.float64())})
    assert table_rows(table, ("count",), 10, ("count",)) == []
