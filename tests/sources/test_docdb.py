"""The DOCDB reader on the real exchange files: a bulk slice of 10 DE documents and fragments cut
from bulk files (WO, YU without the ``xmlns:exch`` declaration; AP with the prefixes stripped)."""

from __future__ import annotations

import io
from datetime import date

import pytest

from patentreach.sources import SOURCES
from patentreach.sources.base import Unit
from patentreach.sources.detect import detect
from patentreach.sources.docdb import DocdbXml
from patentreach.sources.docdb.splitting import split_exchange_documents
from patentreach.sources.xml_safety import UnsafeXMLError
from tests.conftest import shared_path
from tests.sources.epo_helpers import applicants, claims, inventors, read_sample, symbols
from tests.sources.samples import SAMPLES

READER = DocdbXml()
FOLDER = "epo-docdb-xml"
BULK = "DOCDB-202407-009-DE-0074.first10docs.xml"
WO_PT = "WO-2022259205-A1_544370561.xml"
WO_IL = "WO-2023012807-A1_507242069.xml"
YU = "YU-6701-A_381353354.xml"
AP = "AP-1206-A_302101161.xml"
PARIS, PCT = "paris", "pct"


def _record(file: str, pub_id: str):
    return read_sample(READER, FOLDER, file).records[pub_id]


# file -> (read, stored, quarantined, skipped, sniffed version, namespace repaired)
COUNTS = {
    BULK: (10, 10, 0, 0, "2.5.9", False),
    WO_PT: (1, 1, 0, 0, "fragment", True),
    WO_IL: (1, 1, 0, 0, "fragment", True),
    YU: (1, 1, 0, 0, "fragment", True),
    AP: (1, 1, 0, 0, "fragment", False),
}


@pytest.mark.parametrize("file", sorted(COUNTS))
def test_counts_detection_and_namespace_repair_per_file(file):
    read, stored, quarantined, skipped, version, repaired = COUNTS[file]
    head = shared_path("data", FOLDER, file).read_bytes()[:65536]
    assert detect(head).source.name == "epo-docdb-xml"
    assert [s.name for s in SOURCES if s.sniff(head)] == ["epo-docdb-xml"]
    assert READER.sniff(head).version == version
    result = read_sample(READER, FOLDER, file)
    assert (result.read, len(result.records), len(result.quarantined), len(result.skipped)) == (
        read, stored, quarantined, skipped,
    )
    repairs = [w for w in result.warnings if "namespace declaration missing (xmlns:exch" in w]
    assert len(repairs) == (1 if repaired else 0)


def test_samples_list_names_every_file_of_the_folder():
    assert sorted(s.split("/", 1)[1] for s in SAMPLES["epo-docdb-xml"]) == sorted(COUNTS)


def test_wo_fragment_lands_as_wo_with_family_and_residence():
    record = _record(WO_PT, "WO-2022259205-A1")
    pub = record.publication
    assert (pub.office, pub.number, pub.kind, pub.doc_type) == (
        "WO", "2022259205", "A1", "invention_application",
    )
    assert (pub.pub_date, pub.family_id, pub.route, pub.language) == (
        date(2022, 12, 15), "82558028", "direct", "en",
    )
    assert (pub.application_number, pub.application_date) == ("IB2022/055385", date(2022, 6, 9))
    assert pub.earliest_priority_date == date(2021, 6, 11)
    assert pub.title == "SELF-EMULSIFYING COMPOSITION, PRODUCTION METHODS AND USES THEREOF"
    assert pub.reader_version == "1.0/fragment"
    # One row per applicant: the docdba name, the residence printed with the docdb name.
    assert applicants(record) == [("UNIVERSIDADE DA BEIRA INTERIOR", "organisation", "PT")]
    assert inventors(record)[:2] == ["OLIVEIRA DOS SANTOS, Adriana", "CARVALHO FERNANDES, Mariana"]
    assert len(inventors(record)) == 8
    ipc = symbols(record, "IPC")
    assert ipc[:3] == [("A61K 8/04", "inventive"), ("A61K 9/00", "first"), ("A61K 9/107", "inventive")]
    assert len(ipc) == 11
    assert symbols(record, "CPC")[0] == ("A61K 9/1075", "first")
    assert claims(record) == [("PT", "11728321", date(2021, 6, 11), PARIS)]


