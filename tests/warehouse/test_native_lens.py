"""The Lens CSV export through the native path (Arrow CSV reader + DuckDB SQL) stores exactly what the
per-row reader stores: every warehouse table row for row and the log's counts, on the real export
and on copies with the corners the SQL must either reproduce or hand to the reader's own parse.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from patentreach.sources.lens import native_csv
from patentreach.warehouse import Warehouse, native_ingest
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path
from tests.warehouse.test_native_tabular import _both_ways, _log, _native_spy, _tables

LENS = ("data", "lens", "lens-export_patents_jet-engine_2021-03.csv")


def _read_back(native, rows, kept) -> tuple:
    """(native tables, per-row tables, native log, per-row log, kept), read once per module."""
    return _tables(native), _tables(rows), _log(native), _log(rows), kept


@pytest.fixture(scope="module")
def real_both_ways(tmp_path_factory):
    return _read_back(*_both_ways([shared_path(*LENS)], tmp_path_factory.mktemp("lens")))


def test_the_real_export_stays_on_the_native_path(real_both_ways):
    assert real_both_ways[4] == [True]


def test_the_real_export_gives_the_same_tables_both_ways(real_both_ways):
    assert real_both_ways[0] == real_both_ways[1]


def test_the_real_export_logs_the_same_counts_with_its_one_row_quarantined(real_both_ways):
    assert real_both_ways[2] == real_both_ways[3]
    (entry,) = real_both_ways[2]
    assert entry[5:10] == (3779, 3778, 1, 0, 14)  # read, stored, quarantined, skipped, warnings
    (quarantined,) = real_both_ways[0]["quarantine"]
    assert (quarantined["record_index"], quarantined["line"]) == (1950, 1952)
    assert quarantined["reason"].endswith("Lens ID 161-344-980-171-435): Publication Date: missing")


def test_a_real_row_with_owners_is_mapped_value_for_value(real_both_ways):
    tables = real_both_ways[0]
    transfers = tables["transfers"]
    assert len(transfers) == 155 and len(tables["transfer_parties"]) == 155
    first = transfers[0]
    assert first["transfer_id"].startswith("LENS-") and first["transfer_id"].endswith("-OWNER-1")
    assert (first["office"], first["conveyance_type"], first["scope"]) == ("US", "other", "property")


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]], prefix: bytes = b"") -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_bytes(prefix + out.getvalue().encode("utf-8"))
    return path


def _corners(root: Path) -> list[Path]:
    """Real rows edited into the corners: the SQL must reproduce the first file's, and hand the
    rows it cannot decide in the second to the reader (each quarantined with its line)."""
    header, rows = _rows(shared_path(*LENS))
    rows = rows[:60]
    col = {name: header.index(name) for name in header}
    root.mkdir()

    def edit(row: int, **values: str) -> None:
        for name, value in values.items():
            rows[row][col[name.replace("_", " ").replace("Owners US", "Owners (US)")]] = value

    edit(0, Applicants="  Müller,  Jörg ;;ACME Corp;;", Inventors="MÜLLER JÖRG;; ",
         Owners_US="ACME CORP (2012-05-01);;NEWCO LLC (2010-01-02);;UNDATED HOLDER;;ACME CORP (2012-05-01)")
    edit(1, Title="  Multi\nline\u00a0 title  ", US_Classifications="60/39.5 ;;  60 / 770;;;;60/39.5")
    edit(2, IPCR_Classifications="F02K1/30;;F02K 1/30;;B64D27/02", CPC_Classifications=";;Y02T50/60;;F02K1/30")
    edit(3, Kind="a1 ", Jurisdiction=" us", Publication_Number="US 2011/0185700 A1")
    edit(4, Application_Number="US 9504489 W", Jurisdiction="EP", Publication_Number="EP 0702642 A1", Kind="A1",
         Priority_Numbers="US 9504489 W 19950407;;GB 0409664 A 20040430;;EP 0001 A 20000101")
    edit(5, Owners_US="(2001-02-03)", Lens_ID="", Application_Date=" 2001-02-03T00:00 ", Earliest_Priority_Date="")
    edit(6, Type="Granted Patent", Jurisdiction="CN", Kind="U", Publication_Number="CN 2052456 U")
    edit(7, Applicants="BACON, RICHARD J.", Inventors="bacon richard j")
    # values only Python reads right: NBSP as the space of a number, an ISO basic date, doubled
    # spaces in a priority, a design number's letter and zeros, lower-case and tabbed codes
    edit(8, Publication_Number="US\u00a08001762 B2", Jurisdiction="US", Kind="B2", Publication_Date="20110823")
    edit(9, Priority_Numbers="US  83547206 P  20060804;;GB 0409664\u00a0A 20040430", Title="Tab\tin\u2003title")
    edit(17, Publication_Number="US D0967598 S", Jurisdiction="US", Kind="S", Type="Design Right")
    edit(18, IPCR_Classifications="f02k1/30;;F02K  1/30", US_Classifications="60/39.5\t;;\u00a060/770")
    edit(19, Applicants="Straße GmbH;;ǅ", Inventors="STRASSE;;ǅ")
    corners = _write(root / "corners.csv", header, rows, prefix=b"\xef\xbb\xbf")
    judged = [list(r) for r in rows]
    rows[10][col["Publication Date"]] = "2011-02-30"
    rows[11][col["Publication Number"]] = "US\u00a08001762 B2"
    rows[12][col["CPC Classifications"]] = "F02C7/055;;not a symbol"
    rows[13][col["Priority Numbers"]] = "US 83547206 P 2006080"
    rows[14][col["Owners (US)"]] = "ACME (2012-13-01)"
    rows[15][col["Kind"]] = "B1"
    rows[16][col["Title"]] = "two\nlines before the judged rows"
    rows[17][col["Application Date"]] = "0000-01-01"
    judged = _write(root / "judged.csv", header, rows)
    no_owners = _write(root / "no-owners.csv", [h for h in header if h != "Owners (US)"],
                       [[v for h, v in zip(header, r, strict=True) if h != "Owners (US)"] for r in rows[:20]])
    blank = root / "blank-line.csv"
    lines = judged.read_bytes().split(b"\n")
    blank.write_bytes(b"\n".join([*lines[:3], b"", *lines[3:]]))
    return [corners, judged, no_owners, blank]


@pytest.fixture(scope="module")
def corner_files(tmp_path_factory) -> list[Path]:
    return _corners(tmp_path_factory.mktemp("lens-corners") / "in")


@pytest.fixture(scope="module")
def corners_both_ways(corner_files, tmp_path_factory):
    return _read_back(*_both_ways(corner_files, tmp_path_factory.mktemp("lens-corners-both")))


@pytest.fixture(scope="module")
def in_small_batches(corner_files, tmp_path_factory):
    """The real export and the corner files read natively in blocks of 16 KB (the corner files:
    a few rows a batch; the export: about 90 batches), mapped on the plan's two threads."""
    kept: list[bool] = []
    warehouse = Warehouse(tmp_path_factory.mktemp("lens-small-batches"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(native_ingest, "try_native", _native_spy(kept))
        patch.setattr(native_csv, "block_bytes", lambda size: 16384)
        ingest([shared_path(*LENS), *corner_files], warehouse)
    return _tables(warehouse), _log(warehouse), kept


def _every_row(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Each table's rows in a fixed order whatever the files' order (child tables name no file)."""
    return {table: sorted(rows, key=repr) for table, rows in tables.items()}


def test_corner_rows_give_the_same_tables_and_counts_both_ways(corners_both_ways):
    assert _every_row(corners_both_ways[0]) == _every_row(corners_both_ways[1])
    assert corners_both_ways[2] == corners_both_ways[3]


def test_rows_to_judge_stay_native_unless_a_blank_line_shifts_their_lines(corners_both_ways):
    kept = corners_both_ways[4]
    by_name = {Path(e[0]).name: e[5:9] for e in corners_both_ways[2]}
    assert by_name["judged.csv"] == (60, 53, 7, 0)
    assert by_name["corners.csv"] == (60, 60, 0, 0)
    assert kept == [True, True, True, False]  # blank-line.csv: its rows to judge need the reader's lines


def test_judged_rows_are_quarantined_with_their_own_lines(corners_both_ways):
    quarantine = [q for q in corners_both_ways[0]["quarantine"] if q["source_file"].endswith("judged.csv")]
    # row 1's title spans two lines: rows 10-15 start on lines 13-18; row 16's too: row 17 on 21
    assert [(q["record_index"], q["line"]) for q in quarantine] == [
        (10, 13), (11, 14), (12, 15), (13, 16), (14, 17), (15, 18), (17, 21)]
    assert "Publication Date" in quarantine[0]["reason"]


def test_corner_values_come_out_as_the_reader_makes_them(corners_both_ways):
    tables = corners_both_ways[0]
    # corners.csv and judged.csv hold this row as it is, no-owners.csv without its owners
    parties = {(p["role"], p["sequence"], p["name"], p["kind"]) for p in tables["parties"]
               if p["pub_id"] == "US-20110185700-A1" and p["record_index"] == 0}
    assert sorted(parties) == [
        ("applicant", 1, "Müller,  Jörg", "person"), ("applicant", 2, "ACME Corp", "organisation"),
        ("assignee", 1, "ACME CORP", "organisation"), ("inventor", 1, "MÜLLER JÖRG", "person")]
    owners = [t for t in tables["transfers"] if t["source_file"].endswith("corners.csv") and t["record_index"] == 0]
    assert [(t["transfer_id"][-8:], str(t["record_date"])) for t in owners] == [
        ("-OWNER-1", "None"), ("-OWNER-2", "2010-01-02"), ("-OWNER-3", "2012-05-01"), ("-OWNER-4", "2012-05-01")]


def test_values_only_python_reads_right_are_stored_as_the_reader_stores_them(corners_both_ways):
    tables = corners_both_ways[0]
    pubs = {(p["record_index"], p["pub_id"]): p for p in tables["publications"]
            if p["source_file"].endswith("corners.csv")}
    assert str(pubs[(8, "US-8001762-B2")]["pub_date"]) == "2011-08-23"
    assert (17, "US-D967598-S") in pubs
    title = next(p["title"] for (i, _), p in pubs.items() if i == 9)
    assert title == "Tab in title"


@pytest.mark.parametrize(("data", "blank"), [
    (b"h\nab\ncd\n", False), (b"h\nab\n\ncd\n", True), (b"h\nab\r\n\r\ncd\r\n", True), (b"h\nabc\n\nd\n", True),
    (b"h\nabcdefg\n", False),
])
def test_the_byte_scan_finds_a_blank_line_across_its_chunks(tmp_path, monkeypatch, data, blank):
    monkeypatch.setattr(native_ingest, "SCAN_BYTES", 3)  # lines cut at every chunk boundary
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert native_ingest._hash_and_scan(path, None)[2] is blank


def test_many_small_batches_on_two_threads_store_what_the_reader_stores(in_small_batches, real_both_ways,
                                                                         corners_both_ways):
    tables, log, kept = in_small_batches
    assert kept == [True, True, True, True, False]  # blank-line.csv goes to the reader, as in one batch
    per_row = {name: rows + corners_both_ways[1][name] for name, rows in real_both_ways[1].items()}
    assert _every_row(tables) == _every_row(per_row)
    assert sorted(log) == sorted(real_both_ways[3] + corners_both_ways[3])


def test_judged_rows_keep_their_lines_across_small_batches(in_small_batches):
    quarantine = [q for q in in_small_batches[0]["quarantine"] if q["source_file"].endswith("judged.csv")]
    assert [(q["record_index"], q["line"]) for q in quarantine] == [
        (10, 13), (11, 14), (12, 15), (13, 16), (14, 17), (15, 18), (17, 21)]
    (export_row,) = [q for q in in_small_batches[0]["quarantine"] if q["source_file"].endswith(LENS[-1])]
    assert (export_row["record_index"], export_row["line"]) == (1950, 1952)


def test_batches_mapped_out_of_order_get_the_lines_of_file_order():
    import threading

    import pyarrow as pa

    counter = native_csv._LineCounter(2)
    first = pa.record_batch({"a": ["x", "two\nlines", "y"]})
    second = pa.record_batch({"a": ["z", "w"]})
    got = {}
    later = threading.Thread(target=lambda: got.setdefault("second", counter.lines(second, 3)))
    later.start()  # waits for the first batch's count
    got["first"] = counter.lines(first, 0)
    later.join(timeout=5)
    assert got["first"].tolist() == [2, 3, 5] and got["second"].tolist() == [6, 7]


def test_a_batch_whose_count_fails_hands_back_the_batches_after_it(monkeypatch):
    import pyarrow as pa

    counter = native_csv._LineCounter(2)

    def refuse(batch, first_line):
        raise native_csv.NeedsRowReader("too long")

    monkeypatch.setattr(native_csv, "record_lines", refuse)
    with pytest.raises(native_csv.NeedsRowReader, match="too long"):
        counter.lines(pa.record_batch({"a": ["x"]}), 0)
    with pytest.raises(native_csv.NeedsRowReader, match="earlier batch"):
        counter.lines(pa.record_batch({"a": ["y"]}), 1)


@pytest.mark.parametrize("native_order", [[0, 0, 2, 3, 3, 6], [3, 0, 2, 6, 0, 3]])
def test_judged_rows_go_between_the_native_rows_in_record_order(native_order):
    import pyarrow as pa

    native = pa.table({"record_index": pa.array(native_order, pa.int64()), "v": [f"n{i}" for i in range(6)]})
    judged = pa.table({"record_index": pa.array([1, 4, 4, 7], pa.int64()), "v": ["j1", "j4a", "j4b", "j7"]})
    merged = native_ingest._merged({"t": native, "empty": native.slice(0, 0)}, {"t": judged, "empty": judged})
    expected = sorted(zip([*native_order, 1, 4, 4, 7], [*(f"n{i}" for i in range(6)), "j1", "j4a", "j4b", "j7"],
                          strict=True), key=lambda pair: pair[0])  # stable: a record's rows keep their order
    assert list(zip(*merged["t"].to_pydict().values(), strict=True)) == expected
    assert merged["empty"].to_pydict() == judged.to_pydict()


def test_a_rule_per_distinct_value_also_answers_for_null_and_is_asked_once_a_file():
    import pyarrow as pa

    from patentreach.sources.lens.arrow_text import Memo, per_distinct

    asked: list = []

    def rule(value):
        asked.append(value)
        return "none" if value is None else value.upper()

    memo = Memo()
    first = per_distinct(pa.array(["a", None, "b", "a"]), rule, pa.string(), memo)
    second = per_distinct(pa.array(["b", "c", None]), rule, pa.string(), memo)
    assert first.to_pylist() == ["A", "none", "B", "A"] and second.to_pylist() == ["B", "C", "none"]
    assert sorted(map(str, asked)) == ["None", "a", "b", "c"]


def test_plain_values_and_record_lines_are_read_from_sliced_columns_with_empty_values():
    import pyarrow as pa

    from patentreach.sources.lens.arrow_text import printable_ascii, record_lines

    values = pa.array(["ab", "", "x\ty", "é", "ok", "\x7f", "~ ", "z\n"]).slice(1)
    assert printable_ascii(values).tolist() == [True, False, False, True, False, True, False]
    batch = pa.record_batch({"a": pa.array(["x", "a\nb\nc", "", "q\n"]).slice(1), "b": ["1\n", "", "2"]})
    lines, after = record_lines(batch, 2)
    assert lines.tolist() == [2, 6, 7] and after == 9  # 4 lines, 1, then 2


@pytest.mark.parametrize(("size_mb", "block_mb"), [(0, 4), (10, 4), (45, 11.25), (64, 16), (1000, 16)])
def test_a_file_is_read_in_about_four_blocks_of_4_to_16_mb(size_mb, block_mb):
    assert native_csv.block_bytes(int(size_mb * 2**20)) == int(block_mb * 2**20)
