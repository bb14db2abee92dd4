"""Documents per second of every reader on its real samples, against a bare parse of the same bytes.

For each reader in ``SOURCES``, its sample files (``tests/sources/samples.py``) are read again and
again for at least ``--seconds``: units + parse, as the ingest does in one worker. The baseline in
the same run is a bare parse of the same files with no mapping: ``lxml.etree.fromstring`` per XML
document (concatenated files split the same way), ``json.loads`` for JSON, ``csv`` for CSV/TSV.
Not a timed test: run ``.venv/bin/python bench/readers.py``.

``--tabular ROWS`` measures the tabular sources at scale instead (issue 20): ``patentreach ingest``
(in process, a fresh warehouse each time) of synthetic files in the source's layout
(``bench/patentsview_layout.py``) against DuckDB's own ``read_csv`` of the same file into zstd
Parquet, interleaved, best of ``--repeat``, with the load average before and after.
``--row-reader`` also times the per-row reader on the same file (native path off), once. The
Lens CSV export and the Google Patents rows (as JSON Lines, against DuckDB's ``read_json``, and as
a Parquet export, against ``read_parquet``) are their real samples repeated ``--copies`` times;
all go through their native paths.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))

from patentreach.sources import source_named  # noqa: E402
from patentreach.sources.concatenated_xml import split_documents  # noqa: E402
from tests.sources.samples import SAMPLES  # noqa: E402

PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=True)


def run_reader(name: str, files: list[Path]) -> int:
    source = source_named(name)
    documents = 0
    for file in files:
        with open(file, "rb") as handle:
            for unit in source.units(io.BufferedReader(handle)):
                parsed = source.parse(unit, str(file))
                documents += parsed.record is not None
    return documents


def run_baseline(files: list[Path]) -> None:
    for file in files:
        data = file.read_bytes()
        head = data[:200].lstrip()
        if head.startswith((b"{", b"[")):
            json.loads(data)
        elif file.suffix.lower() in {".csv", ".tsv"}:
            dialect = "excel-tab" if file.suffix.lower() == ".tsv" else "excel"
            for _ in csv.reader(io.StringIO(data.decode("utf-8", "replace")), dialect=dialect):
                pass
        else:
            for unit in split_documents(io.BytesIO(data)):
                with contextlib.suppress(etree.XMLSyntaxError):
                    etree.fromstring(unit.data, PARSER)


def timed(function, seconds: float) -> tuple[float, int, object]:
    start = time.perf_counter()
    rounds, result = 0, None
    while True:
        result = function()
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed, rounds, result


def duckdb_to_parquet(path: Path, out: Path) -> None:
    """The baseline: DuckDB reads the file (its own type detection) and writes zstd Parquet."""
    import duckdb

    if path.suffix == ".parquet":
        source = f"read_parquet('{path}')"
    elif path.suffix == ".jsonl":
        source = f"read_json('{path}', format='newline_delimited')"
    elif path.suffix == ".csv":
        source = f"read_csv('{path}', header=true, quote='\"')"
    else:
        source = f"read_csv('{path}', delim='\\t', header=true, quote='\"')"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM {source}) TO '{out}' (FORMAT parquet, COMPRESSION zstd)")
    con.close()


def repeated_samples(work: Path, copies: int) -> dict[str, Path]:
    """Real samples repeated ``copies`` times: the Lens CSV export's rows (its one row without a
    publication date quarantined in every copy), and the Google Patents rows as JSON Lines."""
    lens = (DATA / "lens" / "lens-export_patents_jet-engine_2021-03.csv").read_bytes()
    header, _, body = lens.partition(b"\n")
    lens_path = work / "lens.csv"
    lens_path.write_bytes(header + b"\n" + body.rstrip(b"\n") + (b"\n" + body.rstrip(b"\n")) * (copies - 1) + b"\n")
    google = json.loads((DATA / "google-patents-bigquery" / "publications_sample_10rows.json").read_bytes())
    lines = "".join(json.dumps(record) + "\n" for record in google)
    google_path = work / "google.jsonl"
    google_path.write_text(lines * copies * 10, encoding="utf-8")
    from tests.warehouse.google_bigquery_rows import bigquery_rows, json_lines  # every column an export has

    bigquery_path = work / "google-bigquery.jsonl"
    bigquery_path.write_bytes(json_lines(bigquery_rows(google)) * copies * 10)
    return {"lens-csv (real export x copies)": lens_path, "google-patents JSON Lines": google_path,
            "google-patents BigQuery export (all columns)": bigquery_path,
            "google-patents Parquet export (all columns)": google_parquet(work, bigquery_rows(google), copies * 10)}


def google_parquet(work: Path, rows: list[dict], times: int) -> Path:
    """The rows as ``patentreach fetch google`` writes them: Parquet, INT64 dates, BOOL flags."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for row in rows:
        for column in ("publication_date", "filing_date", "priority_date", "grant_date"):
            row[column] = int(row[column])
        for claim in row["priority_claim"]:
            claim["filing_date"] = int(claim["filing_date"])
    pq.write_table(pa.Table.from_pylist(rows * times), work / "google-bigquery.parquet")
    return work / "google-bigquery.parquet"


def baseline(path: Path, work: Path) -> None:
    """DuckDB -> Parquet of the file, or of every file of the folder."""
    for n, file in enumerate(sorted(path.glob("*.tsv")) if path.is_dir() else [path]):
        duckdb_to_parquet(file, work / f"base{n}.parquet")


NATIVE_KEPT: list[bool] = []  # per ingested file: read by the native path (True) or handed back


