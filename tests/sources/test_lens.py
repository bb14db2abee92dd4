"""The Lens.org readers: the real CSV export (3,779 records) and the API sample response."""

from __future__ import annotations

from datetime import date
from functools import cache

from patentreach.sources.lens import LensCsv, LensJson
from tests.conftest import shared_path
from tests.sources.vendor_helpers import (
    counts,
    parties,
    read_bytes,
    read_file,
    records_by_id,
    symbols,
)

CSV = LensCsv()
API = LensJson()
CSV_FILE = ("data", "lens", "lens-export_patents_jet-engine_2021-03.csv")
API_FILE = ("data", "lens", "lens-api-patent-response_EP2471949A1.json")


@cache
def _csv():
    return read_file(CSV, shared_path(*CSV_FILE))


def _record(pub_id: str):
    return records_by_id(_csv())[pub_id]


def test_csv_counts_and_the_one_quarantined_row() -> None:
    parsed = _csv()
    assert len(parsed) == 3779
    assert counts(parsed) == {"stored": 3778, "quarantined": 1}
    bad = next(p.quarantined for p in parsed if p.quarantined)
    assert (bad.index, bad.line) == (1950, 1952)
    assert bad.reason == "row 1951 (line 1952, Lens ID 161-344-980-171-435): Publication Date: missing"


def test_csv_us_application_number_without_slash() -> None:
    record = _record("US-20110185700-A1")
    pub = record.publication
    assert (pub.office, pub.kind, pub.doc_type) == ("US", "A1", "invention_application")
    assert (pub.pub_date, pub.application_number, pub.application_date) == (
        date(2011, 8, 4), "65784810", date(2010, 1, 29))
    assert pub.earliest_priority_date == date(2010, 1, 29)
    assert record.priorities == []  # the only "priority" is the application itself
    assert parties(record, "applicant") == [(1, "NEWCOMER FRED MICHAEL", "person", None)]
    assert symbols(record, "IPC") == [("F02C 7/055", "first")]
    assert symbols(record, "CPC") == [("F02C 7/055", "first")]
    assert symbols(record, "national") == [("60/39.092", "first")]


def test_csv_us_grant_with_provisional_priority() -> None:
    record = _record("US-8001762-B2")
    assert record.publication.doc_type == "invention_grant"
    assert record.publication.earliest_priority_date == date(2006, 8, 4)
    assert [(p.office, p.number, p.date, p.kind) for p in record.priorities] == [
        ("US", "83547206", date(2006, 8, 4), "domestic_continuation")]
    assert parties(record, "applicant") == [
        (1, "EFREMKIN ARTEM P", "person", None), (2, "EFREMKIN PAVEL V", "person", None)]


def test_csv_wo_publication_with_paris_priorities() -> None:
    record = _record("WO-1995027654-A1")
    pub = record.publication
    assert (pub.doc_type, pub.application_number, pub.pub_date) == (
        "invention_application", "9504489", date(1995, 10, 19))
    assert [(p.office, p.number, p.kind) for p in record.priorities] == [
        ("US", "22552194", "paris"), ("US", "22558594", "paris")]
    assert symbols(record, "CPC") == [("B64D 27/023", "first")]


def test_csv_owners_keep_the_latest_as_assignee() -> None:
    record = _record("US-5060471-A")
    assert record.publication.doc_type == "invention_grant"  # US A before 2001 is a grant
    assert parties(record, "applicant") == [(1, "NORDAM", "organisation", None)]
    assert parties(record, "assignee") == [(1, "THE NORDAM GROUP INC", "organisation", None)]


def test_csv_historical_and_corrected_documents() -> None:
    soviet = _record("SU-1434694-A1").publication
    assert (soviet.office, soviet.pub_date, soviet.doc_type) == ("SU", date(1995, 10, 20), "other")
    corrected = _record("EP-1357170-B9").publication  # printed "EP 1357170 B9 20061018"
    assert (corrected.kind, corrected.doc_type, corrected.pub_date) == ("B9", "other", date(2006, 10, 18))
    assert _record("CN-203717160-U").publication.doc_type == "utility_model"


