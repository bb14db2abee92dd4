"""The share of a country's patent owners who transferred or licensed patents abroad in a period.

The survey behind issue 9 asked enterprises whether they had "transferred their patents or
permitted the use of patents" to other countries (38 percent of Chinese companies, to Belt and
Road partners). Here the same share is measured from recorded transactions:

* **owners** of origin country O: the organisations (``kind`` organisation; matched by
  ``names.name_key``) with country O that, within the period, applied for or held a publication
  stored in the warehouse (applicant or assignee, by publication date) or were a party to any
  recorded transfer (either side, any type, by the spec's date basis);
* **transferring owners**: those among them who are the assignor (seller, licensor) of a
  counted cross-border transfer of the spec in the period (its types: by default assignments and
  licences), into the spec's ``destination_group`` when one is set (membership on the transfer's
  date).

The share depends on what the warehouse holds: owners are only those it has seen, and a transfer
counts only where the assignor's country is known (see ``party_countries``).
"""

from __future__ import annotations

from typing import Any

from patentreach.transfers.flows import counted_transfers, transfer_pairs
from patentreach.transfers.names import name_key
from patentreach.transfers.party_countries import OWNER_ROLES, resolved_parties
from patentreach.transfers.spec import TransferSpec
from patentreach.transfers.tables import TransferTables

ORGANISATION = "organisation"


def owner_shares_table(tables: TransferTables, spec: TransferSpec) -> Any:
    """(origin, owners, transferring_owners, share) per origin country (the spec's origins, else all)."""
    pairs = transfer_pairs(tables, spec.with_(cross_border_only=True))
    if spec.destination_group:
        pairs = pairs.filter(pairs.destination_group == spec.destination_group)
    pairs = pairs.filter(pairs.origin_kind == ORGANISATION)
    movers = pairs.select(origin=pairs.origin, key=pairs.origin_key).distinct()

    pubs = tables.publications
    if spec.date_from is not None:
        pubs = pubs.filter(pubs.pub_date >= spec.date_from)
    if spec.date_to is not None:
        pubs = pubs.filter(pubs.pub_date <= spec.date_to)
    p = tables.parties
    p = p.filter(p.role.isin(OWNER_ROLES) & (p.kind == ORGANISATION) & p.country.notnull())
    from_publications = p.join(pubs, p.pub_id == pubs.pub_id).select(origin=p.country, key=name_key(p.name))

    dated = counted_transfers(tables, spec.with_(types=tuple(_all_types())))
    r = resolved_parties(tables)
    r = r.filter((r.kind == ORGANISATION) & r.country.notnull())
    from_transfers = r.join(dated, r.transfer_id == dated.transfer_id).select(origin=r.country, key=r.key)

    owners = from_publications.union(from_transfers).union(movers, distinct=True)
    if spec.origin:
        owners = owners.filter(owners.origin.isin(list(spec.origin)))
    counted = owners.group_by("origin").aggregate(owners=owners.key.nunique())
    moved = movers.group_by("origin").aggregate(transferring=movers.key.nunique())
    joined = counted.left_join(moved, counted.origin == moved.origin).select(
        counted.origin, counted.owners, transferring_owners=moved.transferring.fill_null(0)
    )
    return joined.mutate(share=(joined.transferring_owners.cast("float64") / joined.owners).round(6))


def _all_types() -> list[str]:
    from patentreach.model.transfers import ConveyanceType

    return [t.value for t in ConveyanceType]



