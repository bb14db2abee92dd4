"""The current copy of each publication, as Ibis expressions over the raw Parquet parts.

The same rules as ``views.py`` (which DuckDB uses for its views): a part counts only when its
ingest id is in the ingest log; per ``pub_id`` the copy from the most recently committed ingest
wins, then the higher ingest id, then the later record; a family id the winning copy lacks is
taken from any copy that has one; child rows are those of the winning copy.

Written in Ibis so that the Spark engine gets its views from here, and so that any engine can
compute them for one slice of the publications (``keep``: e.g. a hash partition of ``pub_id``):
``prepare`` builds the fact tables of 100 million publications slice by slice, each slice's
de-duplication fitting in memory.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

Keep = Callable[[ir.StringValue], ir.BooleanValue]


def committed(parts: ir.Table, log: ir.Table) -> ir.Table:
    """The rows of committed ingests only (a part without a log entry is an interrupted ingest)."""
    ids = log.select(log_ingest_id=log.ingest_id)
    return parts.semi_join(ids, parts.ingest_id == ids.log_ingest_id)


def current_publications(parts: ir.Table, log: ir.Table, keep: Keep | None = None) -> ir.Table:
    if keep is not None:
        parts = parts.filter(keep(parts.pub_id))
    times = log.select(l_ingest_id=log.ingest_id, l_finished_at=log.finished_at)
    copies = parts.join(times, parts.ingest_id == times.l_ingest_id)
    order = [
        ibis.desc(copies.l_finished_at, nulls_first=False),
        ibis.desc(copies.ingest_id, nulls_first=False),
        ibis.desc(copies.record_index, nulls_first=False),
    ]
    ranked = copies.mutate(
        copy_rank=ibis.row_number().over(group_by=copies.pub_id, order_by=order),
        any_family_id=copies.family_id.min().over(group_by=copies.pub_id),
    )
    current = ranked.filter(ranked.copy_rank == 0)
    filled = current.mutate(family_id=ibis.coalesce(current.family_id, current.any_family_id))
    return filled.select(*parts.columns)


def current_children(parts: ir.Table, publications: ir.Table, keep: Keep | None = None) -> ir.Table:
    if keep is not None:
        parts = parts.filter(keep(parts.pub_id))
    winners = publications.select(w_pub_id="pub_id", w_ingest_id="ingest_id", w_record_index="record_index")
    return parts.semi_join(
        winners,
        (parts.pub_id == winners.w_pub_id)
        & (parts.ingest_id == winners.w_ingest_id)
        & (parts.record_index == winners.w_record_index),
    )


def hash_partition(index: int, count: int) -> Keep:
    """``pub_id`` values of partition ``index`` of ``count`` (the engine's own hash: a partition
    is only ever compared with partitions of the same engine)."""
    return lambda pub_id: ((pub_id.hash() % count) + count) % count == index