def test_padded_docdb_name_gives_way_to_the_docdba_name():
    record = _record(WO_IL, "WO-2023012807-A1")
    assert applicants(record) == [("YEDA RESEARCH AND DEVELOPMENT CO. LTD.", "organisation", "IL")]
    assert inventors(record) == ["FLEISHMAN, Sarel", "TENNENHOUSE, Ariel"]
    assert record.publication.family_id == "83004620"
    assert symbols(record, "IPC") == [
        ("C07K 16/28", "first"), ("C07K 16/30", "inventive"),
        ("C07K 16/40", "inventive"), ("C07K 16/46", "inventive"),
    ]
    assert claims(record) == [("US", "202163230089", date(2021, 8, 6), PARIS)]


def test_yu_document_keeps_its_historical_office_and_language():
    record = _record(YU, "YU-6701-A")
    pub = record.publication
    assert (pub.office, pub.number, pub.kind, pub.pub_date) == ("YU", "6701", "A", date(2003, 12, 31))
    assert (pub.application_date, pub.earliest_priority_date) == (date(1999, 6, 2), date(1998, 7, 30))
    assert (pub.language, pub.family_id) == ("sh", "22248526")
    # &ccaron; (declared only in docdb-entities.dtd) is read without the DTD.
    assert pub.title.startswith("TRICIKLIČNI SULFONAMIDI")
    assert applicants(record) == [("WARNER-LAMBERT COMPANY", "organisation", "US")]
    assert symbols(record, "IPC")[0] == ("A61K 31/18", "first")  # nothing flagged F
    assert len(symbols(record, "IPC")) == 39
    assert claims(record) == [("US", "9500698", date(1998, 7, 30), PARIS)]


def test_ap_fragment_without_prefixes_regional_with_pct_claim():
    record = _record(AP, "AP-1206-A")
    pub = record.publication
    assert (pub.office, pub.number, pub.kind, pub.route) == ("AP", "1206", "A", "regional")
    assert (pub.pub_date, pub.application_number) == (date(2003, 9, 18), "AP/P/2000/001988")
    assert (pub.family_id, pub.earliest_priority_date) == ("22179393", date(1998, 5, 22))
    assert applicants(record) == [("BRISTOL-MYERS SQUIBB COMPANY", "organisation", "US")]
    assert inventors(record) == ["ULLAR Ismat", "WILEY Gary J"]
    # IPCR given, so the edition-7 classification-ipc is not read twice.
    assert symbols(record, "IPC")[0] == ("A61K 9/16", "first")
    assert len(symbols(record, "IPC")) == 18
    # CPC allocated by EP and US: each symbol once, one first.
    cpc = symbols(record, "CPC")
    assert len(cpc) == len({s for s, _ in cpc}) == 8
    assert [s for s, p in cpc if p == "first"] == ["A61K 9/5026"]
    assert claims(record) == [
        ("US", "8359798", date(1998, 5, 22), PARIS),
        ("WO", "US9816128", date(1998, 8, 4), PCT),
    ]