def ingest_fresh(path: Path, root: Path, native: bool = True) -> tuple[int, int, int, int]:
    """``patentreach ingest`` of one file into a new warehouse; (read, stored, quarantined, skipped)."""
    from patentreach.warehouse import Warehouse, native_ingest
    from patentreach.warehouse.ingest import ingest

    shutil.rmtree(root, ignore_errors=True)
    original = native_ingest.try_native

    def spy(*args, **kwargs):
        result = original(*args, **kwargs) if native else None
        NATIVE_KEPT.append(result is not None)
        return result

    native_ingest.try_native = spy  # type: ignore[assignment]
    try:
        report = ingest([path], Warehouse(root))
    finally:
        native_ingest.try_native = original  # type: ignore[assignment]
    for outcome in report.files:
        if outcome.status != "ingested":
            raise SystemExit(f"{path}: {outcome.status} {outcome.error}")
    keys = ("read", "stored", "quarantined", "skipped")
    return tuple(sum(getattr(f, k) for f in report.files) for k in keys)  # type: ignore[return-value]


def best_of(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def tabular(rows: int, repeat: int, row_reader: bool, copies: int, only: str = "") -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from patentsview_layout import write_citation_tsv, write_g_folder, write_patent_tsv

    work = Path(tempfile.mkdtemp(prefix="tabular-bench-"))
    try:
        files = {
            "patentsview-tsv legacy patent": write_patent_tsv(work / "patent.tsv", rows),
            "patentsview-tsv uspatentcitation (skipped rows)": write_citation_tsv(work / "uspatentcitation.tsv",
                                                                                 rows * 4),
            "patentsview-tsv g_patent + 7 sibling tables": write_g_folder(work / "g", rows),
        }
        if copies:
            files |= repeated_samples(work, copies)
        files = {name: path for name, path in files.items() if only.lower() in name.lower()}
        warm = DATA / "patentsview-tsv" / "legacy" / "patent.truncated10.tsv"  # imports and reference tables
        ingest_fresh(warm, work / "wh")
        duckdb_to_parquet(warm, work / "base.parquet")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'source':48} {'MB':>7} {'rows':>10} {'DuckDB s':>9} {'ingest s':>9} {'ratio':>6} {'CPU ratio':>9}"
              f" {'path':>8} quarantined{'  per-row s  ratio' if row_reader else ''}")
        for name, path in files.items():
            megabytes = sum(f.stat().st_size for f in (path.glob("*") if path.is_dir() else [path])) / 1e6
            base_times, ours_times, base_cpu, ours_cpu = [], [], [], []
            counts = (0, 0, 0, 0)
            NATIVE_KEPT.clear()
            for _ in range(repeat):  # interleaved: baseline, ours, baseline, ours, ...
                cpu = time.process_time()  # CPU time of all threads: less moved by other jobs' load
                base_times.append(best_of(lambda path=path: baseline(path, work), 1))
                base_cpu.append(time.process_time() - cpu)
                shutil.rmtree(work / "wh", ignore_errors=True)  # deleting the last run's warehouse is not timed
                start, cpu = time.perf_counter(), time.process_time()
                counts = ingest_fresh(path, work / "wh")
                ours_times.append(time.perf_counter() - start)
                ours_cpu.append(time.process_time() - cpu)
            base, ours = min(base_times), min(ours_times)
            cpu_ratio = min(base_cpu) / min(ours_cpu)
            native = "native" if NATIVE_KEPT and all(NATIVE_KEPT) else "per-row" if not any(NATIVE_KEPT) else "mixed"
            line = (f"{name:48} {megabytes:>7.0f} {counts[0]:>10,} {base:>9.2f} {ours:>9.2f} {base / ours:>6.2f}"
                    f" {cpu_ratio:>9.2f} {native:>8} q={counts[2]}")
            if row_reader:
                start = time.perf_counter()
                row_counts = ingest_fresh(path, work / "wh", native=False)
                per_row = time.perf_counter() - start
                assert row_counts == counts, (row_counts, counts)
                line += f" {per_row:>10.2f} {base / per_row:>6.2f}"
            print(line)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--tabular", type=int, metavar="ROWS", default=0,
                        help="time the tabular sources at scale (ROWS patents) instead of the samples")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--row-reader", action="store_true", help="with --tabular: also time the per-row reader")
    parser.add_argument("--copies", type=int, default=10,
                        help="with --tabular: the Lens and Google samples repeated this many times (0: not timed)")
    parser.add_argument("--only", default="", help="with --tabular: only the sources whose name contains this")
    args = parser.parse_args()
    if args.tabular:
        tabular(args.tabular, args.repeat, args.row_reader, args.copies, args.only)
        return
    if not DATA.is_dir():
        sys.exit(f"{DATA} is missing: the benchmark needs ../shared beside the repository")
    print(f"{'reader':24} {'docs/round':>10} {'docs/s':>10} {'MB/s':>8} {'baseline MB/s':>14} {'ratio':>6}")
    for name, paths in SAMPLES.items():
        files = [DATA / p for p in paths]
        megabytes = sum(f.stat().st_size for f in files) / 1e6
        elapsed, rounds, documents = timed(lambda files=files, name=name: run_reader(name, files), args.seconds)
        base_elapsed, base_rounds, _ = timed(lambda files=files: run_baseline(files), args.seconds)
        rate = megabytes * rounds / elapsed
        base_rate = megabytes * base_rounds / base_elapsed
        print(f"{name:24} {documents:>10} {documents * rounds / elapsed:>10.0f} {rate:>8.1f} {base_rate:>14.1f}"
              f" {rate / base_rate:>6.2f}")


if __name__ == "__main__":
    main()
