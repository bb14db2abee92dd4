"""Read a real EPO sample file through a reader, as the warehouse ingest does (split in one
pass, parse each unit), for the field-level tests of the three EPO readers."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from patentreach.model.records import PatentRecord
from patentreach.model.transfers import TransferRecord
from patentreach.sources.base import Parsed, Quarantined, Skipped, Source
from tests.conftest import shared_path


@dataclass
class FileRead:
    records: dict[str, PatentRecord] = field(default_factory=dict)
    quarantined: list[Quarantined] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    read: int = 0
    transfer_units: list[list[TransferRecord]] = field(default_factory=list)  # OPS legal members
    event_units: int = 0  # units that store legal events only (OPS legal members, register documents)

    @property
    def stored(self) -> int:
        return len(self.records) + len(self.transfer_units) + self.event_units


def read_file(source: Source, path: Path) -> FileRead:
    out = FileRead()
    with open(path, "rb") as handle:
        stream = io.BufferedReader(handle)  # type: ignore[arg-type]
        for unit in source.units(stream):
            parsed: Parsed = source.parse(unit, str(path))
            out.read += 1
            out.warnings.extend(parsed.warnings)
            if isinstance(parsed.record, TransferRecord):
                out.transfer_units.append([r for r in parsed.records if isinstance(r, TransferRecord)])
            elif parsed.record is not None:
                out.records[parsed.record.publication.pub_id] = parsed.record
            elif parsed.legal_events:
                out.event_units += 1
            elif parsed.quarantined is not None:
                out.quarantined.append(parsed.quarantined)
            else:
                assert parsed.skipped is not None
                out.skipped.append(parsed.skipped)
    return out


def read_sample(source: Source, *parts: str) -> FileRead:
    return read_file(source, shared_path("data", *parts))


def applicants(record: PatentRecord) -> list[tuple[str, str, str | None]]:
    return [(p.name, p.kind, p.country) for p in record.parties if p.role == "applicant"]


def inventors(record: PatentRecord) -> list[str]:
    return [p.name for p in record.parties if p.role == "inventor"]


def symbols(record: PatentRecord, scheme: str) -> list[tuple[str, str]]:
    return [(c.symbol, c.position) for c in record.classifications if c.scheme == scheme]


def claims(record: PatentRecord) -> list[tuple]:
    return [(p.office, p.number, p.date, p.kind) for p in record.priorities]