def test_bulk_de_1968_documents_without_residence():
    result = read_sample(READER, FOLDER, BULK)
    assert list(result.records) == [f"DE-{n}-B" for n in range(1258188, 1258198)]
    record = result.records["DE-1258194-B"]
    pub = record.publication
    assert (pub.pub_date, pub.application_number, pub.application_date) == (
        date(1968, 1, 4), "E28041", date(1964, 10, 30),
    )
    assert (pub.family_id, pub.route, pub.record_index, pub.reader_version) == (
        "8821965", "direct", 6, "1.0/2.5.9",
    )
    assert applicants(record) == [
        ("ETAT FRANCAIS, REPRESENTE PAR MONSIEUR LE MINISTRE DES ARMEES", "organisation", None),
        ("DELEGATION MINISTERIELLE POUR L'ARMEMENT", "organisation", None),
        ("DIRECTION DES ETUDES ET FABRICATIONS D'ARMEMENT", "organisation", None),
        ("LABORATOIRE DE RECHERCHES BALISTIQUES ET AERODYNAMIQUES DE VERNON", "organisation", None),
    ]
    assert claims(record) == [("FR", "961921", date(1964, 1, 29), PARIS)]
    bosch = result.records["DE-1258188-B"]
    assert applicants(bosch) == [("ROBERT BOSCH G.M.B.H.", "organisation", None)]
    # Its only "priority" is its own application: not a claim, the filing date is the priority.
    assert claims(bosch) == []
    assert bosch.publication.earliest_priority_date == date(1964, 7, 10)
    assert symbols(bosch, "CPC") == [
        ("F02M 59/34", "first"), ("F02M 41/125", "inventive"),
        ("F02M 59/36", "inventive"), ("F02M 2700/1358", "additional"),
    ]


def test_bulk_units_are_the_same_whatever_the_block_size():
    data = shared_path("data", FOLDER, BULK).read_bytes()
    whole = list(split_exchange_documents(io.BytesIO(data)))
    tiny = list(split_exchange_documents(io.BytesIO(data), block_size=997))
    assert [(u.index, u.line, u.data) for u in whole] == [(u.index, u.line, u.data) for u in tiny]
    assert len(whole) == 10


def test_a_bad_document_is_quarantined_and_the_others_still_read():
    data = shared_path("data", FOLDER, BULK).read_bytes()
    second_doc_date = (
        b"<date>19680104</date></document-id></exch:publication-reference>"
        b'<exch:publication-reference data-format="epodoc"><document-id><doc-number>DE1258189'
    )
    assert data.count(second_doc_date) == 1
    broken = data.replace(second_doc_date, second_doc_date.replace(b"19680104", b"19681304"))
    units = list(split_exchange_documents(io.BytesIO(broken)))
    parsed = [READER.parse(u, "x.xml") for u in units]
    assert sum(p.record is not None for p in parsed) == 9
    (bad,) = [p.quarantined for p in parsed if p.quarantined]
    assert bad.index == 1
    assert "publication-reference date" in bad.reason and "19681304" in bad.reason


def test_hostile_prolog_refuses_the_file():
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE exch:exchange-documents [<!ENTITY x SYSTEM '
        b'"file:///etc/passwd">]><exch:exchange-documents xmlns:exch="http://www.epo.org/exchange">'
        b"<exch:exchange-document>&x;</exch:exchange-document></exch:exchange-documents>"
    )
    with pytest.raises(UnsafeXMLError):
        list(split_exchange_documents(io.BytesIO(hostile)))


def test_unclosed_fragment_is_quarantined_not_lost():
    units = list(split_exchange_documents(io.BytesIO(b'<exch:exchange-document country="WO">x')))
    assert len(units) == 1
    parsed = READER.parse(units[0], "cut.xml")
    assert parsed.quarantined is not None
    assert "not well-formed" in parsed.quarantined.reason


def test_a_reference_to_an_unknown_entity_quarantines_the_document_at_its_file_line():
    original = shared_path("data", FOLDER, WO_IL).read_bytes()
    data = original.replace(b"METHOD FOR HUMANIZING ANTIBODIES", b"METHOD &zzunknown; ANTIBODIES", 1)
    line_in_document = data[: data.index(b"&zzunknown;")].count(b"\n") + 1
    parsed = READER.parse(Unit(0, 10, data), "x.xml")
    assert parsed.record is None
    assert parsed.quarantined.reason == (
        "references undeclared entity &zzunknown;: only the five XML entities and character references "
        f"are read (no DTD is ever loaded) at line {10 + line_in_document - 1}"
    )
