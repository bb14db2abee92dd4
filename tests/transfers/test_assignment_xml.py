"""The USPTO assignment XML reader on the real daily file ad20160101.xml (199 recorded transactions,
PROVENANCE.md section 3), and on edited copies of it for the failure paths."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest

from patentreach.sources import SOURCES
from patentreach.sources.detect import detect
from patentreach.sources.uspto_assignment import UsptoAssignmentXml
from patentreach.sources.uspto_assignment.splitting import split_assignments
from patentreach.sources.xml_safety import UnsafeXMLError
from tests.conftest import shared_path
from tests.transfers.conftest import DAILY

READER = UsptoAssignmentXml()


@pytest.fixture(scope="module")
def daily():
    data = shared_path(*DAILY).read_bytes()
    units = list(READER.units(io.BytesIO(data)))
    return data, units, [READER.parse(u, "ad20160101.xml") for u in units]


def _records(daily):
    return [p.record for p in daily[2]]


def _by_id(daily, transfer_id):
    (record,) = [r for r in _records(daily) if r.transfer.transfer_id == transfer_id]
    return record


def test_one_record_per_patent_assignment_nothing_quarantined(daily):
    _, units, parsed = daily
    assert len(units) == 199
    assert all(p.record is not None for p in parsed)
    assert (units[0].index, units[0].line, units[-1].index, units[-1].line) == (0, 65, 198, 19390)


def test_the_internal_dtd_subset_declares_no_entity_so_the_file_is_read():
    head = shared_path(*DAILY).read_bytes()[:65536]
    assert b"<!ELEMENT us-patent-assignments" in head and b"<!ENTITY" not in head
    assert detect(head).source.name == "uspto-assignment-xml"
    assert [s.name for s in SOURCES if s.sniff(head)] == ["uspto-assignment-xml"]
    assert READER.sniff(head).version == "1.0"


def test_a_subset_declaring_an_entity_refuses_the_file():
    data = shared_path(*DAILY).read_bytes()
    unsafe = data.replace(b"<!ELEMENT date (#PCDATA)>", b'<!ENTITY boom "x"><!ELEMENT date (#PCDATA)>', 1)
    with pytest.raises(UnsafeXMLError, match="boom"):
        list(split_assignments(io.BytesIO(unsafe)))


def test_counts_per_conveyance_text_match_provenance(daily):
    texts = Counter(r.transfer.conveyance_text.split(" (SEE")[0] for r in _records(daily))
    assert texts == {
        "ASSIGNMENT OF ASSIGNORS INTEREST": 140, "MERGER": 35, "SECURITY INTEREST": 13,
        "RELEASE BY SECURED PARTY": 7, "NUNC PRO TUNC ASSIGNMENT": 2, "LICENSE": 1, "CHANGE OF NAME": 1,
    }


def test_counts_per_conveyance_type(daily):
    types = Counter(r.transfer.conveyance_type for r in _records(daily))
    assert types == {
        "employee_to_employer": 115,  # 114 assignments of assignors' interest + 1 nunc pro tunc
        "assignment": 27,  # 26 + 1 nunc pro tunc (LOKI, LLC to two persons)
        "merger": 35, "security_interest": 13, "release": 7, "licence": 1, "change_of_name": 1,
    }


def test_the_licence_record(daily):
    record = _by_id(daily, "USPTO-ASSIGN-037389-0228")
    t = record.transfer
    assert (t.office, t.conveyance_type, t.conveyance_text, t.reel_frame) == (
        "US", "licence", "LICENSE (SEE DOCUMENT FOR DETAILS).", "037389/0228")
    assert (t.execution_date, t.record_date, t.scope, t.record_index) == (
        date(2003, 4, 29), date(2015, 12, 31), "transaction", 47)
    assert [(p.side, p.name, p.kind, p.city, p.state, p.country_raw, p.country) for p in record.parties] == [
        ("assignor", "WORDEN, MICHAEL D.", "person", None, None, None, None),
        ("assignee", "CARDIAC SCIENCE, INC.", "organisation", "MINNETONKA", "MINNESOTA", None, "US"),
    ]
    assert record.parties[0].execution_date == date(2003, 4, 29)
    assert record.parties[1].address == "5474 FELTL ROAD, 55343"
    (prop,) = record.properties
    assert (prop.pub_id, prop.application_number, prop.kind, prop.office) == (
        "US-7065401-B2", "10431348", "B2", "US")
    assert prop.title.startswith("METHOD OF APPLYING ELECTRICAL SIGNALS TO A PATIENT")


def test_korea_republic_of_is_kr_and_scotland_is_gb(daily):
    pairs = Counter((p.country_raw, p.country) for r in _records(daily) for p in r.parties if p.side == "assignee")
    assert pairs[("KOREA, REPUBLIC OF", "KR")] == 3
    assert pairs[("SCOTLAND", "GB")] == 1
    assert pairs[("HONG KONG", "HK")] == 5 and pairs[("TAIWAN", "TW")] == 3 and pairs[("CHINA", "CN")] == 1
    assert pairs[(None, "US")] == 135  # a US state and no country-name: the USPTO prints none for US addresses
    assert pairs[("UNITED STATES", "US")] == 1  # AURAPLAYER LTD., TEL AVIV: printed so
    assert not [key for key in pairs if key[1] is None]


def test_assignee_countries_as_in_provenance(daily):
    raw = Counter(p.country_raw for r in _records(daily) for p in r.parties if p.side == "assignee")
    assert (raw["JAPAN"], raw["GERMANY"], raw["FRANCE"], raw["UNITED KINGDOM"], raw["INDIA"]) == (20, 7, 5, 4, 4)
    assert (raw["NETHERLANDS"], raw["CAYMAN ISLANDS"], raw[None]) == (3, 2, 135)


def test_assignors_carry_no_address(daily):
    assignors = [p for r in _records(daily) for p in r.parties if p.side == "assignor"]
    assert len(assignors) == 421
    assert {(p.city, p.country_raw, p.country) for p in assignors} == {(None, None, None)}
    assert all(p.execution_date for p in assignors)


def test_properties_keep_the_application_and_the_most_final_publication(daily):
    props = [p for r in _records(daily) for p in r.properties]
    assert len(props) == 578
    assert Counter(p.kind for p in props) == {"B2": 232, "A1": 179, "B1": 167}
    assert all(p.application_number for p in props)
    assert sum(1 for p in props if p.pub_id and p.pub_id.endswith("-A1")) == 179  # X0 + A1 only: not granted yet
    first = _records(daily)[0]
    assert [(p.pub_id, p.application_number) for p in first.properties] == [("US-9219817-B2", "14678893")]


def test_merger_and_change_of_name_records(daily):
    merger = _by_id(daily, "USPTO-ASSIGN-037391-0291")
    assert merger.transfer.conveyance_type == "merger"
    assert [(p.side, p.name) for p in merger.parties] == [
        ("assignor", "PORTULIM FOUNDATION LLC"), ("assignee", "NYTELL SOFTWARE LLC")]
    assert len(merger.properties) == 9
    renamed = _by_id(daily, "USPTO-ASSIGN-037392-0392")
    assert renamed.transfer.conveyance_type == "change_of_name"
    assert [p.name for p in renamed.parties] == ["ORAPLAYER LTD.", "AURAPLAYER LTD."]


@pytest.mark.parametrize("block_size", [97, 4096, 1 << 20])
def test_splitting_does_not_depend_on_the_block_size(daily, block_size):
    data, units, _ = daily
    again = list(split_assignments(io.BytesIO(data), block_size=block_size))
    assert [(u.index, u.line, u.data) for u in again] == [(u.index, u.line, u.data) for u in units]


def test_an_element_cut_short_is_quarantined_with_its_line():
    data = shared_path(*DAILY).read_bytes()
    cut = data[: data.index(b"<frame-no>106</frame-no>")]
    units = list(split_assignments(io.BytesIO(cut)))
    assert len(units) == 2
    last = READER.parse(units[-1], "cut.xml")
    assert last.quarantined is not None and last.quarantined.reason.startswith("not well-formed XML")
    assert units[-1].line == 137  # the second <patent-assignment> starts on line 137


def test_bad_fields_are_quarantined_naming_each(daily):
    _, units, _ = daily
    unit = units[47]
    broken = unit.data.replace(b"<reel-no>37389</reel-no>", b"<reel-no>3738X</reel-no>")
    broken = broken.replace(b"<date>20151231</date>", b"<date>20151331</date>", 1)
    parsed = READER.parse(type(unit)(unit.index, unit.line, broken), "edited.xml")
    assert parsed.quarantined is not None
    assert parsed.quarantined.reasons == [
        "patent-assignment 3738X/228: assignment-record/reel-no: '3738X' is not a number",
        "patent-assignment 3738X/228: recorded-date: '20151331' is not a valid date (month must be in 1..12)",
    ]
