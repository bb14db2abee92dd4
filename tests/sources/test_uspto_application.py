"""The application reader on real ipa (ICE v4.0-v4.6) and pa (pap v1.5/v1.6) publications."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.sources.base import Unit
from patentreach.sources.detect import detect
from patentreach.sources.uspto_application import UsptoApplicationXml
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES

READER = UsptoApplicationXml()
FOLDER = ("data", "uspto-application-xml")

# file -> (documents read, pub_ids stored, detected version)
FILES = {
    "US20220240350A1-20220728.XML": (1, ["US-20220240350-A1"], "v4.6 2022-02-17"),
    "US20220240351A1-20220728.XML": (1, ["US-20220240351-A1"], "v4.6 2022-02-17"),
    "US20230080311A1-20230316.XML": (1, ["US-20230080311-A1"], "v4.6 2022-02-17"),
    "go-uspto_v1-5-A1_1.xml": (1, ["US-20010000001-A1"], "pap v1.5 2001-01-31"),
    "go-uspto_v1-5-A1_2.xml": (1, ["US-20010000002-A1"], "pap v1.5 2001-01-31"),
    "go-uspto_v4-0-A1.xml": (1, ["US-20050000001-A1"], "v4.0 2004-12-02"),
    "go-uspto_v4-0-A2_1.xml": (1, ["US-20050004655-A2"], "v4.0 2004-12-02"),
    "go-uspto_v4-4-A1.xml": (1, ["US-20210267109-A1"], "v4.4 2014-04-03"),
    "go-uspto_v4-4-A2.xml": (1, ["US-20150075015-A2"], "v4.4 2014-04-03"),
    "go-uspto_v4-5-A1.xml": (1, ["US-20220159901-A1"], "v4.5 2021-08-30"),
    "go-uspto_v4-5-A2.xml": (1, ["US-20220160114-A2"], "v4.5 2021-08-30"),
    "ipa061228.one.xml": (1, ["US-20060288462-A1"], "v4.1 2005-08-25"),
    "ipa130117.one.xml": (2, ["US-20130014308-A1", "US-20130014306-A1"], "v4.3 2012-12-04"),
    "pa040101.two.xml": (1, ["US-20040000002-A1"], "pap v1.6 2002-01-01"),
}


def _parsed(name: str):
    with open(shared_path(*FOLDER, name), "rb") as handle:
        return [READER.parse(unit, name) for unit in READER.units(handle)]


def _record(name: str, pub_id: str):
    return {p.record.publication.pub_id: p.record for p in _parsed(name) if p.record}[pub_id]


def _parties(record, role: str) -> list[tuple]:
    return [(p.name, p.kind, p.city, p.state, p.country_raw, p.country, p.source_type_code)
            for p in record.parties if p.role == role]


def test_samples_list_every_file():
    assert sorted(SAMPLES["uspto-application-xml"]) == sorted(f"uspto-application-xml/{n}" for n in FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_document_is_stored_and_detected(name):
    read, pub_ids, version = FILES[name]
    parsed = _parsed(name)
    assert len(parsed) == read
    assert [p.record.publication.pub_id for p in parsed if p.record] == pub_ids
    with open(shared_path(*FOLDER, name), "rb") as handle:
        detection = detect(handle.read(64 * 1024))
    assert (detection.source.name, detection.sniff.version) == ("uspto-application-xml", version)


def test_v46_chinese_university_with_chinese_priority():
    record = _record("US20220240351A1-20220728.XML", "US-20220240351-A1")
    pub = record.publication
    assert (pub.office, pub.number, pub.kind, pub.doc_type) == ("US", "20220240351", "A1", "invention_application")
    assert (pub.pub_date, pub.application_number, pub.application_date) == (
        date(2022, 7, 28), "17360846", date(2021, 6, 28))
    assert (pub.earliest_priority_date, pub.route, pub.language) == (date(2021, 1, 27), "direct", "en")
    assert pub.title.startswith("SELF-REGULATING ELECTRIC HEATING FILM")
    assert pub.reader_version == "1.0/v4.6 2022-02-17"
    assert pub.source_format == "uspto-application-xml"
    assert _parties(record, "applicant") == [("Beihang University", "organisation", "Beijing", None, "CN", "CN", None)]
    assert _parties(record, "assignee") == [("Beihang University", "organisation", "Beijing", None, "CN", "CN", "3")]
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("paris", "CN", "202110107591.2", date(2021, 1, 27))
    ]
    assert [(c.scheme, c.symbol, c.position) for c in record.classifications][:2] == [
        ("IPC", "H05B 1/02", "first"), ("IPC", "H01C 7/02", "inventive"),
    ]


def test_v46_danish_applicant_with_two_ep_priorities():
    record = _record("US20230080311A1-20230316.XML", "US-20230080311-A1")
    assert _parties(record, "applicant") == [
        ("Danmarks Tekniske Universitet", "organisation", "Kongens Lyngby", None, "DK", "DK", None)
    ]
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("paris", "EP", "16185466.6", date(2016, 8, 24)),
        ("paris", "EP", "17167508.5", date(2017, 4, 21)),
        ("domestic_continuation", "US", "16326974", date(2019, 2, 21)),
    ]
    assert record.publication.earliest_priority_date == date(2016, 8, 24)


def test_v40_republication_a2_with_irish_assignee_and_german_priority():
    record = _record("go-uspto_v4-0-A2_1.xml", "US-20050004655-A2")
    pub = record.publication
    assert (pub.kind, pub.doc_type, pub.pub_date, pub.application_number) == (
        "A2", "other", date(2005, 1, 6), "10743857")  # A2 is counted at its A1
    assert _parties(record, "assignee") == [
        ("Abbott Labortories Vascular Enterprises Limited", "organisation", "Galway", None, "IE", "IE", "2")
    ]
    assert [p[0] for p in _parties(record, "applicant")] == ["Randolf Von Oepen", "Gerd Seibold"]
    assert record.priorities[0].kind == "paris"
    assert (record.priorities[0].office, record.priorities[0].number) == ("DE", "19840645.2")
    assert pub.earliest_priority_date == date(1998, 9, 5)


def test_v40_without_declaration_or_doctype():
    record = _record("go-uspto_v4-0-A1.xml", "US-20050000001-A1")
    pub = record.publication
    assert (pub.pub_date, pub.application_number, pub.application_date, pub.title) == (
        date(2005, 1, 6), "10909766", date(2004, 8, 2), "Novelty jeans")
    assert _parties(record, "applicant") == [("Tina Goldkind", "person", "St. James", "NY", "US", "US", None)]


def test_v45_pct_national_phase_from_argentina():
    record = _record("go-uspto_v4-5-A1.xml", "US-20220159901-A1")
    assert record.publication.route == "pct"
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("pct", "WO", "PCT/IB2019/057948", date(2019, 9, 19))
    ]
    assert [p[5] for p in _parties(record, "applicant")] == ["AR"]


def test_pap_v15_continuity_chain_and_inventors_as_applicants():
    record = _record("go-uspto_v1-5-A1_1.xml", "US-20010000001-A1")
    pub = record.publication
    assert (pub.number, pub.kind, pub.doc_type, pub.pub_date) == (
        "20010000001", "A1", "invention_application", date(2001, 3, 15))
    assert (pub.application_number, pub.application_date, pub.route) == ("09725796", date(2000, 11, 29), "direct")
    assert pub.reader_version == "1.0/pap v1.5 2001-01-31"
    assert pub.title.startswith("Solvent mixture for use in a vapor degreaser")
    assert _parties(record, "applicant") == [
        ("Lawrence A. Clark", "person", "Alameda", "CA", "US", "US", None),
        ("James L. Priest", "person", "Chicago", "IL", "US", "US", None),
    ]
    assert _parties(record, "inventor") == _parties(record, "applicant")
    assert [(c.scheme, c.symbol, c.position) for c in record.classifications] == [
        ("IPC", "B08B 3/00", "first"), ("national", "134/031000", "first"),
    ]
    # The 371 relation belongs to an ancestor (08894495), so the PCT is only a parent here.
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("domestic_continuation", "US", "09375495", date(1999, 8, 17)),
        ("domestic_continuation", "US", "08894495", date(1997, 11, 10)),
        ("domestic_continuation", "WO", "PCT/US97/05183", date(1997, 3, 28)),
        ("domestic_continuation", "US", "08580840", date(1995, 12, 29)),
    ]
    assert pub.earliest_priority_date == date(1995, 12, 29)


def test_pap_v15_german_inventors_and_paris_priority():
    record = _record("go-uspto_v1-5-A1_2.xml", "US-20010000002-A1")
    assert [(p[0], p[5]) for p in _parties(record, "applicant")] == [
        ("Wolfgang Ruf", "DE"), ("Hans Loser", "DE"), ("Ulrich Begemann", "DE"), ("Klaus Lehleiter", "DE"),
    ]
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("paris", "DE", "197 33 454", date(1997, 8, 2)),
        ("domestic_continuation", "US", "09126808", date(1998, 7, 31)),
    ]
    assert [c.symbol for c in record.classifications] == ["D21C 11/12", "162/259000"]


def test_pap_v16_assignee():
    record = _record("pa040101.two.xml", "US-20040000002-A1")
    pub = record.publication
    assert (pub.pub_date, pub.application_number, pub.application_date, pub.earliest_priority_date) == (
        date(2004, 1, 1), "10189364", date(2002, 6, 27), date(2001, 7, 30))
    assert pub.reader_version == "1.0/pap v1.6 2002-01-01"
    assert _parties(record, "assignee") == [("Hill-Rom Services, Inc.", "organisation", None, None, None, None, "2")]


def test_unknown_named_entity_in_a_pap_document_is_quarantined():
    document = shared_path(*FOLDER, "pa040101.two.xml").read_bytes()
    document = document.replace(b"Garment for preventing", b"Garment &zzunknown; for preventing", 1)
    parsed = READER.parse(Unit(index=0, line=1, data=document), "edited.xml")
    assert parsed.record is None and parsed.quarantined is not None
    assert "&zzunknown;" in parsed.quarantined.reason


def test_known_named_entity_in_a_pap_title_is_resolved():
    document = shared_path(*FOLDER, "pa040101.two.xml").read_bytes()
    document = document.replace(b"Garment for preventing", b"Garment &ldquo;S&ouml;der&rdquo; for preventing", 1)
    parsed = READER.parse(Unit(index=0, line=1, data=document), "edited.xml")
    assert parsed.record is not None
    assert parsed.record.publication.title == "Garment \u201cSöder\u201d for preventing muscle strain"


def test_broken_document_is_quarantined_with_its_line():
    document = shared_path(*FOLDER, "go-uspto_v4-4-A1.xml").read_bytes()
    document = document.replace(b"</invention-title>", b"</invention-titel>", 1)
    parsed = READER.parse(Unit(index=2, line=50, data=document), "edited.xml")
    assert parsed.quarantined is not None
    assert "not well-formed" in parsed.quarantined.reason
