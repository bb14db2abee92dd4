"""Turn parsed items into Arrow tables, column by column (faster than row dicts).

This runs inside parse workers, so what crosses the process boundary is a few compact Arrow
tables per batch rather than thousands of Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from patentreach.model.ingest import QUARANTINE_RAW_LIMIT, QuarantineEntry
from patentreach.model.records import PatentRecord
from patentreach.model.schema import PATENT_TABLES, QUARANTINE
from patentreach.sources.base import Parsed


@dataclass(slots=True)
class BatchResult:
    """Everything one batch of units produced."""

    tables: dict[str, pa.Table]
    quarantine: pa.Table
    read: int = 0
    stored: int = 0
    quarantined: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def _table(rows: list, schema: pa.Schema, extra: dict[str, list]) -> pa.Table:
    columns = []
    for f in schema:
        if f.name in extra:
            values = extra[f.name]
        else:
            values = [getattr(r, f.name) for r in rows]
            if f.type == pa.string():
                # StrEnum members take pyarrow's slow generic path (100x); pass plain str.
                values = [v if v is None or type(v) is str else str(v) for v in values]
        columns.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(columns, schema=schema)


def records_to_tables(records: list[PatentRecord], ingest_id: str) -> dict[str, pa.Table]:
    pubs = [r.publication for r in records]
    children: dict[str, tuple[list, list[int]]] = {
        "parties": ([], []),
        "classifications": ([], []),
        "priorities": ([], []),
    }
    for record in records:
        index = record.publication.record_index
        for name, rows in (
            ("parties", record.parties),
            ("classifications", record.classifications),
            ("priorities", record.priorities),
        ):
            children[name][0].extend(rows)
            children[name][1].extend([index] * len(rows))
    out = {
        "publications": _table(pubs, PATENT_TABLES["publications"], {"ingest_id": [ingest_id] * len(pubs)})
    }
    for name, (rows, indexes) in children.items():
        out[name] = _table(
            rows,
            PATENT_TABLES[name],
            {"record_index": indexes, "ingest_id": [ingest_id] * len(rows)},
        )
    return out


def quarantine_table(entries: list[QuarantineEntry], ingest_id: str) -> pa.Table:
    return _table(entries, QUARANTINE, {"ingest_id": [ingest_id] * len(entries)})


def raw_text(raw: bytes | str) -> str:
    """The first 64 KB of a raw record, as text, for the quarantine table."""
    if isinstance(raw, bytes):
        return raw[:QUARANTINE_RAW_LIMIT].decode("utf-8", "replace")
    return str(raw)[:QUARANTINE_RAW_LIMIT]


def collect(parsed: list[Parsed], source_file: str, source_format: str, ingest_id: str) -> BatchResult:
    records: list[PatentRecord] = []
    quarantined: list[QuarantineEntry] = []
    skipped = 0
    warnings: list[str] = []
    for item in parsed:
        warnings.extend(item.warnings)
        if item.record is not None:
            records.append(item.record)
        elif item.quarantined is not None:
            q = item.quarantined
            quarantined.append(
                QuarantineEntry(source_file, q.index, q.line, q.reason, raw_text(q.raw), source_format)
            )
        else:
            skipped += 1
    return BatchResult(
        tables=records_to_tables(records, ingest_id),
        quarantine=quarantine_table(quarantined, ingest_id),
        read=len(parsed),
        stored=len(records),
        quarantined=len(quarantined),
        skipped=skipped,
        warnings=warnings,
    )
