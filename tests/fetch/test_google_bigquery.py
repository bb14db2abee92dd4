"""The run path of ``fetch google`` with a fake BigQuery library: the dry run's bytes come first,
the cost limit refuses before anything runs, pages are streamed into numbered files with exact
row counts, the files read back as the same publications, and nothing touches the network."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patentreach.fetch.google_bigquery import BigQueryUnavailable, CostLimitExceeded, export_slice, parse_bytes
from patentreach.fetch.google_export_files import ExportFolderError
from patentreach.fetch.google_slice import make_slice
from patentreach.fetch.google_sql import query_text
from patentreach.sources.google_patents import GooglePatents
from tests.fetch.google_fakes import FakeBigQuery, forbid_network, install, sample_batches
from tests.sources.vendor_helpers import read_file, records_by_id

SLICE = make_slice(["JP", "DE"], (2016, 2016), ["US"])
SAMPLE_IDS = {"US-9474634-B2", "US-9478535-B2", "US-9483948-B1", "US-9485150-B2", "US-9487825-B2",
              "US-9514606-B2", "US-9517254-B2", "US-9523720-B2", "US-9527909-B2", "US-9528354-B2"}


@pytest.fixture()
def fake(monkeypatch):  # type: ignore[no-untyped-def]
    forbid_network(monkeypatch)
    fake = FakeBigQuery(batches=sample_batches((4, 4, 2)))
    install(monkeypatch, fake)
    return fake


def _ids(folder) -> set[str]:  # type: ignore[no-untyped-def]
    reader = GooglePatents()
    return {pub_id for path in sorted(folder.iterdir()) for pub_id in records_by_id(read_file(reader, path))}


def test_parquet_export_streams_pages_into_numbered_files(fake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    estimates: list[int] = []
    progress: list[tuple[int, int]] = []
    result = export_slice(SLICE, tmp_path / "out", "parquet", None, parse_bytes("1G"),
                          on_estimate=estimates.append, on_rows=lambda d, t: progress.append((d, t)),
                          rows_per_file=6)
    assert [p.name for p in result.files] == ["publications-00001.parquet", "publications-00002.parquet"]
    assert [pq.ParquetFile(p).metadata.num_rows for p in result.files] == [6, 4]
    assert (result.rows, result.bytes_processed) == (10, 123_456_789)
    assert estimates == [123_456_789]
    assert progress == [(4, 10), (8, 10), (10, 10)]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "publications-00001.parquet", "publications-00002.parquet"]  # no .part left behind
    # A dry run first, then the real run with the same SQL, parameters and a billing cap.
    (dry_sql, dry_config), (sql, config) = fake.queries
    assert dry_sql == sql == query_text(SLICE)
    assert dry_config == {"dry_run": True, "use_query_cache": False, "query_parameters": [
        ("years", "INT64", [2016]), ("offices", "STRING", ["US"]), ("origin", "STRING", ["DE", "JP"])]}
    assert config["maximum_bytes_billed"] == 1 << 30
    assert fake.clients == [{"project": "default-project"}]


def test_exported_files_ingest_as_the_sample_publications(fake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    export_slice(SLICE, tmp_path / "pq", "parquet", "my-project", parse_bytes("1G"), rows_per_file=6)
    assert fake.clients == [{"project": "my-project"}]
    fake.pages_read = 0
    export_slice(SLICE, tmp_path / "jl", "jsonl", None, parse_bytes("1G"))
    assert _ids(tmp_path / "pq") == _ids(tmp_path / "jl") == SAMPLE_IDS
    lines = (tmp_path / "jl" / "publications-00001.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10
    first = json.loads(lines[0])
    assert (first["publication_number"], first["grant_date"], first["application_kind"]) == (
        "US-9474634-B2", 20161025, "A")
    records = records_by_id(read_file(GooglePatents(), tmp_path / "jl" / "publications-00001.jsonl"))
    pub = records["US-9478535-B2"].publication
    assert (pub.doc_type, pub.doc_type_rule) == ("invention_grant", "source:google")


def test_cost_over_the_limit_is_refused_before_the_query_runs(fake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake.bytes_processed = 300 * (1 << 30)
    with pytest.raises(CostLimitExceeded) as caught:
        export_slice(SLICE, tmp_path / "out", "parquet", None, parse_bytes("200G"))
    assert str(caught.value) == ("the query would process 300.0 GiB, over --max-bytes-billed 200.0 GiB; "
                                 "raise the limit or narrow the slice")
    assert len(fake.queries) == 1 and fake.queries[0][1]["dry_run"] is True
    assert fake.pages_read == 0
    assert list((tmp_path / "out").iterdir()) == []


def test_missing_credentials_say_how_to_get_them(fake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake.credentials_error = "Your default credentials were not found.\nTo set up ADC, see ..."
    with pytest.raises(BigQueryUnavailable) as caught:
        export_slice(SLICE, tmp_path / "out", "parquet", None, parse_bytes("1G"))
    assert str(caught.value) == (
        "no Google credentials (Your default credentials were not found.); run `gcloud auth "
        "application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file")
    assert fake.queries == [] and not (tmp_path / "out").exists()


def test_missing_library_says_how_to_install_it(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    forbid_network(monkeypatch)
    monkeypatch.setitem(sys.modules, "google", None)
    with pytest.raises(BigQueryUnavailable, match=r"google-cloud-bigquery is not installed \(.*\); "
                       r"pip install 'patentreach\[bigquery\]' \(google-cloud-bigquery\)$"):
        export_slice(SLICE, tmp_path / "out", "parquet", None, parse_bytes("1G"))


def test_a_folder_with_an_earlier_extraction_is_refused(fake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "publications-00001.parquet").write_bytes(b"earlier")
    with pytest.raises(ExportFolderError, match=r"holds publications-00001\.parquet from an earlier extraction"):
        export_slice(SLICE, tmp_path, "parquet", None, parse_bytes("1G"))
    assert len(fake.queries) == 0


def test_a_failure_halfway_leaves_only_complete_files(fake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = sample_batches((4, 4, 2))

    class Broken:
        num_rows = 3

        @property
        def schema(self):  # type: ignore[no-untyped-def]
            raise ConnectionResetError("connection dropped")

    fake.batches = [good[0], good[1], Broken()]  # type: ignore[list-item]
    with pytest.raises(ConnectionResetError):
        export_slice(SLICE, tmp_path / "out", "jsonl", None, parse_bytes("1G"), rows_per_file=8)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["publications-00001.jsonl"]
    assert len((tmp_path / "out" / "publications-00001.jsonl").read_text().splitlines()) == 8


@pytest.mark.parametrize(("text", "expected"), [("200G", 200 << 30), ("1T", 1 << 40), ("1.5GiB", 3 << 29),
                                                 ("500MB", 500 << 20), ("123", 123)])
def test_sizes_are_binary_units(text: str, expected: int) -> None:
    assert parse_bytes(text) == expected


@pytest.mark.parametrize("text", ["lots", "-5G", "0"])
def test_bad_sizes_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_bytes(text)


def test_an_extraction_folder_ingests_into_the_warehouse(fake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from patentreach.warehouse.ingest import ingest
    from patentreach.warehouse.layout import Warehouse

    export_slice(SLICE, tmp_path / "out", "parquet", None, parse_bytes("1G"), rows_per_file=6)
    warehouse = Warehouse(tmp_path / "wh")
    report = ingest([tmp_path / "out"], warehouse)
    assert not report.failed, [f.error for f in report.failed]
    assert sorted((Path(f.label).name, f.reader, f.format_version, f.read, f.stored) for f in report.files) == [
        ("publications-00001.parquet", "google-patents", "parquet", 6, 6),
        ("publications-00002.parquet", "google-patents", "parquet", 4, 4),
    ]
    stored = pq.read_table(warehouse.table_dir("publications")).select(["pub_id", "doc_type", "doc_type_rule"])
    assert sorted(stored.to_pylist(), key=lambda r: r["pub_id"]) == [
        {"pub_id": pub_id, "doc_type": "invention_grant", "doc_type_rule": "source:google"}
        for pub_id in sorted(SAMPLE_IDS)]


def test_no_project_anywhere_says_how_to_give_one(fake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake.project = None  # type: ignore[assignment]
    with pytest.raises(BigQueryUnavailable, match=r"^no Google Cloud project to bill the query to: give --project ID"):
        export_slice(SLICE, tmp_path / "out", "parquet", None, parse_bytes("1G"))
    assert fake.queries == []
