"""Run indicator expressions and hand back rows with their definition.

Every result carries ``definition``: every switch of the spec, what each value means, the label,
and how it was computed (engine, prepared facts or not). Rows are sorted here, after collection,
never by the engine (engines order nulls differently); counts and changes are rounded to the
capability table's ``float_digits`` (significant digits), so fractional sums agree across engines and runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from patentreach.indicators.row_values import significant, table_rows
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


def collect(expr: ir.Table, engine: EngineLike, sort_keys: list[str], whole: bool) -> tuple[list[str], list[dict]]:
    """Execute ``expr`` and return (columns, rows): sorted, rounded, plain Python values."""
    return arrange(expr.to_pyarrow(), engine, sort_keys, whole)


def arrange(table: pa.Table, engine: EngineLike, sort_keys: list[str], whole: bool) -> tuple[list[str], list[dict]]:
    """(columns, rows) of an executed query's ``table``: sorted, rounded, plain Python values."""
    if sort_keys:
        table = table.take(_sort_indices(table, sort_keys))
    whole_columns = ("count", "yoy_abs") if whole else ()
    rows = table_rows(table, FLOAT_COLUMNS, engine.capabilities.float_digits, whole_columns)
    return table.column_names, rows


__all__ = ["FLOAT_COLUMNS", "IndicatorResult", "arrange", "collect", "definition", "significant"]
