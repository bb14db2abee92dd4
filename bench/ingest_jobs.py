"""How ``ingest --jobs 2`` scales against ``--jobs 1`` on one big USPTO weekly-style file.

Builds the file ``bench/ingest_uspto.py`` builds (``--mb``, the real sample grants repeated with
new numbers), then runs ``patentreach ingest`` in subprocesses, ``--jobs 1`` and ``--jobs 2``
interleaved and repeated (``--repeat``, best kept), and prints for each: wall seconds, CPU
seconds of the main process and of the workers, peak RSS of the process tree, and the ratio
``--jobs 1`` wall / ``--jobs 2`` wall. ``--tree PATH`` (repeatable) runs the same commands against
other checkouts (e.g. the commit before a change, made with ``git archive``), interleaved with
this one, so that a busy machine slows them all alike.

On a loaded machine wall ratios are depressed, so the CPU seconds are also split, from samples
taken every 20 ms, into the main process's serial part before the workers start working, its
part while they work, and its part after, and an idle 2-core wall is estimated from them:
``before + max(busiest worker, (workers + main while they work) / 2) + after`` (for ``--jobs 1``
its CPU seconds). That estimate is a model, not a measurement; quote both.

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

from ingest_uspto import build_file, load_average  # noqa: E402


@dataclass
class Run:
    wall: float
    cpu_main: float
    cpu_workers: float
    peak_rss: int
    before: float = 0.0  # main CPU seconds before any worker worked
    during: float = 0.0
    after: float = 0.0
    busiest: float = 0.0  # CPU seconds of the busiest worker

    @property
    def idle_estimate(self) -> float:
        """The wall seconds this run would take on two idle cores (a model, see the module)."""
        if not self.cpu_workers:
            return self.cpu_main
        return self.before + max(self.busiest, (self.cpu_workers + self.during) / 2) + self.after


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
    samples: list[tuple[float, float]] = []  # (main CPU, workers' CPU) every 20 ms
    while process.poll() is None:
        try:
            children = process.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in [process, *children] if p.is_running()))
            times = process.cpu_times()
            cpu_main = times.user + times.system
            for child in children:
                times = child.cpu_times()
                cpu_workers[child.pid] = times.user + times.system
            samples.append((cpu_main, sum(cpu_workers.values())))
        except psutil.Error:
            pass
        time.sleep(0.02)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"ingest failed ({tree}, --jobs {jobs}): {process.stderr.read().decode()}")
    shutil.rmtree(warehouse, ignore_errors=True)
    run = Run(wall, cpu_main, sum(cpu_workers.values()), peak, busiest=max(cpu_workers.values(), default=0.0))
    working = [k for k in range(1, len(samples)) if samples[k][1] - samples[k - 1][1] > 0.01]
    if working:
        run.before = samples[working[0] - 1][0]
        run.during = samples[working[-1]][0] - run.before
        run.after = cpu_main - samples[working[-1]][0]
    return run


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
                print(f"  --jobs {jobs}: wall {run.wall:6.2f} s  CPU main {run.cpu_main:5.2f} s"
                      f" (before workers {run.before:4.2f}, during {run.during:4.2f}, after {run.after:4.2f})"
                      f" + workers {run.cpu_workers:5.2f} s (busiest {run.busiest:4.2f})"
                      f"  peak RSS {run.peak_rss / 1e6:4.0f} MB  idle 2-core estimate {run.idle_estimate:5.2f} s")
            walls = [" ".join(f"{r.wall:.2f}" for r in runs[tree, j]) for j in (1, 2)]
            estimate = [min(r.idle_estimate for r in runs[tree, j]) for j in (1, 2)]
            print(f"  --jobs 2 / --jobs 1: {best[1].wall / best[2].wall:4.2f}x wall (best of {args.repeat};"
                  f" walls j1 {walls[0]}, j2 {walls[1]}); idle 2-core estimate {estimate[0] / estimate[1]:4.2f}x")
    print(f"interleaved; load average at end: {load_average()}")


if __name__ == "__main__":
    main()
