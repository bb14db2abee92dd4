"""The ODP JSON reader on real Open Data Portal responses, in both response shapes."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from patentreach.sources.base import Unit
from patentreach.sources.detect import detect
from patentreach.sources.uspto_odp import UsptoOdpJson, biblio
from patentreach.sources.uspto_odp.json_bag import bag_items
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES

READER = UsptoOdpJson()
FOLDER = ("data", "uspto-odp-json")

# file -> (stored pub_ids and transfer ids, skipped count, detected shape); an assignment-only
# response is stored as its transfers, and a biblio record's assignmentBag with its publication.
FILES = {
    "patent-dev_get_patent.response.json": (["US-11646472-B2"], 0, "patentFileWrapperDataBag"),
    "patent-dev_get_patent_assignment.response.json": (["USPTO-ASSIGN-038323-0190"], 0, "patentFileWrapperDataBag"),
    "patent-dev_get_patent_continuity.response.json": ([], 1, "patentFileWrapperDataBag"),
    "patent-dev_search_patents.response.json": (
        ["US-20240362478-A1", "USPTO-ASSIGN-066803-0720"], 0, "patentFileWrapperDataBag"),
    "patent_client_odp_application.json": (["US-20170071586-A1", "USPTO-ASSIGN-047305-0442"], 0, "patentBag"),
    "patent_client_odp_assignment.json": (["USPTO-ASSIGN-047305-0442"], 0, "patentBag"),
    "patent_client_odp_biblio.json": (["US-20170071586-A1"], 0, "patentBag"),
    "patent_client_odp_foreign_priority.json": ([], 1, "patentBag"),
}


def _parsed(name: str):
    with open(shared_path(*FOLDER, name), "rb") as handle:
        return [READER.parse(unit, name) for unit in READER.units(handle)]


def _record(name: str):
    (record,) = [p.record for p in _parsed(name) if p.record]
    return record


def _ids(parsed) -> list[str]:
    return [r.publication.pub_id if hasattr(r, "publication") else r.transfer.transfer_id
            for p in parsed for r in p.records]


def test_samples_list_every_file():
    assert sorted(SAMPLES["uspto-odp-json"]) == sorted(f"uspto-odp-json/{n}" for n in FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_counts_and_detection(name):
    stored, skipped, shape = FILES[name]
    parsed = _parsed(name)
    assert len(parsed) == 1
    assert _ids(parsed) == stored
    assert sum(1 for p in parsed if p.skipped) == skipped
    assert not any(p.quarantined for p in parsed)
    with open(shared_path(*FOLDER, name), "rb") as handle:
        detection = detect(handle.read(64 * 1024))
    assert (detection.source.name, detection.sniff.version) == ("uspto-odp-json", shape)


def test_granted_application_becomes_its_b2_grant():
    record = _record("patent-dev_get_patent.response.json")
    pub = record.publication
    assert (pub.pub_id, pub.office, pub.number, pub.kind, pub.doc_type) == (
        "US-11646472-B2", "US", "11646472", "B2", "invention_grant")
    assert (pub.pub_date, pub.application_number, pub.application_date) == (
        date(2023, 5, 9), "17248024", date(2021, 1, 5))
    assert (pub.earliest_priority_date, pub.route, pub.language) == (date(2004, 2, 6), "direct", "en")
    assert pub.title == "MAKING LITHIUM METAL - SEAWATER BATTERY CELLS HAVING PROTECTED LITHIUM ELECTRODES"
    assert pub.reader_version == "1.1/patentFileWrapperDataBag"
    assert [(p.role, p.name, p.kind, p.city, p.state, p.country) for p in record.parties][:2] == [
        ("applicant", "PolyPlus Battery Company", "organisation", "Berkeley", "CA", "US"),
        ("inventor", "Steven J. Visco", "person", "Berkeley", "CA", "US"),
    ]
    symbols = [(c.scheme, c.symbol, c.position) for c in record.classifications]
    assert symbols[0] == ("CPC", "H01M 50/46", "first")
    assert ("CPC", "H01M 2004/027", "additional") in symbols
    assert ("CPC", "Y02E 60/10", "additional") in symbols
    assert symbols[-1] == ("national", "429/144", "first")
    assert len(record.priorities) == 12
    assert {p.kind for p in record.priorities} == {"domestic_continuation"}
    assert (record.priorities[0].office, record.priorities[0].number, record.priorities[0].date) == (
        "US", "16695054", date(2019, 11, 25))


def test_pending_application_becomes_its_pre_grant_publication_with_chinese_priority():
    record = _record("patent-dev_search_patents.response.json")
    pub = record.publication
    assert (pub.pub_id, pub.kind, pub.doc_type, pub.pub_date) == (
        "US-20240362478-A1", "A1", "invention_application", date(2024, 10, 31))
    assert (pub.application_number, pub.application_date, pub.earliest_priority_date) == (
        "18597857", date(2024, 3, 6), date(2023, 4, 25))
    applicants = [(p.name, p.kind, p.city, p.country_raw, p.country) for p in record.parties if p.role == "applicant"]
    assert applicants == [("Shanghai ArtificialIntelligence Innovation Center", "organisation", "Shanghai", "CN", "CN")]
    assert sum(1 for p in record.parties if p.role == "inventor") == 11
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("paris", "CN", "2023104556449", date(2023, 4, 25))
    ]
    assert [(c.scheme, c.symbol) for c in record.classifications] == [("CPC", "G06N 3/08"), ("national", "706/25")]


def test_older_shape_national_stage_entry():
    record = _record("patent_client_odp_application.json")
    pub = record.publication
    assert (pub.pub_id, pub.pub_date, pub.application_number, pub.application_date) == (
        "US-20170071586-A1", date(2017, 3, 16), "15123456", date(2016, 9, 2))
    assert pub.route == "pct"
    assert pub.reader_version == "1.1/patentBag"
    assert pub.title == "TONGUE RETRACTORS FOR FRENOTOMIES"
    assert [(p.role, p.name, p.kind, p.city, p.state, p.country, p.address) for p in record.parties] == [
        ("applicant", "The General Hospital Corporation", "organisation", "Boston", "MA", "US",
         "55 Fruit Street 02114"),
        ("inventor", "Marvin Wang", "person", "Boston", "MA", "US", None),
    ]
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("pct", "WO", "PCT/US15/27322", date(2015, 4, 23)),
        ("domestic_continuation", "US", "61983088", date(2014, 4, 23)),
    ]
    assert pub.earliest_priority_date == date(2014, 4, 23)
    assert record.classifications[1].symbol == "A61B 2017/320052"


def test_partial_responses_are_skipped_with_a_reason():
    (skip,) = [p.skipped for p in _parsed("patent-dev_get_patent_continuity.response.json")]
    assert skip.reason.startswith("continuity-only response for application 17248024")
    (skip,) = [p.skipped for p in _parsed("patent_client_odp_foreign_priority.json")]
    assert skip.reason.startswith("foreign-priority-only response")


def test_unpublished_application_is_skipped():
    data = json.loads(shared_path(*FOLDER, "patent-dev_search_patents.response.json").read_bytes())
    record = data["patentFileWrapperDataBag"][0]
    for key in ("earliestPublicationNumber", "earliestPublicationDate", "publicationCategoryBag"):
        record["applicationMetaData"].pop(key)
    with_assignment = READER.parse(Unit(0, 4, json.dumps(record).encode()), "edited.json")
    assert [r.transfer.transfer_id for r in with_assignment.records] == ["USPTO-ASSIGN-066803-0720"]
    record.pop("assignmentBag")
    parsed = READER.parse(Unit(0, 4, json.dumps(record).encode()), "edited.json")
    assert parsed.skipped is not None
    assert "application 18597857 not published yet" in parsed.skipped.reason


def test_bad_dates_are_quarantined_naming_the_field():
    data = json.loads(shared_path(*FOLDER, "patent-dev_get_patent.response.json").read_bytes())
    record = data["patentFileWrapperDataBag"][0]
    record["applicationMetaData"]["grantDate"] = "2023-13-45"
    record["applicationMetaData"]["filingDate"] = "yesterday"
    parsed = READER.parse(Unit(0, 4, json.dumps(record).encode()), "edited.json")
    assert parsed.quarantined is not None
    assert "grantDate" in parsed.quarantined.reason and "filingDate" in parsed.quarantined.reason


def test_truncated_record_is_quarantined():
    text = shared_path(*FOLDER, "patent_client_odp_biblio.json").read_bytes()[:1500]
    units = list(bag_items(io.BytesIO(text)))
    assert len(units) == 1
    parsed = READER.parse(units[0], "cut.json")
    assert parsed.quarantined is not None and "not valid JSON" in parsed.quarantined.reason


def test_korean_region_krx_gives_kr():
    # The address ODP printed for Samsung Electronics in patent-dev_get_patent_assignment.
    address = json.loads(shared_path(*FOLDER, "patent-dev_get_patent_assignment.response.json").read_bytes())[
        "patentFileWrapperDataBag"][0]["assignmentBag"][0]["assigneeBag"][0]["assigneeAddress"]
    meta = {"applicantBag": [{"applicantNameText": "SAMSUNG ELECTRONICS CO., LTD",
                              "correspondenceAddressBag": [address]}]}
    (party,) = biblio.parties(meta, "US-1-B1")
    assert (party.country_raw, party.country, party.city) == ("KRX", "KR", "SUWON-SI, GYEONGGI-DO")


@pytest.mark.parametrize(("name", "code"), [("CHINA", "CN"), ("JAPAN", "JP"), ("EUROPEAN PATENT OFFICE", "EP"),
                                            ("WIPO", "WO"), ("", None)])
def test_priority_office_names(name, code):
    assert biblio.office_code(name) == code


@pytest.mark.parametrize("block_size", [1, 3, 64, 1 << 20])
def test_splitter_cuts_every_record_whatever_the_block_size(block_size):
    text = (b'{"count": 3, "patentBag": [{"a": "x\\"}{[", "n": [1, {"b": "\\\\"}]},\n'
            b' {"c": "]"},\n {"d": {}}], "requestIdentifier": "r"}')
    units = list(bag_items(io.BytesIO(text), block_size))
    assert [json.loads(u.data) for u in units] == json.loads(text)["patentBag"]
    assert [(u.index, u.line) for u in units] == [(0, 1), (1, 2), (2, 3)]
