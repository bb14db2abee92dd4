"""Whether the harmonised tables in ``derived/`` are current with the ingest log.

``harmonize`` writes entities, sectors and origin shares from the publications it saw. An
``ingest`` afterwards adds publications those tables know nothing about: every figure counted
from them would silently leave the new publications out (the issue's "0 grants instead of
101"). So the harmonised tables are stamped, when written, with the ingest state they were built
from (``derived/harmonised_from.json``: the committed ingest ids, their count and digest), and
every command that reads them calls ``require_fresh`` first, which refuses with one line saying
what to run.

A warehouse harmonised before stamps existed (or written by ``synth``) has no stamp; then the
modification times decide: an ingest committed after the newest harmonised table makes them
stale. Transfers statistics read no harmonised table and need no check.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from patentreach.warehouse.ingest_log import committed_ids
from patentreach.warehouse.layout import Warehouse

STAMP = "harmonised_from.json"
HARMONISED_TABLES = ("entities", "party_entity", "origin_shares")
HARMONIZE_COMMAND = "patentreach harmonize"


class StaleDerivedTables(LookupError):
    """The harmonised tables were built before the last ingest (or the ingest log changed since)."""


@dataclass(frozen=True, slots=True)
class IngestState:
    """The committed ingests of a warehouse, sorted: what a derived table was built from."""

    ids: tuple[str, ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256("\n".join(self.ids).encode()).hexdigest()

    def to_dict(self) -> dict[str, object]:
        return {"ingests": len(self.ids), "digest": self.digest, "ingest_ids": list(self.ids),
                "written_at": datetime.now(UTC).isoformat(timespec="seconds")}


@dataclass(frozen=True, slots=True)
class Freshness:
    """The verdict on the harmonised tables: ``current`` or not, and why."""

    current: bool
    harmonised: bool  # whether any harmonised table exists at all
    ingested_since: int = 0  # committed ingests the tables do not include
    removed_since: int = 0  # ingests the tables include that are no longer committed
    stamped: bool = True  # False: judged from modification times (no stamp)

    def message(self, warehouse: Warehouse) -> str:
        """One line for the user: what is wrong and what to run."""
        if not self.harmonised:
            return f"{warehouse.root}: no harmonised tables (run `{HARMONIZE_COMMAND}` first)"
        if self.current:
            return f"{warehouse.root}: harmonised tables are current with the ingest log"
        if self.ingested_since:
            files = "file" if self.ingested_since == 1 else "files"
            change = f"{self.ingested_since} {files} ingested since"
        else:
            change = f"{self.removed_since} ingests no longer in the log"
        return (f"{warehouse.root}: derived tables are older than the last ingest ({change}): "
                f"run `{HARMONIZE_COMMAND}`")


def ingest_state(warehouse: Warehouse) -> IngestState:
    return IngestState(tuple(sorted(committed_ids(warehouse))))


def stamp_path(warehouse: Warehouse) -> Path:
    return warehouse.derived_dir / STAMP


def write_stamp(warehouse: Warehouse, state: IngestState | None = None) -> Path:
    """Record (atomically) that the harmonised tables now in ``derived/`` were built from
    ``state`` (default: the committed ingests now; the caller holds the warehouse lock)."""
    state = state or ingest_state(warehouse)
    target = stamp_path(warehouse)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{STAMP}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(state.to_dict(), indent=1), encoding="utf-8")
    os.replace(temporary, target)
    return target


def clear_stamp(warehouse: Warehouse) -> None:
    """Forget the stamp (before the harmonised tables are rewritten: a run interrupted half-way
    then counts as unstamped, judged by modification times)."""
    stamp_path(warehouse).unlink(missing_ok=True)


def _harmonised_files(warehouse: Warehouse) -> list[Path]:
    files: list[Path] = []
    for name in HARMONISED_TABLES:
        single = warehouse.derived_dir / f"{name}.parquet"
        folder = warehouse.derived_dir / name
        if single.is_file():
            files.append(single)
        if folder.is_dir():
            files.extend(folder.glob("*.parquet"))
    return files


def _read_stamp(warehouse: Warehouse) -> set[str] | None:
    try:
        body = json.loads(stamp_path(warehouse).read_text(encoding="utf-8"))
        return set(body["ingest_ids"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check(warehouse: Warehouse) -> Freshness:
    """Whether the harmonised tables are current with the committed ingests."""
    files = _harmonised_files(warehouse)
    if not files:
        return Freshness(current=False, harmonised=False)
    now = set(committed_ids(warehouse))
    built_from = _read_stamp(warehouse)
    if built_from is not None:
        added, removed = len(now - built_from), len(built_from - now)
        return Freshness(current=not added and not removed, harmonised=True, ingested_since=added,
                         removed_since=removed)
    newest = max(f.stat().st_mtime_ns for f in files)
    logs = [warehouse.log_dir / f"{i}.parquet" for i in now]
    later = sum(1 for log in logs if log.stat().st_mtime_ns > newest)
    return Freshness(current=later == 0, harmonised=True, ingested_since=later, stamped=False)


def require_fresh(warehouse: Warehouse) -> None:
    """Raise ``StaleDerivedTables`` (one line: what to run) unless the harmonised tables are
    current. Missing tables are left to the reader (``MissingTable`` names them)."""
    verdict = check(warehouse)
    if verdict.harmonised and not verdict.current:
        raise StaleDerivedTables(verdict.message(warehouse))
