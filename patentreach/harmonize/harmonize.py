"""``harmonize``: parties -> entities, sectors and countries of origin, written as derived tables.

Steps (each reported to the progress hook): normalise every distinct party name; group party
rows into name variants; link the applicant variants with Splink (parameters estimated on DuckDB,
pairs scored on the chosen engine, then clustered: three steps); give the clusters stable entity
ids; decide each entity's sector; compute the country-of-origin shares of every publication;
write ``entities``, ``party_entity``, ``origin_shares`` and ``entity_variants`` into
``<warehouse>/derived/`` and refresh ``warehouse.duckdb``. The warehouse lock is held throughout,
so an ingest and a harmonisation never run at once; a warehouse that is locked, read-only or
whose ``warehouse.duckdb`` another process holds open is refused in one line before any work.
"""

from __future__ import annotations

import fcntl
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from patentreach.harmonize import (
    derived_tables,
    engines,
    entity_ids,
    entity_tables,
    linkage_records,
    linker,
    origin,
    variants,
)
from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.views import write_database

STEPS = (
    "normalising names",
    "grouping name variants",
    "estimating Splink parameters (DuckDB)",
    "scoring pairs (Splink)",
    "clustering variants",
    "assigning entity ids",
    "deciding sectors",
    "countries of origin",
    "writing derived tables",
)


class HarmonizeError(RuntimeError):
    pass


class HarmonizeProgress:
    """What ``harmonize`` tells a progress display; the CLI supplies a Rich implementation."""

    def start(self, steps: tuple[str, ...]) -> None: ...
    def step(self, label: str) -> None: ...


@dataclass(slots=True)
class HarmonizeReport:
    engine: str
    parties: int = 0
    names: int = 0
    variants: int = 0
    linked_variants: int = 0  # variants given to Splink (applicants and assignees)
    linked_pairs: int = 0
    parameters: str = ""  # how the Splink parameters were obtained
    entities: int = 0
    ids_kept: int = 0
    ids_new: int = 0
    ids_retired: int = 0
    publications: int = 0
    sectors: dict[str, int] = field(default_factory=dict)  # entities per sector
    sector_rules: dict[str, int] = field(default_factory=dict)  # entities per deciding rule
    origin: list[tuple[str, str, int]] = field(default_factory=list)  # (rule, own|fallback|none, rows)
    seconds: float = 0.0

    def fallback_count(self, rule: str, how: str) -> int:
        return sum(n for r, h, n in self.origin if r == rule and h == how)


