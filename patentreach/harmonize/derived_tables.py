"""The Parquet files harmonisation writes into ``<warehouse>/derived/``, each replaced whole.

Each file is written to a temporary name in the same folder, flushed to disk, then renamed over
the old one (``os.replace`` is atomic on one file system): a reader sees the old file or the new,
never half of one. Every file there is also a DuckDB view of the same name
(``warehouse.views.derived_view_statements``). ``entity_variants`` is written last: it is what
the next run reads to keep entity ids, so a run interrupted before it leaves the previous ids in
force.

The written tables are stamped with the ingest state they were built from
(``warehouse.freshness``): the stamp is removed before the first table of ``WRITE_ORDER`` is
replaced and written after the last, so commands that read them can tell when an ingest came
later. Harmonisation holds the warehouse lock, so no ingest commits in between.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from patentreach.warehouse import Warehouse
from patentreach.warehouse.freshness import clear_stamp, write_stamp

_S = pa.string()
_I = pa.int64()

SCHEMAS: dict[str, pa.Schema] = {
    "entities": pa.schema(
        [("entity_id", _S), ("name", _S), ("normalised_name", _S), ("country", _S), ("sector", _S),
         ("n_parties", _I), ("n_publications", _I)]
    ),
    "party_entity": pa.schema(
        [("pub_id", _S), ("role", _S), ("sequence", _I), ("entity_id", _S), ("normalised_name", _S),
         ("sector", _S), ("sector_rule", _S)]
    ),
    "origin_shares": pa.schema(
        [("pub_id", _S), ("rule", _S), ("country", _S), ("sector", _S), ("entity_id", _S),
         ("share", pa.float64()), ("fallback", _S)]
    ),
    "entity_variants": pa.schema(
        [("variant_id", _S), ("entity_id", _S), ("kind", _S), ("match_key", _S), ("normalised_name", _S),
         ("country", _S), ("name", _S), ("n_parties", _I)]
    ),
}
WRITE_ORDER = ("entities", "party_entity", "origin_shares", "entity_variants")


def path(warehouse: Warehouse, name: str) -> Path:
    return warehouse.derived_dir / f"{name}.parquet"


def write(warehouse: Warehouse, name: str, table: pa.Table) -> Path:
    """Replace ``derived/<name>.parquet`` atomically with ``table`` (cast to its schema)."""
    target = path(warehouse, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    table = table.select(SCHEMAS[name].names).cast(SCHEMAS[name])
    temporary = target.with_name(f".{name}.{os.getpid()}.tmp")
    if name == WRITE_ORDER[0]:
        clear_stamp(warehouse)
    try:
        pq.write_table(table, temporary, compression="zstd")
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
    if name == WRITE_ORDER[-1]:
        write_stamp(warehouse)
    return target


def read_previous_variants(warehouse: Warehouse) -> dict[str, str]:
    """variant id -> entity id of the previous run (empty if there was none)."""
    previous = path(warehouse, "entity_variants")
    if not previous.is_file():
        return {}
    table = pq.read_table(previous, columns=["variant_id", "entity_id"])
    return dict(zip(table.column("variant_id").to_pylist(), table.column("entity_id").to_pylist(), strict=True))
