"""Damaged records cost only themselves, and every reason quotes the line in the FILE.

Each case starts from a real sample and breaks one record the way files arrive broken: a syntax
error in one JSON record, an unbalanced quote in one CSV row, invalid UTF-8 or a NUL byte in one
row, a record nested 100,000 deep, random bytes under a data file's name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patentreach.sources.base import Sniff, Source, Unit
from patentreach.sources.cnipa import CnipaCpqueryJson
from patentreach.sources.detect import detect
from patentreach.sources.google_patents import GooglePatents
from patentreach.sources.lens import LensCsv, LensJson
from patentreach.sources.patentsview import PatentsViewTsv
from patentreach.sources.uspto_grant import UsptoGrantXml
from patentreach.sources.uspto_odp import UsptoOdpJson
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path
from tests.sources.vendor_helpers import counts, read_bytes

GOOGLE = ("data", "google-patents-bigquery", "publications_sample_10rows.json")
LENS = ("data", "lens", "lens-export_patents_jet-engine_2021-03.csv")
PATENTSVIEW = ("data", "patentsview-tsv", "legacy", "patent.truncated10.tsv")
DEEP = "[" * 100_000 + "]" * 100_000
DEPTH_REASON = "nested deeper than 256 levels at line {line} (limit max_nesting_depth=256; lift it with " \
               "--limit max_nesting_depth=N)"


def _lens_rows(n: int) -> list[bytes]:
    """The header and the first ``n`` rows of the real Lens export (none spans lines)."""
    return shared_path(*LENS).read_bytes().splitlines(keepends=True)[: n + 1]


# --- detection -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["export.csv", "table.tsv", "grant.xml", "page.json"])
def test_random_bytes_under_a_data_name_fail_in_one_line_quoting_the_first_bytes(tmp_path: Path, name: str) -> None:
    junk = tmp_path / name
    junk.write_bytes(b"\x89PNG\r\x1a\n\x00a\rb\t\"c" + bytes(range(256)) * 8)  # a CR alone used to break csv
    outcome = ingest([junk], Warehouse(tmp_path / "wh")).files[0]
    assert outcome.status == "error"
    assert outcome.error == (
        f'{junk}: no reader recognises this content (first bytes: "\\x89PNG\\x0d\\x1a\\x0a\\x00a\\x0db\\x09\\x22c'
        '\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09..."; use --reader to force one)'
    )


class _BrokenSniffer(Source):
    name = "broken"
    reader_version = "0"
    description = "a reader whose sniffer fails"

    def sniff(self, head: bytes) -> Sniff | None:
        raise IndexError("boom")


def test_a_failing_sniffer_is_a_reader_that_does_not_claim_the_file() -> None:
    head = shared_path(*GOOGLE).read_bytes()
    assert detect(head, (_BrokenSniffer(), GooglePatents())).source.name == "google-patents"


# --- JSON -------------------------------------------------------------------------------------


def test_a_syntax_error_in_record_2_of_10_quarantines_only_record_2() -> None:
    data = shared_path(*GOOGLE).read_bytes().replace(
        b'"publication_number": "US-9478535-B2"', b'"publication_number" "US-9478535-B2"')
    parsed = read_bytes(GooglePatents(), data)
    assert counts(parsed) == {"stored": 9, "quarantined": 1}
    bad = parsed[1].quarantined
    assert (bad.index, bad.line) == (1, 36)
    assert bad.reason == "record 1: not valid JSON at line 37, column 26: Expecting ':' delimiter"


def test_an_unbalanced_quote_in_record_2_resynchronises_at_record_3() -> None:
    data = shared_path(*GOOGLE).read_bytes().replace(b'"US-9478535-B2"', b'"US-9478535-B2')
    parsed = read_bytes(GooglePatents(), data)
    assert counts(parsed) == {"stored": 9, "quarantined": 1}
    assert parsed[1].quarantined.line == 36
    assert [p.record.publication.pub_id for p in parsed[2:4]] == ["US-9483948-B1", "US-9485150-B2"]


def test_a_file_cut_inside_record_5_stores_the_four_before_it() -> None:
    data = shared_path(*GOOGLE).read_bytes()
    parsed = read_bytes(GooglePatents(), data[: data.index(b"US-9487825-B2")])
    assert counts(parsed) == {"stored": 4, "quarantined": 1}


def test_invalid_utf8_in_one_json_record_quarantines_that_record_at_its_line() -> None:
    data = shared_path(*GOOGLE).read_bytes().replace(b"Peripheral neural", b"Peripheral \xff neural")
    parsed = read_bytes(GooglePatents(), data)
    assert counts(parsed) == {"stored": 9, "quarantined": 1}
    assert parsed[0].quarantined.reason == "record 0: invalid UTF-8 (byte 0xff) at line 5"


def test_a_record_nested_100k_deep_is_quarantined_in_json_lines_and_the_rest_read() -> None:
    rows = json.loads(shared_path(*GOOGLE).read_text())
    lines = [json.dumps(rows[0]), '{"publication_number": "US-1-B2", "x": ' + DEEP + "}", json.dumps(rows[1])]
    parsed = read_bytes(GooglePatents(), ("\n".join(lines) + "\n").encode())
    assert counts(parsed) == {"stored": 2, "quarantined": 1}
    assert parsed[1].quarantined.reason == "record 1: " + DEPTH_REASON.format(line=2)


def test_a_record_nested_100k_deep_is_quarantined_in_an_array_and_the_rest_read() -> None:
    rows = json.loads(shared_path(*GOOGLE).read_text())
    text = "[" + json.dumps(rows[0]) + ",\n" + DEEP + ",\n" + json.dumps(rows[1]) + "]"
    parsed = read_bytes(GooglePatents(), text.encode())
    assert counts(parsed) == {"stored": 2, "quarantined": 1}
    assert parsed[1].quarantined.reason == "record 1: " + DEPTH_REASON.format(line=2)


@pytest.mark.parametrize(("reader", "sample", "expected"), [
    (UsptoOdpJson(), ("data", "uspto-odp-json", "patent-dev_get_patent.response.json"), "record 0: "),
    (CnipaCpqueryJson(), ("data", "cnipa", "cpquery_sqxx_application_info_response.json"), "response: "),
    (LensJson(), ("data", "lens", "lens-api-patent-response_EP2471949A1.json"), "record 0: "),
])
def test_a_response_nested_100k_deep_is_quarantined_not_a_recursion_error(reader, sample, expected) -> None:
    data = shared_path(*sample).read_bytes()
    brace = data.index(b"{", data.index(b"{") + 1)  # inside the first record
    deep = data[: brace + 1] + b'"deep": ' + DEEP.encode() + b", " + data[brace + 1 :]
    parsed = read_bytes(reader, deep)
    assert counts(parsed) == {"quarantined": 1}
    assert parsed[0].quarantined.reason.startswith(expected + "nested deeper than 256 levels")


# --- CSV / TSV -------------------------------------------------------------------------------


def test_an_unbalanced_quote_in_one_of_20_lens_rows_reads_20_records() -> None:
    rows = _lens_rows(20)
    rows[5] = rows[5].replace(b",https:", b',"https:', 1)  # row 5 (line 6): a quote that never closes
    assert rows[5].count(b'"') == 1
    parsed = read_bytes(LensCsv(), b"".join(rows))
    assert counts(parsed) == {"stored": 19, "quarantined": 1}
    bad = parsed[4].quarantined
    assert (bad.index, bad.line) == (4, 6)
    assert bad.reason == (
        "row 5 (line 6, Lens ID 104-327-916-026-813): line 6: unbalanced quote: a quoted field opened here runs "
        "to line 9 and leaves 17 values for 31 columns; the record is quarantined and reading restarts at the "
        "next line"
    )
    assert [p.quarantined is None for p in parsed[5:]] == [True] * 15


def test_a_quote_left_open_to_the_end_of_the_file_costs_only_its_row() -> None:
    rows = _lens_rows(20)
    rows[19] = rows[19].replace(b",https:", b',"https:', 1)  # row 19; rows 19 and 20 held no quote
    parsed = read_bytes(LensCsv(), b"".join(rows))
    assert counts(parsed) == {"stored": 19, "quarantined": 1}
    assert parsed[18].quarantined.reason.endswith(
        "line 20: unbalanced quote: a quoted field opened here is not closed before the end of the file; "
        "the record is quarantined and reading restarts at the next line")


def test_invalid_utf8_in_one_lens_row_quarantines_that_row_naming_the_column() -> None:
    rows = _lens_rows(20)
    rows[3] = rows[3].replace(b"Jet", b"J\xffet", 1)
    parsed = read_bytes(LensCsv(), b"".join(rows))
    assert counts(parsed) == {"stored": 19, "quarantined": 1}
    assert parsed[2].quarantined.reason == (
        "row 3 (line 4, Lens ID 083-267-671-674-756): line 4: invalid UTF-8 (byte 0xff) in column 'Title'")


def test_a_nul_byte_in_one_patentsview_row_quarantines_that_row_naming_the_column() -> None:
    data = shared_path(*PATENTSVIEW).read_bytes()
    lines = data.splitlines(keepends=True)
    lines[3] = lines[3].replace(b"\t\"", b"\t\"\x00", 1)
    parsed = read_bytes(PatentsViewTsv(), b"".join(lines))
    assert counts(parsed) == {"stored": 8, "quarantined": 1}
    assert parsed[2].quarantined.reason.endswith("line 4: NUL byte in column 'type'")


def test_a_lens_export_of_only_a_header_reads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "header-only.csv"
    path.write_bytes(_lens_rows(0)[0])
    outcome = ingest([path], Warehouse(tmp_path / "wh")).files[0]
    assert (outcome.status, outcome.reader, outcome.read) == ("ingested", "lens-csv", 0)


def test_crlf_and_a_bom_change_nothing_in_a_lens_export() -> None:
    rows = b"".join(_lens_rows(20))
    plain = read_bytes(LensCsv(), rows)
    damaged = read_bytes(LensCsv(), b"\xef\xbb\xbf" + rows.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert [p.record.publication.pub_id for p in damaged] == [p.record.publication.pub_id for p in plain]


# --- XML -------------------------------------------------------------------------------------


def test_garbage_after_the_last_grant_of_a_weekly_file_is_cut_off_with_a_warning() -> None:
    weekly = shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml").read_bytes()
    parsed = read_bytes(UsptoGrantXml(), weekly + b"\n\x00\x01garbage<<{[")
    last_line = weekly.count(b"\n") + 1
    assert counts(parsed) == {"stored": 3}
    assert parsed[2].warnings == [
        f"record 2: 14 bytes after </us-patent-grant> at line {last_line} ignored "
        "(not part of the document)"]


@pytest.mark.parametrize("document", [
    b'<?xml version="1.0"?>\n<!DOCTYPE us-patent-grant SYSTEM "x.dtd" [ ]>\n<!-- a comment cut <us-patent-grant',
    b'<?xml version="1.0"\n<us-patent-grant lang="EN"',
    b'<?xml version="1.0"?>\n<!DOCTYPE us-patent-grant SYSTEM "x.dtd" [ <!ELEMENT x ANY>',
])
def test_a_grant_cut_inside_its_prolog_is_quarantined_at_once(document: bytes) -> None:
    """A declaration or comment that never closes, followed by another ``<``, used to loop forever."""
    parsed = UsptoGrantXml().parse(Unit(0, 7, document), "cut.xml")
    assert parsed.quarantined is not None
    assert (parsed.quarantined.line, parsed.quarantined.reason) == (7, "no root element found")


def test_an_unbalanced_quote_in_one_odp_record_costs_only_that_record() -> None:
    page = json.loads(shared_path("data", "uspto-odp-json", "patent-dev_get_patent.response.json").read_bytes())
    record = json.dumps(page["patentFileWrapperDataBag"][0])
    broken = record.replace('"applicationNumberText": "', '"applicationNumberText": ', 1)
    assert broken != record
    text = '{"count": 3, "patentFileWrapperDataBag": [\n' + ",\n".join([record, broken, record]) + "\n]}"
    parsed = read_bytes(UsptoOdpJson(), text.encode())
    assert counts(parsed) == {"stored": 2, "quarantined": 1}
    assert (parsed[1].quarantined.index, parsed[1].quarantined.line) == (1, 3)
