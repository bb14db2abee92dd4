"""The OPS reader on real OPS v3.2 responses: biblio, family (with biblio), search, equivalents,
legal and register responses. Every record is stored or skipped with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.sources import SOURCES
from patentreach.sources.detect import detect
from patentreach.sources.ops import OpsXml
from tests.conftest import shared_path
from tests.sources.epo_helpers import applicants, claims, inventors, read_sample, symbols
from tests.sources.samples import SAMPLES

READER = OpsXml()
FOLDER = "epo-ops-xml"
PARIS, PCT = "paris", "pct"

# file -> (read, stored, skipped, sniffed version); nothing in these files is quarantined. A legal
# family member is stored when it has legal events (all become legal_events rows; ownership-change
# and licence events also transfer records); a register document stores its dated steps.
COUNTS = {
    "epo-ops-go/get_biblio_multiple.response.xml": (3, 3, 0, "3.2 exchange-document"),
    "epo-ops-go/get_family_with_biblio.response.xml": (5, 5, 0, "3.2 family-member"),
    "epo-ops-go/get_family_with_legal.response.xml": (5, 3, 2, "3.2 legal-family"),  # 2 members: no events
    "epo-ops-go/get_published_equivalents.response.xml": (3, 0, 3, "3.2 inquiry-result"),
    "epo-ops-go/get_register_biblio.response.xml": (1, 1, 0, "3.2 register-document"),
    "epo-ops-go/search_with_constituent.response.xml": (3, 3, 0, "3.2 exchange-document"),
    "patent_client/family_input.xml": (6, 6, 0, "3.2 family-member"),
    "patent_client/legal_example_1.xml": (1, 1, 0, "3.2 legal-family"),  # BECN change of name
    "patent_client/legal_example_3.xml": (1, 1, 0, "3.2 legal-family"),  # three US AS events
    "patent_client/published_biblio_example.xml": (1, 1, 0, "3.2 exchange-document"),
    "patent_client/published_biblio_example_2.xml": (1, 1, 0, "3.2 exchange-document"),
    "patent_client/published_biblio_example_3.xml": (1, 1, 0, "3.2 exchange-document"),
    "patent_client/published_biblio_example_4.xml": (1, 1, 0, "3.2 exchange-document"),
    "patent_client/published_full_cycle_example.xml": (2, 2, 0, "3.2 exchange-document"),
    "patent_client/published_search_example.xml": (15, 0, 15, "3.2 search-hit"),
}


def _read(file: str):
    return read_sample(READER, FOLDER, *file.split("/"))


def test_samples_list_names_every_file_of_the_folder():
    assert sorted(s.split("/", 1)[1] for s in SAMPLES["epo-ops-xml"]) == sorted(COUNTS)


@pytest.mark.parametrize("file", sorted(COUNTS))
def test_counts_and_detection_per_file(file):
    read, stored, skipped, version = COUNTS[file]
    head = shared_path("data", FOLDER, *file.split("/")).read_bytes()[:65536]
    assert detect(head).source.name == "epo-ops-xml"
    assert [s.name for s in SOURCES if s.sniff(head)] == ["epo-ops-xml"]
    assert READER.sniff(head).version == version
    result = _read(file)
    assert (result.read, result.stored, len(result.quarantined), len(result.skipped)) == (
        read, stored, 0, skipped,
    )
    assert all(s.reason for s in result.skipped)


def test_family_with_biblio_every_member_carries_the_family_id():
    result = _read("epo-ops-go/get_family_with_biblio.response.xml")
    assert list(result.records) == [
        "EP-2400812-A1", "EP-2400812-B1", "CA-2744162-A1", "US-2012057518-A1", "US-9648662-B2",
    ]
    assert {r.publication.family_id for r in result.records.values()} == {"43088294"}
    grant = result.records["US-9648662-B2"]
    pub = grant.publication
    assert (pub.office, pub.kind, pub.doc_type, pub.pub_date) == (
        "US", "B2", "invention_grant", date(2017, 5, 9),
    )
    assert (pub.application_number, pub.application_date) == ("13167395", date(2011, 6, 23))
    assert (pub.earliest_priority_date, pub.route, pub.title) == (
        date(2010, 6, 24), "direct", "Bluetooth networking",
    )
    # epodoc names: "[FI]" is the residence; inventor-applicants are persons.
    assert applicants(grant) == [
        ("HERRALA SAMI", "person", "FI"), ("KYLMÄNEN JARI", "person", "FI"),
        ("NIEMI JAAKKO", "person", "FI"), ("9SOLUTIONS OY", "organisation", "FI"),
    ]
    assert symbols(grant, "IPC") == [
        ("H04B 7/14", "first"), ("H04W 84/20", "inventive"), ("H04W 88/04", "additional"),
    ]
    assert symbols(grant, "CPC") == [("H04W 84/20", "first"), ("H04W 88/04", "additional")]
    assert symbols(grant, "national") == [("370/315", "first")]
    assert claims(grant) == [("EP", "10167109.7", date(2010, 6, 24), PARIS)]
    ep = result.records["EP-2400812-A1"].publication
    assert (ep.route, ep.application_number, ep.earliest_priority_date) == (
        "regional", "10167109", date(2010, 6, 24),
    )


def test_family_without_biblio_gives_bare_publications_with_family_id():
    result = _read("patent_client/family_input.xml")
    assert list(result.records) == [
        "EP-1000000-A1", "EP-1000000-B1", "AT-232441-T", "DE-69905327-D1", "NL-1010536-C2",
        "US-6093011-A",
    ]
    us = result.records["US-6093011-A"]
    pub = us.publication
    assert (pub.family_id, pub.pub_date, pub.doc_type) == ("19768124", date(2000, 7, 25), "invention_grant")
    assert (pub.application_number, pub.application_date) == ("20685698", date(1998, 12, 8))
    assert pub.earliest_priority_date == date(1998, 11, 12)
    assert (us.parties, us.classifications) == ([], [])
    assert claims(us) == [("NL", "1010536", date(1998, 11, 12), PARIS)]
    # The NL priority application's own publication claims nothing.
    assert claims(result.records["NL-1010536-C2"]) == []


def test_biblio_with_person_applicants_and_uspc():
    record = _read("patent_client/published_biblio_example_4.xml").records["US-2012116137-A1"]
    pub = record.publication
    assert (pub.pub_date, pub.family_id, pub.application_number, pub.application_date) == (
        date(2012, 5, 10), "46020268", "12942680", date(2010, 11, 9),
    )
    assert applicants(record) == [
        ("FANG HOWARD L", "person", "US"), ("BEN-REUVEN MOSHE", "person", "US"),
        ("BOYLE RICHARD E", "person", "US"), ("KOROS ROBERT M", "person", "US"),
        ("PRIMUS GREEN ENERGY INC", "organisation", "US"),
    ]
    assert inventors(record) == ["FANG HOWARD L", "BEN-REUVEN MOSHE", "BOYLE RICHARD E", "KOROS ROBERT M"]
    assert symbols(record, "IPC") == [("B01J 8/00", "first"), ("C07C 1/02", "inventive")]
    assert symbols(record, "national")[0] == ("422/187", "first")
    # Its only priority is its own application: no claim.
    assert claims(record) == []


def test_jp_national_phase_from_epodoc_priorities():
    record = _read("patent_client/published_biblio_example_2.xml").records["JP-2005533465-A"]
    pub = record.publication
    assert (pub.doc_type, pub.route, pub.family_id) == ("invention_application", "pct", "30117972")
    assert pub.earliest_priority_date == date(2002, 7, 15)
    assert record.parties == []
    assert symbols(record, "IPC")[0] == ("G06T 9/00", "first")
    assert claims(record) == [
        ("US", "2002 396363", date(2002, 7, 15), PARIS),
        ("US", "2002 291320", date(2002, 11, 8), PARIS),
        ("WO", "2003/21714", date(2003, 7, 11), PCT),
    ]


def test_ep_a1_and_b1_share_the_pub_ids_of_other_readers():
    result = _read("patent_client/published_full_cycle_example.xml")
    assert list(result.records) == ["EP-1000000-A1", "EP-1000000-B1"]
    b1 = result.records["EP-1000000-B1"]
    assert (b1.publication.doc_type, b1.publication.route) == ("invention_grant", "regional")
    assert applicants(b1) == [("BEHEERMIJ DE BOER NIJMEGEN BV", "organisation", "NL")]
    assert claims(b1) == [("NL", "1010536", date(1998, 11, 12), PARIS)]


def test_skip_reasons_name_what_is_out_of_scope():
    legal = _read("epo-ops-go/get_family_with_legal.response.xml").skipped
    assert all("legal-event" in s.reason for s in legal)
    equivalents = _read("epo-ops-go/get_published_equivalents.response.xml").skipped
    assert all("no kind code" in s.reason for s in equivalents)
    assert _read("epo-ops-go/get_register_biblio.response.xml").skipped == []  # its steps are legal events
