"""The small face every source presents: ``sniff`` a file's first bytes, split it into raw
``Unit``s, and ``parse`` one unit into a canonical record, a quarantined item or a skip.

Splitting and parsing are separate so that the warehouse can split in one process and parse in
several (``--jobs``): ``units`` must be cheap (byte searches, no XML tree), ``parse`` must be a
pure function of the unit so that it can run in a worker process.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from patentreach.model.legal_events import LegalEvent
from patentreach.model.records import PatentRecord
from patentreach.model.transfers import TransferRecord


@dataclass(frozen=True, slots=True)
class Sniff:
    """A source's claim on a file: how sure it is (0-1) and which format version it saw."""

    confidence: float
    version: str = ""


@dataclass(slots=True)
class Unit:
    """One raw record cut from a file: its 0-based index in the file, the 1-based line it starts
    on (None where lines mean nothing, e.g. a JSON array), and its undecoded bytes or value."""

    index: int
    line: int | None
    data: bytes | str | dict


@dataclass(slots=True)
class Quarantined:
    """A record that could not be parsed or failed validation: every problem found, at once."""

    index: int
    line: int | None
    reasons: list[str]
    raw: bytes | str = b""

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass(slots=True)
class Skipped:
    """A document that is valid but not a patent record (e.g. a sequence listing)."""

    index: int
    reason: str


@dataclass(slots=True)
class Parsed:
    """What ``parse`` returns for one unit: exactly one of record / quarantined / skipped,
    plus warnings that did not stop the record (e.g. a repaired namespace).

    ``record`` is a publication (``PatentRecord``) or a recorded transfer (``TransferRecord``).
    One unit may describe several transfers (an ODP application's assignment history, an OPS
    family member's ownership events) or a publication and its ownership history (a Lens row):
    ``transfers`` holds the further transfer records. They are stored with the unit, and the
    unit counts once (read = stored + quarantined + skipped counts units, not rows).
    ``legal_events`` holds the unit's dated legal events (an OPS legal member's INPADOC events, a
    maintenance-fee line, an ODP application's status); a unit with only events is stored too.
    """

    record: PatentRecord | TransferRecord | None = None
    quarantined: Quarantined | None = None
    skipped: Skipped | None = None
    warnings: list[str] = field(default_factory=list)
    transfers: list[TransferRecord] = field(default_factory=list)
    legal_events: list[LegalEvent] = field(default_factory=list)

    @property
    def stores(self) -> bool:
        """Whether the unit stores anything (a record, or legal events alone)."""
        return self.record is not None or bool(self.legal_events)

    @property
    def records(self) -> list[PatentRecord | TransferRecord]:
        """Every record the unit stores: ``record`` and then ``transfers``."""
        return ([self.record] if self.record is not None else []) + list(self.transfers)

    @classmethod
    def of_transfers(cls, records: list[TransferRecord], warnings: list[str] | None = None) -> Parsed:
        """A unit that stores one or more transfer records (the first becomes ``record``)."""
        assert records, "a stored unit has at least one record"
        return cls(record=records[0], transfers=list(records[1:]), warnings=list(warnings or []))

    @classmethod
    def of_events(cls, events: list[LegalEvent], warnings: list[str] | None = None,
                  base: Parsed | None = None) -> Parsed:
        """``base`` (a unit's record) with ``events`` attached, or a unit of events alone: the
        readers whose units carry legal events (OPS legal members and register documents, ODP
        application status, maintenance-fee lines) store them this way."""
        if base is None:
            return cls(legal_events=list(events), warnings=list(warnings or []))
        base.legal_events = list(events)
        return base


class Source:
    """Base class of a reader. Subclasses set the class attributes and implement the three
    methods; they keep no state between calls so that one instance serves every worker."""

    name: ClassVar[str]
    reader_version: ClassVar[str]
    description: ClassVar[str]

    def sniff(self, head: bytes) -> Sniff | None:
        """Look at the first bytes (at least 64 KB, fewer if the file is shorter)."""
        raise NotImplementedError

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        """Cut the stream into raw records without parsing them."""
        raise NotImplementedError

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        """Turn one raw record into a canonical record, or say why it cannot be one."""
        raise NotImplementedError
