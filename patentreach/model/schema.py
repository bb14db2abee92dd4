"""Arrow schemas derived from the canonical dataclasses: the Parquet layout follows the model.

Every stored row also carries ``ingest_id`` (which ingest wrote it); child rows carry the
``record_index`` of their publication so that, when one publication arrives twice, the warehouse
can keep exactly one version of it together with that version's children.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime

import pyarrow as pa

from patentreach.model.ingest import IngestWarning, QuarantineEntry
from patentreach.model.legal_events import LegalEvent
from patentreach.model.records import (
    Classification,
    Designation,
    Party,
    Priority,
    Publication,
    TechnologyField,
)
from patentreach.model.transfers import Transfer, TransferParty, TransferProperty

_ARROW_TYPES: dict[type, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    date: pa.date32(),
    datetime: pa.timestamp("us", tz="UTC"),
}

PROVENANCE_FIELDS = [pa.field("ingest_id", pa.string(), nullable=False)]
CHILD_LINK_FIELDS = [pa.field("record_index", pa.int64(), nullable=False)]


def _arrow_type(hint: object) -> tuple[pa.DataType, bool]:
    """(arrow type, nullable) for a dataclass field's type hint."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return _ARROW_TYPES[inner], True
    return _ARROW_TYPES[typing.cast(type, hint)], False


def schema_of(cls: type, extra: list[pa.Field] | None = None) -> pa.Schema:
    hints = typing.get_type_hints(cls)
    fields = []
    for f in dataclasses.fields(cls):
        arrow_type, nullable = _arrow_type(hints[f.name])
        fields.append(pa.field(f.name, arrow_type, nullable=nullable))
    return pa.schema(fields + (extra or []))


PUBLICATIONS = schema_of(Publication, PROVENANCE_FIELDS)
PARTIES = schema_of(Party, CHILD_LINK_FIELDS + PROVENANCE_FIELDS)
CLASSIFICATIONS = schema_of(Classification, CHILD_LINK_FIELDS + PROVENANCE_FIELDS)
PRIORITIES = schema_of(Priority, CHILD_LINK_FIELDS + PROVENANCE_FIELDS)
DESIGNATIONS = schema_of(Designation, CHILD_LINK_FIELDS + PROVENANCE_FIELDS)
TECHNOLOGY_FIELDS = schema_of(TechnologyField, CHILD_LINK_FIELDS + PROVENANCE_FIELDS)
QUARANTINE = schema_of(QuarantineEntry, PROVENANCE_FIELDS)
INGEST_WARNINGS = schema_of(IngestWarning, PROVENANCE_FIELDS)

TRANSFERS = schema_of(Transfer, PROVENANCE_FIELDS)
TRANSFER_PARTIES = schema_of(TransferParty, CHILD_LINK_FIELDS + PROVENANCE_FIELDS)
TRANSFER_PROPERTIES = schema_of(TransferProperty, CHILD_LINK_FIELDS + PROVENANCE_FIELDS)

# The patent tables, in write order; the publication is the parent of the other three.
PATENT_TABLES: dict[str, pa.Schema] = {
    "publications": PUBLICATIONS,
    "parties": PARTIES,
    "classifications": CLASSIFICATIONS,
    "priorities": PRIORITIES,
    "designations": DESIGNATIONS,
    "technology_fields": TECHNOLOGY_FIELDS,
}
# The child tables and the PatentRecord attribute holding their rows.
CHILD_TABLES: dict[str, str] = {
    "parties": "parties",
    "classifications": "classifications",
    "priorities": "priorities",
    "designations": "designations",
    "technology_fields": "technology_fields",
}

# The transfer tables (second record family, ``model.transfers``): a transfer is the parent of
# its parties and properties, linked by ``transfer_id`` plus ``record_index`` and ``ingest_id``.
TRANSFER_TABLES: dict[str, pa.Schema] = {
    "transfers": TRANSFERS,
    "transfer_parties": TRANSFER_PARTIES,
    "transfer_properties": TRANSFER_PROPERTIES,
}
# The transfer child tables and the TransferRecord attribute holding their rows.
TRANSFER_CHILD_TABLES: dict[str, str] = {
    "transfer_parties": "parties",
    "transfer_properties": "properties",
}

# The legal-event table (third record family, ``model.legal_events``): rows of an application,
# not of a publication, so no parent/child link; every committed row is visible.
LEGAL_EVENTS = schema_of(LegalEvent, PROVENANCE_FIELDS)
LEGAL_EVENT_TABLES: dict[str, pa.Schema] = {"legal_events": LEGAL_EVENTS}
