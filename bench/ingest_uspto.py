"""Ingest throughput of the USPTO grant reader against a bare lxml parse, same file, same run.

Builds a weekly-style file of at least 200 MB by repeating the real sample grants of
``../shared/data/uspto-grant-xml`` with new publication numbers, then measures:

* baseline: split the file into documents and parse each whole document with lxml (one core);
* ``patentreach ingest`` with ``--jobs 1`` and ``--jobs 2`` (subprocesses, fresh warehouses);

and prints the baseline's MB/s, the ``--jobs 1`` ratio to the baseline (wall and CPU), the
``--jobs 2`` ratio to ``--jobs 1`` (wall, and the CPU both spend), the peak RSS (whole process
tree) and the load average at start and end. ``--jobs 2`` reads the file in byte ranges: the
workers split, parse and write their own Parquet parts (``warehouse/ranged_ingest.py``). The three
runs are interleaved and repeated (``--repeat``, best of each kept), so that a busy machine slows
them alike and the ratios stay meaningful.
Not a timed test: run ``.venv/bin/python bench/ingest_uspto.py [--mb 200] [--repeat 3]``.
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
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "data" / "uspto-grant-xml" / "ipg-weekly-samples"
sys.path.insert(0, str(REPO))

from patentreach.sources.concatenated_xml import split_documents  # noqa: E402

_PUB_NUMBER = re.compile(
    rb"(<publication-reference>\s*<document-id>\s*<country>US</country>\s*<doc-number>)([^<]*)(</doc-number>)"
)


def build_file(path: Path, megabytes: int) -> int:
    """Write the sample grants again and again with fresh numbers; returns the document count."""
    if not SAMPLES.is_dir():
        sys.exit(f"{SAMPLES} is missing: the benchmark needs ../shared beside the repository")
    documents = []
    for sample in sorted(SAMPLES.glob("*.xml")):
        with open(sample, "rb") as handle:
            documents.extend(u.data for u in split_documents(handle) if b"<us-patent-grant" in u.data[:2000])
    count, size, serial = 0, 0, 20_000_000
    with open(path, "wb") as out:
        while size < megabytes * 1_000_000:
            for document in documents:
                serial += 1
                number = f"{serial:08d}".encode()
                renumbered = _PUB_NUMBER.sub(lambda m, n=number: m.group(1) + n + m.group(3), document, count=1)
                out.write(renumbered)
                size += len(renumbered)
                count += 1
    return count


def bare_lxml(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the baseline: split, then parse every whole document with lxml."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    start, cpu = time.perf_counter(), time.process_time()
    with open(path, "rb") as handle:
        for unit in split_documents(handle):
            with contextlib.suppress(etree.XMLSyntaxError):
                etree.fromstring(unit.data, parser)
    return time.perf_counter() - start, time.process_time() - cpu


@dataclass
class Run:
    wall: float
    peak_rss: int
    cpu_main: float  # CPU seconds of the ingest process itself
    cpu_workers: float  # CPU seconds of its parse workers


def run_ingest(path: Path, jobs: int, workdir: Path) -> Run:
    """Wall time, peak RSS (summed over the process tree) and CPU seconds of one ingest.

    CPU seconds are read from the processes while they run (the last reading of each counts):
    on a busy machine they say more about the work done than the wall time does."""
    shutil.rmtree(workdir / f"wh-{jobs}", ignore_errors=True)
    command = [sys.executable, "-m", "patentreach.cli.main", "ingest", str(path),
               "--warehouse", str(workdir / f"wh-{jobs}"), "--jobs", str(jobs)]
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    peak, cpu_main, cpu_workers = 0, 0.0, {}
    while process.poll() is None:
        try:
            children = process.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in [process, *children] if p.is_running()))
            times = process.cpu_times()
            cpu_main = times.user + times.system
            for child in children:
                times = child.cpu_times()
                cpu_workers[child.pid] = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"ingest failed: {process.stderr.read().decode()}")
    return Run(elapsed, peak, cpu_main, sum(cpu_workers.values()))


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the generated file in MB")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions (best kept)")
    args = parser.parse_args()
    print(f"load average at start: {load_average()} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        big = workdir / "ipg-bench.xml"
        documents = build_file(big, args.mb)
        mb = big.stat().st_size / 1e6
        print(f"file: {mb:.0f} MB, {documents} grant documents (repeated real samples, new numbers)")
        base_wall = base_cpu = float("inf")
        runs: dict[int, list[Run]] = {1: [], 2: []}
        for _ in range(args.repeat):
            wall, cpu = bare_lxml(big)
            base_wall, base_cpu = min(base_wall, wall), min(base_cpu, cpu)
            for jobs in (1, 2):
                runs[jobs].append(run_ingest(big, jobs, workdir))
        one = min(runs[1], key=lambda r: r.wall)
        two = min(runs[2], key=lambda r: r.wall)
        peak = {jobs: max(r.peak_rss for r in runs[jobs]) for jobs in runs}
        cpu_two = two.cpu_main + two.cpu_workers
        print(f"baseline bare lxml whole-document parse: {mb / base_wall:7.1f} MB/s {documents / base_wall:8.0f} docs/s"
              f"  CPU {base_cpu:6.2f} s")
        print(f"patentreach ingest --jobs 1:         {mb / one.wall:7.1f} MB/s {documents / one.wall:8.0f} docs/s"
              f"  ratio to baseline {base_wall / one.wall:4.2f}x wall, {base_cpu / one.cpu_main:4.2f}x by CPU"
              f"  (CPU {one.cpu_main:6.2f} s, CLI start included)  peak RSS {peak[1] / 1e6:5.0f} MB")
        print(f"patentreach ingest --jobs 2:         {mb / two.wall:7.1f} MB/s {documents / two.wall:8.0f} docs/s"
              f"  --jobs 2 / --jobs 1 = {one.wall / two.wall:4.2f}x wall"
              f"  (CPU main {two.cpu_main:6.2f} s + workers {two.cpu_workers:6.2f} s = {cpu_two:6.2f} s,"
              f" {cpu_two / one.cpu_main:4.2f}x the CPU of --jobs 1)  peak RSS {peak[2] / 1e6:5.0f} MB")
        print(f"best of {args.repeat}, interleaved; load average at end: {load_average()}")


if __name__ == "__main__":
    main()
