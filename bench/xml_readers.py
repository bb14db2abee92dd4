"""The XML readers against a bare lxml parse of the same bytes, same run (issue 20).

For every XML reader (USPTO grants and applications, EP publications, DOCDB, OPS) its real sample
files (``tests/sources/samples.py``) are read the way one ingest worker reads them: units, parse,
and the Arrow tables of each batch (``arrow_batches.collect``). The baseline is a bare whole-document
lxml parse of the same files (concatenated files split the same way), with the safe parser settings
and no mapping. Reader and baseline rounds are interleaved and the best of ``--repeat`` kept, so a
busy machine slows both alike; the load average is printed at start and end.
Not a timed test: run ``.venv/bin/python bench/xml_readers.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))

from patentreach.sources import source_named  # noqa: E402
from patentreach.sources.concatenated_xml import split_documents  # noqa: E402
from patentreach.warehouse.arrow_batches import collect, spare_pandas_import  # noqa: E402
from tests.sources.samples import SAMPLES  # noqa: E402

READERS = ("uspto-grant-xml", "uspto-application-xml", "epo-ep-xml", "epo-docdb-xml", "epo-ops-xml")
PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
BATCH = 256


def run_reader(name: str, files: list[tuple[str, bytes]]) -> int:
    """Units + parse + Arrow tables of every file; returns the records stored."""
    source = source_named(name)
    stored = 0
    for label, data in files:
        parsed = [source.parse(unit, label) for unit in source.units(io.BufferedReader(io.BytesIO(data)))]
        for start in range(0, len(parsed), BATCH):
            stored += collect(parsed[start : start + BATCH], label, name, "bench").stored
    return stored


def run_baseline(files: list[tuple[str, bytes]]) -> None:
    for _, data in files:
        for unit in split_documents(io.BytesIO(data)):
            with contextlib.suppress(etree.XMLSyntaxError):
                etree.fromstring(unit.data, PARSER)


def best_of(function, repeat: int, minimum: float = 0.2) -> float:  # type: ignore[no-untyped-def]
    """Seconds per call of ``function``: each repetition loops for ``minimum`` seconds."""
    best = float("inf")
    for _ in range(repeat):
        start, calls = time.perf_counter(), 0
        while True:
            function()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= minimum:
                break
        best = min(best, elapsed / calls)
    return best


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="interleaved repetitions (best kept)")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} is missing: the benchmark needs ../shared beside the repository")
    spare_pandas_import()
    print(f"load average at start: {load_average()} ({os.cpu_count()} cores)")
    print(f"{'reader':24} {'records':>8} {'MB':>6} {'MB/s':>8} {'baseline MB/s':>14} {'ratio':>6}")
    for name in READERS:
        files = [(p, (DATA / p).read_bytes()) for p in SAMPLES[name]]
        megabytes = sum(len(d) for _, d in files) / 1e6
        records = run_reader(name, files)
        reader_s = baseline_s = float("inf")
        for _ in range(args.repeat):  # interleaved
            reader_s = min(reader_s, best_of(lambda f=files, n=name: run_reader(n, f), 1))
            baseline_s = min(baseline_s, best_of(lambda f=files: run_baseline(f), 1))
        print(f"{name:24} {records:>8} {megabytes:>6.1f} {megabytes / reader_s:>8.1f} {megabytes / baseline_s:>14.1f}"
              f" {baseline_s / reader_s:>6.2f}")
    print(f"best of {args.repeat}, interleaved; load average at end: {load_average()}")


if __name__ == "__main__":
    main()
