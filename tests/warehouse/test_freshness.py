"""Harmonised and prepared tables are never used stale (``warehouse.freshness``).

The issue's case, on the real samples: the EP publication samples are ingested and harmonised;
then the seven USPTO weekly grant samples (and the design sample: 8 files) are ingested. Counted
from the old harmonisation, JP-origin grants abroad were 1 (at EP) and 0 at the USPTO instead of
42, with no warning. Now every command that reads the harmonised tables refuses until
``harmonize`` runs again; then the 42 are there, and the prepared facts of before (stale) are not
used, with a note saying so.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.indicators import OutboundSpec, outbound, prepare
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import connect
from patentreach.warehouse.freshness import STAMP, StaleDerivedTables, check, require_fresh
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

RUNNER = CliRunner()
EP = ("epo-ep-publication-xml",)
USPTO = ("uspto-grant-xml", "ipg-weekly-samples")
JP_BY_OFFICE = ["stats", "outbound", "--origin", "JP", "--by", "office", "-f", "json"]


def _copy(source: Warehouse, target: Path) -> Warehouse:
    shutil.copytree(source.root, target)
    return Warehouse(target)


@pytest.fixture(scope="module")
def harmonised_and_prepared(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """EP samples ingested, harmonised, prepared."""
    from patentreach.harmonize import harmonize

    warehouse = Warehouse(tmp_path_factory.mktemp("fresh") / "wh")
    ingest([shared_path("data", *EP)], warehouse)
    harmonize(warehouse)
    with connect(warehouse) as engine:
        prepare(engine)
    return warehouse


@pytest.fixture(scope="module")
def ingested_since(harmonised_and_prepared: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The same, then the USPTO weekly samples ingested (harmonisation now stale)."""
    warehouse = _copy(harmonised_and_prepared, tmp_path_factory.mktemp("stale") / "wh")
    ingest([shared_path("data", *USPTO)], warehouse)
    return warehouse


@pytest.fixture(scope="module")
def harmonised_again(ingested_since: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    from patentreach.harmonize import harmonize

    warehouse = _copy(ingested_since, tmp_path_factory.mktemp("again") / "wh")
    harmonize(warehouse)
    return warehouse


def _refusal(warehouse: Warehouse, *args: str) -> str:
    result = RUNNER.invoke(app, [*args, "-w", str(warehouse.root)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    return line


def test_fresh_harmonisation_counts(harmonised_and_prepared: Warehouse) -> None:
    assert check(harmonised_and_prepared).current
    result = RUNNER.invoke(app, [*JP_BY_OFFICE, "-w", str(harmonised_and_prepared.root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(r["office"], r["count"]) for r in data["rows"]] == [("EP", 1)]
    assert data["definition"]["computed"]["facts"].startswith("prepared fact tables")


def test_an_ingest_after_harmonize_makes_every_reading_command_refuse(ingested_since: Warehouse) -> None:
    message = (f"error: {ingested_since.root}: derived tables are older than the last ingest "
               "(8 files ingested since): run `patentreach harmonize`")
    assert _refusal(ingested_since, *JP_BY_OFFICE) == message
    assert _refusal(ingested_since, "stats", "records", "--origin", "JP", "--by", "office",
                    "--cell", "office=US") == message
    assert _refusal(ingested_since, "stats", "prepare") == message
    assert _refusal(ingested_since, "entities", "search", "toyota") == message
    exports = Path(__file__).parents[2] / "patentreach" / "protect" / "samples" / "exports.csv"
    assert _refusal(ingested_since, "protect", "gaps", "--entity", "E1", "--exports", str(exports)) == message
    verdict = check(ingested_since)
    assert (verdict.current, verdict.ingested_since, verdict.stamped) == (False, 8, True)


def test_the_library_refuses_too(ingested_since: Warehouse) -> None:
    with connect(ingested_since) as engine, pytest.raises(StaleDerivedTables, match=r"\(8 files ingested since\)"):
        outbound(engine, OutboundSpec(origin=("JP",), by=("office",)))


def test_harmonize_again_counts_the_new_grants_and_skips_stale_prepared_facts(harmonised_again: Warehouse) -> None:
    require_fresh(harmonised_again)
    result = RUNNER.invoke(app, [*JP_BY_OFFICE, "-w", str(harmonised_again.root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(r["office"], r["count"]) for r in data["rows"]] == [("EP", 1), ("US", 42)]
    assert data["definition"]["computed"]["facts"] == (
        "computed from the warehouse views (prepared facts are stale: the warehouse changed since `stats prepare`)")
    assert data["definition"]["notes"][0] == (
        "The prepared fact tables are older than the warehouse and were not used: this figure was computed from "
        "the warehouse views (run `patentreach stats prepare` to refresh them).")


def test_the_stamp_lists_the_ingests_the_tables_were_built_from(harmonised_again: Warehouse) -> None:
    stamp = json.loads((harmonised_again.derived_dir / STAMP).read_text())
    assert stamp["ingests"] == len(stamp["ingest_ids"]) == len(list(harmonised_again.log_dir.glob("*.parquet")))


def test_without_a_stamp_modification_times_decide(harmonised_and_prepared: Warehouse, tmp_path: Path) -> None:
    warehouse = _copy(harmonised_and_prepared, tmp_path / "wh")
    (warehouse.derived_dir / STAMP).unlink()
    assert check(warehouse).current and not check(warehouse).stamped
    newest_log = max(warehouse.log_dir.glob("*.parquet"), key=lambda p: p.stat().st_mtime_ns)
    later = max(p.stat().st_mtime_ns for p in warehouse.derived_dir.glob("*.parquet")) + 1_000_000_000
    os.utime(newest_log, ns=(later, later))
    verdict = check(warehouse)
    assert (verdict.current, verdict.ingested_since, verdict.stamped) == (False, 1, False)
    with pytest.raises(StaleDerivedTables, match=r"\(1 file ingested since\): run `patentreach harmonize`"):
        require_fresh(warehouse)
