"""The XML readers against a bare lxml parse of the same bytes, same run (issue 20).

Each reader (USPTO grants and applications, EP publications, DOCDB, OPS) is measured the way one
ingest worker reads its input: units, then ``ingest.parse_batch`` on batches of ``BATCH_UNITS``
units or ``BATCH_BYTES`` (parse and the batch's Arrow tables). Two shapes of input, both built from
the reader's real sample files (``tests/sources/samples.py``):

* ``files``: the sample files as they are, each its own ingest (one batch per file), as a folder
  of single-document files (an EP zip delivery, OPS responses) is read;
* ``bulk``: the sample documents repeated into one delivery of about ``--mb`` MB, as the offices
  deliver them: a weekly concatenated file (USPTO ipg/ipa; EP documents concatenated) or one
  ``exch:exchange-documents`` bulk file (DOCDB). OPS answers one response per request: no bulk.

The baseline is a bare whole-document lxml parse of the same bytes (concatenated documents split
the same way, a DOCDB bulk file parsed whole), safe parser settings, no mapping. Reader and
baseline rounds are interleaved and the best of ``--repeat`` kept, so a busy machine slows both
alike; the load average is printed at start and end. ``ratio`` compares wall time, ``CPU ratio``
process CPU time (each the best of its rounds).
Not a timed test: run ``.venv/bin/python bench/xml_readers.py [--repeat 3] [--mb 10]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))

from patentreach.sources import source_named  # noqa: E402
from patentreach.sources.concatenated_xml import split_documents  # noqa: E402
from patentreach.warehouse.arrow_batches import spare_pandas_import  # noqa: E402
from patentreach.warehouse.unit_parse import BATCH_BYTES, BATCH_UNITS, parse_batch  # noqa: E402
from tests.sources.samples import SAMPLES  # noqa: E402

READERS = ("uspto-grant-xml", "uspto-application-xml", "epo-ep-xml", "epo-docdb-xml", "epo-ops-xml")
PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
_DOCDB_ROOT = re.compile(rb"<(exch:)?exchange-documents[\s>]")
_DOCDB_DOCUMENT = re.compile(rb"<((?:exch:)?exchange-document)[\s>].*?</\1>", re.S)

Input = list[tuple[str, bytes]]  # (label, content) per file


def run_reader(name: str, files: Input) -> int:
    """Units, then parse + Arrow per batch of every file, as one ingest worker; records stored."""
    source = source_named(name)
    stored = 0
    for label, data in files:
        batch: list = []
        size = 0
        for unit in source.units(io.BufferedReader(io.BytesIO(data))):
            batch.append(unit)
            size += len(unit.data) if isinstance(unit.data, bytes) else 1024
            if size >= BATCH_BYTES or len(batch) >= BATCH_UNITS:
                stored += parse_batch(name, batch, label, "bench").stored
                batch, size = [], 0
        if batch:
            stored += parse_batch(name, batch, label, "bench").stored
    return stored


def run_baseline(files: Input) -> None:
    for _, data in files:
        for unit in split_documents(io.BytesIO(data), max_document_bytes=1 << 40):
            with contextlib.suppress(etree.XMLSyntaxError):
                etree.fromstring(unit.data, PARSER)


def sample_files(name: str) -> Input:
    return [(p, (DATA / p).read_bytes()) for p in SAMPLES[name]]


def bulk_delivery(name: str, megabytes: float) -> Input | None:
    """The reader's sample documents repeated into one delivery of about ``megabytes``."""
    files = sample_files(name)
    target = int(megabytes * 1e6)
    if name == "epo-ops-xml":
        return None
    if name == "epo-docdb-xml":
        documents = [m.group(0) for _, data in files for m in _DOCDB_DOCUMENT.finditer(data)]
        head = next(data for _, data in files if _DOCDB_ROOT.search(data))
        root = _DOCDB_ROOT.search(head)
        assert root is not None
        opening = head[: head.find(b">", root.start()) + 1]
        body = _repeated([d.replace(b"<exchange-document", b"<exch:exchange-document", 1)
                          .replace(b"</exchange-document>", b"</exch:exchange-document>") for d in documents],
                         target)
        return [("docdb-bulk.xml", opening + b"\n" + body + b"\n</exch:exchange-documents>\n")]
    documents = [data if data.endswith(b"\n") else data + b"\n" for _, data in files]
    return [(f"{name}-weekly.xml", _repeated(documents, target))]


def _repeated(parts: list[bytes], target: int) -> bytes:
    out = bytearray()
    while len(out) < target:
        for part in parts:
            out += part
    return bytes(out)


def best_of(function, repeat: int, minimum: float = 0.2) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall and CPU seconds per call of ``function`` (best of ``repeat`` repetitions, each looping
    for ``minimum`` seconds). CPU time is what a busy machine distorts least."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        start, cpu, calls = time.perf_counter(), time.process_time(), 0
        while True:
            function()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= minimum:
                break
        best_wall = min(best_wall, elapsed / calls)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / calls)
    return best_wall, best_cpu


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _best(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return min(a[0], b[0]), min(a[1], b[1])


def measure(name: str, shape: str, files: Input, repeat: int) -> None:
    megabytes = sum(len(d) for _, d in files) / 1e6
    records = run_reader(name, files)
    reader = baseline = (float("inf"), float("inf"))
    for _ in range(repeat):  # interleaved
        reader = _best(reader, best_of(lambda f=files, n=name: run_reader(n, f), 1))
        baseline = _best(baseline, best_of(lambda f=files: run_baseline(f), 1))
    print(f"{name:24} {shape:6} {records:>8} {megabytes:>6.1f} {megabytes / reader[0]:>8.1f}"
          f" {megabytes / baseline[0]:>14.1f} {baseline[0] / reader[0]:>6.2f}"
          f" {baseline[1] / reader[1]:>10.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions (best kept)")
    parser.add_argument("--mb", type=float, default=10.0, help="size of each bulk delivery")
    parser.add_argument("--readers", nargs="*", default=list(READERS), help="readers to measure")
    parser.add_argument("--shapes", nargs="*", default=["files", "bulk"], help="files, bulk")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} is missing: the benchmark needs ../shared beside the repository")
    spare_pandas_import()
    print(f"load average at start: {load_average()} ({os.cpu_count()} cores)")
    print(f"{'reader':24} {'shape':6} {'records':>8} {'MB':>6} {'MB/s':>8} {'baseline MB/s':>14} {'ratio':>6}"
          f" {'CPU ratio':>10}")
    for name in args.readers:
        if "files" in args.shapes:
            measure(name, "files", sample_files(name), args.repeat)
        if "bulk" in args.shapes and (bulk := bulk_delivery(name, args.mb)) is not None:
            measure(name, "bulk", bulk, args.repeat)
    print(f"best of {args.repeat}, interleaved; load average at end: {load_average()}")


if __name__ == "__main__":
    main()
