"""The EP publication-server reader on the real ``ep-patent-document`` files, DTD v1.0 to v1.5.1."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.sources import SOURCES
from patentreach.sources.base import Unit
from patentreach.sources.detect import detect
from patentreach.sources.ep_publication import EpPublicationXml
from tests.conftest import shared_path
from tests.sources.epo_helpers import applicants, claims, inventors, read_sample, symbols
from tests.sources.samples import SAMPLES

READER = EpPublicationXml()
FOLDER = "epo-ep-publication-xml"
PARIS, PCT, PARENT = "paris", "pct", "domestic_continuation"


def _record(file: str, pub_id: str):
    return read_sample(READER, FOLDER, *file.split("/")).records[pub_id]


@pytest.mark.parametrize("sample", SAMPLES["epo-ep-xml"])
def test_every_sample_is_detected_and_stored(sample):
    path = shared_path("data", sample)
    head = path.read_bytes()[:65536]
    assert detect(head).source.name == "epo-ep-xml"
    assert [s.name for s in SOURCES if s.sniff(head)] == ["epo-ep-xml"]
    result = read_sample(READER, sample)
    assert (result.read, len(result.records), len(result.quarantined), len(result.skipped)) == (
        1, 1, 0, 0,
    )


@pytest.mark.parametrize(
    ("file", "version"),
    [
        ("grant/v1-0-B1-1.xml", "v1.0"),
        ("application/v1-1-A2-1.xml", "v1.1"),
        ("grant/v1-2-B2-1.xml", "v1.2"),
        ("grant/v1-3-B1-2.xml", "v1.3"),
        ("grant/v1-4-B2.xml", "v1.4"),
        ("grant/v1-5-B1.xml", "v1.5"),
        ("grant/v1-5-1-B2.xml", "v1.5.1"),
    ],
)
def test_the_dtd_version_is_detected_from_the_root(file, version):
    head = shared_path("data", FOLDER, *file.split("/")).read_bytes()[:65536]
    assert READER.sniff(head).version == version


def test_b1_grant_v1_0_canon():
    record = _record("grant/v1-0-B1-1.xml", "EP-640886-B1")
    pub = record.publication
    assert (pub.office, pub.number, pub.kind, pub.doc_type) == ("EP", "640886", "B1", "invention_grant")
    assert (pub.pub_date, pub.application_number, pub.application_date) == (
        date(2006, 4, 26), "94113456.1", date(1994, 8, 29),
    )
    assert pub.earliest_priority_date == date(1993, 8, 30)
    assert (pub.route, pub.language, pub.family_id) == ("regional", "en", None)
    assert pub.title == "Electrophotographic apparatus and process cartridge"
    assert pub.reader_version == "1.0/v1.0"
    assert pub.source_format == "epo-ep-xml"
    (canon,) = [p for p in record.parties if p.role == "applicant"]
    assert (canon.name, canon.kind, canon.city, canon.country_raw, canon.country) == (
        "CANON KABUSHIKI KAISHA", "organisation", "Tokyo", "JP", "JP",
    )
    assert canon.address == "30-2, 3-chome, Shimomaruko, Ohta-ku"
    assert canon.source_entity_id == "00542361"
    assert inventors(record)[0] == "Yoshihara, Toshiyuki, c/o Canon Kabushiki Kaisha"
    assert len(inventors(record)) == 6
    assert all(p.kind == "person" for p in record.parties if p.role == "inventor")
    assert symbols(record, "IPC") == [("G03G 15/08", "first"), ("G03G 5/147", "inventive")]
    assert claims(record) == [("JP", "23589493", date(1993, 8, 30), PARIS)]


def test_a1_euro_pct_application_v1_0_with_edition_7_ipc():
    record = _record("application/v1-0-A1.xml", "EP-1325900-A1")
    pub = record.publication
    assert (pub.kind, pub.doc_type, pub.pub_date) == ("A1", "invention_application", date(2003, 7, 9))
    assert (pub.application_number, pub.application_date) == ("01963450.0", date(2001, 9, 5))
    assert pub.earliest_priority_date == date(2000, 9, 8)
    # Filed in Japanese (B250 ja), published in English (B260 en): the publication language.
    assert (pub.language, pub.title) == ("en", "PROCESS FOR PRODUCING FLUOROALKANOL")
    assert applicants(record) == [("ASAHI GLASS COMPANY LTD.", "organisation", "JP")]
    assert inventors(record) == ["TOHMA, Toshihiko", "WADA, Akihiro"]
    # B511 " 7C 07C  29/44   A" / B512 " 7C 07C  31/38   B"
    assert symbols(record, "IPC") == [("C07C 29/44", "first"), ("C07C 31/38", "additional")]
    assert claims(record) == [
        ("JP", "2000273711", date(2000, 9, 8), PARIS),
        ("WO", "JP0107711", date(2001, 9, 5), PCT),
    ]


def test_b2_in_french_with_two_proprietors_v1_5():
    record = _record("grant/v1-5-B2-1.xml", "EP-1011858-B2")
    pub = record.publication
    assert (pub.kind, pub.doc_type, pub.pub_date) == ("B2", "other", date(2020, 12, 16))
    assert pub.language == "fr"
    assert pub.title.startswith("ADSORBANTS ZEOLITIQUES AGGLOMERES")
    assert applicants(record) == [
        ("ARKEMA FRANCE", "organisation", "FR"),
        ("IFP Energies nouvelles", "organisation", "FR"),
    ]
    assert [p.sequence for p in record.parties if p.role == "applicant"] == [1, 2]
    assert symbols(record, "IPC") == [
        ("B01J 20/18", "first"), ("C07C 15/08", "inventive"), ("C07C 7/13", "inventive"),
    ]
    assert claims(record) == [
        ("FR", "9710535", date(1997, 8, 21), PARIS),
        ("WO", "FR1998001818", date(1998, 8, 18), PCT),
    ]


def test_divisional_parent_and_cpc_v1_5_1():
    record = _record("grant/v1-5-1-B2.xml", "EP-2716170-B2")
    pub = record.publication
    assert (pub.application_number, pub.application_date) == ("13196195.5", date(2012, 9, 14))
    assert pub.earliest_priority_date == date(2011, 9, 28)
    assert applicants(record) == [("Hauni Maschinenbau GmbH", "organisation", "DE")]
    assert symbols(record, "IPC") == [("A24C 5/20", "first")]
    assert symbols(record, "CPC") == [("A24C 5/20", "first")]
    # B620 parent (pdoc) is the parent of the divisional; B620EP children are not read.
    assert claims(record) == [
        ("DE", "102011114434", date(2011, 9, 28), PARIS),
        ("EP", "12184383.3", date(2012, 9, 14), PARENT),
    ]


def test_application_claiming_nothing_is_its_own_priority():
    record = _record("application/v1-5-1-A1-3.xml", "EP-4114164-A1")
    pub = record.publication
    assert pub.earliest_priority_date == pub.application_date == date(2021, 6, 29)
    assert claims(record) == []
    assert symbols(record, "CPC") == [("H05K 13/083", "first")]
    assert len(inventors(record)) == 9


def test_every_sample_keeps_its_own_office_number_and_kind():
    ids = {
        pub_id
        for sample in SAMPLES["epo-ep-xml"]
        for pub_id in read_sample(READER, sample).records
    }
    assert {"EP-1325900-A1", "EP-630155-A2", "EP-640886-B1", "EP-2126078-B2"} <= ids
    assert all(pub_id.startswith("EP-") for pub_id in ids)
    assert len(ids) == 26


_DOC = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE ep-patent-document PUBLIC "-//EPO//EP PATENT DOCUMENT 1.5//EN" "ep.dtd"%s>\n'
    b'<ep-patent-document id="EP1B1" lang="en" country="EP" doc-number="0000001" kind="B1" '
    b'dtd-version="ep-patent-document-v1-5"><SDOBI lang="en"><B100><B110>0000001</B110>'
    b"<B130>B1</B130><B140><date>%s</date></B140><B190>EP</B190></B100><B200><B210>1.1</B210>"
    b"<B220><date>20000101</date></B220><B260>en</B260></B200><B700><B730><B731>"
    b"<snm>Vl&ccaron;ek &amp; Co</snm><adr><ctry>CZ</ctry></adr></B731></B730></B700></SDOBI>"
    b"<description><p>&mdash;</p></description></ep-patent-document>\n"
)


def test_character_entity_names_are_read_without_loading_the_dtd():
    parsed = READER.parse(Unit(0, 1, _DOC % (b"", b"20010101")), "x.xml")
    assert parsed.record is not None
    assert applicants(parsed.record) == [("Vlček & Co", "organisation", "CZ")]


def test_bad_date_and_declared_entities_are_quarantined_with_reasons():
    bad_date = READER.parse(Unit(0, 1, _DOC % (b"", b"20010132")), "x.xml")
    assert bad_date.quarantined is not None
    assert "B140 publication date" in bad_date.quarantined.reason
    hostile = READER.parse(
        Unit(0, 1, _DOC % (b' [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]', b"20010101")), "x.xml"
    )
    assert hostile.quarantined is not None
    assert "declares entity 'x'" in hostile.quarantined.reason
