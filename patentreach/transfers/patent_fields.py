"""The technology field of each patent a transfer concerns (WIPO's 35 fields, from its IPC).

A property's field comes from a stored publication of it (by ``pub_id`` or application number):
the IPC symbol listed ``first`` (else the lowest sequence) through the concordance
(``reference_tables.technology_fields``: subclass plus main group, else the whole subclass).
When several publications of the application are stored (its A1 and its B2), the lowest field
number is kept, so that each patent has one field. A property with no stored publication, or no
IPC, has no field (null, shown as "unknown").
"""

from __future__ import annotations

from typing import Any

import ibis

from patentreach.transfers.party_countries import concerned_publications
from patentreach.transfers.reference_tables import technology_fields
from patentreach.transfers.tables import TransferTables

_MAIN_GROUP = r"^[A-H][0-9][0-9][A-Z] *([0-9]+)"


def first_ipc_fields(tables: TransferTables) -> Any:
    """(pub_id, field) for every publication with an IPC symbol in a field."""
    c = tables.classifications.filter(tables.classifications.scheme == "IPC")
    rank = ibis.row_number().over(
        group_by=c.pub_id, order_by=[ibis.desc((c.position == "first").cast("int8")), c.sequence, c.symbol]
    )
    first = c.mutate(rank=rank)
    first = first.filter(first.rank == 0)
    symbols = first.select(
        "pub_id",
        subclass=first.symbol.substr(0, 4).upper(),
        main_group=first.symbol.re_extract(_MAIN_GROUP, 1).nullif("").cast("int64"),
    )
    concordance = technology_fields()
    exact = concordance.filter(concordance.main_group.notnull())
    whole = concordance.filter(concordance.main_group.isnull())
    matched = symbols.left_join(
        exact, [symbols.subclass == exact.ipc_subclass, symbols.main_group == exact.main_group]
    ).select(symbols.pub_id, symbols.subclass, exact_field=exact.field)
    matched = matched.left_join(whole, matched.subclass == whole.ipc_subclass).select(
        matched.pub_id, field=ibis.coalesce(matched.exact_field, whole.field)
    )
    return matched.filter(matched.field.notnull())


def property_fields(tables: TransferTables) -> Any:
    """(transfer_id, property_key, field) for every property with a known field."""
    return tables.shared("property_fields", _property_fields)


def _property_fields(tables: TransferTables) -> Any:
    concerned = concerned_publications(tables)
    fields = first_ipc_fields(tables)
    joined = concerned.join(fields, concerned.pub_id == fields.pub_id).select(
        concerned.transfer_id, concerned.property_key, fields.field
    )
    return joined.group_by(["transfer_id", "property_key"]).aggregate(field=joined.field.min())
