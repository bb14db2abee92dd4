"""Year-on-year change and share of total, as window functions over the cell counts.

``yoy_abs`` = count - count of the same cell the year before; ``yoy_pct`` = 100 x yoy_abs / the
year before's count. A cell absent the year before had a count of 0 there (so ``yoy_abs`` is the
count and ``yoy_pct`` is undefined), unless that year lies before the data counted (the first
year with ``years`` unset): then both are null. With ``years`` set, the year before the first is
counted too and dropped after, so the first year shown has its change.

``share`` = the cell's fraction of the total of its year, and of its origin when origin and some
other key are breakdowns: by origin and year, Japan's share of all origins; by origin, office and
year, the US's share of Chinese grants abroad in 2021.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patentreach.indicators.counting import key_columns
from patentreach.indicators.selection import first_counted_year
from patentreach.indicators.spec import OutboundSpec


def with_change_and_share(cells: ir.Table, spec: OutboundSpec) -> ir.Table:
    """``cells`` (keys and count) with yoy_abs, yoy_pct and share, in that column order."""
    keys = key_columns(spec)
    others = [k for k in keys if k not in ("year", "origin")]
    share_keys = [k for k in ("year", "origin") if k in keys and (k == "year" or others)]
    total = cells["count"].sum().over(ibis.window(group_by=share_keys) if share_keys else ibis.window())
    share = (cells["count"].cast("float64") / total.nullif(0)).cast("float64")
    if "year" not in keys:
        return cells.select(*keys, "count", yoy_abs=ibis.null("float64"), yoy_pct=ibis.null("float64"), share=share)
    others = [k for k in keys if k != "year"]
    ordered = ibis.window(group_by=others, order_by="year") if others else ibis.window(order_by="year")
    first = first_counted_year(spec)
    earliest = ibis.literal(first) if first is not None else cells.year.min().over(ibis.window())
    prev_year = cells.year.lag().over(ordered)
    prev_count = cells["count"].lag().over(ordered)
    previous = ibis.cases(
        (prev_year == cells.year - 1, prev_count.cast("float64")),
        (cells.year - 1 >= earliest, ibis.literal(0.0)),
        else_=ibis.null("float64"),
    )
    # share and previous in one projection: DuckDB rewrites a lone total over the year partitions
    # of an aggregate into a second aggregate of the same input, scanning the facts twice
    changed = cells.mutate(share=share, previous=previous)
    if spec.years is not None:
        changed = changed.filter(changed.year >= spec.years[0])
    change = changed["count"].cast("float64") - changed.previous
    return changed.select(
        *keys, "count",
        change.name("yoy_abs"),
        (change * 100.0 / changed.previous.nullif(0.0)).name("yoy_pct"),
        "share",
    )
