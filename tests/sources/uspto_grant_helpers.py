"""Read a real sample file with the USPTO grant reader, outside the warehouse."""

from __future__ import annotations

from pathlib import Path

from patentreach.sources.base import Parsed
from patentreach.sources.uspto_grant import UsptoGrantXml

READER = UsptoGrantXml()


def read_file(path: Path) -> list[Parsed]:
    with open(path, "rb") as handle:
        return [READER.parse(unit, str(path)) for unit in READER.units(handle)]


def records_by_id(path: Path) -> dict:
    return {p.record.publication.pub_id: p.record for p in read_file(path) if p.record}
