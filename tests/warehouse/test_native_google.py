"""Google Patents JSON Lines through the native path (Arrow's JSON reader + kernels) store exactly
what the per-row reader stores: every warehouse table row for row and the log's counts, on the
real sample's rows and on copies edited into the corners the mapping must either reproduce or hand
to the reader's own parse (a damaged line quarantined with its line number and reason).
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
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
    edited[6]["cpc"] = [{"code": "A61F2/72", "first": True, "inventive": True}]  # JSON booleans
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


def _assert_same_tables(native: dict, rows: dict) -> None:
    """Every table the same both ways: row for row where rows name their file (one file's rows
    in record order), as a multiset where they do not (parts of several files: any order)."""
    assert native.keys() == rows.keys()
    for table in native:
        if native[table] and "source_file" not in native[table][0]:
            assert sorted(map(repr, native[table])) == sorted(map(repr, rows[table])), table
        else:
            assert native[table] == rows[table], table


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    native, rows, kept = _both_ways(_corners(tmp_path_factory.mktemp("google") / "in"),
                                    tmp_path_factory.mktemp("google-wh"))
    return _tables(native), _tables(rows), _log(native), _log(rows), kept


def test_every_json_lines_file_stays_on_the_native_path(both_ways):
    assert both_ways[4] == [True] * 9


def test_every_table_is_the_same_both_ways(both_ways):
    native, rows = both_ways[0], both_ways[1]
    _assert_same_tables(native, rows)


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

    from patentreach.sources.google_patents.arrow_schema import read_block
    from patentreach.sources.google_patents.json_records import json_units
    from patentreach.sources.google_patents.jsonl_blocks import blocks

    real = _records()
    data = _lines(real[:3]) + b"\n  \r\n" + _lines(real[3:6]).replace(b"\n", b"\r\n") + b"{broken\n" + _lines(real[6:])
    path = tmp_path / "cut.jsonl"
    path.write_bytes(data.rstrip(b"\n"))  # the last line without its line end
    expected = [(u.index, u.line, u.data) for u in json_units(io.BytesIO(path.read_bytes()))]
    for size in (700, 4096, 1 << 20):
        got = [(u.index, u.line, u.data) for b in blocks(path, read_block, block_bytes=size)
               for u in b.units(np.arange(b.count))]
        assert got == expected, size


# ---- full BigQuery exports: the list columns (ipc, cpc, priority_claim) and the flags ----

def _as_numbers(rows: list[dict]) -> list[dict]:
    """Dates as JSON numbers (as the client library gives them), the claims' too."""
    out = copy.deepcopy(rows)
    for row in out:
        for column in ("publication_date", "filing_date", "priority_date", "grant_date"):
            row[column] = int(row[column])
        for claim in row["priority_claim"]:
            claim["filing_date"] = int(claim["filing_date"])
    return out


