"""The three EPO folders ingest in one call, each file detected from its content, and every
record is stored, quarantined or skipped (read = stored + quarantined + skipped per file)."""

from __future__ import annotations

from pathlib import Path

from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES
from tests.sources.test_docdb import COUNTS as DOCDB_COUNTS
from tests.sources.test_ops import COUNTS as OPS_COUNTS

FOLDERS = {
    "epo-ep-publication-xml": "epo-ep-xml",
    "epo-docdb-xml": "epo-docdb-xml",
    "epo-ops-xml": "epo-ops-xml",
}


def test_all_epo_folders_ingest_in_one_call(tmp_path: Path):
    warehouse = Warehouse(tmp_path / "wh")
    report = ingest([shared_path("data", folder) for folder in FOLDERS], warehouse, jobs=2)
    outcomes = {Path(f.label).relative_to(shared_path("data")).as_posix(): f for f in report.files}
    expected_files = {s for reader in FOLDERS.values() for s in SAMPLES[reader]}
    assert set(outcomes) == expected_files
    for path, outcome in outcomes.items():
        assert outcome.status == "ingested", (path, outcome.error)
        assert outcome.reader == FOLDERS[path.split("/", 1)[0]]
        assert outcome.read == outcome.stored + outcome.quarantined + outcome.skipped
        assert outcome.quarantined == 0, path
    for file, (read, stored, _q, skipped, _v, repaired) in DOCDB_COUNTS.items():
        outcome = outcomes[f"epo-docdb-xml/{file}"]
        assert (outcome.read, outcome.stored, outcome.skipped) == (read, stored, skipped)
        assert any("xmlns:exch" in w for w in outcome.warnings) == repaired
    for file, (read, stored, skipped, _v) in OPS_COUNTS.items():
        outcome = outcomes[f"epo-ops-xml/{file}"]
        assert (outcome.read, outcome.stored, outcome.skipped) == (read, stored, skipped)

    con = connect(warehouse)
    logged = con.execute(
        "SELECT count(*), sum(read), sum(stored), sum(quarantined), sum(skipped) FROM ingest_log"
    ).fetchone()
    assert logged == (46, 89, 69, 0, 20)  # 5 OPS legal members and the register document store legal events
    assert con.execute(
        "SELECT count(*) FROM ingest_log WHERE read <> stored + quarantined + skipped"
    ).fetchone() == (0,)
    # The same publication from two OPS responses is one publication with two stored copies.
    assert con.execute(
        "SELECT (SELECT count(*) FROM publications WHERE pub_id = 'EP-1000000-B1'),"
        " (SELECT count(*) FROM all_publications WHERE pub_id = 'EP-1000000-B1')"
    ).fetchone() == (1, 2)
    assert con.execute(
        "SELECT office, family_id FROM publications WHERE pub_id = 'WO-2022259205-A1'"
    ).fetchone() == ("WO", "82558028")
    assert con.execute(
        "SELECT count(DISTINCT pub_id) FROM publications WHERE office = 'EP'"
    ).fetchone() == (26 + 6,)  # EP XML files + six EP documents from OPS
