"""PATSTAT staging keeps only the columns the mapping reads, and labels rows by part without a
join: the guarantees that must survive those shortcuts (deliveries built in temp folders from the
real sample, never copied into the repository)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from patentreach.sources.patstat.tables import BY_NAME
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.views import connect
from tests.sources.patstat.sample import applications_by_id, rows, sample_dir


def _members() -> dict[str, str]:
    """The sample's part members as text, by member name (``tls209_appln_ipc_part02.csv`` ...)."""
    texts = {}
    for part in sorted(sample_dir().glob("*.zip")):
        with zipfile.ZipFile(part) as archive:
            (member,) = archive.namelist()
            texts[member] = archive.read(member).decode("utf-8")
    return texts


def _write(folder: Path, texts: dict[str, str]) -> None:
    """An unpacked delivery: one CSV file per member."""
    folder.mkdir(parents=True)
    for name, text in texts.items():
        (folder / name).write_bytes(text.encode("utf-8"))


def test_a_table_in_two_parts_labels_each_row_with_its_own_part(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    texts = _members()
    header, body = texts["tls211_pat_publn_part01.csv"].split("\r\n", 1)
    lines = body.rstrip("\r\n").split("\r\n")
    first, second = lines[:200], lines[200:]
    texts["tls211_pat_publn_part01.csv"] = "\r\n".join([header, *first, ""])
    texts["tls211_pat_publn_part02.csv"] = "\r\n".join([header, *second, ""])
    _write(folder, texts)
    expected = {int(line.split(",", 1)[0]): str(folder / "tls211_pat_publn_part01.csv") for line in first}
    expected |= {int(line.split(",", 1)[0]): str(folder / "tls211_pat_publn_part02.csv") for line in second}

    (outcome,) = ingest([folder], Warehouse(tmp_path / "wh")).files
    assert (outcome.read, outcome.stored, outcome.quarantined) == (412, 396, 16)
    stored = connect(Warehouse(tmp_path / "wh")).execute(
        "SELECT record_index, source_file FROM publications").fetchall()
    assert len(stored) == 396
    assert {index: label for index, label in stored} == {index: expected[index] for index, _ in stored}
    quarantined = connect(Warehouse(tmp_path / "wh")).execute(
        "SELECT record_index, source_file FROM quarantine").fetchall()
    assert {index: label for index, label in quarantined} == {index: expected[index] for index, _ in quarantined}


def test_a_bad_value_in_a_column_the_mapping_does_not_read_is_still_refused(tmp_path: Path) -> None:
    assert "ref_doc_date" not in BY_NAME["tls231_inpadoc_legal_event"].kept()  # what this test is about
    known = applications_by_id()
    events = rows("tls231_inpadoc_legal_event")
    victim = next(i for i, e in enumerate(events) if e["appln_id"] in known)
    folder = tmp_path / "d"
    texts = _members()
    lines = texts["tls231_inpadoc_legal_event_part01.csv"].split("\r\n")
    fields = next(csv.reader([lines[victim + 1]]))
    fields[13] = "not-a-date"  # ref_doc_date
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    lines[victim + 1] = out.getvalue()
    texts["tls231_inpadoc_legal_event_part01.csv"] = "\r\n".join(lines)
    _write(folder, texts)

    warehouse = Warehouse(tmp_path / "wh")
    (outcome,) = ingest([folder], warehouse).files
    assert outcome.stored == 396
    assert "1 tls231_inpadoc_legal_event rows refused by the CSV types (see ingest_warnings)" in outcome.warnings
    message = connect(warehouse).execute(
        "SELECT message FROM ingest_warnings WHERE message LIKE 'tls231_inpadoc_legal_event line%'").fetchone()[0]
    assert message.startswith(f"tls231_inpadoc_legal_event line {victim + 2}: ref_doc_date: Error when converting")
    # every event of a known application is stored, but the refused one
    expected = sum(1 for e in events if e["appln_id"] in known) - 1
    assert connect(warehouse).execute("SELECT count(*) FROM legal_events").fetchone()[0] == expected
    gone = f"patstat:{events[victim]['event_id']}"
    assert connect(warehouse).execute("SELECT count(*) FROM legal_events WHERE event_id = ?", [gone]).fetchone()[0] == 0
