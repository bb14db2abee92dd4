"""Read a file with one vendor reader outside the warehouse (PatentsView, Google, Lens, CNIPA)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from patentreach.sources.base import Parsed, Source


def read_file(reader: Source, path: Path) -> list[Parsed]:
    with open(path, "rb") as handle:
        return [reader.parse(unit, str(path)) for unit in reader.units(handle)]


def read_bytes(reader: Source, data: bytes, label: str = "test") -> list[Parsed]:
    import io

    return [reader.parse(unit, label) for unit in reader.units(io.BufferedReader(io.BytesIO(data)))]


def counts(parsed: list[Parsed]) -> Counter[str]:
    return Counter(
        "stored" if p.record else "quarantined" if p.quarantined else "skipped" for p in parsed
    )


def records_by_id(parsed: list[Parsed]) -> dict:
    return {p.record.publication.pub_id: p.record for p in parsed if p.record}


def parties(record, role: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(p.sequence, p.name, p.kind, p.country) for p in record.parties if p.role == role]


def symbols(record, scheme: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(c.symbol, c.position) for c in record.classifications if c.scheme == scheme]
