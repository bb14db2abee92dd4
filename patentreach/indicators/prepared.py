"""Materialised fact tables: ``patentreach stats prepare`` writes them, counts read them.

Counting over the warehouse views means, for every figure, picking the current copy of each
publication and joining it to its origin rows: fine for a sample, minutes at 100 million
publications. ``prepare`` writes the fact tables of ``facts.py`` once into ``derived/`` (sorted by
document type, origin and office, so that a filter skips whole row groups) together with a
manifest holding the warehouse fingerprint they were computed from. ``fact_source`` uses them
only while that fingerprint still matches (no ingest and no harmonisation since); otherwise it
computes the same expressions on the fly, so a stale table can never give a wrong figure, and
says so in the result's notes (``FactSource.stale``). Tables written by an earlier version of the
fact layout (``FACTS_VERSION`` in the manifest) are not used either (``FactSource.outdated``): their
fields and columns are not the ones this version counts with.

Both read the harmonisation tables, so both first require them to be current with the ingest
log (``warehouse.freshness.require_fresh``): after an ingest they refuse with one line saying to
run ``patentreach harmonize``, instead of counting without the new publications.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis.expr.types as ir

from patentreach.indicators.facts import ORIGIN_RULES, document_fields, origin_facts, with_field_lists
from patentreach.indicators.tables import EngineLike

MANIFEST = "outbound_facts.json"
# The layout of the prepared tables; a manifest of another version is never used. 2: the fields
# take the source's own weights (``technology_fields``) and the facts carry ``doc_type_rule``
# and ``fields_source``; a manifest without a version is of version 1.
FACTS_VERSION = 2
PARTITION_ROWS = 10_000_000
FIELDS_TABLE = "outbound_fields"


def facts_table(rule: str) -> str:
    return f"outbound_facts_{rule}"


@dataclass
class FactSource:
    """Where counts read their facts from: prepared tables where fresh, else the expressions."""

    engine: EngineLike
    prepared_tables: frozenset[str] = frozenset()
    reason: str = "no prepared facts"
    written_at: str = ""
    stale: bool = False  # prepared facts exist but were computed before the warehouse last changed
    outdated: int | None = None  # prepared facts exist, of this earlier FACTS_VERSION: not used
    # the prepared tables' files (name, size, modification time): what names their content, for
    # the counts kept beside the compiled queries (``explanations._selection_counts``)
    files: tuple[tuple[str, int, int], ...] = ()

    def uses_prepared(self, name: str) -> bool:
        return name in self.prepared_tables

    @property
    def prepared(self) -> bool:
        """Whether any prepared table is in use."""
        return bool(self.prepared_tables)

    def facts(self, rule: str) -> ir.Table:
        if self.uses_prepared(facts_table(rule)):
            return self.engine.table(facts_table(rule))
        return origin_facts(self.engine, rule)

    def fields(self) -> ir.Table:
        if self.uses_prepared(FIELDS_TABLE):
            return self.engine.table(FIELDS_TABLE)
        return document_fields(self.engine)

    def fields_in_facts(self, rule: str) -> bool:
        """Whether the prepared facts of ``rule`` carry each document's fields (every table of
        this ``FACTS_VERSION`` does; without them, counts would join the field table)."""
        return self.uses_prepared(facts_table(rule)) and "field_list" in self._columns(facts_table(rule))

    def _columns(self, name: str) -> list[str]:
        """The columns of the prepared table ``name``, from its first file's footer (no catalogue
        query), else from the engine."""
        files = table_files(self.engine.derived_dir, name)
        if files:
            with contextlib.suppress(Exception):
                import pyarrow.parquet as pq

                return pq.read_schema(files[0]).names
        return list(self.engine.table(name).columns)

    def note(self, rule: str, fields: bool = False) -> str:
        """How one indicator's facts were obtained, for its definition."""
        joined = fields and not self.fields_in_facts(rule)
        names = [facts_table(rule)] + ([FIELDS_TABLE] if joined else [])
        if all(self.uses_prepared(n) for n in names):
            return f"prepared fact tables ({', '.join(names)}) of {self.written_at}"
        return f"computed from the warehouse views ({self.reason})"


def require_current_harmonisation(engine: EngineLike) -> None:
    """``StaleDerivedTables`` when the engine's warehouse was ingested into since ``harmonize``."""
    warehouse = getattr(engine, "warehouse", None)
    if warehouse is not None:
        # (imported here: the warehouse package loads DuckDB, and indicators stay engine-free)
        from patentreach.warehouse.freshness import require_fresh

        require_fresh(warehouse)


