"""PatentsView, Google, Lens and CNIPA folders ingest in one call with auto-detection: every
record is stored, quarantined or skipped, per file."""

from __future__ import annotations

from pathlib import Path

from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from tests.conftest import shared_path

G_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "patentsview_g"

EXPECTED = {  # file name -> (reader, read, stored, quarantined, skipped)
    "patent.truncated10.tsv": ("patentsview-tsv", 9, 9, 0, 0),
    "uspatentcitation.truncated10.tsv": ("patentsview-tsv", 9, 0, 0, 9),
    "assignee.tuhh-reduced.subset.tsv": ("patentsview-tsv", 10499, 0, 0, 10499),
    "publications_sample_10rows.json": ("google-patents", 10, 10, 0, 0),
    "lens-export_patents_jet-engine_2021-03.csv": ("lens-csv", 3779, 3778, 1, 0),
    "lens-api-patent-response_EP2471949A1.json": ("lens-json", 1, 1, 0, 0),
    "cpquery_sqxx_application_info_response.json": ("cnipa-cpquery-json", 1, 0, 0, 1),
    "g_patent.tsv": ("patentsview-tsv", 4, 3, 0, 1),
    "g_cpc_current.tsv": ("patentsview-tsv", 4, 0, 0, 4),
}


def test_four_folders_in_one_call(tmp_path: Path) -> None:
    folders = [shared_path("data", name) for name in
               ("patentsview-tsv", "google-patents-bigquery", "lens", "cnipa")]
    report = ingest([*folders, G_FIXTURES], Warehouse(tmp_path / "wh"))
    assert not report.failed, [f.error for f in report.failed]
    outcomes = {Path(f.label).name: f for f in report.files}
    assert len(outcomes) == 7 + 8
    for outcome in report.files:
        assert outcome.status == "ingested"
        assert outcome.read == outcome.stored + outcome.quarantined + outcome.skipped
    for name, (reader, read, stored, quarantined, skipped) in EXPECTED.items():
        o = outcomes[name]
        assert (o.reader, o.read, o.stored, o.quarantined, o.skipped) == (
            reader, read, stored, quarantined, skipped), name
