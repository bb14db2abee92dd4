"""The Assignment Search API reader on the three real Solr responses (PROVENANCE.md section 3)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest

from patentreach.sources import SOURCES
from patentreach.sources.uspto_assignment.us_properties import grant_kind
from patentreach.sources.uspto_assignment_api import UsptoAssignmentApiXml
from tests.conftest import shared_path

READER = UsptoAssignmentApiXml()
FOLDER = ("data", "uspto-assignment-xml", "assignment-search-api")


def _read(name: str):
    data = shared_path(*FOLDER, name).read_bytes()
    return [READER.parse(u, name) for u in READER.units(io.BytesIO(data))]


@pytest.mark.parametrize(("name", "docs"), [
    ("patent_client_assignment_1.xml", 1), ("patent_client_assignment_2.xml", 1), ("patent_client_assignment_3.xml", 9),
])
def test_one_record_per_doc_and_only_this_reader_claims_the_file(name, docs):
    head = shared_path(*FOLDER, name).read_bytes()[:65536]
    assert [s.name for s in SOURCES if s.sniff(head)] == ["uspto-assignment-api"]
    parsed = _read(name)
    assert len(parsed) == docs and all(p.record is not None for p in parsed)


def test_conveyances_as_in_provenance():
    types = Counter(p.record.transfer.conveyance_type for n in (1, 2, 3)
                    for p in _read(f"patent_client_assignment_{n}.xml"))
    # nunc pro tunc (company to company: an assignment), inventors to Tesla, 6 security interests, 2 releases,
    # inventors to US Well Services
    assert types == {"assignment": 1, "employee_to_employer": 2, "security_interest": 6, "release": 2}


def test_nunc_pro_tunc_doc_with_five_properties():
    (parsed,) = _read("patent_client_assignment_1.xml")
    record = parsed.record
    t = record.transfer
    assert (t.transfer_id, t.reel_frame, t.record_date, t.execution_date) == (
        "USPTO-ASSIGN-018247-0405", "018247/0405", date(2006, 9, 14), date(2006, 9, 14))
    assert t.conveyance_text == "NUNC PRO TUNC ASSIGNMENT (SEE DOCUMENT FOR DETAILS)."
    assert [(p.side, p.name, p.state, p.country_raw, p.country) for p in record.parties] == [
        ("assignor", "REALTIME DATA COMPRESSION SYSTEMS, INC.", None, None, None),
        ("assignee", "REALTIME DATA LLC", "NEW YORK", None, "US"),  # "NULL" country, a state: US
    ]
    assert [(p.pub_id, p.application_number) for p in record.properties] == [
        ("US-7130913-B2", "10628795"), ("US-7321937-B2", "11400674"), ("US-6195024-B1", "09210491"),
        ("US-6309424-B1", "09705446"), ("US-6601104-B1", "09266394"),
    ]


def test_kinds_inferred_for_numbers_printed_without_them():
    assert grant_kind("7130913", date(2006, 10, 31), published_before=True) == "B2"
    assert grant_kind("6195024", date(2001, 2, 27), published_before=False) == "B1"
    assert grant_kind("5060471", date(1991, 10, 29), published_before=False) == "A"
    assert grant_kind("D701234", date(2014, 1, 1), published_before=False) == "S1"
    assert grant_kind("PP34694", date(2022, 10, 25), published_before=True) == "P3"
    assert grant_kind("RE49257", date(2022, 10, 25), published_before=False) == "E1"


def test_security_interest_with_85_properties_and_the_same_id_form_as_the_bulk_files():
    first = _read("patent_client_assignment_3.xml")[0].record
    assert first.transfer.transfer_id == "USPTO-ASSIGN-057434-0429"
    assert first.transfer.conveyance_type == "security_interest"
    assert [(p.side, p.name, p.country) for p in first.parties] == [
        ("assignor", "U.S. WELL SERVICES, LLC", None), ("assignee", "WILMINGTON SAVINGS FUND SOCIETY, FSB", "US")]
    assert len(first.properties) == 85
    assert first.properties[0].pub_id == "US-20170145918-A1"  # pending: a pre-grant publication only
