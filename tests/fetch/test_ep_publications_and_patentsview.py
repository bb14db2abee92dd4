"""``fetch ep-publications`` against a loopback EPO BDDS (SHA-1 per file, checked) and ``fetch
patentsview`` against a loopback PatentsView download host (real TSV rows, zipped)."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.fetch import run
from tests.conftest import shared_path
from tests.fetch.loopback import Route, quick_policy

runner = CliRunner(env={"COLUMNS": "200"})
PRODUCT = "/bdds/bdds-bff-service/prod/api/products/32"
EP_SAMPLES = shared_path("data", "epo-ep-publication-xml")


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setattr(run, "Policy", lambda: quick_policy([]))


def _zip_of(tmp_path, name: str, member: str, source) -> bytes:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, member)
    return path.read_bytes()


def _serve_bdds(loopback, deliveries: list[tuple[int, str, list[tuple[int, str, bytes, str]]]]) -> None:
    """The product JSON in the real BDDS shape (deliveries[].deliveryId/deliveryName/
    deliveryPublicationDatetime/files[].fileId/fileName/fileSize/fileChecksum, as decoded by public
    BDDS clients; fileSize is the rounded text the service shows), and the file download routes."""
    product = {"id": 32, "name": "EP full-text data", "description": "14.12 EP full-text data", "deliveries": []}
    for delivery_id, published, files in deliveries:
        entries = []
        for file_id, name, content, checksum in files:
            entries.append({"fileId": file_id, "fileName": name, "fileSize": f"{len(content) / 1000:.1f} kB",
                            "fileChecksum": checksum, "filePublicationDatetime": published})
            loopback.routes[f"{PRODUCT}/delivery/{delivery_id}/file/{file_id}/download"] = Route(content)
        product["deliveries"].append({"deliveryId": delivery_id, "deliveryName": f"EP full-text data {published[:10]}",
                                      "deliveryPublicationDatetime": published, "deliveryExpiryDatetime": None,
                                      "files": entries})
    loopback.routes[PRODUCT] = Route(json.dumps(product).encode(), headers={"Content-Type": "application/json"})


def test_a_checksum_mismatch_rejects_that_file_in_one_line_and_the_others_are_fetched(loopback, tmp_path):
    good = _zip_of(tmp_path, "a.zip", "EP-A1.xml", EP_SAMPLES / "application" / "v1-0-A1.xml")
    bad = _zip_of(tmp_path, "b.zip", "EP-B1.xml", EP_SAMPLES / "grant" / "v1-0-B1-1.xml")
    wrong = "F30378B303DA95087423E752F776ADD4DA5DB262"
    _serve_bdds(loopback, [
        (3262, "2021-01-06T09:00:00+01:00", [(9416, "EPRTBJV2021000001001001.zip", good,
                                               hashlib.sha1(good).hexdigest().upper())]),
        (3270, "2021-01-13T09:00:00+01:00", [(9420, "EPRTBJV2021000002001001.zip", bad, wrong)]),
    ])
    out = tmp_path / "dl"
    result = runner.invoke(app, ["fetch", "ep-publications", "--weeks", "2021-01..2021-02", "-o", str(out),
                                 "--base-url", loopback.url])
    assert result.exit_code == 1
    url = f"{loopback.url}{PRODUCT}/delivery/3270/file/9420/download"
    line = (f"error: {url} (EPRTBJV2021000002001001.zip): checksum mismatch: sha1 {hashlib.sha1(bad).hexdigest()}, "
            f"the feed publishes {wrong.lower()}; the file was not kept")
    assert line in result.output
    assert sorted(p.name for p in (out / "ep-publications").iterdir()) == ["EPRTBJV2021000001001001.zip"]
    assert (out / "ep-publications" / "EPRTBJV2021000001001001.zip").read_bytes() == good
    manifest = json.loads((out / "manifest.json").read_text())
    assert list(manifest["files"]) == ["ep-publications/EPRTBJV2021000001001001.zip"]
    assert manifest["files"]["ep-publications/EPRTBJV2021000001001001.zip"]["published_checksum"] == \
        f"sha1:{hashlib.sha1(good).hexdigest()}"


def test_only_deliveries_published_in_the_weeks_are_listed(loopback, tmp_path):
    content = _zip_of(tmp_path, "a.zip", "EP-A1.xml", EP_SAMPLES / "application" / "v1-0-A1.xml")
    checksum = hashlib.sha1(content).hexdigest()
    _serve_bdds(loopback, [(1, "2020-12-30T09:00:00+01:00", [(1, "old.zip", content, checksum)]),
                           (2, "2021-01-06T09:00:00+01:00", [(2, "week1.zip", content, checksum)])])
    result = runner.invoke(app, ["fetch", "ep-publications", "--weeks", "2021-01", "-o", str(tmp_path / "dl"),
                                 "--base-url", loopback.url])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "dl" / "ep-publications").iterdir()] == ["week1.zip"]


def test_patentsview_tables_come_from_the_download_layout(loopback, tmp_path):
    table = _zip_of(tmp_path, "g_patent.tsv.zip", "g_patent.tsv",
                    shared_path("data", "patentsview-tsv", "legacy", "patent.truncated10.tsv"))
    loopback.routes["/download/g_patent.tsv.zip"] = Route(table, headers={"Content-Type": "application/zip"})
    result = runner.invoke(app, ["fetch", "patentsview", "g_patent", "g_assignee_disambiguated",
                                 "-o", str(tmp_path / "dl"), "--base-url", loopback.url])
    assert result.exit_code == 1
    assert (tmp_path / "dl" / "patentsview" / "g_patent.tsv.zip").read_bytes() == table
    assert (f"error: {loopback.url}/download/g_assignee_disambiguated.tsv.zip: HTTP 404 Not Found "
            "(g_assignee_disambiguated.tsv.zip)") in result.output


def test_patentsview_since_last_is_refused_because_tables_have_no_date(tmp_path):
    from patentreach.fetch.periods import PeriodError
    from patentreach.fetch.run import FetchRequest, fetch

    with pytest.raises(PeriodError, match="patentsview tables are whole snapshots without a date"):
        fetch(FetchRequest("patentsview", tmp_path, tables=["g_patent"], since_last=True))


def test_a_patentsview_table_name_must_be_a_plain_name_or_it_is_a_usage_error(tmp_path, no_network):
    result = runner.invoke(app, ["fetch", "patentsview", "../etc", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert no_network == []
    assert "'../etc' is not a PatentsView table name (lower case, e.g. g_patent)" in result.output