def harmonize(
    warehouse: Warehouse, engine: str = "duckdb", progress: HarmonizeProgress | None = None,
    spark_master: str | None = None,
) -> HarmonizeReport:
    """Write ``entities``, ``party_entity``, ``origin_shares`` and ``entity_variants``; Splink runs
    on ``engine`` (``spark_master``: a cluster's URL, else local mode)."""
    if engine not in engines.ENGINES:
        raise engines.EngineUnavailable(engines.unknown_engine(engine))
    if not warehouse.exists():
        raise HarmonizeError(f"{warehouse.root}: no warehouse here (run `patentreach ingest` first)")
    progress = progress or HarmonizeProgress()
    started = time.monotonic()
    report = HarmonizeReport(engine=engine)
    with _exclusive(warehouse):
        _check_writable(warehouse)
        progress.start(STEPS)
        con = connect(warehouse)
        try:
            _run(con, warehouse, engine, progress, report, spark_master)
        finally:
            con.close()
        _refresh_database(warehouse)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _run(con, warehouse: Warehouse, engine: str, progress: HarmonizeProgress, report: HarmonizeReport,
         spark_master: str | None = None) -> None:
    progress.step(STEPS[0])
    report.names = variants.register_names(con)
    progress.step(STEPS[1])
    variants.build_party_variants(con)
    variants.build_variants(con)
    report.parties = _scalar(con, "SELECT count(*) FROM party_variant")
    report.variants = _scalar(con, "SELECT count(*) FROM variants")
    report.publications = _scalar(con, "SELECT count(*) FROM publications")

    inputs = variants.linkage_inputs(con)
    records = linkage_records.build(
        inputs["variant_id"], inputs["kind"], inputs["match_key"], inputs["country"], inputs["city"],
        inputs["source_ids"], inputs["co_names"], inputs["weight"],
    )
    resolution = linker.resolve(records, engine, spark_master, on_step=progress.step)
    report.linked_variants, report.linked_pairs = records.num_rows, resolution.linked_pairs
    report.parameters = resolution.parameters

    progress.step(STEPS[5])
    weights = dict(con.execute("SELECT variant_id, weight FROM variants").fetchall())
    cluster_of = {variant: resolution.clusters.get(variant, variant) for variant in weights}
    ids = entity_ids.assign(cluster_of, weights, derived_tables.read_previous_variants(warehouse))
    report.ids_kept, report.ids_new, report.ids_retired = ids.kept, ids.new, ids.retired
    entity_tables.register_variant_entities(con, {v: ids.cluster_ids[root] for v, root in cluster_of.items()})

    progress.step(STEPS[6])
    entity_tables.decide_sectors(con)
    entities = entity_tables.entities(con)
    report.entities = entities.num_rows
    report.sectors = dict(Counter(entities.column("sector").to_pylist()).most_common())
    report.sector_rules = dict(
        Counter(r for (r,) in con.execute("SELECT sector_rule FROM entity_sector").fetchall()).most_common()
    )

    progress.step(STEPS[7])
    origin.build(con)
    report.origin = sorted(origin.fallback_counts(con))
    shares = con.sql(
        "SELECT pub_id, rule, country, sector, entity_id, share, fallback FROM origin "
        "ORDER BY pub_id, rule, position"
    ).to_arrow_table()

    progress.step(STEPS[8])
    tables = {
        "entities": entities,
        "party_entity": entity_tables.party_entity(con),
        "origin_shares": shares,
        "entity_variants": entity_tables.entity_variants(con),
    }
    for name in derived_tables.WRITE_ORDER:
        derived_tables.write(warehouse, name, tables[name])


def _scalar(con, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])


@contextmanager
def _exclusive(warehouse: Warehouse) -> Iterator[None]:
    """The warehouse lock that ``ingest`` takes too: harmonise a consistent warehouse. A lock file
    that cannot be opened for writing means a read-only warehouse: said in one line, before any
    work is done."""
    try:
        handle = open(warehouse.lock_path, "w")  # noqa: SIM115 (closed below, after the lock)
    except OSError as exc:
        raise HarmonizeError(_unwritable(warehouse, warehouse.lock_path, exc)) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise HarmonizeError(f"{warehouse.root}: an ingest or harmonisation is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _check_writable(warehouse: Warehouse) -> None:
    """Fail before the (long) linkage if the results could not be written: ``derived/`` must take
    a new file, and ``warehouse.duckdb`` must not be held open by another DuckDB process."""
    import duckdb

    derived = warehouse.derived_dir
    try:
        derived.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=derived, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise HarmonizeError(_unwritable(warehouse, derived, exc)) from None
    try:
        duckdb.connect(str(warehouse.duckdb_path)).close()
    except duckdb.Error as exc:
        raise HarmonizeError(_database_busy(warehouse, exc)) from None


def _refresh_database(warehouse: Warehouse) -> None:
    import duckdb

    try:
        write_database(warehouse)
    except duckdb.Error as exc:
        raise HarmonizeError(
            _database_busy(warehouse, exc) + " (the derived tables were written; re-run to refresh the views)"
        ) from None


def _unwritable(warehouse: Warehouse, path, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return f"{warehouse.root}: cannot write {path.name} ({reason}): the warehouse is read-only or not yours"


def _database_busy(warehouse: Warehouse, exc: Exception) -> str:
    holder = re.search(r"\(PID (\d+)\)", str(exc))
    if holder:
        return f"{warehouse.duckdb_path}: open in another DuckDB process (PID {holder.group(1)}): close it and re-run"
    first = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
    return f"{warehouse.duckdb_path}: cannot be opened for writing ({first})"
