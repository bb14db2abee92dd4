"""The native tabular path (Arrow CSV reader + SQL mapping) stores exactly what the per-row readers
store: every warehouse table, row for row, and the ingest log's counts, for every real sample of
the sources it covers, and for damaged copies of them (which it hands back to the per-row reader).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patentreach.sources import limits
from patentreach.sources.native_tables import PY_SPACE
from patentreach.warehouse import Warehouse, native_ingest
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.ingest_log import read_entries, read_failures
from patentreach.warehouse.part_writer import ALL_TABLES
from tests.conftest import shared_path

PATENTSVIEW = ("data", "patentsview-tsv", "legacy")
NATIVE_SAMPLES = [
    (*PATENTSVIEW, "patent.truncated10.tsv"),
    (*PATENTSVIEW, "uspatentcitation.truncated10.tsv"),
    (*PATENTSVIEW, "assignee.tuhh-reduced.subset.tsv"),
]


def _tables(warehouse: Warehouse) -> dict[str, list[dict]]:
    """Every table's rows by file and record (in stored order within a record), without the
    per-run ingest id (the parts' names, random ids, do not order the files the same way twice)."""
    out = {}
    for table in ALL_TABLES:
        folder = warehouse.table_dir(table)
        parts = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
        rows = [row for part in parts for row in pq.read_table(part).to_pylist()]
        rows.sort(key=lambda r: (r.get("source_file") or "", r.get("record_index") or 0))  # stable: stored order
        out[table] = [{k: v for k, v in row.items() if k != "ingest_id"} for row in rows]
    return out


def _log(warehouse: Warehouse) -> list[tuple]:
    keys = ("path", "size", "sha256", "reader", "reader_version", "read", "stored", "quarantined", "skipped",
            "warnings")
    return sorted(tuple(e[k] for k in keys) for e in read_entries(warehouse))


def _native_spy(kept: list[bool]):
    """``native_ingest.try_native`` that also appends to ``kept`` whether the native path kept
    the file (True) or handed it back to the per-row reader."""
    original = native_ingest.try_native

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        kept.append(result is not None)
        return result

    return spy


def _both_ways(paths: list[Path], root: Path) -> tuple[Warehouse, Warehouse, list[bool]]:
    """Ingest with the native path and with the per-row readers only; also which files the native
    path kept (True) rather than handing back."""
    kept: list[bool] = []
    native, rows = Warehouse(root / "native"), Warehouse(root / "rows")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(native_ingest, "try_native", _native_spy(kept))
        ingest(paths, native)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(native_ingest, "try_native", lambda *args, **kwargs: None)
        ingest(paths, rows)
    return native, rows, kept


@pytest.fixture(scope="module")
def samples_both_ways(tmp_path_factory) -> tuple[Warehouse, Warehouse, list[bool]]:
    paths = [shared_path(*parts) for parts in NATIVE_SAMPLES]
    return _both_ways(paths, tmp_path_factory.mktemp("native"))


def test_every_sample_is_read_by_the_native_path(samples_both_ways):
    assert samples_both_ways[2] == [True, True, True]


def test_native_path_stores_the_same_rows_as_the_per_row_readers(samples_both_ways):
    native, rows, _ = samples_both_ways
    stored = _tables(native)
    assert stored == _tables(rows)
    assert len(stored["publications"]) == 9  # patent.truncated10.tsv: header and nine grants, none withdrawn


def test_native_path_logs_the_same_counts_and_hashes(samples_both_ways):
    native, rows, _ = samples_both_ways
    assert _log(native) == _log(rows)
    counts = {Path(e[0]).name: e[5:9] for e in _log(native)}
    assert counts == {
        "patent.truncated10.tsv": (9, 9, 0, 0),
        "uspatentcitation.truncated10.tsv": (9, 0, 0, 9),
        "assignee.tuhh-reduced.subset.tsv": (10499, 0, 0, 10499),
    }


def test_legacy_patent_publication_row_is_mapped_value_for_value(samples_both_ways):
    first = _tables(samples_both_ways[0])["publications"][0]
    assert first["pub_id"] == "US-10000000-B2"
    assert (first["office"], first["number"], first["kind"], first["doc_type"]) == (
        "US", "10000000", "B2", "invention_grant")
    assert str(first["pub_date"]) == "2018-06-19"
    assert first["title"] == "Coherent LADAR using intra-pixel quadrature detection"
    assert (first["language"], first["route"], first["record_index"]) == ("en", "direct", 0)


def _damaged(root: Path) -> list[Path]:
    """Copies of the legacy patent sample: withdrawn and zero-padded rows the SQL decides, and
    rows only the per-row reader can judge (bad date, wrong column count, invalid UTF-8, lone CR)."""
    lines = shared_path(*NATIVE_SAMPLES[0]).read_bytes().split(b"\n")
    root.mkdir()

    def variant(name: str, edit) -> Path:
        copy = list(lines)
        edit(copy)
        path = root / name
        path.write_bytes(b"\n".join(copy))
        return path

    def cell(copy: list[bytes], row: int, column: int, value: bytes) -> None:
        fields = copy[row].split(b"\t")
        fields[column] = value
        copy[row] = b"\t".join(fields)

    return [
        variant("withdrawn.tsv", lambda c: (cell(c, 2, 10, b"1"), cell(c, 3, 2, b'" 0000123 "'),
                                            cell(c, 4, 6, b'"  Spaced\xc2\xa0 \xe2\x80\x83title "'),
                                            cell(c, 5, 3, b'""'))),
        variant("bad-date.tsv", lambda c: cell(c, 3, 4, b'"2018-02-30"')),
        variant("short-row.tsv", lambda c: c.__setitem__(5, c[5].rsplit(b"\t", 1)[0])),
        variant("bad-utf8.tsv", lambda c: cell(c, 6, 6, b'"caf\xe9"')),
        variant("lone-cr.tsv", lambda c: cell(c, 7, 6, b'"one\rtwo"')),
    ]


def test_damaged_copies_give_the_same_rows_quarantine_and_counts(tmp_path):
    native, rows, kept = _both_ways(_damaged(tmp_path / "in"), tmp_path)
    assert sorted(kept) == [False, False, False, False, True]  # only withdrawn.tsv stays native
    assert _tables(native) == _tables(rows)
    assert _log(native) == _log(rows)
    withdrawn = {Path(e[0]).name: e[5:9] for e in _log(native)}["withdrawn.tsv"]
    assert withdrawn == (9, 8, 0, 1)
    pub_ids = [r["pub_id"] for r in _tables(native)["publications"] if r["source_file"].endswith("withdrawn.tsv")]
    assert "US-123-B2" in pub_ids
    assert len(_tables(native)["quarantine"]) == 3


def test_reingesting_natively_never_duplicates(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    path = shared_path(*NATIVE_SAMPLES[0])
    ingest([path], warehouse)
    again = ingest([path], warehouse)
    assert [f.status for f in again.files] == ["already-ingested"]
    assert len(_tables(warehouse)["publications"]) == 9


def test_python_whitespace_class_matches_str_isspace():
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    pattern = re.compile(re.sub(r"\\x\{([0-9a-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08x}", PY_SPACE))
    matched = {chr(c) for c in range(sys.maxunicode + 1) if pattern.fullmatch(chr(c))}
    assert matched == spaces


def test_a_file_over_max_records_fails_in_the_same_one_line_both_ways(tmp_path):
    path = shared_path(*NATIVE_SAMPLES[0])
    limits.configure(limits.Limits(max_records_per_file=3))
    try:
        native, rows, _ = _both_ways([path], tmp_path)
    finally:
        limits.configure(limits.Limits())
    errors = [[f["error"] for f in read_failures(w)] for w in (native, rows)]
    assert errors[0] == errors[1] == [
        f"{path}: more than 3 records: over the limit max_records_per_file=3"
        " (lift it with --limit max_records_per_file=N)"
    ]
    assert _log(native) == _log(rows) == []


G_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "patentsview_g"


def test_g_patent_folder_gives_the_same_tables_as_the_per_row_reader(tmp_path):
    native, rows, kept = _both_ways([G_FIXTURES], tmp_path)
    assert kept == [True] * 8  # g_patent joined natively, the seven siblings skipped natively
    stored = _tables(native)
    assert stored == _tables(rows)
    assert _log(native) == _log(rows)
    assert [r["pub_id"] for r in stored["publications"]] == ["US-11000001-B2", "US-11000002-B1", "US-D920001-S1"]
    counts = (len(stored["parties"]), len(stored["classifications"]), len(stored["priorities"]))
    assert counts == (8, 7, 1)  # the sibling files' rows: 4 assignees + 4 inventors, 3 IPC + 4 CPC, 1 priority


def test_g_patent_without_siblings_keeps_the_readers_warning(tmp_path):
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "g_patent.tsv").write_bytes((G_FIXTURES / "g_patent.tsv").read_bytes())
    native, rows, kept = _both_ways([alone / "g_patent.tsv"], tmp_path)
    assert kept == [True]
    assert _tables(native) == _tables(rows)
    assert _log(native) == _log(rows)
    (warning,) = _tables(native)["ingest_warnings"]
    assert warning["message"].startswith("g_patent: sibling tables not found beside it: g_application")


def _write_tsv(path: Path, header: str, rows: list[list[str]]) -> None:
    quoted = ["\t".join(f'"{v}"' for v in row) for row in [header.split(), *rows]]
    path.write_text("\n".join(quoted) + "\n", encoding="utf-8")


def _g_folder(root: Path, cpc_code: str = "F01D 5/187", filing: str = "  ") -> Path:
    """A g_* folder exercising the mapping's corners: a withdrawn first row, zero padding, odd
    whitespace, sequence and type codes, IPC first position given late, unknown countries."""
    root.mkdir()
    _write_tsv(root / "g_patent.tsv", "patent_id patent_type patent_date patent_title wipo_kind num_claims withdrawn", [
        ["11000010", "utility", "2021-05-04", "Withdrawn", "B2", "3", "1"],
        ["011000011", "utility", " 2021-05-11 ", "  Two  spaces\u00a0title ", " b2 ", "3", "0.0"],
        ["11000012", "utility", "2021-05-11", "", "B1", "3", ""],
        ["11000013", "utility", "2021-05-18T00:00", "Late first", "B2", "3", "0"],
        ["11000014", "utility", "2021-05-18", "No siblings", "B2", "3", "0"],
    ])
    _write_tsv(root / "g_application.tsv", "application_id patent_id patent_application_type filing_date", [
        [" 16500011 ", "011000011", "16", "2019-04-03"], ["16500012", "11000012", "16", filing],
        ["", "11000013", "16", ""],
    ])
    _write_tsv(root / "g_assignee_disambiguated.tsv",
               "patent_id assignee_sequence assignee_id disambig_assignee_individual_name_first "
               "disambig_assignee_individual_name_last disambig_assignee_organization assignee_type location_id", [
        ["11000012", "x", " id-1 ", " ", "Solo", "", "02.0", "loc-a"],
        ["11000012", "3", "", "", "", "", "4", "loc-b"],
        ["11000012", "4", "id-3", "", "", "  Example  Org ", ".0", "loc-c"],
        ["11000013", "0", "id-4", "", "", "Example Ltd", "000", "nowhere"],
    ])
    _write_tsv(root / "g_inventor_disambiguated.tsv",
               "patent_id inventor_sequence inventor_id disambig_inventor_name_first disambig_inventor_name_last "
               "location_id", [["011000011", "1", "inv-1", "Anna", " Beispiel ", "loc-a"],
                               ["011000011", "0", "inv-2", "Bob", "", "loc-b"]])
    _write_tsv(root / "g_location_disambiguated.tsv", "location_id disambig_city disambig_state disambig_country", [
        ["loc-a", " Munich ", "", "Germany"], ["loc-b", "Springfield", "IL", "Atlantis"], ["loc-c", "", "", " us "],
    ])
    _write_tsv(root / "g_ipc_at_issue.tsv",
               "patent_id ipc_sequence section ipc_class subclass main_group subgroup symbol_position "
               "classification_value", [
        ["11000013", "0", "F", "1", "D", "005", "", "L", "I"],
        ["11000013", "1", "F", "02", "C", "7", "18", "F", "A"],
        ["11000013", "2", "H", "01", "M", "4", "04", "F", "I"],
    ])
    _write_tsv(root / "g_cpc_current.tsv", "patent_id cpc_sequence cpc_group cpc_type", [
        ["11000013", "0", "Y02T50/60", "additional"], ["11000013", "1", cpc_code, "INVENTIVE"],
        ["11000013", "2", "H01M4/366", ""],
    ])
    _write_tsv(root / "g_foreign_priority.tsv",
               "patent_id priority_claim_sequence foreign_application_id filing_date foreign_country_filed", [
        ["11000013", "1", " 2018-001 ", " ", " de "], ["11000013", "0", "", "2017-01-02", ""],
        ["011000011", "0", "JP-1", "2019-01-01", "JP"],
    ])
    return root


def test_g_patent_corners_give_the_same_tables_natively(tmp_path):
    native, rows, kept = _both_ways([_g_folder(tmp_path / "g")], tmp_path)
    assert kept == [True] * 8
    stored = _tables(native)
    assert stored == _tables(rows)
    assert _log(native) == _log(rows)
    assert [r["pub_id"] for r in stored["publications"]] == [
        "US-11000011-B2", "US-11000012-B1", "US-11000013-B2", "US-11000014-B2"]
    assert stored["publications"][0]["title"] == "Two spaces title"


def test_g_patent_rows_to_quarantine_send_the_file_to_the_per_row_reader(tmp_path):
    for name, options in {"bad-cpc": {"cpc_code": "not a symbol"}, "bad-filing": {"filing": "2019-02-30"}}.items():
        native, rows, kept = _both_ways([_g_folder(tmp_path / name, **options)], tmp_path / f"{name}-out")
        assert kept.count(False) == 1  # g_patent.tsv goes back to the per-row reader, its siblings do not
        assert _tables(native) == _tables(rows)
        assert _log(native) == _log(rows)
        assert len(_tables(native)["quarantine"]) == 1


def test_sql_strip_and_collapse_match_python_on_every_whitespace_character():
    import duckdb

    from patentreach.sources.native_tables import py_collapse, py_strip

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    values = ["", "a", " a ", "a  b", *(f"{w}x{w}y {w}" for w in spaces), *(w * 2 for w in spaces), "\u200bzero"]
    con = duckdb.connect()
    got = con.execute(f"SELECT {py_strip('v')}, {py_collapse('v')} "
                      "FROM (SELECT unnest(?) AS v, generate_subscripts(?, 1) AS i) ORDER BY i",
                      [values, values]).fetchall()
    assert got == [(v.strip(), " ".join(v.split())) for v in values]


def _append_tsv(path: Path, rows: list[list[str]]) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join("\t".join(f'"{v}"' for v in row) + "\n" for row in rows))


