"""``stats outbound --in-force-at DATE``: grants in force abroad by origin, on the PATSTAT-layout
sample (its tls231 events) with simple harmonisation tables (``derived_fixture``)."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from typer.testing import CliRunner

from patentreach.indicators.in_force import in_force_set, outbound_in_force
from patentreach.indicators.options import outbound_spec
from patentreach.indicators.spec import SpecError
from patentreach.warehouse.engines import connect
from patentreach.warehouse.layout import Warehouse
from tests.indicators.derived_fixture import write_derived

DAY = date(2026, 12, 7)


@pytest.fixture(scope="module")
def in_force_warehouse(patstat_legal_warehouse, tmp_path_factory) -> Warehouse:
    root = tmp_path_factory.mktemp("in-force") / "wh"
    shutil.copytree(patstat_legal_warehouse.root, root)
    warehouse = Warehouse(root)
    write_derived(warehouse)
    return warehouse


def test_the_in_force_set_is_the_grants_of_the_three_applications_in_force(in_force_warehouse) -> None:
    found = in_force_set(in_force_warehouse, DAY)
    # US 11617522 and 11617590 (granted 2023-04-04, no events) are in force: no maintenance fee
    # can lapse them before 2027-04-04
    assert found.pub_ids == ("EP-2400812-A1", "EP-2400812-B1", "US-10465445-B2", "US-11617522-B2",
                             "US-11617590-B2", "US-2012057518-A1", "US-2019298394-A1", "US-2021038131-A1",
                             "US-9648662-B2")
    assert (found.by_status["in_force"], found.by_status["expired"], found.by_status["unknown"]) == (5, 142, 62)


def test_patents_in_force_abroad_by_office_and_origin(in_force_warehouse) -> None:
    with connect(in_force_warehouse) as engine:
        result = outbound_in_force(engine, outbound_spec(by="office,origin", scope="all"), DAY)
    rows = [(r["office"], r["origin"], r["count"]) for r in result.rows]
    # EP2400812 (9Solutions Oy, FI) at EP; US9648662 (FI), US10465445 (no origin country) and the two
    # young US grants (US origin) at US
    assert rows == [("EP", "FI", 1), ("US", "FI", 1), ("US", "US", 2), ("US", None, 1)]
    assert result.definition["in_force_at"] == "2026-12-07"
    assert result.definition["label"].endswith("; in force on 2026-12-07")
    assert result.definition["notes"][:2] == [
        "In force on 2026-12-07: of 209 applications with a grant publication, 5 in force, 142 expired, 62 unknown.",
        "62 of 209 granted applications (30%) have an unknown status (mostly no legal events in the warehouse) and "
        "are not counted: ingest the offices' legal events (PATSTAT tls231, OPS legal) for a complete count.",
    ]


def test_in_force_needs_grants(in_force_warehouse) -> None:
    with connect(in_force_warehouse) as engine, pytest.raises(SpecError, match="--stage grants"):
        outbound_in_force(engine, outbound_spec(stage="applications"), DAY)


def test_the_cli_option_prints_the_in_force_counts_and_refuses_a_bad_date(in_force_warehouse) -> None:
    from patentreach.cli.main import app

    args = ["stats", "outbound", "--warehouse", str(in_force_warehouse.root), "--by", "office", "--no-prepared"]
    result = CliRunner().invoke(app, [*args, "--in-force-at", "2026-12-07", "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert [(r["office"], r["count"]) for r in body["rows"]] == [("EP", 1), ("US", 1)]
    bad = CliRunner().invoke(app, [*args, "--in-force-at", "soon"])
    assert bad.exit_code == 2
    assert "--in-force-at 'soon': not a date (YYYY-MM-DD)" in bad.output
