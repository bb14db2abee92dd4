"""The issue's example: Robert Bosch's US application published in 2009 (US 2009/0133386 A1, in the
real Lens export) has no legal event in the data, so in 2026 it is "unknown" with that reason, not
"pending" (the status protect used to assume)."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.legal.status import statuses_as_of
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

LENS = ("data", "lens", "lens-export_patents_jet-engine_2021-03.csv")


@pytest.fixture(scope="module")
def lens_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = Warehouse(tmp_path_factory.mktemp("lens-legal") / "wh")
    assert ingest([shared_path(*LENS)], warehouse).failed == []
    return warehouse


def test_the_2009_us_application_is_unknown_with_the_reason_not_pending(lens_warehouse: Warehouse) -> None:
    [row] = statuses_as_of(lens_warehouse, date(2026, 12, 7), applications=[("US", "27240508")])
    assert (row.status, row.reason) == ("unknown", "no legal events; last published 2009")


def test_status_prints_it_for_the_publication(lens_warehouse: Warehouse) -> None:
    result = CliRunner().invoke(app, ["status", "US 2009/0133386 A1", "--as-of", "2026-12-07",
                                      "--warehouse", str(lens_warehouse.root), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"unknown"' in result.output and "no legal events; last published 2009" in result.output
