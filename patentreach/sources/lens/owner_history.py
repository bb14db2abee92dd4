"""A Lens CSV row's "Owners (US)" entries as transfer records: the US ownership history.

Each ``NAME (YYYY-MM-DD)`` entry is an owner that a recorded US assignment made the holder of the
patent on that date (Lens takes them from the USPTO assignment records). The export gives neither
the conveyance, nor the assignor, nor a country: the record is an assignee with a date, typed
``other`` (an owner entry may be a sale, an employer assignment or a bank's security interest),
kept as history and left out of the flows, which need a classified conveyance. The previous owner
is not written in as the assignor: the chain is not guaranteed complete, and an inferred party
would look printed.

The date is stored as ``record_date``: the Lens API's ``owners_all`` carries a ``recorded_date``
(and an ``execution_date``, equal in the API sample); the export shows one date per owner.
Ids are ``LENS-<Lens ID>-OWNER-<n>``, n counting the entries oldest first; a copy's ``scope`` is
``property`` (the same assignment of other patents is not listed on this row).
"""

from __future__ import annotations

from patentreach.model.records import Publication
from patentreach.model.transfers import (
    ConveyanceType,
    Transfer,
    TransferParty,
    TransferProperty,
    TransferRecord,
    TransferScope,
    TransferSide,
)
from patentreach.sources.dates import BadDate
from patentreach.sources.lens.lens_values import parse_owners, split_multi
from patentreach.sources.lens.party_kinds import applicant_kind, name_key

OFFICE = "US"


def owner_transfers(row: dict[str, str], publication: Publication, lens_id: str) -> list[TransferRecord]:
    """One record per owner entry (none when the row has no "Owners (US)")."""
    try:
        owners = parse_owners(row.get("Owners (US)"))
    except BadDate:  # record_from_row has already quarantined such a row
        return []
    inventors = {name_key(n) for n in split_multi(row.get("Inventors"))}
    out = []
    for n, owner in enumerate(owners, start=1):
        transfer_id = f"LENS-{lens_id}-OWNER-{n}"
        transfer = Transfer(
            transfer_id=transfer_id,
            office=OFFICE,
            conveyance_type=ConveyanceType.OTHER,
            record_date=owner.date,
            scope=TransferScope.PROPERTY,
            source_format=publication.source_format,
            source_file=publication.source_file,
            record_index=publication.record_index,
            reader_version=publication.reader_version,
        )
        kind = applicant_kind(owner.name, inventors)
        assignee = TransferParty(transfer_id, TransferSide.ASSIGNEE, 1, owner.name, kind)
        prop = TransferProperty(
            transfer_id, 1, publication.office, pub_id=publication.pub_id,
            application_number=publication.application_number, kind=publication.kind,
        )
        out.append(TransferRecord(transfer, [assignee], [prop]))
    return out
