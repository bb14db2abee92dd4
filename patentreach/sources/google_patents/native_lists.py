"""The list columns of a Google Patents block (``ipc``, ``cpc``, ``priority_claim``) mapped with
Arrow list kernels, for the native JSON Lines path (``native_jsonl``).

Each list is flattened (``list_flatten``) with the row of every entry (``list_parent_indices``);
struct fields are read by ``struct_field``; the reader's own rules (``cpc_symbol``, ``bq_bool``,
``bq_date``, ``split_number``, ``priority_kind``) run once per distinct value or combination, so each
entry becomes what ``record._classifications`` / ``record._priorities`` make of it. An entry the
reader would quarantine its row for (a null or unreadable classification, a priority claim's bad
filing date) marks the row in ``Children.bad``; the mapping hands such rows to ``parse``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from patentreach.sources.dates import BadDate
from patentreach.sources.google_patents.bigquery_values import bq_bool, bq_date, split_number
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol
from patentreach.sources.google_patents.distinct_rules import per_distinct_rows
from patentreach.sources.google_patents.record import priority_kind
from patentreach.sources.lens.arrow_text import per_distinct

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

SCHEMES = (("IPC", "ipc"), ("CPC", "cpc"))
POSITIONS = ("first", "inventive", "additional")


@dataclass(slots=True)
class Children:
    """A child table's entries in the reader's order: the row of each (ascending), its columns,
    and the rows the reader quarantines because of an entry."""

    rows: np.ndarray
    columns: dict[str, pa.Array]
    bad: np.ndarray


def _flattened(lists: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """(entries, row of each entry, whether the entry is an object rather than null)."""
    import numpy as np
    import pyarrow.compute as pc

    items = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    return items, parent, pc.is_valid(items).to_numpy(zero_copy_only=False)


def _flag(values: pa.Array) -> np.ndarray:
    """``bq_bool`` of a ``first``/``inventive`` field (JSON booleans or text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_boolean(values.type):
        values = per_distinct(values, bq_bool, pa.bool_())
    return pc.fill_null(values, False).to_numpy(zero_copy_only=False)


def classifications(batch: pa.RecordBatch) -> Children:
    """IPC then CPC entries per row, each symbol once per scheme (the first entry's position),
    as ``record._classifications``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rows, schemes, symbols, positions, bad = [], [], [], [], []
    for number, (_, column) in enumerate(SCHEMES):
        if batch.column(column).null_count == batch.num_rows:  # not in the export
            continue
        items, parent, valid = _flattened(batch.column(column))
        symbol = per_distinct(pc.struct_field(items, "code"), lambda c: cpc_symbol(str(c)) if c else None,
                              pa.string())
        readable = valid & pc.is_valid(symbol).to_numpy(zero_copy_only=False)
        bad.append(parent[~readable])
        first, inventive = _flag(pc.struct_field(items, "first")), _flag(pc.struct_field(items, "inventive"))
        position = np.where(first, 0, np.where(inventive, 1, 2))[readable]  # a place in POSITIONS
        rows.append(parent[readable])
        schemes.append(np.full(int(readable.sum()), number, dtype=np.int64))
        symbols.append(symbol.filter(pa.array(readable)))
        positions.append(position)
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return Children(empty, {name: pa.array([], pa.string()) for name in ("scheme", "symbol", "position")}, empty)
    row, scheme_no = np.concatenate(rows), np.concatenate(schemes)
    symbol = pa.concat_arrays(symbols)
    order = np.argsort(row, kind="stable")  # each row's IPC entries, then its CPC entries, in list order
    ids = pc.dictionary_encode(symbol).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    key = (row * len(SCHEMES) + scheme_no) * (len(symbol) + 1) + ids
    _, first_seen = np.unique(key[order], return_index=True)
    order = order[np.sort(first_seen)]
    take = pa.array(order, pa.int64())
    return Children(row[order], {
        "scheme": pa.array([s for s, _ in SCHEMES]).take(pa.array(scheme_no[order])),
        "symbol": symbol.take(take),
        "position": pa.array(POSITIONS).take(pa.array(np.concatenate(positions)[order])),
    }, np.concatenate(bad))


def priorities(lists: pa.Array, application: pa.Array, office: pa.Array) -> Children:
    """``priority_claim`` entries as ``record._priorities``: null entries and the publication's
    own application (same office and number as ``application``, per row) left out."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    number_type, date_type = arrow_types()
    if lists.null_count == len(lists):  # not in the export
        empty = np.zeros(0, dtype=np.int64)
        return Children(empty, {"office": pa.array([], pa.string()), "number": pa.array([], pa.string()),
                                "date": pa.array([], pa.date32()), "kind": pa.array([], pa.string())}, empty)
    items, parent, valid = _flattened(lists)
    at = pa.array(parent, pa.int64())
    ids = per_distinct(pc.struct_field(items, "application_number"), number_parts, number_type)
    claim_office, claim_number = pc.struct_field(ids, "office"), pc.struct_field(ids, "number")
    own = pc.and_(pc.equal(claim_office, pc.struct_field(application, "office").take(at)),
                  pc.equal(claim_number, pc.struct_field(application, "number").take(at)))
    kept = valid & ~pc.fill_null(own, False).to_numpy(zero_copy_only=False)
    when = per_distinct(pc.struct_field(items, "filing_date"), read_date, date_type)
    bad = parent[kept & pc.struct_field(when, "bad").to_numpy(zero_copy_only=False)]
    kind = per_distinct_rows([claim_office, pc.struct_field(ids, "kind"), office.take(at)],
                             lambda o, k, pub: priority_kind(o, k or "", pub), pa.string())
    mask = pa.array(kept)
    return Children(parent[kept], {
        "office": claim_office.filter(mask), "number": claim_number.filter(mask),
        "date": pc.struct_field(when, "d").filter(mask), "kind": kind.filter(mask),
    }, bad)


def earliest_claims(claims: Children, n: int) -> pa.Array:
    """Each row's earliest claim date (null where it has none)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(claims.rows):
        return pa.nulls(n, pa.date32())
    days = pc.cast(claims.columns["date"], pa.int32())
    dated = pc.is_valid(days).to_numpy(zero_copy_only=False)
    none = np.iinfo(np.int32).max
    best = np.full(n, none, dtype=np.int32)
    np.minimum.at(best, claims.rows[dated], days.filter(pa.array(dated)).to_numpy(zero_copy_only=False))
    return pa.array(best, mask=best == none).cast(pa.date32())


def number_parts(value: Any) -> dict[str, str] | None:
    """``split_number`` as a struct's fields (None where it is not a number)."""
    ids = split_number(value)
    return dict(zip(("office", "number", "kind"), ids, strict=True)) if ids else None


def read_date(value: Any) -> dict[str, Any]:
    """``bq_date`` as a struct: the date, and whether the value is not one (the reader's problem)."""
    try:
        return {"d": bq_date(value), "bad": False}
    except BadDate:
        return {"d": None, "bad": True}


def arrow_types() -> tuple[pa.DataType, pa.DataType]:
    """(split_number as a struct, bq_date with whether it failed)."""
    import pyarrow as pa

    return (pa.struct([("office", pa.string()), ("number", pa.string()), ("kind", pa.string())]),
            pa.struct([("d", pa.date32()), ("bad", pa.bool_())]))
