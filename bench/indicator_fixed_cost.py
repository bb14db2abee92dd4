"""The fixed cost of the outbound indicator set: building and compiling its Ibis expressions.

That cost does not grow with the warehouse (about 0.2 s per indicator before the compiled
queries were kept, ``patentreach/indicators/compiled.py``), so it is measured on a small
synthetic warehouse (``--publications``, default 20,000, prepared like the large ones) where
the queries themselves take milliseconds. Printed, in one process and interleaved over
``--repeat`` rounds (best and median):

* ``build+compile``: ``outbound_table`` plus ``backend.compile`` per indicator: what a first run
  (or any run before the queries were kept) pays for each figure;
* ``set, first run``: ``outbound_set`` with the kept queries cleared, in memory and on disk
  (``indicators/query_store.py``): the first run ever of a figure on this warehouse content;
* ``set, new process``: ``outbound_set`` with the queries and the counts behind the notes
  cleared in memory but kept on disk: what a one-off CLI call (a new process) pays from its
  second run on (imports and the connection aside: ``bench/indicators.py --rounds`` times real
  new processes);
* ``set, again``: ``outbound_set`` with its queries kept (the CLI's second figure, the web's
  every figure, the benchmark's repetitions);
* ``queries alone``: the kept SQL of the six run directly: the floor;

and the fixed cost per indicator, (set - queries alone) / 6 in each round (the median over the
rounds), for each kind of run. Target (issue #20): under 0.05 s per indicator. The store on disk
is a temporary folder (``PATENTREACH_QUERY_CACHE``), removed at the end.

Not a timed test: ``.venv/bin/python bench/indicator_fixed_cost.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publications", type=int, default=20_000)
    parser.add_argument("--warehouse", default=None, help="default: /tmp/patentreach-fixed-cost-N")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import shutil
    import tempfile

    kept_dir = Path(tempfile.mkdtemp(prefix="patentreach-bench-queries-"))
    os.environ["PATENTREACH_QUERY_CACHE"] = str(kept_dir)
    try:
        _run(args, kept_dir)
    finally:
        shutil.rmtree(kept_dir, ignore_errors=True)


def _run(args: argparse.Namespace, kept_dir: Path) -> None:
    from patentreach.indicators import indicator_set, outbound_set, prepare
    from patentreach.indicators.compiled import NOTE_COUNTS, QUERIES, execute
    from patentreach.indicators.outbound_table import outbound_table
    from patentreach.indicators.prepared import fact_source
    from patentreach.synth.warehouse import write_warehouse
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.engines import connect

    root = Path(args.warehouse or f"/tmp/patentreach-fixed-cost-{args.publications}")
    if not (root / "derived" / "outbound_facts.json").exists():
        write_warehouse(root, args.publications, seed=1, threads=2)
        with connect(Warehouse(root)) as engine:
            prepare(engine, rules=("first_applicant",))
    specs = indicator_set(("CN",), (2015, 2024))
    rounds: dict[str, list[float]] = {"build+compile": [], "set, first run": [], "set, new process": [],
                                      "set, again": [], "queries alone": []}
    with connect(Warehouse(root), threads=2) as engine:
        source = fact_source(engine)
        outbound_set(engine, specs)  # (warm the file cache and Ibis's own imports)
        for _ in range(args.repeat):
            start = time.perf_counter()
            for spec in specs.values():
                engine.backend.compile(outbound_table(source, spec))
            rounds["build+compile"].append((time.perf_counter() - start) / len(specs))
            QUERIES.clear()
            NOTE_COUNTS.clear()
            for entry in kept_dir.rglob("*.json"):  # (the queries, and the note counts in values/)
                entry.unlink()
            start = time.perf_counter()
            outbound_set(engine, specs)
            rounds["set, first run"].append(time.perf_counter() - start)
            QUERIES.clear()  # (what a new process starts with: nothing in memory)
            NOTE_COUNTS.clear()
            start = time.perf_counter()
            outbound_set(engine, specs)
            rounds["set, new process"].append(time.perf_counter() - start)
            start = time.perf_counter()
            outbound_set(engine, specs)
            rounds["set, again"].append(time.perf_counter() - start)
            kept = list(QUERIES._queries.values())
            start = time.perf_counter()
            for query in kept:
                execute(engine.backend, query)
            rounds["queries alone"].append(time.perf_counter() - start)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"indicator set fixed cost: {args.publications:,} publications (prepared), {len(specs)} indicators, "
          f"{args.repeat} rounds, load average {load}")
    for name, times in rounds.items():
        unit = "per indicator" if name == "build+compile" else "whole set"
        print(f"  {name:<16} best {min(times) * 1000:8.1f} ms   median {statistics.median(times) * 1000:8.1f} ms"
              f"   ({unit})")
    for name in ("set, first run", "set, new process", "set, again"):
        fixed = statistics.median((whole - floor) / len(specs)
                                  for whole, floor in zip(rounds[name], rounds["queries alone"], strict=True))
        print(f"  fixed cost per indicator, {name}: {fixed * 1000:.1f} ms (median over rounds of (set - queries "
              f"alone) / {len(specs)}); target < 50 ms")


if __name__ == "__main__":
    main()
