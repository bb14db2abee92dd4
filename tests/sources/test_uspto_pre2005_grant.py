"""The grant reader on real PATDOC DTD 2.5 grants (2002-2003): fields, named entities, counts."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.sources import named_entities
from patentreach.sources.base import Unit
from patentreach.sources.detect import detect
from patentreach.sources.uspto_grant import UsptoGrantXml
from patentreach.sources.uspto_grant.v25 import ipc_symbol
from tests.conftest import shared_path

READER = UsptoGrantXml()
FOLDER = ("data", "uspto-grant-xml", "pg-v2.5-2002")
B1 = "go-uspto_v2-5-B1_US06334226.xml"
B2 = "go-uspto_v2-5-B2_US06530116.xml"
HUNDRED = "pg020507hundred.xml"


def _parsed(name: str):
    with open(shared_path(*FOLDER, name), "rb") as handle:
        return [READER.parse(unit, name) for unit in READER.units(handle)]


def _records(name: str) -> dict:
    return {p.record.publication.pub_id: p.record for p in _parsed(name) if p.record}


def _parties(record, role: str) -> list[tuple]:
    return [(p.sequence, p.name, p.kind, p.city, p.state, p.country_raw, p.country, p.source_type_code)
            for p in record.parties if p.role == role]


@pytest.mark.parametrize(("name", "read"), [(B1, 1), (B2, 1), (HUNDRED, 100)])
def test_every_document_is_stored(name, read):
    parsed = _parsed(name)
    assert len(parsed) == read
    assert [p.quarantined for p in parsed if p.quarantined] == []
    assert all(p.record for p in parsed)


@pytest.mark.parametrize("name", [B1, B2, HUNDRED])
def test_detected_as_patdoc_grant(name):
    with open(shared_path(*FOLDER, name), "rb") as handle:
        detection = detect(handle.read(64 * 1024))
    assert (detection.source.name, detection.sniff.version) == ("uspto-grant-xml", "PATDOC 2.5")


def test_pct_national_phase_grant_with_japanese_priorities():
    record = _records(B1)["US-6334226-B1"]
    pub = record.publication
    assert (pub.office, pub.number, pub.kind, pub.doc_type) == ("US", "6334226", "B1", "invention_grant")
    assert (pub.pub_date, pub.application_number, pub.application_date) == (
        date(2002, 1, 1), "09529968", date(2000, 4, 24))
    assert pub.earliest_priority_date == date(1997, 10, 22)
    assert pub.route == "pct"
    assert pub.title == "Faucet support member"
    assert pub.reader_version == "1.1/PATDOC 2.5"
    assert pub.source_format == "uspto-grant-xml"
    assert _parties(record, "assignee") == [(1, "Toto Ltd.", "organisation", "Fukuoka", None, "JP", "JP", "3")]
    assert [p[1] for p in _parties(record, "inventor")] == ["Osamu Tokunaga", "Hideyuki Hasebe", "Sigemiti Inada"]
    # Pre-AIA: every inventor is also the applicant, as v4.0-4.2 applicant-inventors are.
    assert [p[:7] for p in _parties(record, "applicant")] == [p[:7] for p in _parties(record, "inventor")]
    assert [(c.scheme, c.symbol, c.position) for c in record.classifications][:3] == [
        ("IPC", "E03C 1/04", "first"), ("national", "4675", "first"), ("national", "4676", "additional"),
    ]
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("paris", "JP", "9-290033", date(1997, 10, 22)),
        ("paris", "JP", "10-95065", date(1998, 4, 7)),
        ("pct", "WO", "PCT/JP98/04545", date(1998, 10, 8)),
    ]


def test_us_grant_with_state_but_no_country_is_us():
    record = _records(B2)["US-6530116-B2"]
    pub = record.publication
    assert (pub.kind, pub.doc_type, pub.pub_date, pub.application_date, pub.earliest_priority_date, pub.route) == (
        "B2", "invention_grant", date(2003, 3, 11), date(2001, 2, 13), date(2001, 2, 13), "direct")
    assert _parties(record, "assignee") == [
        (1, "Shop Vac Corporation", "organisation", "Williamsport", "PA", None, "US", "2")
    ]
    assert [(c.scheme, c.symbol) for c in record.classifications if c.scheme == "IPC"] == [("IPC", "A47L 5/14")]
    assert record.priorities == []  # B690US is its own pre-grant publication, not a priority


def test_design_with_norwegian_assignee_and_named_entity_in_the_inventor():
    record = _records(HUNDRED)["US-D456589-S1"]
    pub = record.publication
    assert (pub.number, pub.kind, pub.doc_type, pub.pub_date) == ("D456589", "S1", "design", date(2002, 5, 7))
    assert (pub.application_number, pub.application_date, pub.earliest_priority_date) == (
        "29124805", date(2000, 6, 12), date(2000, 1, 6))
    assert pub.title == "Surface pattern for a portion of a knitted garment"
    assert _parties(record, "inventor") == [(1, "Pia Müller", "person", "Vaksdal", None, "NO", "NO", None)]  # &uuml;
    assert _parties(record, "assignee") == [(1, "Dale of Norway AS", "organisation", "Bergen", None, "NO", "NO", "3")]
    # Locarno 0202-style B511 is not IPC: only USPC is stored for a design.
    assert [(c.scheme, c.symbol, c.position) for c in record.classifications] == [
        ("national", "D 2750", "first"), ("national", "D5 20", "additional"),
    ]
    assert [(p.kind, p.office, p.number, p.date) for p in record.priorities] == [
        ("paris", "NO", "2000 0010", date(2000, 1, 6))
    ]


def test_design_with_nested_domestic_parents_and_us_assignee_without_country():
    records = _records(HUNDRED)
    chair = records["US-D456627-S1"]
    assert [(p.kind, p.office, p.number, p.date) for p in chair.priorities] == [
        ("domestic_continuation", "US", "29/144860", date(2001, 7, 11)),
        ("domestic_continuation", "US", "29/123873", date(2000, 5, 25)),
    ]
    assert chair.publication.earliest_priority_date == date(2000, 5, 25)
    tool = records["US-D456687-S1"]
    assert _parties(tool, "assignee") == [
        (1, "Imperial Schrade Corp.", "organisation", "Ellenville", "NY", None, "US", "2")
    ]


def test_assignee_countries_of_the_hundred_designs():
    from collections import Counter

    records = _records(HUNDRED).values()
    countries = Counter(p.country for r in records for p in r.parties if p.role == "assignee")
    raw = Counter(p.country_raw for r in records for p in r.parties if p.role == "assignee")
    assert countries["US"] == 36 and raw[None] == 36  # all 36 from a state without CTRY
    assert (countries["JP"], countries["TW"], countries["GB"]) == (5, 3, 2)
    assert sum(1 for r in records if not any(p.role == "assignee" for p in r.parties)) == 37
    assert {r.publication.doc_type for r in records} == {"design"}


def test_named_entities_resolve_to_characters():
    names = {p.name for r in _records(HUNDRED).values() for p in r.parties}
    assert {"Pia Müller", "Svante Rönnholm", "Jørgen Bodum", "Pierre Grégoire Moquin"} <= names
    assert named_entities.codepoints("ouml") == "ö"
    assert named_entities.codepoints("lgr") == "λ"  # ISOgrk1, not in HTML5
    assert named_entities.codepoints("ldquo") == "\u201c"
    assert named_entities.codepoints("no-such-entity") is None


def _real_document() -> bytes:
    return shared_path(*FOLDER, B2).read_bytes()


def test_unknown_named_entity_is_quarantined_with_its_name():
    document = _real_document().replace(b"Shop Vac Corporation", b"Shop &vacuumglyph; Corporation", 1)
    parsed = READER.parse(Unit(index=4, line=100, data=document), "edited.xml")
    assert parsed.record is None and parsed.quarantined is not None
    assert "&vacuumglyph;" in parsed.quarantined.reason
    assert parsed.quarantined.index == 4
    line_in_document = document[: document.index(b"&vacuumglyph;")].count(b"\n") + 1
    assert parsed.quarantined.line == 100 + line_in_document - 1


def test_entities_are_never_taken_from_the_dtd():
    # A parsed entity declared in the internal subset is refused before any resolution.
    document = _real_document().replace(b"NDATA TIF>", b"NDATA TIF>\n<!ENTITY ouml \"EVIL\">", 1)
    parsed = READER.parse(Unit(index=0, line=1, data=document), "hostile.xml")
    assert parsed.quarantined is not None
    assert "declares entity 'ouml'" in parsed.quarantined.reason


def test_named_references_in_the_prolog_are_left_alone():
    document = b'<!DOCTYPE PATDOC [<!-- &ouml; -->]>\n<PATDOC DTD="2.5"><X>&ouml;&amp;</X></PATDOC>'
    root_start = document.index(b"<PATDOC")
    resolved = named_entities.resolve_document(document, root_start)
    assert resolved[:root_start] == document[:root_start]
    assert resolved[root_start:] == b'<PATDOC DTD="2.5"><X>&#x00F6;&amp;</X></PATDOC>'


@pytest.mark.parametrize(("raw", "symbol"), [
    ("A47L  514", "A47L 5/14"), ("E03C 104", "E03C 1/04"), ("H01L 21768", "H01L 21/768"), ("0202", None),
])
def test_edition_7_ipc_text(raw, symbol):
    assert ipc_symbol(raw) == symbol
