"""Cross-border transfers and licences by origin and destination, year and technology field.

``transfer_rows`` is the base every statistic shares: one row per counted transfer, origin
country, destination country and patent, where

* a transfer counts when its conveyance type is in the spec (default assignments and licences:
  employer assignments, mergers, name changes, security interests and releases move no rights
  between parties, see ``docs/transfers.md``) and its date is in the period;
* the **origin** is the country of an assignor (the seller, licensor), the **destination** that of
  an assignee (buyer, licensee), resolved by ``party_countries``; a transfer with parties in
  several countries counts once in each (origin, destination) pair it joins (whole counting);
* it is **cross-border** when both are known and differ.

``flows_table`` counts these rows by the spec's dimensions, by transaction (distinct transfer ids) and
by patent (distinct properties); ``records_table`` drills down to the records behind a cell.
"""

from __future__ import annotations

from typing import Any

import ibis

from patentreach.transfers.party_countries import property_rows, resolved_parties
from patentreach.transfers.patent_fields import property_fields
from patentreach.transfers.reference_tables import memberships
from patentreach.transfers.spec import TransferSpec
from patentreach.transfers.tables import TransferTables

UNKNOWN = "unknown"


def counted_transfers(tables: TransferTables, spec: TransferSpec) -> Any:
    """The transfers of the spec's types and period, with ``date`` (by the spec's basis) and ``year``."""
    t = tables.transfers
    day = t.record_date if spec.date_basis == "record" else ibis.coalesce(t.execution_date, t.record_date)
    t = t.filter(t.conveyance_type.isin(list(spec.types))).mutate(date=day)
    if spec.date_from is not None:
        t = t.filter(t.date >= spec.date_from)
    if spec.date_to is not None:
        t = t.filter(t.date <= spec.date_to)
    return t.select("transfer_id", "conveyance_type", "conveyance_text", "date", year=t.date.year())


def _in_group(rows: Any, column: str, group: str, label: str) -> Any:
    """``label`` = the group's name when ``column``'s country was a member on the row's date,
    else ``non-<group>`` (``unknown`` when the country is unknown)."""
    members = memberships(group)
    matched = rows.left_join(
        members,
        [
            rows[column] == members.member,
            members.valid_from.isnull() | (members.valid_from <= rows.date),
            members.valid_to.isnull() | (rows.date <= members.valid_to),
        ],
    )
    value = ibis.cases(
        (matched[column].isnull(), UNKNOWN),
        (matched.member.notnull(), group),
        else_=f"non-{group}",
    )
    return matched.select(*rows.columns, **{label: value}).distinct()


def transfer_pairs(tables: TransferTables, spec: TransferSpec) -> Any:
    """One row per counted transfer and pair of parties (assignor, assignee), with each party's
    name, matching key, kind, resolved country and how the country was found."""
    transfers = counted_transfers(tables, spec)
    parties = resolved_parties(tables)
    sides = {}
    for side, prefix in (("assignor", "origin"), ("assignee", "destination")):
        rows = parties.filter(parties.side == side)
        sides[side] = rows.select(
            "transfer_id",
            **{prefix: rows.country, f"{prefix}_name": rows.name, f"{prefix}_key": rows.key,
               f"{prefix}_kind": rows.kind, f"{prefix}_basis": rows.country_basis},
        )
    out, into = sides["assignor"], sides["assignee"]
    pairs = transfers.join(out, "transfer_id").join(into, "transfer_id")
    if spec.cross_border_only:
        pairs = pairs.filter(pairs.origin.notnull() & pairs.destination.notnull() & (pairs.origin != pairs.destination))
    if spec.origin:
        pairs = pairs.filter(pairs.origin.isin(list(spec.origin)))
    if spec.destination:
        pairs = pairs.filter(pairs.destination.isin(list(spec.destination)))
    if spec.origin_group:
        pairs = _in_group(pairs, "origin", spec.origin_group, "origin_group")
    if spec.destination_group:
        pairs = _in_group(pairs, "destination", spec.destination_group, "destination_group")
    return pairs


def transfer_rows(tables: TransferTables, spec: TransferSpec) -> Any:
    """The base of every statistic: country pairs (party names dropped) times patents, with
    each patent's technology field (null when unknown)."""
    pairs = transfer_pairs(tables, spec)
    keep = [c for c in pairs.columns if not c.endswith(("_name", "_key", "_kind", "_basis"))]
    pairs = pairs.select(*keep).distinct()
    props = property_rows(tables).select("transfer_id", "property_key")
    fields = property_fields(tables)
    props = props.left_join(
        fields, [props.transfer_id == fields.transfer_id, props.property_key == fields.property_key]
    ).select(props.transfer_id, props.property_key, fields.field)
    rows = pairs.left_join(props, pairs.transfer_id == props.transfer_id).select(pairs, props.property_key, props.field)
    return rows


def flows_table(tables: TransferTables, spec: TransferSpec) -> Any:
    """Transactions and patents per cell of the spec's dimensions."""
    rows = transfer_rows(tables, spec)
    measures = {
        "transactions": rows.transfer_id.nunique(),
        "patents": rows.property_key.nunique(),
    }
    if not spec.by:
        return rows.aggregate(**measures)
    dims = {d: rows[d].fill_null(UNKNOWN) if d in ("origin", "destination") else rows[d] for d in spec.by}
    return rows.group_by(**dims).aggregate(**measures)


def records_table(tables: TransferTables, spec: TransferSpec, **cell: Any) -> Any:
    """The records behind one cell (``origin="CN"``, ``year=2015``, ``field=6`` ...): one row per
    transfer and pair of parties, with names, countries and how each country was found."""
    pairs = transfer_pairs(tables, spec)
    if "field" in cell:
        fields = property_fields(tables)
        wanted = fields.filter(fields.field == cell.pop("field"))
        pairs = pairs.filter(pairs.transfer_id.isin(wanted.transfer_id))
    for column, value in cell.items():
        if value == UNKNOWN and column in ("origin", "destination"):
            pairs = pairs.filter(pairs[column].isnull())
        else:
            pairs = pairs.filter(pairs[column] == value)
    rows = pairs
    patents = property_rows(tables).group_by("transfer_id").aggregate(patents=ibis._.property_key.nunique())
    rows = rows.left_join(patents, rows.transfer_id == patents.transfer_id).select(rows, patents.patents)
    return rows.select(
        "transfer_id", "conveyance_type", "date", assignor=rows.origin_name, origin=rows.origin,
        origin_basis=rows.origin_basis, assignee=rows.destination_name, destination=rows.destination,
        destination_basis=rows.destination_basis, patents=rows.patents.fill_null(0),
        conveyance_text=rows.conveyance_text,
    ).distinct()
