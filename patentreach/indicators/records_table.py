"""Drill-down: the publications behind one cell of an outbound indicator.

``records_table(source, spec, cell)`` applies exactly the filters and splits of
``outbound_table`` and keeps the rows whose keys equal the cell's: one row per publication and
origin party (and field, when field is a key), with its weight: origin share x field share
under fractional counting, the field share under whole counting. So the weights of a fractional
document cell sum to its count, and the distinct ``pub_id`` of a whole document cell (the
distinct ``family`` of a whole family cell) number its count when fields are not split
fractionally. Each row names its entity (``entity_name`` from ``entities``) beside its id.
"""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from patentreach.indicators.counting import KEY_COLUMNS, field_share
from patentreach.indicators.outbound_table import counted_rows
from patentreach.indicators.prepared import FactSource
from patentreach.indicators.spec import OutboundSpec, SpecError

RECORD_COLUMNS = (
    "pub_id", "family", "office", "kind", "doc_type", "day", "year", "route", "origin", "sector", "entity_id",
    "entity_name",
)


def records_table(source: FactSource, spec: OutboundSpec, cell: dict[str, Any]) -> ir.Table:
    unknown = [k for k in cell if k not in spec.by]
    if unknown:
        raise SpecError(f"cell keys {unknown} are not in the breakdown {list(spec.by)}")
    _, rows = counted_rows(source, spec)
    for key, value in cell.items():
        column = rows[KEY_COLUMNS[key]]
        rows = rows.filter(column.isnull() if value is None else column == value)
    extra = [KEY_COLUMNS[k] for k in spec.by if KEY_COLUMNS[k] not in RECORD_COLUMNS]
    share = field_share(rows)
    weight = rows.w * share if spec.counting == "fractional" else share
    entities = source.engine.table("entities")
    names = entities.select(n_entity=entities.entity_id, entity_name=entities.name)
    rows = rows.mutate(weight=weight)
    named = rows.left_join(names, rows.entity_id == names.n_entity)
    return named.select(*RECORD_COLUMNS, *extra, "weight")
