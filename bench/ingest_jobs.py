"""How ``ingest --jobs 2`` scales against ``--jobs 1`` on one big USPTO weekly-style file.

Builds the file ``bench/ingest_uspto.py`` builds (``--mb``, the real sample grants repeated with
new numbers), then runs ``patentreach ingest`` in subprocesses, ``--jobs 1`` and ``--jobs 2``
interleaved and repeated (``--repeat``, best kept), and prints for each: wall seconds, CPU
seconds of the main process and of the workers, peak RSS of the process tree, and the ratio
``--jobs 1`` wall / ``--jobs 2`` wall. ``--tree PATH`` (repeatable) runs the same commands against
other checkouts (e.g. the commit before a change, made with ``git worktree add``), interleaved
with this one, so that a busy machine slows them all alike. On a loaded machine wall ratios are
depressed; the CPU columns say where the work is.

Not a timed test: ``.venv/bin/python bench/ingest_jobs.py [--mb 200] [--repeat 3] [--tree ../base]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from ingest_uspto import build_file  # noqa: E402


@dataclass
class Run:
    wall: float
    cpu_main: float
    cpu_workers: float
    peak_rss: int


def run_ingest(tree: Path, path: Path, jobs: int, workdir: Path) -> Run:
    """One ``patentreach ingest`` of ``path`` with ``tree``'s code into a fresh warehouse."""
    warehouse = workdir / f"wh-{jobs}"
    shutil.rmtree(warehouse, ignore_errors=True)
    command = [sys.executable, "-m", "patentreach.cli.main", "ingest", str(path), "--warehouse", str(warehouse),
               "--jobs", str(jobs)]
    environment = os.environ | {"PYTHONPATH": str(tree)}
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tree, env=environment)
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
        time.sleep(0.02)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"ingest failed ({tree}, --jobs {jobs}): {process.stderr.read().decode()}")
    shutil.rmtree(warehouse, ignore_errors=True)
    return Run(wall, cpu_main, sum(cpu_workers.values()), peak)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the generated file in MB")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions (best kept)")
    parser.add_argument("--tree", type=Path, action="append", default=[], help="another checkout to compare")
    args = parser.parse_args()
    trees = [REPO, *(t.resolve() for t in args.tree)]
    print(f"load average at start: {load_average()} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        big = workdir / "ipg-bench.xml"
        documents = build_file(big, args.mb)
        print(f"file: {big.stat().st_size / 1e6:.0f} MB, {documents} grant documents")
        runs: dict[tuple[Path, int], list[Run]] = {(t, j): [] for t in trees for j in (1, 2)}
        for _ in range(args.repeat):
            for tree in trees:
                for jobs in (1, 2):
                    runs[tree, jobs].append(run_ingest(tree, big, jobs, workdir))
        for tree in trees:
            best = {j: min(runs[tree, j], key=lambda r: r.wall) for j in (1, 2)}
            print(f"{tree}:")
            for jobs, run in best.items():
                print(f"  --jobs {jobs}: wall {run.wall:6.2f} s  CPU main {run.cpu_main:5.2f} s + workers"
                      f" {run.cpu_workers:5.2f} s  peak RSS {run.peak_rss / 1e6:4.0f} MB")
            ratio = best[1].wall / best[2].wall
            walls = [" ".join(f"{r.wall:.2f}" for r in runs[tree, j]) for j in (1, 2)]
            print(f"  --jobs 2 / --jobs 1: {ratio:4.2f}x wall (best of {args.repeat}; walls j1 {walls[0]}, j2 {walls[1]})")
    print(f"interleaved; load average at end: {load_average()}")


if __name__ == "__main__":
    main()
