"""The canonical model: the record types every source writes and every capability reads, in three
families: publications (``records``), recorded transfers of rights (``transfers``) and legal
events of applications (``legal_events``). The Parquet schemas are derived from these dataclasses
(see ``schema``)."""

from typing import TYPE_CHECKING

from patentreach.model.lazy_exports import export_lazily

if TYPE_CHECKING:
    from patentreach.model.legal_events import LegalEvent
    from patentreach.model.records import (
        Classification,
        Designation,
        DesignationKind,
        DocType,
        Party,
        PartyKind,
        PatentRecord,
        Priority,
        PriorityKind,
        Publication,
        Role,
        Route,
        TechnologyField,
        make_pub_id,
        strip_leading_zeros,
    )
    from patentreach.model.transfers import (
        ConveyanceType,
        Transfer,
        TransferParty,
        TransferProperty,
        TransferRecord,
        TransferScope,
        TransferSide,
        uspto_transfer_id,
    )

# Named, not imported: a module that needs one small part of the model (``model.spreadsheet_cells``,
# ``model.lazy_exports``) does not pay for every record class (issue 20: command start).
__getattr__, __dir__ = export_lazily(__name__, {
    "legal_events": ("LegalEvent",),
    "records": ("Classification", "Designation", "DesignationKind", "DocType", "Party", "PartyKind",
                "PatentRecord", "Priority", "PriorityKind", "Publication", "Role", "Route", "TechnologyField",
                "make_pub_id", "strip_leading_zeros"),
    "transfers": ("ConveyanceType", "Transfer", "TransferParty", "TransferProperty", "TransferRecord",
                  "TransferScope", "TransferSide", "uspto_transfer_id"),
})

__all__ = [
    "Classification",
    "ConveyanceType",
    "Designation",
    "DesignationKind",
    "DocType",
    "LegalEvent",
    "Party",
    "PartyKind",
    "PatentRecord",
    "Priority",
    "PriorityKind",
    "Publication",
    "Role",
    "Route",
    "TechnologyField",
    "Transfer",
    "TransferParty",
    "TransferProperty",
    "TransferRecord",
    "TransferScope",
    "TransferSide",
    "make_pub_id",
    "strip_leading_zeros",
    "uspto_transfer_id",
]
