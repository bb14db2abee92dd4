"""The three USPTO sample folders ingest in one call, with detection, and lose nothing."""

from __future__ import annotations

from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse

FOLDERS = ("uspto-grant-xml", "uspto-application-xml", "uspto-odp-json")


def test_three_folders_ingest_in_one_call(shared_data, tmp_path):
    report = ingest([shared_data / folder for folder in FOLDERS], Warehouse(tmp_path / "wh"))
    assert report.failed == []
    by_folder: dict[str, list] = {folder: [] for folder in FOLDERS}
    for outcome in report.files:
        assert outcome.status == "ingested", outcome
        assert outcome.read == outcome.stored + outcome.quarantined + outcome.skipped, outcome
        folder = outcome.label.split(str(shared_data) + "/", 1)[1].split("/", 1)[0]
        assert outcome.reader == folder, outcome.label  # each folder is named after its reader
        by_folder[folder].append(outcome)
    assert len(by_folder["uspto-grant-xml"]) == 20
    assert len(by_folder["uspto-application-xml"]) == 14
    assert len(by_folder["uspto-odp-json"]) == 8
    totals = {f: tuple(sum(getattr(o, k) for o in outs) for k in ("read", "stored", "quarantined", "skipped"))
              for f, outs in by_folder.items()}
    assert totals["uspto-grant-xml"] == (498, 494, 1, 3)  # 1: the malformed-MathML quirk file
    assert totals["uspto-application-xml"] == (15, 15, 0, 0)
    assert totals["uspto-odp-json"] == (8, 6, 0, 2)  # 2 assignment-only responses: transfers
    patdoc = [o for o in by_folder["uspto-grant-xml"] if o.format_version == "PATDOC 2.5"]
    assert sorted((o.read, o.stored) for o in patdoc) == [(1, 1), (1, 1), (100, 100)]