def test_csv_cpc_section_y() -> None:
    cpc = {s for p in _csv() if p.record for s, _ in symbols(p.record, "CPC")}
    assert "Y02E 10/46" in cpc


def test_csv_type_cross_check_is_a_warning_only() -> None:
    warnings = [w for p in _csv() for w in p.warnings]
    assert "CN-2052456-U: Lens Type 'Patent Application' but kind code says utility_model" in warnings
    assert _record("CN-2052456-U").publication.doc_type == "utility_model"


def test_csv_bad_row_names_row_and_field() -> None:
    header = shared_path(*CSV_FILE).read_bytes().split(b"\n", 1)[0]
    good = shared_path(*CSV_FILE).read_bytes().split(b"\n")[1]
    bad = good.replace(b",2011-08-04,", b",2011-13-04,").replace(b",US 2011/0185700 A1,", b",US 2011/0185700 B2,")
    assert bad != good
    parsed = read_bytes(CSV, b"\n".join([header, good, bad]) + b"\n")
    assert counts(parsed) == {"stored": 1, "quarantined": 1}
    reason = parsed[1].quarantined.reason
    assert reason.startswith("row 2 (line 3, Lens ID 122-778-618-820-635): ")
    assert "Publication Number: 'US 2011/0185700 B2' disagrees with Jurisdiction/Kind US A1" in reason
    assert "Publication Date: '2011-13-04' is not a YYYY-MM-DD date" in reason


def test_api_sample() -> None:
    parsed = read_file(API, shared_path(*API_FILE))
    assert counts(parsed) == {"stored": 1}
    record = parsed[0].record
    pub = record.publication
    assert (pub.pub_id, pub.doc_type, pub.pub_date) == ("EP-2471949-A1", "invention_application", date(2012, 7, 4))
    assert (pub.application_number, pub.application_date) == ("10197481", date(2010, 12, 31))
    assert pub.language == "en"
    assert pub.title.startswith("Method for the identification by molecular techniques")
    assert pub.family_id is None  # Lens family numbers are not DOCDB family ids
    assert record.priorities == []  # the claim listed is the application itself
    assert parties(record, "applicant") == [(1, "PROGENIKA BIOPHARMA SA", "organisation", "ES")]
    assert parties(record, "inventor")[0] == (1, "OCHOA JORGE", "person", "ES")
    assert len(parties(record, "inventor")) == 5
    assert parties(record, "assignee") == [(1, "PROGENIKA BIOPHARMA, S.A.", "organisation", None)]
    assert symbols(record, "IPC") == [("C12Q 1/68", "first")]
    assert symbols(record, "CPC") == [
        ("C12Q 1/6881", "first"), ("C12Q 2600/156", "additional"), ("A61K 35/14", "inventive")]


def test_api_bad_record_is_quarantined() -> None:
    data = b'{"total": 2, "data": [{"lens_id": "000-000-000-000-001", "jurisdiction": "EP", ' \
           b'"doc_number": "1", "kind": "A1", "date_published": "2012-02-30"}, ' \
           b'{"lens_id": "000-000-000-000-002", "jurisdiction": "EP", "kind": "A1", ' \
           b'"date_published": "2012-02-03"}]}'
    parsed = read_bytes(API, data)
    assert counts(parsed) == {"quarantined": 2}
    assert parsed[0].quarantined.reason == (
        "record 0 (lens_id 000-000-000-000-001): date_published: '2012-02-30' is not a YYYY-MM-DD date")
    assert parsed[1].quarantined.reason == "record 1 (lens_id 000-000-000-000-002): doc_number: missing"


def test_sniffs_do_not_cross() -> None:
    csv_head = shared_path(*CSV_FILE).read_bytes()[:65536]
    api_head = shared_path(*API_FILE).read_bytes()[:65536]
    assert CSV.sniff(api_head) is None and API.sniff(csv_head) is None
