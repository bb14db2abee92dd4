"""The country of every party to a transfer, where the record prints none.

USPTO assignment records give no address for assignors (the licensor, the seller, the debtor),
so the origin of most transfers is not on the record. It is found, in this order:

1. ``printed``: the country on the transfer record itself (normalised at ingest);
2. ``publication``: the same name (``names.name_key``) as an applicant or assignee with a country
   on a publication the transfer concerns (by ``pub_id``, or by office and application number);
3. ``other_publication``: the same name as an applicant or assignee with a country on any other
   stored publication (TOYOTA MOTOR ENGINEERING & MANUFACTURING NORTH AMERICA, INC., the assignor
   of five ad20160101.xml assignments to Toyota Jidosha, is US on its own grants);
4. ``other_transfer``: the same name printed with a country as a party to another transfer.

Steps 2 to 4 use a name only when it has exactly one country there: a name seen with two
countries stays unknown rather than guessed. ``country_basis`` says which step answered, so a
drill-down shows why a transfer counts as cross-border.
"""

from __future__ import annotations

from typing import Any

import ibis

from patentreach.transfers.names import name_key
from patentreach.transfers.tables import TransferTables

OWNER_ROLES = ("applicant", "assignee")


def concerned_publications(tables: TransferTables) -> Any:
    """(transfer_id, property_key, pub_id): every stored publication of each property, by its
    ``pub_id`` or by its office and application number."""
    return tables.shared("concerned_publications", _concerned_publications)


def _concerned_publications(tables: TransferTables) -> Any:
    props = property_rows(tables)
    pubs = tables.publications.select("pub_id", "office", "application_number")
    by_pub = props.join(pubs, props.pub_id == pubs.pub_id).select(
        props.transfer_id, props.property_key, pub_id=pubs.pub_id
    )
    with_app = props.filter(props.application_number.notnull())
    by_app = with_app.join(
        pubs, [with_app.office == pubs.office, with_app.application_number == pubs.application_number]
    ).select(with_app.transfer_id, with_app.property_key, pub_id=pubs.pub_id)
    return by_pub.union(by_app, distinct=True)


def property_rows(tables: TransferTables) -> Any:
    """Properties with a ``property_key``: ``US 10431348`` (office and application number), else
    the ``pub_id``; a patent counted by key is counted once whatever document names it."""
    p = tables.transfer_properties
    key = ibis.ifelse(p.application_number.notnull(), p.office.concat(" ", p.application_number), p.pub_id)
    return p.select("transfer_id", "pub_id", "office", "application_number", property_key=key)


def _unique_country(rows: Any, keys: list[str]) -> Any:
    grouped = rows.group_by(keys).aggregate(countries=rows.country.nunique(), found=rows.country.min())
    return grouped.filter(grouped.countries == 1).select(*keys, found=grouped.found)


def resolved_parties(tables: TransferTables) -> Any:
    """Every transfer party with ``key``, ``country`` (resolved) and ``country_basis``."""
    return tables.shared("resolved_parties", _resolved_parties)


def _resolved_parties(tables: TransferTables) -> Any:
    tp = tables.transfer_parties
    parties = tp.select("transfer_id", "side", "sequence", "name", "kind", printed=tp.country, key=name_key(tp.name))

    owners = tables.parties.filter(tables.parties.role.isin(OWNER_ROLES) & tables.parties.country.notnull())
    owners = owners.select("pub_id", "country", key=name_key(owners.name))
    concerned = concerned_publications(tables)
    on_publications = concerned.join(owners, concerned.pub_id == owners.pub_id).select(
        concerned.transfer_id, owners.key, owners.country
    ).distinct()
    from_publications = _unique_country(on_publications, ["transfer_id", "key"]).rename(pub_country="found")

    anywhere = owners.select("key", "country").distinct()
    from_any_publication = _unique_country(anywhere, ["key"]).rename(any_pub_country="found")

    printed = parties.filter(parties.printed.notnull()).select("key", country="printed").distinct()
    from_transfers = _unique_country(printed, ["key"]).rename(transfer_country="found")

    joined = parties.left_join(
        from_publications,
        [parties.transfer_id == from_publications.transfer_id, parties.key == from_publications.key],
    ).select(parties, from_publications.pub_country)
    joined = joined.left_join(from_any_publication, joined.key == from_any_publication.key).select(
        joined, from_any_publication.any_pub_country
    )
    joined = joined.left_join(from_transfers, joined.key == from_transfers.key).select(
        joined, from_transfers.transfer_country
    )
    basis = ibis.cases(
        (joined.printed.notnull(), "printed"),
        (joined.pub_country.notnull(), "publication"),
        (joined.any_pub_country.notnull(), "other_publication"),
        (joined.transfer_country.notnull(), "other_transfer"),
    )
    return joined.select(
        "transfer_id", "side", "sequence", "name", "kind", "key",
        country=ibis.coalesce(joined.printed, joined.pub_country, joined.any_pub_country, joined.transfer_country),
        country_basis=basis,
    )
