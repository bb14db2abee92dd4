"""Run a transfer expression and hand back its rows with the definition that produced them.

Every result carries ``definition``: the spec's switches, its label and the engine, so that an
exported table says what it counts. Rows are sorted here, after collection (engines order nulls
differently), never by the engine; ``as_json`` is the JSON shape of every command, the same as
the outbound indicators' (``{"definition": ..., "rows": [...]}``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class TransferResult:
    definition: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        rows = [{k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()} for row in self.rows]
        return {"definition": self.definition, "rows": rows}

    def tuples(self) -> list[tuple]:
        return [tuple(row[c] for c in self.columns) for row in self.rows]

    def to_arrow(self) -> pa.Table:
        return pa.Table.from_pylist(self.rows) if self.rows else pa.table({c: [] for c in self.columns})


def collect(expr: Any, sort_keys: list[str], keep_order: bool = False) -> tuple[list[str], list[dict[str, Any]]]:
    """Execute ``expr``; rows sorted by ``sort_keys`` ascending, nulls last (unless ``keep_order``:
    the expression's own order, e.g. a ranking)."""
    table: pa.Table = expr.to_pyarrow()
    if not keep_order and sort_keys and table.num_rows:
        try:
            order = pc.sort_indices(table, sort_keys=[(k, "ascending", "at_end") for k in sort_keys])
        except (TypeError, ValueError):  # pyarrow before per-key null placement
            order = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in sort_keys], null_placement="at_end")
        table = table.take(order)
    return table.column_names, table.to_pylist()
