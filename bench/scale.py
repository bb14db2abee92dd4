"""What a full load costs on this machine, per stage, and the Spark ingest path on local[N].

Two loads, each measured at a size that fits a session and extrapolated linearly by the reader of
the output (docs/scale.md does it, saying so):

* USPTO grants: ``--weeks`` synthetic weekly files at real sizes (``--docs`` grants of about
  ``--doc-kb`` KB each: the real sample grants of ``../shared/data/uspto-grant-xml`` above a size
  threshold, repeated with new publication numbers). Measured: ``patentreach ingest --jobs J``
  (subprocess: wall time, peak RSS of the process tree, warehouse size on disk); the ingest's stages
  on one week in this process, ``--jobs 1`` (split+hash = the rest, parse, write parts, commit,
  views: each timed around the ingest's own functions); ``patentreach harmonize``; the standard
  indicator set (``prepare`` then ``outbound_set``); and, with ``--spark``, the same weeks through
  ``patentreach ingest --engine spark --spark-master local[J]``.
* PATSTAT: a delivery in the PATSTAT Global layout (``bench/patstat.py``'s generator) of each
  ``--patstat`` publication count: ``patentreach ingest`` wall time, peak RSS, CSV and warehouse
  sizes, and the staging folder's peak size (DuckDB's spill).

Every line carries the load average (1 minute) at its start and end: other work on the machine
slows every figure, so record it with them. Not a timed test:
``.venv/bin/python bench/scale.py --weeks 3 --patstat 1000000,4000000 --spark``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "data" / "uspto-grant-xml" / "ipg-weekly-samples"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from patentreach.sources.concatenated_xml import split_documents  # noqa: E402

_PUB_NUMBER = re.compile(
    rb"(<publication-reference>\s*<document-id>\s*<country>US</country>\s*<doc-number>)([^<]*)(</doc-number>)"
)


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def real_sized_documents(target_kb: int) -> list[bytes]:
    """The real sample grants whose mean size is closest to ``target_kb`` from above (the largest
    ones: the samples average 41 KB, real weekly files about 75 KB)."""
    if not SAMPLES.is_dir():
        sys.exit(f"{SAMPLES} is missing: the benchmark needs ../shared beside the repository")
    documents: list[bytes] = []
    for sample in sorted(SAMPLES.glob("*.xml")):
        with open(sample, "rb") as handle:
            documents += [u.data for u in split_documents(handle) if b"<us-patent-grant" in u.data[:2000]]
    by_size = sorted(documents, key=len, reverse=True)
    keep = by_size
    for n in range(1, len(by_size) + 1):
        if sum(map(len, by_size[:n])) / n < target_kb * 1000:
            keep = by_size[: max(1, n - 1)]
            break
    smallest = len(keep[-1])
    return [d for d in documents if len(d) >= smallest]  # in file order, so any run of them is typical


def write_weeks(folder: Path, weeks: int, docs: int, target_kb: int) -> tuple[int, int]:
    """``weeks`` files of ``docs`` grants each, numbered on from 20,000,000; returns (documents, bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    pool = real_sized_documents(target_kb)
    serial, total = 20_000_000, 0
    for week in range(weeks):
        with open(folder / f"ipg{week:02d}.xml", "wb") as out:
            for i in range(docs):
                serial += 1
                number = f"{serial:08d}".encode()
                document = pool[(week * docs + i) % len(pool)]
                renumbered = _PUB_NUMBER.sub(lambda m, n=number: m.group(1) + n + m.group(3), document, count=1)
                out.write(renumbered)
                total += len(renumbered)
    return weeks * docs, total


class Peak:
    """Peak RSS of a process tree and peak size of a folder, sampled every 0.1 s in a thread."""

    def __init__(self, pid: int, folder: Path | None = None):
        self.process, self.folder = psutil.Process(pid), folder
        self.rss = self.disk = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                self.rss = max(self.rss, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            if self.folder is not None:
                with contextlib.suppress(OSError):
                    self.disk = max(self.disk, du(self.folder))
            time.sleep(0.1)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def command(args: list[str], staging: Path | None = None) -> tuple[float, int, int]:
    """Seconds, peak RSS (process tree) and peak size of ``staging`` of one ``patentreach`` run."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "patentreach.cli.main", *args], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = Peak(process.pid, staging)
    _, err = process.communicate()
    peak.stop()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"patentreach {' '.join(args)} failed: {err.decode()[-2000:]}")
    return elapsed, peak.rss, peak.disk


def report(what: str, seconds: float, rss: int | None, started_load: str, extra: str = "") -> None:
    memory = f"  peak RSS {rss / 1e6:6,.0f} MB" if rss is not None else ""
    print(f"{what:<44} {seconds:8.1f} s{memory}{extra}  load {started_load} -> {load()}", flush=True)


def stage_times(path: Path, warehouse: Path) -> dict[str, float]:
    """One file's ingest in this process (``--jobs 1``), time per stage, by wrapping the ingest's own
    functions: parse (``parse_batch``), write (``PartWriter.add``/``finish``), commit, views; split =
    the rest (reading, hashing, detection, splitting into documents)."""
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse import ingest as ingest_module
    from patentreach.warehouse.part_writer import PartWriter

    spent: dict[str, float] = dict.fromkeys(("parse", "write", "finish", "commit", "views"), 0.0)

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    saved = (ingest_module.parse_batch, ingest_module._commit, ingest_module.write_database,
             PartWriter.add, PartWriter.finish)
    ingest_module.parse_batch = timed("parse", ingest_module.parse_batch)
    ingest_module._commit = timed("commit", ingest_module._commit)
    ingest_module.write_database = timed("views", ingest_module.write_database)
    PartWriter.add = timed("write", PartWriter.add)  # type: ignore[method-assign]
    PartWriter.finish = timed("finish", PartWriter.finish)  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        result = ingest_module.ingest([path], Warehouse(warehouse), jobs=1)
        total = time.perf_counter() - start
    finally:
        (ingest_module.parse_batch, ingest_module._commit, ingest_module.write_database,
         PartWriter.add, PartWriter.finish) = saved
    assert result.complete, [f.error for f in result.files]
    finish = spent.pop("finish")  # called inside commit: closing the parts is writing them
    spent["write"] += finish
    spent["commit"] -= finish
    spent["split"] = total - sum(spent.values())
    spent["total"] = total
    return spent


def indicators(warehouse: Path) -> tuple[float, float]:
    """Seconds to prepare the fact tables and to compute the standard indicator set."""
    from patentreach.indicators import indicator_set, outbound_set, prepare
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.engines import connect

    with connect(Warehouse(warehouse)) as engine:
        start = time.perf_counter()
        prepare(engine)
        prepared = time.perf_counter() - start
        start = time.perf_counter()
        outbound_set(engine, indicator_set(("JP",), (2005, 2012)))
        return prepared, time.perf_counter() - start


def uspto(args: argparse.Namespace, work: Path) -> None:
    weeks = work / "weeks"
    documents, size = write_weeks(weeks, args.weeks, args.docs, args.doc_kb)
    mb = size / 1e6
    print(f"USPTO: {args.weeks} weekly files, {documents:,} grants, {mb:,.0f} MB "
          f"({size / documents / 1000:.0f} KB per grant)", flush=True)
    warehouse = work / "wh-uspto"
    before = load()
    seconds, rss, _ = command(["ingest", str(weeks), "--warehouse", str(warehouse), "--jobs", str(args.jobs)])
    report(f"ingest --jobs {args.jobs} ({mb / seconds:.1f} MB/s)", seconds, rss, before,
           f"  warehouse {du(warehouse) / 1e6:,.1f} MB")
    if not args.no_stages:
        before = load()
        spent = stage_times(weeks / "ipg00.xml", work / "wh-stages")
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in spent.items() if k != "total")
        report("stages of one week, in process, --jobs 1", spent["total"], None, before, f"  ({parts})")
        before = load()
        seconds, rss, _ = command(["harmonize", "--warehouse", str(warehouse)])
        report("harmonize", seconds, rss, before)
        before = load()
        prepared, counted = indicators(warehouse)
        report("indicators: prepare facts", prepared, psutil.Process().memory_info().rss, before)
        report("indicators: standard set", counted, None, before)
    if args.spark:
        before = load()
        seconds, rss, _ = command(["ingest", str(weeks), "--warehouse", str(work / "wh-spark"),
                                   "--engine", "spark", "--spark-master", f"local[{args.jobs}]"])
        report(f"ingest --engine spark local[{args.jobs}] ({mb / seconds:.1f} MB/s)", seconds, rss, before,
               "  (includes the JVM start)")
    shutil.rmtree(weeks, ignore_errors=True)


def _lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))


def patstat(publications: int, work: Path) -> None:
    from patstat import generate  # bench/patstat.py

    folder = work / f"patstat-{publications}"
    size = generate(folder / "csv", publications)
    rows = sum(_lines(p) - 1 for p in (folder / "csv").glob("*.csv"))
    warehouse = folder / "warehouse"
    before = load()
    seconds, rss, staging = command(["ingest", str(folder / "csv"), "--warehouse", str(warehouse)],
                                    staging=warehouse / "staging")
    report(f"PATSTAT {publications:,} publications, {rows:,} rows, {size / 1e6:,.0f} MB CSV: ingest",
           seconds, rss, before, f"  warehouse {du(warehouse) / 1e6:,.0f} MB, staging peak {staging / 1e6:,.0f} MB")
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=3, help="weekly USPTO grant files (0: none)")
    parser.add_argument("--docs", type=int, default=4000, help="grants per weekly file")
    parser.add_argument("--doc-kb", type=int, default=75, help="mean grant size to aim at, KB")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the ingest, cores of local[N]")
    parser.add_argument("--patstat", default="1000000", help="PATSTAT publication counts, comma-separated ('': none)")
    parser.add_argument("--spark", action="store_true", help="also ingest the weeks with --engine spark")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage, harmonize and indicators runs")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    print(f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        if args.weeks:
            uspto(args, work)
        for publications in (int(p) for p in args.patstat.split(",") if p):
            patstat(publications, work)


if __name__ == "__main__":
    main()
