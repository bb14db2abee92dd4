"""Canonical record types of the second family: recorded transfers of rights.

One ``TransferRecord`` is one recorded transaction (a USPTO reel/frame, an INPADOC ownership or
licence event, a Lens owner entry) with the parties on each side and the patents it concerns.
Publications say who filed; transfers say who later acquired, licensed or pledged the rights,
which is how technology moves across borders after filing. Every transfer reader produces these
and nothing else; field meanings are documented in ``docs/model.md`` (a test keeps them in step).

``cross_border`` is deliberately not a field: the origin of a transfer is often not printed on
the record (USPTO assignors carry no address) and is resolved at query time from the other
tables (``patentreach.transfers.party_countries``), with dated country groups. Freezing a
half-known answer at ingest would hide that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class ConveyanceType(StrEnum):
    """What a recorded transaction does to the rights. ``employee_to_employer``, ``merger`` and
    ``change_of_name`` move no technology between independent parties; flows leave them out."""

    ASSIGNMENT = "assignment"
    LICENCE = "licence"
    SECURITY_INTEREST = "security_interest"
    RELEASE = "release"
    MERGER = "merger"
    CHANGE_OF_NAME = "change_of_name"
    CORRECTION = "correction"
    EMPLOYEE_TO_EMPLOYER = "employee_to_employer"
    OTHER = "other"


class TransferSide(StrEnum):
    ASSIGNOR = "assignor"
    ASSIGNEE = "assignee"


class TransferScope(StrEnum):
    """How much of the transaction the source's copy describes: the whole recorded transaction
    (USPTO bulk XML, Assignment Search) or one property's view of it (ODP per application, an
    OPS legal event of one family member, a Lens row). A whole copy is preferred as current."""

    TRANSACTION = "transaction"
    PROPERTY = "property"


@dataclass(slots=True)
class Transfer:
    """One recorded transaction: one row per ``transfer_id``."""

    transfer_id: str
    office: str
    conveyance_type: str
    conveyance_text: str | None = None
    event_code: str | None = None
    reel_frame: str | None = None
    execution_date: date | None = None
    record_date: date | None = None
    scope: str = TransferScope.TRANSACTION
    source_format: str = ""
    source_file: str = ""
    record_index: int = 0
    reader_version: str = ""


@dataclass(slots=True)
class TransferParty:
    """One assignor (licensor, debtor ...) or assignee (licensee, secured party ...), as printed."""

    transfer_id: str
    side: str
    sequence: int
    name: str
    kind: str
    city: str | None = None
    state: str | None = None
    country_raw: str | None = None
    country: str | None = None
    address: str | None = None
    execution_date: date | None = None


@dataclass(slots=True)
class TransferProperty:
    """One patent or application the transaction concerns."""

    transfer_id: str
    sequence: int
    office: str
    pub_id: str | None = None
    application_number: str | None = None
    kind: str | None = None
    title: str | None = None


@dataclass(slots=True)
class TransferRecord:
    """A transaction with its parties and properties: the unit a transfer reader yields."""

    transfer: Transfer
    parties: list[TransferParty] = field(default_factory=list)
    properties: list[TransferProperty] = field(default_factory=list)


def reel_frame(reel: str | int, frame: str | int) -> str:
    """The USPTO's printed form ``038323/0190``: reel zero-padded to six digits, frame to four,
    whatever the source printed (``38323`` / ``190``, ``"047305"`` / ``"0442"``)."""
    return f"{int(str(reel).strip()):06d}/{int(str(frame).strip()):04d}"


def uspto_transfer_id(reel: str | int, frame: str | int) -> str:
    """``USPTO-ASSIGN-038323-0190``: the same recorded assignment gets the same id from the bulk
    XML, the Assignment Search API, ODP and OPS legal events, so the warehouse keeps one row."""
    return "USPTO-ASSIGN-" + reel_frame(reel, frame).replace("/", "-")
