"""CLI start time: ``patentreach --help`` and every command's ``--help``, against ``python -c pass``.

Each run is a fresh process of this repository's CLI (``python -c "from patentreach.cli.main
import main; main()" ARGS --help``, as the ``patentreach`` script does), so the time is what a
person waits for: interpreter start, imports, building the commands, printing the help. The
baseline ``python -c pass`` (interpreter and site start) runs interleaved with the commands in
every repetition, so load changes hit both alike. Printed per command: the median and the best of
``--repeat`` runs in seconds, the overhead over the baseline's median, and the median CPU time
(user + system) of the process, which a busy machine inflates far less than the wall time: on a
quiet machine the wall time of a one-threaded start is about its CPU time. The target (issue #20)
is every line under 0.3 s on a quiet machine; the load average is printed beside the numbers.

``--compare DIR`` times another checkout's CLI (say the main branch) in the same rounds, and
prints its median wall and CPU beside ours.

Not a timed test: ``.venv/bin/python bench/cli_start.py [--repeat 5] [--top-level-only] [--compare DIR]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

RUN_CLI = "import sys; sys.argv[0] = 'patentreach'; from patentreach.cli.main import main; main()"
TARGET_SECONDS = 0.3


def command_paths(top_level_only: bool) -> list[tuple[str, ...]]:
    """Every command path of the CLI (``()`` is the root), groups before their commands."""
    import typer

    from patentreach.cli.main import app

    def walk(command, path: tuple[str, ...]):
        yield path
        if top_level_only and path:
            return
        for name in list(getattr(command, "commands", {})):
            yield from walk(command.commands[name], (*path, name))

    return list(walk(typer.main.get_command(app), ()))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_once(argv: list[str], repo: Path = REPO) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv`` in ``repo``."""
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(argv, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env={**os.environ, "PYTHONPATH": str(repo), "COLUMNS": "100"})
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command (median and best shown)")
    parser.add_argument("--top-level-only", action="store_true", help="only the root and its direct commands")
    parser.add_argument("--compare", type=Path, default=None, help="another checkout to time in the same rounds")
    args = parser.parse_args()

    paths = command_paths(args.top_level_only)
    baseline_argv = [sys.executable, "-c", "pass"]
    runs: dict[tuple[str, ...], list[tuple[float, float]]] = {path: [] for path in paths}
    other: dict[tuple[str, ...], list[tuple[float, float]]] = {path: [] for path in paths}
    baseline: list[tuple[float, float]] = []
    for _ in range(args.repeat):
        for path in paths:
            baseline.append(time_once(baseline_argv))
            runs[path].append(time_once([sys.executable, "-c", RUN_CLI, *path, "--help"]))
            if args.compare is not None:
                other[path].append(time_once([sys.executable, "-c", RUN_CLI, *path, "--help"], args.compare))

    base = statistics.median(wall for wall, _cpu in baseline)
    base_cpu = statistics.median(cpu for _wall, cpu in baseline)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"CLI start, {args.repeat} runs each, {os.cpu_count()} cores, load average {load}")
    print(f"baseline `python -c pass`: median {base:.3f} s, best {min(w for w, _c in baseline):.3f} s, "
          f"CPU {base_cpu:.3f} s")
    compared = f" {'compared: median':>17} {'CPU':>7}" if args.compare is not None else ""
    print(f"{'command':<52} {'median':>8} {'best':>8} {'overhead':>9} {'CPU':>8}{compared}")
    worst = worst_cpu = 0.0
    for path, times in runs.items():
        median = statistics.median(wall for wall, _cpu in times)
        cpu = statistics.median(cpu for _wall, cpu in times)
        worst, worst_cpu = max(worst, median), max(worst_cpu, cpu)
        name = " ".join(("patentreach", *path, "--help"))
        line = f"{name:<52} {median:>7.3f}s {min(w for w, _c in times):>7.3f}s {median - base:>+8.3f}s {cpu:>7.3f}s"
        if other[path]:
            line += (f" {statistics.median(w for w, _c in other[path]):>16.3f}s"
                     f" {statistics.median(c for _w, c in other[path]):>6.3f}s")
        print(line)
    print(f"slowest median {worst:.3f} s wall, {worst_cpu:.3f} s CPU (target < {TARGET_SECONDS} s on a quiet machine)")


if __name__ == "__main__":
    main()
