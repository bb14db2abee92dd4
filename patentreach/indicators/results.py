"""Run indicator expressions and hand back rows with their definition.

Every result carries ``definition``: every switch of the spec, what each value means, the label,
and how it was computed (engine, prepared facts or not). Rows are sorted here, after collection,
never by the engine (engines order nulls differently); counts and changes are rounded to the
capability table's ``float_digits`` (significant digits), so fractional sums agree across engines and runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from patentreach.indicators.spec import OutboundSpec, describe
from patentreach.indicators.tables import EngineLike

FLOAT_COLUMNS = ("count", "yoy_abs", "yoy_pct", "share", "weight")


@dataclass(frozen=True)
class IndicatorResult:
    definition: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """``{"definition": {...}, "rows": [...]}``, the JSON output of every indicator."""
        return {"definition": self.definition, "rows": self.rows}

    def tuples(self) -> list[tuple]:
        return [tuple(row[c] for c in self.columns) for row in self.rows]


def definition(
    indicator: str, spec: OutboundSpec, engine: EngineLike, source_note: str, notes: list[str] | None = None
) -> dict[str, Any]:
    """Every switch, what it means, how it was computed, and ``notes``: sentences saying why the
    result is empty or what incomplete data it rests on (``explanations.py``)."""
    return {
        "indicator": indicator,
        **spec.to_dict(),
        "doc_types": list(spec.doc_types()),
        "label": spec.label(),
        "meaning": describe(spec),
        "computed": {"engine": engine.name, "facts": source_note},
        "notes": list(notes or []),
    }


def _sort_indices(table: pa.Table, keys: list[str]) -> pa.Array:
    """Ascending, nulls last (per-key placement since pyarrow 25; one option before)."""
    try:
        return pc.sort_indices(table, sort_keys=[(k, "ascending", "at_end") for k in keys])
    except (TypeError, ValueError):
        return pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys], null_placement="at_end")


def significant(value: float, digits: int, max_decimals: int = 9) -> float:
    """``value`` rounded to ``digits`` significant digits and at most ``max_decimals`` decimals.

    The noise of a parallel float sum sits in the last bits of the operands: relative to the
    value for a count (8282.999999999 for 8283 at 100 million publications), but absolute for
    a difference of equal counts (-2.2e-16 for 0), hence both limits. inf and nan unchanged."""
    if value == 0 or not math.isfinite(value) or (value.is_integer() and abs(value) < 10.0**digits):
        return value  # (an integer of at most ``digits`` digits is already rounded)
    decimals = min(max_decimals, digits - 1 - math.floor(math.log10(abs(value))))
    return round(value, decimals) + 0.0  # + 0.0: no negative zero


def collect(expr: ir.Table, engine: EngineLike, sort_keys: list[str], whole: bool) -> tuple[list[str], list[dict]]:
    """Execute ``expr`` and return (columns, rows): sorted, rounded, plain Python values."""
    return arrange(expr.to_pyarrow(), engine, sort_keys, whole)


def arrange(table: pa.Table, engine: EngineLike, sort_keys: list[str], whole: bool) -> tuple[list[str], list[dict]]:
    """(columns, rows) of an executed query's ``table``: sorted, rounded, plain Python values."""
    digits = engine.capabilities.float_digits
    if sort_keys:
        table = table.take(_sort_indices(table, sort_keys))
    rows = table.to_pylist()
    for row in rows:
        for column in FLOAT_COLUMNS:
            value = row.get(column)
            if isinstance(value, float):
                value = significant(value, digits)
                if whole and column in ("count", "yoy_abs") and value == int(value):
                    value = int(value)
                row[column] = value
    return table.column_names, rows
