"""Transfers from the readers that also carry other records: ODP assignment bags, OPS INPADOC
legal events (ownership-change and licence events only) and Lens "Owners (US)" histories."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest

from patentreach.sources.lens import LensCsv
from patentreach.sources.ops import OpsXml
from patentreach.sources.ops.legal_events import event_rules, parse_free_text, split_owner
from patentreach.sources.uspto_odp import UsptoOdpJson
from tests.conftest import shared_path

OPS_FILES = {
    "legal_example_1": ("epo-ops-xml", "patent_client", "legal_example_1.xml"),
    "legal_example_3": ("epo-ops-xml", "patent_client", "legal_example_3.xml"),
    "family_with_legal": ("epo-ops-xml", "epo-ops-go", "get_family_with_legal.response.xml"),
}


def _units(reader, *parts):
    data = shared_path("data", *parts).read_bytes()
    return [reader.parse(u, parts[-1]) for u in reader.units(io.BytesIO(data))]


def _transfers(reader, *parts):
    return [r for p in _units(reader, *parts) for r in p.records if hasattr(r, "transfer")]


# --- ODP -------------------------------------------------------------------------------------

def test_odp_assignment_response_inventors_to_samsung_krx_is_kr():
    (record,) = _transfers(UsptoOdpJson(), "uspto-odp-json", "patent-dev_get_patent_assignment.response.json")
    t = record.transfer
    assert (t.transfer_id, t.reel_frame, t.conveyance_type, t.scope) == (
        "USPTO-ASSIGN-038323-0190", "038323/0190", "employee_to_employer", "property")
    assert (t.record_date, t.execution_date) == (date(2016, 4, 19), date(2016, 1, 5))
    assignors = [p for p in record.parties if p.side == "assignor"]
    assert len(assignors) == 9 and assignors[0].name == "HEO, JIN-PIL"
    assert assignors[-1].execution_date == date(2016, 1, 21)
    (assignee,) = [p for p in record.parties if p.side == "assignee"]
    assert (assignee.name, assignee.city, assignee.country_raw, assignee.country) == (
        "SAMSUNG ELECTRONICS CO., LTD", "SUWON-SI, GYEONGGI-DO", "KRX", "KR")
    assert [(p.pub_id, p.application_number, p.kind) for p in record.properties] == [(None, "15000001", "X0")]


def test_odp_biblio_record_keeps_its_assignment_beside_the_publication():
    (parsed,) = _units(UsptoOdpJson(), "uspto-odp-json", "patent-dev_search_patents.response.json")
    assert parsed.record.publication.pub_id == "US-20240362478-A1"
    (record,) = parsed.transfers
    assert record.transfer.conveyance_text == "ASSIGNMENT OF ASSIGNOR'S INTEREST"
    assert [(p.name, p.country) for p in record.parties if p.side == "assignee"] == [
        ("SHANGHAI ARTIFICIALINTELLIGENCE INNOVATION CENTER", "CN")]
    assert [(p.pub_id, p.application_number) for p in record.properties] == [("US-20240362478-A1", "18597857")]


# --- OPS legal events ------------------------------------------------------------------------

def test_us_assignment_events_carry_the_uspto_reel_frame_and_the_owner_residence():
    records = _transfers(OpsXml(), *OPS_FILES["legal_example_3"])
    assert [(r.transfer.transfer_id, r.transfer.event_code, r.transfer.conveyance_type) for r in records] == [
        ("USPTO-ASSIGN-045210-0369", "AS", "employee_to_employer"),
        ("USPTO-ASSIGN-045829-0888", "AS", "change_of_name"),
        ("USPTO-ASSIGN-053520-0064", "AS", "security_interest"),
    ]
    security = records[2]
    assert (security.transfer.record_date, security.transfer.execution_date) == (date(2020, 8, 17), date(2020, 8, 6))
    assert [(p.side, p.name, p.country_raw, p.country) for p in security.parties] == [
        ("assignor", "NCS MULTISTAGE HOLDINGS, INC", None, None),
        ("assignor", "NCS MULTISTAGE INC.", None, None),
        ("assignee", "WELLS FARGO BANK NATIONAL ASSOCIATION", "TEXAS", "US"),
    ]
    assert [(p.pub_id, p.application_number) for p in security.properties] == [("US-10465445-B2", "15919370")]


def test_and_others_is_reported():
    (parsed,) = _units(OpsXml(), *OPS_FILES["legal_example_3"])
    assert parsed.warnings == ["USPTO-ASSIGN-045210-0369: OPS lists only the first assignors ('AND OTHERS')"]


def test_family_with_legal_two_members_with_ownership_events_three_without():
    parsed = _units(OpsXml(), *OPS_FILES["family_with_legal"])
    assert Counter("stored" if p.record else "skipped" for p in parsed) == {"stored": 2, "skipped": 3}
    rap1, assignment = [p.record for p in parsed if p.record]
    assert (rap1.transfer.transfer_id, rap1.transfer.conveyance_type, rap1.transfer.office) == (
        "INPADOC-EP10167109A-RAP1-2019-11-20", "other", "EP")
    assert [(p.side, p.name) for p in rap1.parties] == [("assignee", "9SOLUTIONS OY")]
    assert [(p.name, p.country) for p in assignment.parties if p.side == "assignee"] == [("9SOLUTIONS OY", "FI")]
    assert [p.name for p in assignment.parties if p.side == "assignor"] == [
        "HERRALA, SAMI", "KYLMANEN, JARI", "NIEMI, JAAKO"]


def test_fee_lapse_and_grant_events_are_not_transfers():
    (parsed,) = _units(OpsXml(), *OPS_FILES["legal_example_1"])  # 50 events: PG25 x19, PGFP x3, REG x6 ...
    (record,) = parsed.records
    assert (record.transfer.event_code, record.transfer.conveyance_type) == ("BECN", "change_of_name")


def test_event_rules_have_sources():
    rows = event_rules()
    assert [(r.office, r.code, r.type) for r in rows[:4]] == [
        ("US", "AS", "from_text"), ("EP", "RAP1", "other"), ("EP", "RAP2", "other"), ("EP", "BECN", "change_of_name")]
    assert all(r.source and r.verified in ("yes", "NOT VERIFIED") for r in rows)


def test_owner_and_free_text_parsing():
    assert split_owner("NCS OILFIELD SERVICES CANADA, INC., CANADA") == ("NCS OILFIELD SERVICES CANADA, INC.", "CANADA")
    assert split_owner("ACME, S.A.") == ("ACME, S.A.", None)
    assert split_owner("9SOLUTIONS OY") == ("9SOLUTIONS OY", None)
    text = parse_free_text("ASSIGNMENT OF ASSIGNORS INTEREST;ASSIGNORS:HERRALA, SAMI;KYLMANEN, JARI;"
                           "REEL/FRAME:027221/0655")
    assert (text.conveyance, text.assignors, text.reel_frame, text.truncated) == (
        "ASSIGNMENT OF ASSIGNORS INTEREST", ["HERRALA, SAMI", "KYLMANEN, JARI"], ("027221", "0655"), False)


# --- Lens ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lens_rows():
    return _units(LensCsv(), "lens", "lens-export_patents_jet-engine_2021-03.csv")


def test_lens_owner_entries_become_an_ownership_history(lens_rows):
    with_owners = [p for p in lens_rows if p.transfers]
    assert (len(with_owners), sum(len(p.transfers) for p in with_owners)) == (109, 155)
    assert {r.transfer.conveyance_type for p in with_owners for r in p.transfers} == {"other"}
    (nordam,) = [p for p in lens_rows if p.record and p.record.publication.pub_id == "US-5060471-A"]
    assert [(r.transfer.record_date, r.parties[0].name) for r in nordam.transfers] == [
        (date(1992, 1, 8), "F&M BANK & TRUST COMPANY THE"),
        (date(1996, 5, 20), "NORDAM GROUP INC. THE"),
        (date(2003, 8, 21), "JPMORGAN CHASE BANK"),
        (date(2008, 1, 17), "THE NORDAM GROUP INC"),
    ]
    first = nordam.transfers[0]
    assert first.transfer.transfer_id == "LENS-023-300-981-859-380-OWNER-1"
    assert [p.side for p in first.parties] == ["assignee"]  # no assignor is inferred
    assert [(p.pub_id, p.application_number) for p in first.properties] == [("US-5060471-A", "47434690")]  # CSV line 19
