"""The parties most often on the other side of a country's cross-border transfers.

For an origin (``spec.origin``), the foreign assignees (buyers, licensees) its owners transferred
to: ``side="assignee"``; for a destination (``spec.destination``), the foreign assignors it
acquired from: ``side="assignor"`` (the inbound view: "introducing patent technologies from
overseas"). Parties are grouped by ``names.name_key`` and country; the printed name shown is the
first in alphabetical order among the spellings.
"""

from __future__ import annotations

from typing import Any

from patentreach.transfers.flows import transfer_pairs
from patentreach.transfers.party_countries import property_rows
from patentreach.transfers.spec import TransferSpec
from patentreach.transfers.tables import TransferTables

SIDES = {"assignee": "destination", "assignor": "origin"}


def counterparties_table(tables: TransferTables, spec: TransferSpec, side: str = "assignee", limit: int = 20) -> Any:
    """(name, country, transactions, patents), most transactions first."""
    if side not in SIDES:
        raise ValueError(f"side {side!r}: choose from {', '.join(SIDES)}")
    prefix = SIDES[side]
    pairs = transfer_pairs(tables, spec)
    pairs = pairs.select("transfer_id", key=pairs[f"{prefix}_key"], name=pairs[f"{prefix}_name"],
                         country=pairs[prefix]).distinct()
    props = property_rows(tables).select("transfer_id", "property_key")
    rows = pairs.left_join(props, pairs.transfer_id == props.transfer_id).select(pairs, props.property_key)
    grouped = rows.group_by(["key", "country"]).aggregate(
        name=rows.name.min(), transactions=rows.transfer_id.nunique(), patents=rows.property_key.nunique()
    )
    ordered = grouped.order_by([grouped.transactions.desc(), grouped.patents.desc(), grouped.name])
    return ordered.select("name", "country", "transactions", "patents").limit(limit)
