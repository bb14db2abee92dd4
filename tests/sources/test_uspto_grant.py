"""The USPTO grant reader on real weekly and single-grant files, DTD v4.0 to v4.7."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import shared_path
from tests.sources.uspto_grant_helpers import READER, read_file, records_by_id

GRANTS = "uspto-grant-xml"


def _record(file: str, pub_id: str):
    return records_by_id(shared_path("data", GRANTS, file))[pub_id]


# (file, pub_id, doc_type, pub_date, application number, filing date, earliest priority, route, DTD)
PUBLICATIONS = [
    ("ipg-weekly-samples/ipg050104.small.xml", "US-6837086-B2", "invention_grant",
     date(2005, 1, 4), "10446671", date(2003, 5, 29), date(2002, 5, 29), "direct", "v40 2004-12-02"),
    ("single-docs/go-uspto_v4-0-B2_US06857133.xml", "US-6857133-B2", "invention_grant",
     date(2005, 2, 22), "10141259", date(2002, 5, 7), date(2002, 5, 7), "direct", "v40 2004-12-02"),
    ("single-docs/go-uspto_US07062920-20060620.XML", "US-7062920-B2", "invention_grant",
     date(2006, 6, 20), "10638597", date(2003, 8, 11), date(2003, 8, 11), "direct", "v4.1 2005-08-25"),
    ("ipg-weekly-samples/ipg080101.small.xml", "US-PP18398-P2", "plant",
     date(2008, 1, 1), "11440245", date(2006, 5, 25), date(2006, 5, 25), "direct", "v4.2 2006-08-23"),
    ("ipg-weekly-samples/ipg120103.small.xml", "US-8087209-B2", "invention_grant",
     date(2012, 1, 3), "12693349", date(2010, 1, 25), date(2009, 1, 27), "direct", "v4.2 2006-08-23"),
    ("ipg-weekly-samples/ipg120103.small.xml", "US-D651486-S1", "design",
     date(2012, 1, 3), "29377713", date(2010, 10, 25), date(2010, 10, 25), "direct", "v4.2 2006-08-23"),
    ("single-docs/go-uspto_v4-5-B1_US09358892.xml", "US-9358892-B1", "invention_grant",
     date(2016, 6, 7), "14558596", date(2014, 12, 2), date(2014, 12, 2), "direct", "v4.5 2014-04-03"),
    ("single-docs/odp_grant_us10000000b2_14643719.xml", "US-10000000-B2", "invention_grant",
     date(2018, 6, 19), "14643719", date(2015, 3, 10), date(2015, 3, 10), "direct", "v4.5 2014-04-03"),
    ("single-docs/go-uspto_v4-5-B2_US11147202.xml", "US-11147202-B2", "invention_grant",
     date(2021, 10, 19), "16232658", date(2018, 12, 26), date(2018, 12, 26), "direct", "v4.5 2014-04-03"),
    ("ipgb-biblio/ipgb20221025.xml", "US-D967598-S1", "design",
     date(2022, 10, 25), "29793013", date(2018, 12, 21), date(2018, 12, 21), "direct", "v4.7 2022-02-17"),
    ("ipg-weekly-samples/ipg060103.small.xml", "US-H2140-H1", "other",
     date(2006, 1, 3), "09831579", date(1999, 10, 22), date(1998, 11, 18), "pct", "v4.1 2005-08-25"),
]


@pytest.mark.parametrize(
    ("file", "pub_id", "doc_type", "pub_date", "appl", "filed", "priority", "route", "dtd"),
    PUBLICATIONS,
    ids=[p[1] for p in PUBLICATIONS],
)
def test_publication_fields_match_the_printed_grant(
    file, pub_id, doc_type, pub_date, appl, filed, priority, route, dtd
):
    pub = _record(file, pub_id).publication
    assert pub.office == "US"
    assert pub.doc_type == doc_type
    assert pub.route == route
    assert pub.reader_version == f"{READER.reader_version}/{dtd}"
    assert pub.source_format == "uspto-grant-xml"
    assert (pub.pub_date, pub.application_number, pub.application_date) == (pub_date, appl, filed)
    assert pub.earliest_priority_date == priority


def test_japanese_assignee_and_paris_priority_of_a_v40_grant():
    record = _record("ipg-weekly-samples/ipg050104.small.xml", "US-6837086-B2")
    assignees = [(p.name, p.city, p.country, p.source_type_code) for p in record.parties if p.role == "assignee"]
    assert assignees == [("Kobe Steel, Ltd.", "Kobe", "JP", "3")]
    assert [(p.name, p.role) for p in record.parties if p.sequence == 1] == [
        ("Yasuo Manabe", "applicant"), ("Yasuo Manabe", "inventor"), ("Kobe Steel, Ltd.", "assignee"),
    ]
    assert [(c.scheme, c.symbol, c.position) for c in record.classifications if c.scheme == "IPC"] == [
        ("IPC", "B21D 26/02", "first")
    ]
    assert [(p.office, p.number, p.date, p.kind) for p in record.priorities] == [
        ("JP", "2002-156293", date(2002, 5, 29), "paris")
    ]


def test_us_assignee_with_state_and_no_country_element_is_us():
    record = _record("single-docs/go-uspto_US07062920-20060620.XML", "US-7062920-B2")
    (ge,) = [p for p in record.parties if p.role == "assignee"]
    assert (ge.name, ge.city, ge.state, ge.country, ge.source_type_code) == (
        "General Electric Company", "Schenectady", "NY", "US", "2"
    )


def test_german_assignee_entities_are_decoded_and_utility_model_priority_kept():
    record = _record("ipg-weekly-samples/ipg120103.small.xml", "US-8087209-B2")
    (assignee,) = [p for p in record.parties if p.role == "assignee"]
    assert (assignee.name, assignee.country) == ("Kueberit Profile Systems GmbH & Co. KG", "DE")
    assert [(p.office, p.number) for p in record.priorities] == [("DE", "20 2009 001 036 U")]


def test_ipcr_and_cpc_symbols_and_positions_of_a_v45_grant():
    record = _record("single-docs/odp_grant_us10000000b2_14643719.xml", "US-10000000-B2")
    ipc = [(c.symbol, c.position) for c in record.classifications if c.scheme == "IPC"]
    assert ipc[:4] == [("G01S 7/48", "first"), ("G01S 7/486", "inventive"),
                       ("G01S 7/491", "inventive"), ("G01S 13/89", "inventive")]
    cpc = [(c.symbol, c.position) for c in record.classifications if c.scheme == "CPC"]
    assert cpc[0] == ("G01S 7/4863", "first")
    assert [(p.name, p.country) for p in record.parties if p.role == "assignee"] == [("Raytheon Company", "US")]


def test_edition_7_ipc_text_is_normalised():
    record = _record("ipg-weekly-samples/ipg050104.small.xml", "US-6836899-B1")
    assert [c.symbol for c in record.classifications if c.scheme == "IPC"] == ["A45F 5/04"]


def test_pct_national_phase_grant_has_pct_route_and_pct_priority():
    records = records_by_id(shared_path("data", GRANTS, "ipg-weekly-samples/ipg050104.small.xml"))
    pct = {pid: r for pid, r in records.items() if r.publication.route == "pct"}
    assert sorted(pct) == ["US-6837358-B1", "US-6837463-B2", "US-6837520-B2", "US-6837544-B2", "US-6838627-B1"]
    claims = [(p.office, p.number, p.date, p.kind) for p in pct["US-6837358-B1"].priorities]
    assert claims == [("NL", "1012682", date(1999, 7, 23), "paris"), ("WO", "PCTNL00/00518", date(2000, 7, 21), "pct")]
    assert pct["US-6837358-B1"].publication.earliest_priority_date == date(1999, 7, 23)


def test_hong_kong_inventors_printed_with_country_cn_keep_the_printed_country():
    # The grant prints CN for Hong Kong residents; the reader never rewrites a printed country.
    record = _record("ipg-weekly-samples/ipg120103.small.xml", "US-D651486-S1")
    assert {(p.city, p.country) for p in record.parties if p.role == "inventor"} == {("Hong Kong", "CN")}


# file -> (read, stored, quarantined, skipped)
FILE_COUNTS = {
    "ipg-weekly-samples/ipg050104.small.xml": (25, 25, 0, 0),
    "ipg-weekly-samples/ipg060103.small.xml": (27, 25, 0, 2),
    "ipg-weekly-samples/ipg070102.small.xml": (26, 25, 0, 1),
    "ipg-weekly-samples/ipg080101.small.xml": (25, 25, 0, 0),
    "ipg-weekly-samples/ipg090106.small.xml": (25, 25, 0, 0),
    "ipg-weekly-samples/ipg100105.small.xml": (25, 25, 0, 0),
    "ipg-weekly-samples/ipg120103.small.xml": (25, 25, 0, 0),
    "ipg-weekly-samples/ipg120327.196-designs.xml": (196, 196, 0, 0),
    "ipgb-biblio/ipgb20221025.xml": (11, 11, 0, 0),
    "ipgb-biblio/ipgb20230404.xml": (3, 3, 0, 0),
    "quirks/US07057742-20060606.malformed-mathml.XML": (1, 0, 1, 0),
    "single-docs/go-uspto_test_2docs_US11147202-3.xml": (2, 2, 0, 0),
}


@pytest.mark.parametrize("file", sorted(FILE_COUNTS))
def test_every_document_is_stored_quarantined_or_skipped(file):
    parsed = read_file(shared_path("data", GRANTS, file))
    counts = (
        len(parsed),
        sum(p.record is not None for p in parsed),
        sum(p.quarantined is not None for p in parsed),
        sum(p.skipped is not None for p in parsed),
    )
    assert counts == FILE_COUNTS[file]


def test_sequence_listings_are_skipped_with_a_reason():
    parsed = read_file(shared_path("data", GRANTS, "ipg-weekly-samples/ipg060103.small.xml"))
    assert [p.skipped.reason for p in parsed if p.skipped] == ["sequence-cwu document (not a patent)"] * 2


def test_design_grants_are_never_invention_grants():
    parsed = read_file(shared_path("data", GRANTS, "ipg-weekly-samples/ipg120327.196-designs.xml"))
    assert {p.record.publication.doc_type for p in parsed} == {"design"}


def test_malformed_mathml_grant_is_quarantined_with_file_line_and_reason():
    (parsed,) = read_file(shared_path("data", GRANTS, "quirks/US07057742-20060606.malformed-mathml.XML"))
    q = parsed.quarantined
    assert (q.index, q.line) == (0, 880)
    assert q.reason == "not well-formed XML: mismatched tag at line 880, column 2"


def test_sniff_reads_the_dtd_version_from_the_header():
    head = shared_path("data", GRANTS, "ipgb-biblio/ipgb20230404.xml").read_bytes()[:65536]
    sniff = READER.sniff(head)
    assert (sniff.confidence, sniff.version) == (0.95, "v4.7 2022-02-17")
    assert READER.sniff(b'<?xml version="1.0"?><us-patent-assignments/>') is None
