"""The Google Patents Public Datasets reader: the real BigQuery sample (JSON array), and the
same rows as JSON Lines and Parquet; values and problem rows per the published schema."""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from patentreach.sources.google_patents import GooglePatents
from tests.conftest import shared_path
from tests.sources.vendor_helpers import counts, parties, read_bytes, read_file, records_by_id

READER = GooglePatents()
SAMPLE = ("data", "google-patents-bigquery", "publications_sample_10rows.json")


def _sample():
    return read_file(READER, shared_path(*SAMPLE))


def test_sample_counts_and_sniff() -> None:
    path = shared_path(*SAMPLE)
    assert READER.sniff(path.read_bytes()[:65536]).version == "json"
    assert counts(_sample()) == {"stored": 10}


def test_mit_grant_fields() -> None:
    record = records_by_id(_sample())["US-9474634-B2"]
    pub = record.publication
    assert (pub.office, pub.number, pub.kind, pub.doc_type) == ("US", "9474634", "B2", "invention_grant")
    assert pub.pub_date == date(2016, 10, 25)
    assert pub.application_date == date(2014, 10, 22)
    assert pub.earliest_priority_date == date(2014, 10, 22)
    assert pub.family_id is None  # not in the sample
    assert pub.title == "Peripheral neural interface via nerve regeneration to distal tissues"
    assert pub.language == "en"
    assert parties(record, "assignee") == [(1, "MASSACHUSETTS INST TECHNOLOGY", "organisation", "US")]
    assert parties(record, "inventor")[:2] == [
        (1, "HERR HUGH M", "person", "US"), (2, "RISO RONALD R", "person", "US")]


def test_foreign_assignees_keep_their_country() -> None:
    records = records_by_id(_sample())
    assert parties(records["US-9478535-B2"], "assignee") == [
        (1, "SEMICONDUCTOR ENERGY LAB", "organisation", "JP")]
    assert parties(records["US-9523720-B2"], "assignee") == [
        (1, "INFINEON TECHNOLOGIES AG", "organisation", "DE")]
    assert records["US-9523720-B2"].publication.application_date == date(2013, 3, 15)
    # An inventor of US-9523720 lives in Austria: inventor countries are kept per person.
    assert parties(records["US-9523720-B2"], "inventor")[0] == (1, "AUSSERLECHNER UDO", "person", "AT")


def test_individual_assignee_is_a_person_when_also_an_inventor() -> None:
    record = records_by_id(_sample())["US-9487825-B2"]
    assignees = parties(record, "assignee")
    assert assignees[0] == (1, "SACHIDANANDAM RAVI", "person", "US")
    assert assignees[-1] == (4, "SINAI SCHOOL MEDICINE", "organisation", "US")
    assert record.publication.kind == "B2"


FULL_ROW = {
    "publication_number": "EP-3000001-A1",
    "country_code": "EP",
    "kind_code": "A1",
    "application_number": "EP-15000001-A",
    "pct_number": "",
    "family_id": "54321",
    "publication_date": 20160323,
    "filing_date": 20150101,
    "priority_date": 20140115,
    "title_localized": [{"text": "Rotor d\u0026#39;avion", "language": "fr", "truncated": "false"},
                        {"text": "Aircraft\u0026#39;s rotor", "language": "en", "truncated": "false"}],
    "assignee_harmonized": [{"name": "ACME AERO SA", "country_code": "FR"}],
    "inventor_harmonized": [{"name": "DUPONT JEAN", "country_code": "FR"}],
    "ipc": [{"code": "B64C27/46", "inventive": "true", "first": "true", "tree": []},
            {"code": "F01D5/14", "inventive": "false", "first": "false", "tree": []}],
    "cpc": [{"code": "Y02T50/60", "inventive": False, "first": False, "tree": []}],
    "priority_claim": [
        {"publication_number": "", "application_number": "FR-1450300-A", "npl_text": "",
         "type": "", "category": "", "filing_date": 20140115},
        {"publication_number": "", "application_number": "EP-15000001-A", "npl_text": "",
         "type": "", "category": "", "filing_date": 20150101},
    ],
    "grant_date": 0,
}


def test_jsonl_full_schema_row() -> None:
    parsed = read_bytes(READER, (json.dumps(FULL_ROW) + "\n").encode())
    record = parsed[0].record
    pub = record.publication
    assert (pub.pub_id, pub.doc_type, pub.family_id) == ("EP-3000001-A1", "invention_application", "54321")
    assert pub.application_number == "15000001"
    assert pub.earliest_priority_date == date(2014, 1, 15)
    assert pub.title == "Aircraft's rotor"  # doubly escaped entity decoded, English preferred
    assert parties(record, "applicant") == [(1, "ACME AERO SA", "organisation", "FR")]
    assert [(c.scheme, c.symbol, c.position) for c in record.classifications] == [
        ("IPC", "B64C 27/46", "first"), ("IPC", "F01D 5/14", "additional"),
        ("CPC", "Y02T 50/60", "additional")]
    # The publication's own application is not a priority claim.
    assert [(p.office, p.number, p.date, p.kind) for p in record.priorities] == [
        ("FR", "1450300", date(2014, 1, 15), "paris")]


def test_parquet_export(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(shared_path(*SAMPLE).read_text())
    path = tmp_path / "publications.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    data = path.read_bytes()
    assert READER.sniff(data[:65536]).version == "parquet"
    parsed = read_bytes(READER, data)
    assert counts(parsed) == {"stored": 10}
    assert records_by_id(parsed)["US-9528354-B2"].publication.pub_date == date(2016, 12, 27)


def test_bad_rows_are_quarantined_naming_record_and_field() -> None:
    bad_date = {**FULL_ROW, "publication_number": "US-9000001-B2", "country_code": "US",
                "kind_code": "B2", "publication_date": 20161399}
    no_date = {**FULL_ROW, "publication_number": "US-9000002-B2", "country_code": "US",
               "kind_code": "B2", "publication_date": 0}
    lines = [json.dumps(FULL_ROW), json.dumps(bad_date), "{not json", json.dumps(no_date)]
    parsed = read_bytes(READER, ("\n".join(lines) + "\n").encode())
    assert counts(parsed) == {"stored": 1, "quarantined": 3}
    reasons = [p.quarantined.reason for p in parsed if p.quarantined]
    assert reasons[0].startswith("US-9000001-B2: publication_date: '20161399' is not a valid date")
    assert reasons[1] == ("record 2: not valid JSON at line 3, column 2: "
                          "Expecting property name enclosed in double quotes")
    assert reasons[2] == "US-9000002-B2: publication_date: missing (0 or absent)"
    assert [p.quarantined.line for p in parsed if p.quarantined] == [2, 3, 4]


def test_array_with_syntax_error_quarantines_the_rest() -> None:
    text = "[" + json.dumps(FULL_ROW) + ",\n{\"publication_number\": oops}]"
    parsed = read_bytes(READER, text.encode())
    assert counts(parsed) == {"stored": 1, "quarantined": 1}
    assert parsed[1].quarantined.line == 2