def _list_corners(root: Path) -> list[Path]:
    """BigQuery-shaped rows (``google_bigquery_rows``) and copies edited into the corners of the
    list columns and flags: null, empty and nested-null lists, unreadable symbols, claims the
    reader skips, keeps or quarantines for, cross-checks that disagree, and blocks Arrow cannot
    read (a string where a list holds objects, flags spelled two ways)."""
    from tests.warehouse.google_bigquery_rows import bigquery_rows, json_lines

    root.mkdir()
    rows = bigquery_rows()
    e = copy.deepcopy(rows) + copy.deepcopy(rows[:6])
    for n, row in enumerate(e):  # numbers of their own, so that their rows are told apart from the other files'
        row["publication_number"] = row["publication_number"].replace("-9", f"-{80 + n}", 1)
    e[0].update(ipc=None, cpc=[], priority_claim=None,
                title_localized=[None, {"text": "Sans langue", "language": None}])
    e[1]["cpc"].insert(1, None)  # a null entry: quarantined
    e[2]["ipc"][0]["code"] = None  # quarantined
    e[3]["cpc"][1]["code"] = "XYZ"  # not a symbol: quarantined
    e[4]["priority_claim"] = [
        None, {"application_number": None, "filing_date": "0"},
        {"application_number": "12345", "filing_date": "20100101"},
        {"application_number": "WO-2013US012345-W", "filing_date": "20130101"},
        {"application_number": e[4]["application_number"], "filing_date": "2013"},  # its own: skipped, unread
    ]
    e[5]["priority_claim"].append({"application_number": "FR-1450300-A", "filing_date": "20101340"})  # quarantined
    e[6].update(country_code=" us ", kind_code="b2", application_kind="U")
    e[7]["country_code"] = "EP"  # disagrees: quarantined
    e[8]["kind_code"] = "A1"  # disagrees: quarantined
    e[9].update(grant_date="20991231", pct_number="PCT/US2013/012345", family_id="-1", application_kind=" f ")
    e[10]["grant_date"] = "2016"  # quarantined
    e[11].update(family_id=" 0 ", ipc=[{"code": "G06F3/01", "first": None, "inventive": None},
                                       {"code": " g06f  3/01 ", "first": True, "inventive": True}],
                 cpc=[{"code": "G06F 3/01", "first": False, "inventive": True}])
    e[12].update(application_number=None)  # its own application is then a claim like any other
    e[13].update(publication_number="WO-2015123456-A1", country_code="WO", kind_code="A1",
                 pct_number="PCT/US2015/012345", grant_date="0", application_kind="W")
    e[14].update(application_kind=None, grant_date=None, cpc=[{"code": "Y02E10/50"}, {"code": "h01l 29/786"}])
    e[15].update(priority_claim=[], ipc=[])
    wrong = [copy.deepcopy(r) for r in rows[5:] + rows * 4]  # pub_ids at other record indexes than elsewhere
    wrong[25]["cpc"] = ["A61F2/72", "Y02E10/50"]  # strings where objects are: Arrow fails the run it is in
    wrong[26]["priority_claim"] = ["US-1-A"]
    files = {
        "bigquery.jsonl": json_lines(rows),
        "console.jsonl": json_lines(bigquery_rows(booleans_as_text=True)),
        "numbers.jsonl": json_lines(_as_numbers(rows)),
        "lists.jsonl": json_lines(e),
        "wrong_types.jsonl": json_lines(wrong),
        "mixed_flags.jsonl": json_lines(rows[:5] + bigquery_rows(booleans_as_text=True)[5:]),
        # keys the reader does not read, spelled the other way, come first: the guess is wrong, Arrow says so
        "guessed.jsonl": json_lines([{"note": {"first": "a", "filing_date": 1}, **rows[0]}, *rows[1:]]),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    return [root / name for name in files]


def _counting_parse_rows(handed: dict[str, int]):
    """``native_ingest._parse_rows`` that also counts, per file name, the rows handed to the
    reader's own ``parse``."""
    from patentreach.warehouse import native_ingest

    original = native_ingest._parse_rows

    def spy(source, units, label, ingest_id):
        handed[Path(label).name] = handed.get(Path(label).name, 0) + len(units)
        return original(source, units, label, ingest_id)

    return spy


@pytest.fixture(scope="module")
def lists_both_ways(tmp_path_factory):
    """(native tables, per-row tables, native log, per-row log, files kept native, rows each file
    handed to the reader's parse)."""
    from patentreach.warehouse import native_ingest

    handed: dict[str, int] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(native_ingest, "_parse_rows", _counting_parse_rows(handed))
        native, rows, kept = _both_ways(_list_corners(tmp_path_factory.mktemp("bigquery") / "in"),
                                        tmp_path_factory.mktemp("bigquery-wh"))
    return _tables(native), _tables(rows), _log(native), _log(rows), kept, handed


def _of(tables: dict, table: str, file: str, record: int) -> list[dict]:
    """A record's rows of a child table (which does not name its file: the files that hold the
    same row hold the same rows, so they are counted once)."""
    pub_ids = {p["pub_id"] for p in tables["publications"] if p["source_file"].endswith(file)
               and p["record_index"] == record}
    rows = [r for r in tables[table] if r["pub_id"] in pub_ids and r["record_index"] == record]
    return list({repr(r): r for r in rows}.values())


def test_bigquery_exports_are_the_same_table_by_table_both_ways(lists_both_ways):
    native, rows = lists_both_ways[0], lists_both_ways[1]
    assert lists_both_ways[4] == [True] * 7
    _assert_same_tables(native, rows)
    assert len(native["classifications"]) > 200 and len(native["priorities"]) > 20


def test_bigquery_exports_log_the_same_counts_both_ways(lists_both_ways):
    assert lists_both_ways[2] == lists_both_ways[3]
    counts = {Path(e[0]).name: e[5:9] for e in lists_both_ways[2]}
    assert counts["lists.jsonl"] == (16, 9, 7, 0)
    assert counts["bigquery.jsonl"] == counts["console.jsonl"] == counts["numbers.jsonl"] == (10, 10, 0, 0)


def test_only_the_rows_the_reader_quarantines_and_unreadable_blocks_go_to_parse(lists_both_ways):
    handed = lists_both_ways[5]
    assert not {"bigquery.jsonl", "console.jsonl", "numbers.jsonl", "guessed.jsonl"} & handed.keys()
    # Arrow reads the flags of mixed_flags.jsonl in two halves; wrong_types.jsonl's run of 45 is
    # halved to the 5 records holding its two bad rows (MIN_RUN 8)
    assert handed == {"lists.jsonl": 7, "wrong_types.jsonl": 5}


def test_the_quarantined_list_rows_name_their_field(lists_both_ways):
    quarantine = [q for q in lists_both_ways[0]["quarantine"] if q["source_file"].endswith("lists.jsonl")]
    assert [q["record_index"] for q in quarantine] == [1, 2, 3, 5, 7, 8, 10]
    reasons = [q["reason"].split(": ", 1)[1] for q in quarantine]
    assert reasons == [
        "cpc: None is not a classification symbol", "ipc: None is not a classification symbol",
        "cpc: 'XYZ' is not a classification symbol",
        "priority_claim filing_date: '20101340' is not a valid date (month must be in 1..12)",
        "country_code: 'EP' disagrees with publication_number 'US'",
        "kind_code: 'A1' disagrees with publication_number 'B2'",
        "grant_date: '2016' is not a YYYYMMDD date",
    ]


def test_classifications_keep_ipc_then_cpc_each_symbol_once_with_its_position(lists_both_ways):
    native = lists_both_ways[0]
    first = [(c["scheme"], c["symbol"], c["position"], c["sequence"])
             for c in _of(native, "classifications", "bigquery.jsonl", 0)]
    assert first == [("IPC", "A61F 2/72", "first", 0), ("IPC", "H01L 29/786", "inventive", 1),
                     ("CPC", "A61F 2/72", "first", 2), ("CPC", "Y02E 10/50", "additional", 3),
                     ("CPC", "H01L 29/7869", "inventive", 4)]
    # the second row lists Y02E10/50 twice in cpc: kept once, as its first entry ("first")
    second = [(c["scheme"], c["symbol"], c["position"]) for c in _of(native, "classifications", "bigquery.jsonl", 1)]
    assert [s for s in second if s[0] == "CPC"] == [("CPC", "Y02E 10/50", "first"),
                                                  ("CPC", "H01L 29/7869", "additional"),
                                                  ("CPC", "G06F 3/011", "inventive")]
    text = [(c["scheme"], c["symbol"], c["position"]) for c in _of(native, "classifications", "console.jsonl", 1)]
    assert text == second  # "true"/"false" read as the booleans are
    spelled = [(c["scheme"], c["symbol"], c["position"]) for c in _of(native, "classifications", "lists.jsonl", 11)]
    assert spelled == [("IPC", "G06F 3/01", "additional"), ("CPC", "G06F 3/01", "inventive")]


def test_priority_claims_leave_out_the_own_application_and_type_each_claim(lists_both_ways):
    native = lists_both_ways[0]
    claims = [(p["office"], p["number"], str(p["date"]), p["kind"], p["sequence"])
              for p in _of(native, "priorities", "bigquery.jsonl", 1)]
    assert claims == [("JP", "2013123456", "2012-08-28", "paris", 0),
                      ("US", "61800001", "2012-03-15", "domestic_continuation", 1)]
    edited = [(p["office"], p["number"], p["date"], p["kind"]) for p in _of(native, "priorities", "lists.jsonl", 4)]
    assert [(o, n, str(d) if d else None, k) for o, n, d, k in edited] == [
        (None, None, None, "domestic_continuation"), (None, None, "2010-01-01", "domestic_continuation"),
        ("WO", "2013US012345", "2013-01-01", "pct")]
    assert [p["number"] for p in _of(native, "priorities", "lists.jsonl", 12)] == ["14001022"]


def test_bigquery_publication_columns_come_from_the_flags(lists_both_ways):
    publications = {(p["source_file"].rsplit("/", 1)[-1], p["record_index"]): p
                    for p in lists_both_ways[0]["publications"]}
    second = publications[("bigquery.jsonl", 1)]
    assert (second["application_number"], second["family_id"], str(second["earliest_priority_date"]),
            second["doc_type"], second["doc_type_rule"], second["route"]) == (
        "14000572", "50000013", "2012-03-15", "invention_grant", "source:google", "direct")
    late = publications[("lists.jsonl", 9)]  # granted after its date, with a PCT number, family -1
    assert (late["doc_type_rule"], late["route"], late["family_id"]) == ("kind_code", "pct", None)
    assert (publications[("lists.jsonl", 6)]["doc_type"], publications[("lists.jsonl", 11)]["family_id"]) == (
        "utility_model", None)
    assert publications[("lists.jsonl", 13)]["route"] == "direct"  # a WO publication is not a PCT entry


@pytest.mark.parametrize("data", [b"plain", "é 中 😀".encode(), b"\xed\xa0\x80", b"\xed\x9f\xbf", b"\xc0\x80",
                                  b"\xe0\x80\x80", b"\xf0\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80",
                                  b"a\xffb", b"\xc3", b"\x80", b""])
def test_arrow_checks_utf8_as_pythons_strict_decoder_does(data):
    from patentreach.sources.google_patents.jsonl_blocks import _valid_utf8

    try:
        data.decode("utf-8")
        python = True
    except UnicodeDecodeError:
        python = False
    assert _valid_utf8(data) is python


def test_a_rule_over_several_columns_runs_once_per_distinct_combination():
    import pyarrow as pa

    from patentreach.sources.google_patents.distinct_rules import per_distinct_rows

    calls = []

    def rule(*values):
        calls.append(values)
        return "|".join(map(str, values))

    office = pa.array(["US", "US", "EP", None, "US", "US|1"])
    kind = pa.array(["B2", "B2", "A1", "B2", None, ""])
    result = per_distinct_rows([office, kind], rule, pa.string())
    assert result.to_pylist() == ["US|B2", "US|B2", "EP|A1", "None|B2", "US|None", "US|1|"]
    assert len(calls) == 5


# ---- Parquet exports (``patentreach fetch google`` writes Parquet by default) ----

def _parquet(path: Path, rows: list[dict], row_group_size: int | None = None, categories: tuple[str, ...] = (),
             **types) -> Path:
    """The rows as one Parquet file (types inferred, or given per column; ``categories``
    dictionary encoded, as pandas writes its categories)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows)
    for name in (*types, *categories):
        column = table.column(name).cast(types[name]) if name in types else table.column(name).dictionary_encode()
        table = table.set_column(table.schema.get_field_index(name), name, column)
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def _parquet_corners(root: Path) -> list[Path]:
    """The real sample, BigQuery-typed rows (INT64 dates, BOOL flags) and text-typed ones, the list
    corners of ``_list_corners`` in row groups of 5, and damaged files: nulls where the reader
    needs a value, empty lists only, columns of another type than the table's, pandas'
    categories, a file cut in half."""
    import pyarrow as pa

    from tests.warehouse.google_bigquery_rows import bigquery_rows

    root.mkdir()
    rows = bigquery_rows()
    corners = [json.loads(line) for line in (_list_corners(root / "jsonl")[3]).read_text("utf-8").splitlines()]
    nulls = copy.deepcopy(rows)
    nulls[1]["publication_number"] = None  # quarantined: no number
    nulls[2]["publication_date"] = None  # quarantined: no date
    nulls[3].update(title_localized=None, assignee_harmonized=None, inventor_harmonized=[None],
                    cpc=None, ipc=[None], priority_claim=[None], family_id=None, kind_code=None)
    nulls[4]["cpc"][0].update(first=None, inventive=None)
    empty = [{**r, "title_localized": [], "assignee_harmonized": [], "inventor_harmonized": [], "ipc": [],
              "cpc": [], "priority_claim": []} for r in rows]
    family_numbers = [{**r, "family_id": int(r["family_id"])} for r in rows]
    cpc_text = [{**r, "cpc": [c["code"] for c in r["cpc"]]} for r in rows]
    dates = ("publication_date", "filing_date", "priority_date", "grant_date")
    return [
        _parquet(root / "real.parquet", _records()),
        _parquet(root / "bigquery.parquet", _as_numbers(rows)),
        _parquet(root / "console.parquet", bigquery_rows(booleans_as_text=True)),
        _parquet(root / "lists.parquet", corners, row_group_size=5),
        _parquet(root / "nulls.parquet", nulls),
        _parquet(root / "empty_lists.parquet", empty),
        _parquet(root / "days.parquet", _as_numbers(rows), **dict.fromkeys(dates, pa.int32())),
        _parquet(root / "family_numbers.parquet", family_numbers),  # INT64 where the table has STRING
        _parquet(root / "cpc_text.parquet", cpc_text),  # a list of strings where the table has records
        _parquet(root / "categories.parquet", _as_numbers(rows), categories=("publication_number", "publication_date")),
        _truncated(root / "truncated.parquet", _parquet(root / "whole.parquet.bin", _as_numbers(rows))),
    ]


def _truncated(path: Path, whole: Path) -> Path:
    """The first half of a Parquet file: its footer is missing."""
    data = whole.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    return path


@pytest.fixture(scope="module")
def parquet_both_ways(tmp_path_factory):
    """(native tables, per-row tables, native log, per-row log, files kept native, rows each file
    handed to the reader's parse), read 4 rows a batch (batches across row groups)."""
    from patentreach.sources.google_patents import native_parquet
    from patentreach.warehouse import native_ingest

    handed: dict[str, int] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(native_ingest, "_parse_rows", _counting_parse_rows(handed))
        patch.setattr(native_parquet, "BATCH_ROWS", 4)
        native, rows, kept = _both_ways(_parquet_corners(tmp_path_factory.mktemp("parquet") / "in"),
                                        tmp_path_factory.mktemp("parquet-wh"))
    return _tables(native), _tables(rows), _log(native), _log(rows), kept, handed


def test_parquet_exports_are_the_same_table_by_table_both_ways(parquet_both_ways):
    native, rows = parquet_both_ways[0], parquet_both_ways[1]
    assert parquet_both_ways[4] == [True] * 10 + [False]  # a truncated file: the reader's own error
    _assert_same_tables(native, rows)
    assert len(native["classifications"]) > 200 and len(native["priorities"]) > 20


def test_parquet_exports_log_the_same_counts_and_hashes_both_ways(parquet_both_ways):
    assert parquet_both_ways[2] == parquet_both_ways[3]
    assert len(parquet_both_ways[2]) == 10  # the truncated file is not logged as ingested either way
    counts = {Path(e[0]).name: e[5:9] for e in parquet_both_ways[2]}
    assert counts["lists.parquet"] == (16, 9, 7, 0)
    assert counts["nulls.parquet"] == (10, 7, 3, 0)  # no number, no date, a null IPC entry
    assert counts["real.parquet"] == counts["bigquery.parquet"] == counts["empty_lists.parquet"] == (10, 10, 0, 0)
    assert counts["categories.parquet"] == (10, 10, 0, 0)


def test_parquet_rows_go_to_parse_only_when_quarantined_or_of_another_type(parquet_both_ways):
    # lists.parquet: the 7 rows the reader quarantines; the two files whose columns have another
    # type than the table's: every row (their batches are the reader's to judge)
    assert parquet_both_ways[5] == {"lists.parquet": 7, "nulls.parquet": 3, "family_numbers.parquet": 10,
                                    "cpc_text.parquet": 10}


def test_parquet_quarantine_numbers_records_as_the_per_row_reader(parquet_both_ways):
    quarantine = parquet_both_ways[0]["quarantine"]
    lists = [(q["record_index"], q["line"]) for q in quarantine if q["source_file"].endswith("lists.parquet")]
    assert lists == [(1, None), (2, None), (3, None), (5, None), (7, None), (8, None), (10, None)]
    nulls = [(q["record_index"], q["reason"]) for q in quarantine if q["source_file"].endswith("nulls.parquet")]
    assert nulls[0] == (1, "record 1: publication_number: None is not OFFICE-NUMBER-KIND")
    assert nulls[1][0] == 2 and "publication_date: missing" in nulls[1][1]
    assert nulls[2] == (3, "US-9485150-B2: ipc: None is not a classification symbol")


def test_parquet_int64_dates_and_booleans_map_as_the_json_export(parquet_both_ways):
    native = parquet_both_ways[0]
    keep = ("pub_id", "doc_type", "pub_date", "application_number", "earliest_priority_date", "family_id")
    by_file = {name: [tuple(p[k] for k in keep) for p in native["publications"]
                      if p["source_file"].endswith(name)]
               for name in ("bigquery.parquet", "console.parquet", "days.parquet")}
    assert by_file["bigquery.parquet"] == by_file["console.parquet"] == by_file["days.parquet"]
    # the sample's second row: published 20161025; its application 14000000 + 37 + 535; claims from 20120315
    assert by_file["bigquery.parquet"][1][:5] == ("US-9478535-B2", "invention_grant", date(2016, 10, 25), "14000572",
                                                  date(2012, 3, 15))
    assert [(c["scheme"], c["symbol"], c["position"]) for c in _of(native, "classifications", "bigquery.parquet", 0)][
        :2] == [("IPC", "A61F 2/72", "first"), ("IPC", "H01L 29/786", "inventive")]


@pytest.mark.parametrize(("column", "values", "kept"), [
    ("publication_date", [20161025], "int64"), ("publication_date", ["20161025"], "string"),
    ("publication_date", [date(2016, 10, 25)], "date32[day]"),
    ("publication_date", [datetime(2016, 10, 25)], None),  # a timestamp: to parse
    ("publication_date", [20161025.0], None), ("family_id", [5], None), ("family_id", [None], "string"),
    ("cpc", [[{"code": "A61F2/72", "first": True}]], "list<item: struct<code: string, inventive: bool, first: bool>>"),
    ("cpc", [[{"code": "A61F2/72", "first": "true", "tree": ["A61F"]}]],
     "list<item: struct<code: string, inventive: bool, first: string>>"),
    ("cpc", [[{"code": "A61F2/72", "first": 1}]], None), ("cpc", [["A61F2/72"]], None),
    ("cpc", [[]], "list<item: struct<code: string, inventive: bool, first: bool>>"),
    ("priority_claim", [[{"filing_date": 20120315}]],
     "list<item: struct<application_number: string, filing_date: int64>>"),
])
def test_parquet_columns_keep_the_types_the_mapping_reads_or_send_the_batch_to_parse(column, values, kept):
    import pyarrow as pa

    from patentreach.sources.google_patents.native_parquet import normalised

    batch = pa.RecordBatch.from_pydict({"publication_number": ["US-9474634-B2"], column: values})
    typed = normalised(batch)
    assert (None if typed is None else str(typed.schema.field(column).type)) == kept
    if typed is not None:
        assert typed.schema.field("kind_code").type == pa.string() and typed.column("kind_code").null_count == 1


def test_a_file_of_many_blocks_mapped_on_two_threads_stores_what_the_reader_stores(tmp_path, monkeypatch):
    from patentreach.sources.google_patents import jsonl_blocks, native_jsonl

    real = _records()
    edited = copy.deepcopy(real)
    edited[4]["publication_date"] = "0"  # quarantined by the reader
    data = b"".join(_lines(real) + _lines(edited) + b'{"publication_number": "US-1-B2", \n' for _ in range(12))
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "many_blocks.jsonl"
    path.write_bytes(data)
    read: list[int] = []

    def counted_blocks(*args, **kwargs):
        for block in jsonl_blocks.blocks(*args, **kwargs):
            read.append(block.count)
            yield block

    monkeypatch.setattr(jsonl_blocks, "BLOCK_BYTES", 16 * 1024)
    monkeypatch.setattr(native_jsonl, "blocks", counted_blocks)
    native, rows, kept = _both_ways([path], tmp_path / "wh")
    assert kept == [True] and len(read) > 4 and native_jsonl.google_jsonl_plan("f", "v").threads == 2
    assert _tables(native) == _tables(rows)
    assert _log(native) == _log(rows)
    quarantined = [q["record_index"] for q in _tables(native)["quarantine"]]
    assert len(quarantined) == 24 and quarantined[:2] == [14, 20]
