"""Reference tables handed to the engine as Ibis in-memory tables, so that joins run there.

* ``memberships(group)``: a country group's dated memberships (``refdata.country_groups``);
  "member on the transfer's date" is a range join on ``valid_from`` / ``valid_to``.
* ``technology_fields()``: the IPC concordance (``refdata.technology_fields``) as (subclass,
  main group or null, field): a symbol matches on subclass and main group, else the whole subclass.
"""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow as pa

from patentreach.refdata.country_groups import memberships as group_memberships
from patentreach.refdata.loader import load_table


def memberships(group: str) -> Any:
    name = group.strip().lower()
    rows = [m for m in group_memberships() if m.group == name]
    if not rows:
        from patentreach.refdata.country_groups import group_names

        raise KeyError(f"unknown country group {group!r}; known: {group_names()}")
    return ibis.memtable(pa.table({
        "member": pa.array([m.country for m in rows], pa.string()),
        "valid_from": pa.array([m.valid_from for m in rows], pa.date32()),
        "valid_to": pa.array([m.valid_to for m in rows], pa.date32()),
    }))


def technology_fields() -> Any:
    rows = load_table("ipc_technology_fields")
    return ibis.memtable(pa.table({
        "ipc_subclass": pa.array([r["ipc_subclass"].strip().upper() for r in rows], pa.string()),
        "main_group": pa.array([int(r["main_group"]) if r.get("main_group") else None for r in rows], pa.int64()),
        "field": pa.array([int(r["field"]) for r in rows], pa.int64()),
    }))
