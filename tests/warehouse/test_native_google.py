"""Google Patents JSON Lines through the native path (Arrow's JSON reader + kernels) store exactly
what the per-row reader stores: every warehouse table row for row and the log's counts, on the
real sample's rows and on copies edited into the corners the mapping must either reproduce or hand
to the reader's own parse (a damaged line quarantined with its line number and reason).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.conftest import shared_path
from tests.warehouse.test_native_tabular import _both_ways, _log, _tables

SAMPLE = ("data", "google-patents-bigquery", "publications_sample_10rows.json")


def _records() -> list[dict]:
    return json.loads(shared_path(*SAMPLE).read_text(encoding="utf-8"))


def _lines(records: list) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def _corners(root: Path) -> list[Path]:
    """The real rows as JSON Lines, then edited into corners (each file a different kind)."""
    root.mkdir()
    real = _records()
    edited = copy.deepcopy(real)
    edited[0]["title_localized"] = [{"text": "Titre  &amp; essai", "language": "FR"},
                                    {"text": "Tête  d&#39;essai ", "language": "en"}]
    edited[1]["assignee_harmonized"].append({"name": edited[1]["inventor_harmonized"][0]["name"],
                                             "country_code": " jp "})
    edited[1]["assignee_harmonized"].insert(0, {"name": "", "country_code": "US"})
    edited[2]["publication_number"] = "EP-0012345-A1"
    edited[2]["publication_date"] = "19650301"  # before 1970: days below zero
    edited[3]["publication_number"] = "US-D0967598-S"
    edited[4]["publication_date"] = "0"  # no publication date: quarantined by the reader
    edited[5]["filing_date"] = "20161332"  # not a date: quarantined
    edited[6]["cpc"] = [{"code": "A61F2/72", "first": True, "inventive": True}]  # left to the reader
    edited[7]["priority_date"] = "20050101"
    edited[8]["title_localized"] = []
    edited[9]["inventor_harmonized"] = None
    files = {
        "real.jsonl": _lines(real),
        "edited.jsonl": _lines(edited),
        # a damaged line 3, a blank line, CRLF line ends, a byte order mark
        "damaged.jsonl": _lines(real[:2]) + b'{"publication_number": "US-1-B2", \n' + _lines(real[2:5]),
        "blank.jsonl": _lines(real[:3]) + b"\n  \n" + _lines(real[3:]),
        "crlf.jsonl": _lines(real).replace(b"\n", b"\r\n"),
        "bom.jsonl": b"\xef\xbb\xbf" + _lines(real),
        "bad_utf8.jsonl": _lines(real[:3]) + _lines(real[3:5]).replace(b"CISCO", b"C\xffSCO") + _lines(real[5:]),
        "deep.jsonl": _lines(real[:1]) + b'{"publication_number": "US-2-B2", "x": ' + b"[" * 300 + b"]" * 300
        + b"}\n" + _lines(real[1:]),
        "two_on_a_line.jsonl": _lines(real[:2]) + _lines(real[2:4]).replace(b"}\n", b"}", 1) + _lines(real[4:]),
    }
    paths = []
    for name, data in files.items():
        (root / name).write_bytes(data)
        paths.append(root / name)
    return paths


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    native, rows, kept = _both_ways(_corners(tmp_path_factory.mktemp("google") / "in"),
                                    tmp_path_factory.mktemp("google-wh"))
    return _tables(native), _tables(rows), _log(native), _log(rows), kept


def test_every_json_lines_file_stays_on_the_native_path(both_ways):
    assert both_ways[4] == [True] * 9


def test_every_table_is_the_same_both_ways(both_ways):
    native, rows = both_ways[0], both_ways[1]
    assert native.keys() == rows.keys()
    for table in native:
        if native[table] and "source_file" not in native[table][0]:  # parts of several files: any order
            assert sorted(map(repr, native[table])) == sorted(map(repr, rows[table])), table
        else:
            assert native[table] == rows[table], table


def test_the_log_counts_and_hashes_are_the_same_both_ways(both_ways):
    assert both_ways[2] == both_ways[3]


def test_the_real_rows_store_ten_publications_with_their_parties(both_ways):
    publications = [p for p in both_ways[0]["publications"] if p["source_file"].endswith("real.jsonl")]
    assert [p["record_index"] for p in publications] == list(range(10))
    first = publications[0]
    assert (first["pub_id"], first["doc_type"], str(first["pub_date"]), first["language"]) == (
        "US-9474634-B2", "invention_grant", "2016-10-25", "en")
    parties = [p for p in both_ways[0]["parties"] if p["record_index"] == 0 and p["pub_id"] == "US-9474634-B2"]
    assert [(p["role"], p["sequence"], p["name"]) for p in parties][:2] == [
        ("assignee", 1, "MASSACHUSETTS INST TECHNOLOGY"), ("inventor", 1, "HERR HUGH M")]


def test_a_damaged_line_is_quarantined_with_its_line_number(both_ways):
    quarantined = [q for q in both_ways[0]["quarantine"] if q["source_file"].endswith("damaged.jsonl")]
    assert [(q["record_index"], q["line"]) for q in quarantined] == [(2, 3)]
    entry = next(e for e in both_ways[2] if e[0].endswith("damaged.jsonl"))
    assert entry[5:9] == (6, 5, 1, 0)  # read, stored, quarantined, skipped


def test_two_objects_on_one_line_are_one_damaged_record(both_ways):
    quarantined = [q for q in both_ways[0]["quarantine"] if q["source_file"].endswith("two_on_a_line.jsonl")]
    assert [(q["record_index"], q["line"]) for q in quarantined] == [(2, 3)]


def test_invalid_utf8_and_too_deep_lines_are_quarantined_with_the_readers_reason(both_ways):
    quarantine = both_ways[0]["quarantine"]
    bad = [(q["record_index"], q["line"], q["reason"]) for q in quarantine if q["source_file"].endswith("utf8.jsonl")]
    deep = [(q["record_index"], q["line"], q["reason"]) for q in quarantine if q["source_file"].endswith("deep.jsonl")]
    assert [b[:2] for b in bad] == [(3, 4)] and [d[:2] for d in deep] == [(1, 2)]
    assert "nested deeper than 256 levels" in deep[0][2] and "invalid UTF-8 (byte 0xff)" in bad[0][2]


def test_the_edited_rows_quarantine_the_missing_and_the_bad_date(both_ways):
    quarantined = [q for q in both_ways[0]["quarantine"] if q["source_file"].endswith("edited.jsonl")]
    assert [(q["record_index"], q["line"]) for q in quarantined] == [(4, 5), (5, 6)]
    assert "publication_date: missing" in quarantined[0]["reason"]


def test_blocks_cut_anywhere_number_records_and_lines_as_the_per_row_reader(tmp_path):
    import io

    import numpy as np

    from patentreach.sources.google_patents.json_records import json_units
    from patentreach.sources.google_patents.jsonl_blocks import blocks
    from patentreach.sources.google_patents.native_jsonl import _schema

    real = _records()
    data = _lines(real[:3]) + b"\n  \r\n" + _lines(real[3:6]).replace(b"\n", b"\r\n") + b"{broken\n" + _lines(real[6:])
    path = tmp_path / "cut.jsonl"
    path.write_bytes(data.rstrip(b"\n"))  # the last line without its line end
    expected = [(u.index, u.line, u.data) for u in json_units(io.BytesIO(path.read_bytes()))]
    for size in (700, 4096, 1 << 20):
        got = [(u.index, u.line, u.data) for b in blocks(path, _schema(), block_bytes=size)
               for u in b.units(np.arange(b.count))]
        assert got == expected, size
