"""PATSTAT deliveries in every shape the EPO has shipped, and damaged ones: each built in a temp
folder from the real sample (never copied into the repository)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.views import connect
from tests.sources.patstat.sample import sample_dir

Edit = Callable[[str], str]


def _member_text(zip_path: Path) -> tuple[str, str]:
    with zipfile.ZipFile(zip_path) as archive:
        (member,) = archive.namelist()
        return member, archive.read(member).decode("utf-8")


def _delivery(folder: Path, edits: dict[str, Edit] | None = None, old_naming: bool = False,
              unpacked: bool = False, leave_out: str = "") -> Path:
    """The sample as a new delivery: members edited, renamed to the ≤2024 naming
    (``tls201_part01.zip`` holding ``tls201_part01.txt``), or unpacked to plain CSV files."""
    folder.mkdir(parents=True)
    for part in sorted(sample_dir().glob("*.zip")):
        member, text = _member_text(part)
        table = part.name.split("_part")[0]
        if leave_out and table == leave_out:
            continue
        text = (edits or {}).get(table, lambda t: t)(text)
        name = member
        if old_naming:
            name = f"{table.split('_')[0]}_part{part.name.split('_part')[1].split('.')[0]}.txt"
        if unpacked:
            (folder / name).write_bytes(text.encode("utf-8"))
        else:
            with zipfile.ZipFile(folder / (Path(name).stem + ".zip"), "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(name, text)
    return folder


def _publications(warehouse: Warehouse) -> list[tuple]:
    return connect(warehouse).execute(
        "SELECT pub_id, doc_type, doc_type_rule, route, family_id, application_number FROM publications ORDER BY 1"
    ).fetchall()


def test_old_naming_unpacked_folder_and_2025_zips_ingest_identically(tmp_path: Path) -> None:
    reference = Warehouse(tmp_path / "ref")
    ingest([sample_dir()], reference)
    for shape in ({"old_naming": True}, {"unpacked": True}, {"old_naming": True, "unpacked": True}):
        warehouse = Warehouse(tmp_path / f"wh{len(list(tmp_path.iterdir()))}")
        folder = _delivery(tmp_path / f"d{len(list(tmp_path.iterdir()))}", **shape)
        (outcome,) = ingest([folder], warehouse).files
        assert (outcome.status, outcome.read, outcome.stored, outcome.quarantined) == ("ingested", 412, 396, 16), shape
        assert _publications(warehouse) == _publications(reference), shape
    # the same content is the same delivery, whatever the container: nothing stored twice
    report = ingest([_delivery(tmp_path / "again", unpacked=True)], reference)
    assert [f.status for f in report.files] == ["already-ingested"]


def test_flags_0_1_read_like_y_n(tmp_path: Path) -> None:
    def to_digits(text: str) -> str:
        return text.replace(',"Y",', ",1,").replace(',"N",', ",0,")

    warehouse = Warehouse(tmp_path / "wh")
    folder = _delivery(tmp_path / "d", {"tls211_pat_publn": to_digits, "tls201_appln": to_digits})
    assert ',1,' in _member_text(folder / "tls211_pat_publn_part01.zip")[1]
    ingest([folder], warehouse)
    reference = Warehouse(tmp_path / "ref")
    ingest([sample_dir()], reference)
    assert _publications(warehouse) == _publications(reference)
    assert connect(warehouse).execute(
        "SELECT count(*) FROM publications WHERE doc_type = 'invention_grant'").fetchone()[0] == 209


def test_trailing_reg_code_column_is_tolerated(tmp_path: Path) -> None:
    def add_reg_code(text: str) -> str:
        lines = text.split("\r\n")
        return "\r\n".join([lines[0] + ",reg_code"] + [line + ',""' if line else line for line in lines[1:]])

    warehouse = Warehouse(tmp_path / "wh")
    (outcome,) = ingest([_delivery(tmp_path / "d", {"tls206_person": add_reg_code})], warehouse).files
    assert outcome.status == "ingested" and outcome.stored == 396
    assert any("tls206_person: column reg_code is not read" in note for note in outcome.notes)
    assert connect(warehouse).execute("SELECT count(*) FROM parties").fetchone()[0] == 1376


def test_a_malformed_row_is_quarantined_with_its_file_line_and_field(tmp_path: Path) -> None:
    def break_row(text: str) -> str:
        return text.replace('\r\n2,"EP","0166996"', '\r\n2,"EP","0166996"'.replace("2,", "two,", 1), 1)

    warehouse = Warehouse(tmp_path / "wh")
    folder = _delivery(tmp_path / "d", {"tls211_pat_publn": break_row})
    (outcome,) = ingest([folder], warehouse).files
    assert (outcome.read, outcome.stored, outcome.quarantined, outcome.skipped) == (412, 395, 17, 0)
    row = connect(warehouse).execute(
        "SELECT source_file, line, reason FROM quarantine WHERE line IS NOT NULL").fetchone()
    assert row[0] == f"{folder / 'tls211_pat_publn_part01.zip'}!tls211_pat_publn_part01.csv"
    assert row[1] == 3
    assert row[2].startswith("tls211_pat_publn line 3: pat_publn_id: Error when converting column \"pat_publn_id\"")


def test_a_bad_row_of_another_table_is_a_counted_warning(tmp_path: Path) -> None:
    def break_person(text: str) -> str:
        return text.replace("\r\n2,1,0,1\r\n", "\r\n2,1,x,1\r\n", 1)

    warehouse = Warehouse(tmp_path / "wh")
    (outcome,) = ingest([_delivery(tmp_path / "d", {"tls207_pers_appln": break_person})], warehouse).files
    assert outcome.stored == 396
    assert outcome.warnings == ["1 tls207_pers_appln rows refused by the CSV types (see ingest_warnings)"]
    message = connect(warehouse).execute("SELECT message FROM ingest_warnings").fetchone()[0]
    assert message.startswith("tls207_pers_appln line 3: applt_seq_nr: Error when converting column")


def test_an_orphaned_legal_event_and_bad_symbols_are_counted_warnings(tmp_path: Path) -> None:
    """The warning kinds the mapping skips when it can tell they are empty (issue 20) still find
    their rows when there are some."""
    def orphan_event(text: str) -> str:
        return text.replace('\n1,54,1,"","EP","AK"', '\n1,999999999,1,"","EP","AK"', 1)

    def bad_ipc(text: str) -> str:
        return text.replace('\n2,"H02J  13/00"', '\n2,"NOT A SYMBOL"', 1)

    def bad_cpc(text: str) -> str:
        return text.replace('\n19,"C12N  15/113"', '\n19,"C12N 15/XYZ"', 1)

    warehouse = Warehouse(tmp_path / "wh")
    folder = _delivery(tmp_path / "d", {"tls231_inpadoc_legal_event": orphan_event, "tls209_appln_ipc": bad_ipc,
                                        "tls224_appln_cpc": bad_cpc})
    (outcome,) = ingest([folder], warehouse).files
    assert sorted(outcome.warnings) == [
        "1 tls209_appln_ipc symbols that are not IPC symbols (see ingest_warnings)",
        "1 tls224_appln_cpc symbols that are not CPC symbols (see ingest_warnings)",
        "1 tls231_inpadoc_legal_event rows whose appln_id has no tls201_appln row (see ingest_warnings)",
    ]
    messages = sorted(r[0] for r in connect(warehouse).execute("SELECT message FROM ingest_warnings").fetchall())
    assert messages == [
        "tls209_appln_ipc: appln_id 2: NOT A SYMBOL is not an IPC symbol",
        "tls224_appln_cpc: appln_id 19: C12N 15/XYZ is not a CPC symbol",
        "tls231_inpadoc_legal_event: event_id 1, appln_id 999999999: no tls201_appln row",
    ]


def test_a_corrupt_part_fails_the_delivery_in_one_line_and_other_inputs_still_ingest(tmp_path: Path) -> None:
    folder = _delivery(tmp_path / "d")
    (folder / "tls211_pat_publn_part01.zip").write_bytes(b"PK\x03\x04 this is not a zip any more")
    other = sample_dir().parent / "epo-docdb-xml" / "YU-6701-A_381353354.xml"
    warehouse = Warehouse(tmp_path / "wh")
    report = ingest([folder, other], warehouse)
    delivery, docdb = report.files
    assert delivery.status == "error" and "\n" not in delivery.error
    assert delivery.error.startswith(f"{folder} (PATSTAT delivery): 1 part(s) cannot be read: "
                                     f"{folder / 'tls211_pat_publn_part01.zip'}: not a readable zip archive")
    assert docdb.status == "ingested"
    assert connect(warehouse).execute("SELECT count(*) FROM all_publications WHERE source_format = 'patstat'"
                                      ).fetchone()[0] == 0


def test_missing_required_table_is_one_error_and_missing_optional_ones_are_noted(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "wh")
    (outcome,) = ingest([_delivery(tmp_path / "no211", leave_out="tls211_pat_publn")], warehouse).files
    assert outcome.status == "error"
    assert outcome.error.endswith("the delivery has no tls211_pat_publn part: cannot read publications without it")
    (outcome,) = ingest([_delivery(tmp_path / "no230", leave_out="tls230_appln_techn_field")], warehouse).files
    assert outcome.status == "ingested" and outcome.stored == 396
    assert f"{tmp_path / 'no230'}: tls230_appln_techn_field: not in the delivery; what it holds is missing from the " \
           "warehouse" in outcome.notes


def test_cli_reader_patstat_and_error_line_without_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["ingest", str(sample_dir()), "-w", str(tmp_path / "wh"), "--reader", "patstat"],
                       env={"COLUMNS": "200"})
    assert ok.exit_code == 0, ok.output
    assert "patstat" in ok.output and "396" in ok.output
    bad = _delivery(tmp_path / "bad", leave_out="tls201_appln")
    failed = runner.invoke(app, ["ingest", str(bad), "-w", str(tmp_path / "wh2")], env={"COLUMNS": "200"})
    assert failed.exit_code != 0 and "Traceback" not in failed.output
    assert "the delivery has no tls201_appln part" in failed.output


def test_a_failed_commit_leaves_nothing_visible(tmp_path: Path, monkeypatch) -> None:
    from patentreach.warehouse import ingest_log

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    warehouse = Warehouse(tmp_path / "wh")
    monkeypatch.setattr(ingest_log, "write_entry", disk_full)
    (outcome,) = ingest([sample_dir()], warehouse).files
    assert outcome.status == "error"
    assert outcome.error == f"{sample_dir()} (PATSTAT delivery): cannot be read or written (No space left on device)"
    assert list((warehouse.root / "tables").glob("*/*.parquet")) == []
    assert list(warehouse.staging_dir.iterdir()) == []
    monkeypatch.undo()
    (outcome,) = ingest([sample_dir()], warehouse).files
    assert (outcome.status, outcome.stored) == ("ingested", 396)
    assert connect(warehouse).execute("SELECT count(*) FROM ingest_failures").fetchone()[0] == 0


def test_a_placeholder_publication_is_skipped_with_its_reason(tmp_path: Path) -> None:
    def add_placeholder(text: str) -> str:
        return text + '900000001,"EP","","","",1,9999-12-31,"","N",0\r\n'

    (outcome,) = ingest([_delivery(tmp_path / "d", {"tls211_pat_publn": add_placeholder})],
                        Warehouse(tmp_path / "wh")).files
    assert (outcome.read, outcome.stored, outcome.quarantined, outcome.skipped) == (413, 396, 16, 1)
    assert f"{tmp_path / 'd'}: tls211_pat_publn: 1 placeholder publications without a number (publn_nr empty) " \
           "skipped: PATSTAT's stand-ins for unpublished applications" in outcome.notes
