"""Transfers in the warehouse: conserved counts, one current copy per transfer id, idempotence."""

from __future__ import annotations

import json
from pathlib import Path

from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path
from tests.transfers.conftest import DAILY

ODP = ("data", "uspto-odp-json")


def _one(warehouse: Warehouse, sql: str):
    return connect(warehouse).execute(sql).fetchall()


def test_ingest_log_conserves_every_file(real_warehouse):
    rows = _one(real_warehouse, "SELECT regexp_extract(path, '[^/]+$'), reader, read, stored, quarantined, skipped "
                               "FROM ingest_log ORDER BY 1")
    assert rows == [
        ("ad20160101.xml", "uspto-assignment-xml", 199, 199, 0, 0),
        ("get_family_with_legal.response.xml", "epo-ops-xml", 5, 3, 0, 2),  # 2 members have no events
        ("go-uspto_v4-5-B1_US09358892.xml", "uspto-grant-xml", 1, 1, 0, 0),
        ("legal_example_1.xml", "epo-ops-xml", 1, 1, 0, 0),
        ("legal_example_3.xml", "epo-ops-xml", 1, 1, 0, 0),
        ("patent-dev_get_patent_assignment.response.json", "uspto-odp-json", 1, 1, 0, 0),
        ("patent_client_assignment_1.xml", "uspto-assignment-api", 1, 1, 0, 0),
        ("patent_client_assignment_2.xml", "uspto-assignment-api", 1, 1, 0, 0),
        ("patent_client_assignment_3.xml", "uspto-assignment-api", 9, 9, 0, 0),
    ]


def test_transfer_views(real_warehouse):
    # 199 + 11 Assignment Search + 1 + 3 + 2 OPS + 1 ODP = 217 transactions, each once
    assert _one(real_warehouse, "SELECT count(*), count(DISTINCT transfer_id) FROM transfers") == [(217, 217)]
    assert _one(real_warehouse, "SELECT count(*) FROM transfer_parties") == [(628 + 28 + 14 + 10,)]
    assert _one(real_warehouse, "SELECT count(*) FROM transfer_properties") == [(578 + 385 + 6 + 1,)]
    assert _one(real_warehouse, "SELECT conveyance_type, count(*) FROM transfers GROUP BY 1 ORDER BY 1") == [
        ("assignment", 28), ("change_of_name", 3), ("employee_to_employer", 120), ("licence", 1), ("merger", 35),
        ("other", 1), ("release", 9), ("security_interest", 20),
    ]


def test_reingesting_never_duplicates(tmp_path: Path):
    warehouse = Warehouse(tmp_path / "wh")
    ingest([shared_path(*DAILY)], warehouse)
    again = ingest([shared_path(*DAILY)], warehouse)
    assert [f.status for f in again.files] == ["already-ingested"]
    assert _one(warehouse, "SELECT (SELECT count(*) FROM all_transfers), (SELECT count(*) FROM transfer_parties)") == [
        (199, 628)]


def test_a_one_property_copy_never_replaces_the_whole_transaction(tmp_path: Path):
    """ODP's view of the day's licence (reel/frame 037389/0228, edited into the real ODP assignment
    response), ingested after the bulk file, is kept as a copy but the bulk copy stays current."""
    response = json.loads(shared_path(*ODP, "patent-dev_get_patent_assignment.response.json").read_text())
    assignment = response["patentFileWrapperDataBag"][0]["assignmentBag"][0]
    assignment.update(reelNumber=37389, frameNumber=228, reelAndFrameNumber="037389/0228")
    edited = tmp_path / "odp-licence.json"
    edited.write_text(json.dumps(response))
    warehouse = Warehouse(tmp_path / "wh")
    ingest([shared_path(*DAILY)], warehouse)
    ingest([edited], warehouse)
    licence = "transfer_id = 'USPTO-ASSIGN-037389-0228'"
    assert _one(warehouse, f"SELECT count(*) FROM all_transfers WHERE {licence}") == [(2,)]
    assert _one(warehouse, f"SELECT source_format, scope, conveyance_type FROM transfers WHERE {licence}") == [
        ("uspto-assignment-xml", "transaction", "licence")]
    assert _one(warehouse, f"SELECT name FROM transfer_parties WHERE {licence} ORDER BY side") == [
        ("CARDIAC SCIENCE, INC.",), ("WORDEN, MICHAEL D.",)]
    assert _one(warehouse, f"SELECT pub_id FROM transfer_properties WHERE {licence}") == [("US-7065401-B2",)]


def test_between_one_property_copies_the_latest_wins(tmp_path: Path):
    warehouse = Warehouse(tmp_path / "wh")
    ingest([shared_path(*ODP, "patent_client_odp_application.json")], warehouse)
    ingest([shared_path(*ODP, "patent_client_odp_assignment.json")], warehouse)
    same = "transfer_id = 'USPTO-ASSIGN-047305-0442'"
    assert _one(warehouse, f"SELECT count(*) FROM all_transfers WHERE {same}") == [(2,)]
    assert _one(warehouse, f"SELECT regexp_extract(source_file, '[^/]+$') FROM transfers WHERE {same}") == [
        ("patent_client_odp_assignment.json",)]
    assert _one(warehouse, f"SELECT count(*) FROM transfer_properties WHERE {same}") == [(0,)]  # it names none