def fact_source(engine: EngineLike, use_prepared: bool = True, fingerprint: str | None = None) -> FactSource:
    """Prepared facts when present and fresh; otherwise the on-the-fly expressions. Refuses
    (``StaleDerivedTables``) when the harmonisation tables are older than the last ingest.
    ``fingerprint``: the engine's, when the caller has just taken it."""
    require_current_harmonisation(engine)
    if not use_prepared:
        return FactSource(engine, reason="prepared facts not used")
    manifest = read_manifest(engine)
    if manifest is None:
        return FactSource(engine)
    version = manifest.get("version", 1)
    if version != FACTS_VERSION:
        return FactSource(engine, reason=f"prepared facts are of an earlier layout (version {version}, this is "
                                         f"{FACTS_VERSION}): run `stats prepare` again", outdated=version)
    if manifest.get("fingerprint") != (fingerprint or engine.fingerprint()):
        return FactSource(engine, reason="prepared facts are stale: the warehouse changed since `stats prepare`",
                          stale=True)
    # present: the manifest's tables whose files are in ``derived/`` (each engine registers the
    # views of what is there when it connects; asking its catalogue instead cost a query of
    # 20-100 ms on a process's first figure)
    files = files_stamp(engine.derived_dir, manifest.get("tables", []))
    present = frozenset(name for name, *_ in files)
    return FactSource(engine, present, "not prepared for this rule", manifest.get("written_at", "?"),
                      files=tuple((path, size, mtime) for _, path, size, mtime in files))


def table_files(derived: Path, name: str) -> list[Path]:
    """The Parquet files of the derived table ``name`` (a folder of parts, or one file)."""
    folder = derived / name
    if folder.is_dir():
        return sorted(folder.glob("*.parquet"))
    single = derived / f"{name}.parquet"
    return [single] if single.is_file() else []


def files_stamp(derived: Path, tables: list[str]) -> list[tuple[str, str, int, int]]:
    """(table, file, size, modification time) of every file of the derived ``tables``."""
    stamp = []
    for name in sorted(tables):
        for path in table_files(derived, name):
            with contextlib.suppress(OSError):
                stat = path.stat()
                stamp.append((name, str(path.relative_to(derived)), stat.st_size, stat.st_mtime_ns))
    return stamp


def read_manifest(engine: EngineLike) -> dict[str, Any] | None:
    path = engine.derived_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass
class PrepareReport:
    tables: dict[str, float] = field(default_factory=dict)  # table -> seconds
    fingerprint: str = ""
    partitions: int = 1


def prepare(
    engine: EngineLike, rules: tuple[str, ...] = ORIGIN_RULES, partitions: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> PrepareReport:
    """Write the fact tables of ``rules`` and of the technology fields, then the manifest (last:
    its presence makes them used).

    A large warehouse is prepared in ``partitions`` hash partitions of the publications (default:
    one per ``PARTITION_ROWS`` stored copies), each de-duplicated and joined on its own from the
    raw parts, so that memory stays bounded: one pass over 100 million publications needs more
    memory than a 24 GB machine has. Each partition becomes one part of each table.

    The field table is written first: each partition's facts take their field lists from it
    (``with_field_lists``) instead of computing the fields once per rule.

    ``progress(step, done, total)`` is told each table before it is written (for a progress bar)."""
    require_current_harmonisation(engine)
    tell = progress or (lambda step, done, total: None)
    report = PrepareReport(fingerprint=engine.fingerprint())
    manifest = engine.derived_dir / MANIFEST
    manifest.unlink(missing_ok=True)
    if partitions is None:
        stored = int(engine.table("all_publications").count().execute())
        partitions = max(1, math.ceil(stored / PARTITION_ROWS))
    report.partitions = partitions
    slices: list[Any] = [engine] if partitions == 1 else [engine.partition(i, partitions) for i in range(partitions)]
    total = 1 + len(rules)
    tell(FIELDS_TABLE, 0, total)
    started = time.perf_counter()
    engine.write_derived(FIELDS_TABLE, [document_fields(s).order_by(["pub_id", "field"]) for s in slices])
    report.tables[FIELDS_TABLE] = time.perf_counter() - started
    for done, rule in enumerate(rules, start=1):
        tell(facts_table(rule), done, total)
        started = time.perf_counter()
        parts = [
            with_field_lists(origin_facts(s, rule), s.table(FIELDS_TABLE)).order_by(
                ["doc_type", "origin", "office", "pub_id"]
            )
            for s in slices
        ]
        engine.write_derived(facts_table(rule), parts)
        report.tables[facts_table(rule)] = time.perf_counter() - started
    body = {
        "version": FACTS_VERSION,
        "fingerprint": report.fingerprint,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine.name,
        "partitions": partitions,
        "tables": sorted(report.tables),
    }
    tmp = manifest.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(body, indent=2), encoding="utf-8")
    tmp.replace(manifest)
    tell("done", total, total)
    return report
