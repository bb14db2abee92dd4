"""The Spark ingest path (readers mapped over files by Spark executors) writes the same warehouse
as the local ingest: every table's rows, the quarantine, the warnings and the ingest log's
accounting, identical; and it keeps the local ingest's idempotence.

One Spark session (local[2]) for the module: a JVM costs seconds.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patentreach.warehouse import Warehouse, ingest_log
from patentreach.warehouse.ingest import IngestReport, ingest
from patentreach.warehouse.part_writer import ingest_id_of
from tests.conftest import shared_path

FILES = [
    ("uspto-grant-xml", "ipg-weekly-samples", "ipg050104.small.xml"),
    ("uspto-grant-xml", "ipg-weekly-samples", "ipg080101.small.xml"),
    ("uspto-grant-xml", "ipg-weekly-samples", "ipg120103.small.xml"),
    ("uspto-grant-xml", "quirks", "US07057742-20060606.malformed-mathml.XML"),
    ("epo-ep-publication-xml", "grant", "v1-5-1-B2-2.xml"),
    ("epo-ep-publication-xml", "application", "v1-3-A1-1.xml"),
    ("lens", "lens-export_patents_jet-engine_2021-03.csv"),
]
LOG_FIELDS = ("path", "size", "sha256", "reader", "reader_version", "read", "stored", "quarantined", "skipped",
              "warnings", "format_version")
NOT_COMPARED = {"ingest_id", "started_at", "finished_at"}


def _paths() -> list[Path]:
    return [shared_path("data", *parts) for parts in FILES]


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file with nothing in it: fails on its own, in both paths, with the same one-line error."""
    path = tmp_path_factory.mktemp("bad") / "empty.xml"
    path.write_bytes(b"")
    return path


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.fail("Spark needs a Java runtime: run scripts/system-deps.sh", pytrace=False)
    from patentreach.warehouse.spark_ingest import session

    yield session("local[2]")


@pytest.fixture(scope="module")
def both(
    spark: object, empty: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Warehouse, Warehouse, IngestReport, IngestReport]:
    from patentreach.warehouse import spark_ingest

    local = Warehouse(tmp_path_factory.mktemp("local") / "wh")
    local_report = ingest([*_paths(), empty], local)
    on_spark = Warehouse(tmp_path_factory.mktemp("spark") / "wh")
    report = spark_ingest.ingest([*_paths(), empty], on_spark, spark=spark)
    return local, on_spark, report, local_report


def _log(warehouse: Warehouse) -> list[tuple]:
    rows = pq.read_table(warehouse.log_dir).to_pylist()
    return sorted(tuple(row[name] for name in LOG_FIELDS) for row in rows)


def _tables(warehouse: Warehouse) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without ingest ids and times; only committed parts."""
    committed = {row["ingest_id"] for row in pq.read_table(warehouse.log_dir).to_pylist()}
    out: dict[str, list[tuple]] = {}
    for folder in sorted((warehouse.root / "tables").iterdir()):
        rows: list[tuple] = []
        for part in sorted(folder.glob("*.parquet")):
            assert ingest_id_of(part) in committed, f"{part}: a part without an ingest-log entry"
            table = pq.read_table(part)
            names = [n for n in table.column_names if n not in NOT_COMPARED]
            rows += [tuple(row[n] for n in names) for row in table.select(names).to_pylist()]
        out[folder.name] = sorted(rows, key=repr)
    return out


def test_spark_ingest_writes_the_same_tables_as_the_local_ingest(both) -> None:
    local, on_spark, report, _ = both
    assert [Path(f.label).name for f in report.failed] == ["empty.xml"]
    expected, actual = _tables(local), _tables(on_spark)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], name
    assert len(expected["publications"]) > 100
    quarantined = sorted((Path(row[0]).name, row[-1]) for row in expected["quarantine"])
    assert quarantined == [  # the grant with unbalanced MathML, a Lens row with a bad field
        ("US07057742-20060606.malformed-mathml.XML", "uspto-grant-xml"),
        ("lens-export_patents_jet-engine_2021-03.csv", "lens-csv"),
    ]


def test_spark_ingest_keeps_the_same_accounting(both) -> None:
    local, on_spark, report, local_report = both
    assert _log(on_spark) == _log(local)
    by_file = {Path(f.label).name: (f.status, f.read, f.stored, f.quarantined, f.skipped) for f in report.files}
    assert by_file["US07057742-20060606.malformed-mathml.XML"] == ("ingested", 1, 0, 1, 0)
    assert [Path(f.label).name for f in report.files] == [*(parts[-1] for parts in FILES), "empty.xml"]  # input order
    assert not list(on_spark.staging_dir.iterdir())
    assert [(f.label, f.status, f.read, f.stored, f.quarantined, f.skipped, f.error) for f in report.files] == [
        (f.label, f.status, f.read, f.stored, f.quarantined, f.skipped, f.error) for f in local_report.files
    ]


def test_a_file_that_fails_on_an_executor_is_logged_like_a_local_failure(both, empty) -> None:
    local, on_spark, report, _ = both
    assert [f.error for f in report.failed] == [f"{empty}: empty (no content to read)"]
    failures = [[(row["path"], row["error"]) for row in ingest_log.read_failures(w)] for w in (local, on_spark)]
    assert failures[0] == failures[1] == [(str(empty), f"{empty}: empty (no content to read)")]


def test_spark_ingest_views_answer_like_the_local_ones(both) -> None:
    import duckdb

    counts = []
    for warehouse in both[:2]:
        with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
            counts.append(con.execute(
                "SELECT (SELECT count(*) FROM publications), (SELECT count(*) FROM parties),"
                " (SELECT count(*) FROM quarantine)"
            ).fetchone())
    assert counts[0] == counts[1]
    assert counts[0][0] > 100


def test_spark_ingest_again_stores_nothing_twice(both, spark, tmp_path) -> None:
    from patentreach.warehouse import spark_ingest

    _, on_spark, _, _ = both
    copy = Warehouse(tmp_path / "wh")
    shutil.copytree(on_spark.root, copy.root)
    before = _tables(copy)
    again = spark_ingest.ingest(_paths(), copy, spark=spark)
    assert [f.status for f in again.files] == ["already-ingested"] * len(FILES)
    assert _tables(copy) == before


def test_cli_ingest_engine_spark_uses_the_spark_path(spark, tmp_path) -> None:
    from typer.testing import CliRunner

    from patentreach.cli.main import app

    malformed = shared_path("data", "uspto-grant-xml", "quirks", "US07057742-20060606.malformed-mathml.XML")
    args = ["ingest", str(malformed), "--warehouse", str(tmp_path / "wh"), "--engine", "spark",
            "--spark-master", "local[2]"]
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, args)
    assert result.exit_code == 0, result.output
    log = pq.read_table(tmp_path / "wh" / "ingest_log").to_pylist()
    assert [(row["read"], row["stored"], row["quarantined"]) for row in log] == [(1, 0, 1)]


def test_cli_ingest_unknown_engine_is_a_usage_error(tmp_path) -> None:
    from typer.testing import CliRunner

    from patentreach.cli.main import app

    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["ingest", str(tmp_path), "--engine", "hadoop"])
    assert result.exit_code == 2
    assert "--engine 'hadoop' is not known; choose from local, spark" in result.output