def _load_bench_layout():
    """bench/patentsview_layout.py (the bench's synthetic g_* tables), imported from its file."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "bench" / "patentsview_layout.py"
    spec = importlib.util.spec_from_file_location("patentsview_layout", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_g_patent_bench_layout_gives_the_same_tables_natively(tmp_path):
    """The bench's layout (sequences numbered 0, 1, 2, ... as PatentsView numbers them, so no
    window ranks them) at 300 patents."""
    folder = _load_bench_layout().write_g_folder(tmp_path / "g", 300)
    native, rows, kept = _both_ways([folder], tmp_path)
    assert kept == [True] * 8
    stored = _tables(native)
    assert stored == _tables(rows)
    assert _log(native) == _log(rows)
    # per patent 1-2 assignees (a second one every third patent) and 3 inventors, 2 IPC + 4 CPC,
    # a priority every third patent
    assert len(stored["publications"]) == 300
    assert len(stored["parties"]) == 300 * 3 + 300 + 100
    assert len(stored["classifications"]) == 300 * 6
    assert len(stored["priorities"]) == 100
    first = [r for r in stored["classifications"] if r["record_index"] == 0]
    assert [(r["scheme"], r["position"], r["sequence"]) for r in first] == [
        ("IPC", "first", 0), ("IPC", "additional", 1), ("CPC", "first", 2), ("CPC", "additional", 3),
        ("CPC", "additional", 4), ("CPC", "additional", 5)]


def test_g_patent_read_in_several_batches_gives_the_same_tables(tmp_path, monkeypatch):
    """Blocks of 300 bytes: each g_patent batch joins the siblings staged once (and ordered by
    patent id at the second batch), record indexes run on, the warning stays on record 0."""
    monkeypatch.setattr(native_ingest, "BLOCK_BYTES", 300)
    folder = _g_folder(tmp_path / "g")
    (folder / "g_location_disambiguated.tsv").unlink()
    native, rows, kept = _both_ways([folder], tmp_path)
    assert kept == [True] * 7
    stored = _tables(native)
    assert stored == _tables(rows)
    assert _log(native) == _log(rows)
    assert [r["record_index"] for r in stored["publications"]] == [1, 2, 3, 4]
    assert [w["record_index"] for w in stored["ingest_warnings"]] == []  # record 0 is withdrawn, never stored


def test_g_patent_irregular_sequence_numbers_are_ranked_like_the_per_row_reader(tmp_path):
    """Sequences with gaps, no zero, text or nothing: ranked by a window, not number + 1."""
    folder = _g_folder(tmp_path / "g")
    _append_tsv(folder / "g_inventor_disambiguated.tsv", [["11000014", "7", "inv-7", "Gap", "Seven", "loc-a"],
                                                         ["11000014", "2", "inv-2b", "Gap", "Two", "loc-b"],
                                                         ["11000014", "", "inv-x", "No", "Number", "loc-c"]])
    _append_tsv(folder / "g_ipc_at_issue.tsv", [["11000014", "5", "H", "01", "M", "4", "04", "L", "A"],
                                                ["11000014", "3", "F", "01", "D", "5", "18", "F", "I"]])
    _append_tsv(folder / "g_cpc_current.tsv", [["11000014", "9", "F01D5/187", "additional"],
                                               ["11000014", "4", "Y02T50/60", "inventive"]])
    _append_tsv(folder / "g_foreign_priority.tsv", [["11000014", "3", "EP-3", "2019-03-03", "EP"],
                                                    ["11000014", "1", "EP-1", "2019-01-01", "EP"]])
    native, rows, kept = _both_ways([folder], tmp_path)
    assert kept == [True] * 8
    stored = _tables(native)
    assert stored == _tables(rows)
    assert _log(native) == _log(rows)
    last = [r for r in stored["parties"] if r["pub_id"] == "US-11000014-B2"]
    assert [(r["name"], r["sequence"]) for r in last] == [("Gap Two", 3), ("Gap Seven", 8), ("No Number", 3)]
    classes = [r for r in stored["classifications"] if r["pub_id"] == "US-11000014-B2"]
    assert [(r["symbol"], r["position"], r["sequence"]) for r in classes] == [
        ("F01D 5/18", "first", 0), ("H01M 4/04", "additional", 1), ("Y02T 50/60", "first", 2),
        ("F01D 5/187", "additional", 3)]
    priorities = [r for r in stored["priorities"] if r["pub_id"] == "US-11000014-B2"]
    assert [(r["number"], r["sequence"]) for r in priorities] == [("EP-1", 0), ("EP-3", 1)]


def test_sibling_values_the_sql_does_not_decide_send_their_g_patent_to_the_per_row_reader(tmp_path):
    cases = {
        "bad-priority-date": ("g_foreign_priority.tsv", ["11000014", "0", "P-1", "2019-13-01", "DE"]),  # quarantined
        "office-sharp-s": ("g_foreign_priority.tsv", ["11000014", "0", "P-1", "2019-01-01", "\u00df"]),  # upper(): SS
        "arabic-digit": ("g_assignee_disambiguated.tsv",
                         ["11000014", "\u0661", "id-9", "", "", "Digit Org", "2", "loc-a"]),  # int() reads it
        "ipc-no-section": ("g_ipc_at_issue.tsv", ["11000014", "0", "", "01", "D", "5", "18", "F", "I"]),  # quarantined
    }
    folders = []
    for n, (name, (table, row)) in enumerate(cases.items()):
        folders.append(_g_folder(tmp_path / name))
        _append_tsv(folders[-1] / table, [row])
        # a g_patent.tsv of its own (the same bytes twice would be ingested once)
        _append_tsv(folders[-1] / "g_patent.tsv", [[f"1100009{n}", "utility", "2021-06-01", name, "B2", "1", "0"]])
    native, rows, kept = _both_ways(folders, tmp_path)
    assert kept.count(False) == 4  # each folder's g_patent.tsv; their siblings stay native
    assert _tables(native) == _tables(rows)
    assert _log(native) == _log(rows)
    assert len(_tables(native)["quarantine"]) == 2
    digit = [r for r in _tables(native)["parties"] if r["name"] == "Digit Org"]
    assert [r["sequence"] for r in digit] == [2]  # int("\u0661") + 1


def test_sibling_values_to_judge_on_withdrawn_or_absent_patents_stay_native(tmp_path):
    """The per-row reader never looks at the siblings of a withdrawn patent or of one g_patent
    does not list, so neither does the native path's check."""
    folder = _g_folder(tmp_path / "g")
    _append_tsv(folder / "g_cpc_current.tsv", [["11000010", "0", "not a symbol", "inventive"],
                                               ["99999999", "0", "not a symbol either", "inventive"]])
    _append_tsv(folder / "g_application.tsv", [["16599999", "99999999", "16", "2019-02-30"]])
    native, rows, kept = _both_ways([folder], tmp_path)
    assert kept == [True] * 8
    assert _tables(native) == _tables(rows)
    assert _log(native) == _log(rows)
    assert _tables(native)["quarantine"] == []
