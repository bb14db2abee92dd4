"""``warehouse.coverage`` and ``info``: how many publications lack an origin, a sector, a type.

On the real Lens export (jet engines, 3,778 stored) and the seven USPTO weekly grant samples: the
Lens CSV carries no applicant country, so before harmonisation every Lens publication lacks an
origin and every USPTO grant has one; harmonisation finds a few Lens origins through entities
seen elsewhere (and decides sectors).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.warehouse import Warehouse
from patentreach.warehouse.coverage import COLUMNS, coverage_of
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

FILES = (("lens", "lens-export_patents_jet-engine_2021-03.csv"), ("uspto-grant-xml", "ipg-weekly-samples"))


@pytest.fixture(scope="module")
def lens_and_uspto(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = Warehouse(tmp_path_factory.mktemp("coverage") / "wh")
    ingest([shared_path("data", *parts) for parts in FILES], warehouse)
    return warehouse


@pytest.fixture(scope="module")
def harmonised(lens_and_uspto: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    from patentreach.harmonize import harmonize

    warehouse = Warehouse(tmp_path_factory.mktemp("coverage-harmonised") / "wh")
    shutil.copytree(lens_and_uspto.root, warehouse.root)
    harmonize(warehouse)
    return warehouse


def _rows(warehouse: Warehouse) -> dict[tuple[str, str], tuple]:
    columns, rows = coverage_of(warehouse)
    assert columns == COLUMNS
    return {(row[0], row[1]): row[2:] for row in rows}


def test_before_harmonisation_every_lens_publication_lacks_an_origin(lens_and_uspto: Warehouse) -> None:
    rows = _rows(lens_and_uspto)
    assert rows[("lens-csv", "CN")] == (1228, 1228, 100.0, None, None, 0, 0.0)
    assert rows[("lens-csv", "US")] == (447, 447, 100.0, None, None, 0, 0.0)
    assert rows[("uspto-grant-xml", "US")] == (371, 0, 0.0, None, None, 1, 0.3)
    assert rows[("(all)", "(all)")] == (4149, 3778, 91.1, None, None, 67, 1.6)


def test_after_harmonisation_coverage_counts_origin_and_sector_of_the_first_applicant(harmonised: Warehouse) -> None:
    rows = _rows(harmonised)
    assert rows[("uspto-grant-xml", "US")] == (371, 0, 0.0, 0, 0.0, 1, 0.3)
    assert rows[("(all)", "(all)")] == (4149, 3690, 88.9, 140, 3.4, 67, 1.6)


def test_info_shows_coverage_and_whether_the_harmonised_tables_are_current(harmonised: Warehouse) -> None:
    result = CliRunner().invoke(app, ["info", "-w", str(harmonised.root), "--format", "csv"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "(all),(all),4149,3690,88.9,140,3.4,67,1.6" in lines
    assert f"{harmonised.root}: harmonised tables are current with the ingest log" in lines


def test_info_on_a_new_warehouse_says_harmonisation_is_missing(lens_and_uspto: Warehouse, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["info", "-w", str(lens_and_uspto.root), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert f"{lens_and_uspto.root}: no harmonised tables (run `patentreach harmonize` first)" in result.output
