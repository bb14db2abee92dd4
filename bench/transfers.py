"""Documents per second of the USPTO assignment reader, against a bare lxml parse of the same file.

The real daily file ``ad20160101.xml`` (199 assignments, 0.7 MB) is repeated with new reel numbers
into one file of about ``--mb`` megabytes (a real daily file is 1-20 MB; the annual backfile
files are 100s of MB), keeping its prolog and internal DTD subset. Three measurements, one core:

* ``reader``: ``units`` + ``parse`` of every assignment, in one process, as one ingest worker does;
* ``baseline``: ``lxml.etree.iterparse`` of the whole document, touching every ``patent-assignment``
  element (a bare parse with no mapping);
* ``ingest``: ``patentreach ingest --jobs 1`` of the file into a fresh warehouse (subprocess):
  reader, Arrow conversion, Parquet parts and the ingest log.

Not a timed test: run ``.venv/bin/python bench/transfers.py`` (needs ``../shared``).
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO.parent / "shared" / "data" / "uspto-assignment-xml" / "bulk-daily" / "ad20160101.xml"
sys.path.insert(0, str(REPO))

from patentreach.sources.uspto_assignment import UsptoAssignmentXml  # noqa: E402

_REEL = re.compile(rb"<reel-no>(\d+)</reel-no>")


def build(target: Path, megabytes: float) -> int:
    """Write the enlarged file; return the number of assignments in it."""
    data = SAMPLE.read_bytes()
    first = data.index(b"<patent-assignment>")
    last = data.rindex(b"</patent-assignment>") + len(b"</patent-assignment>")
    head, body, tail = data[:first], data[first:last], data[last:]
    per_copy = body.count(b"<patent-assignment>")
    copies = max(1, int(megabytes * 1024 * 1024 / len(body)))
    with open(target, "wb") as out:
        out.write(head)
        for n in range(copies):
            out.write(_REEL.sub(lambda m, n=n: b"<reel-no>%d</reel-no>" % (int(m.group(1)) + 100_000 * n), body))
        out.write(tail)
    return copies * per_copy


def run_reader(path: Path) -> int:
    source = UsptoAssignmentXml()
    stored = 0
    with open(path, "rb") as handle:
        for unit in source.units(io.BufferedReader(handle)):
            stored += source.parse(unit, str(path)).record is not None
    return stored


def run_baseline(path: Path) -> int:
    parser_options = {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": True}
    count = 0
    for _, element in etree.iterparse(str(path), tag="patent-assignment", **parser_options):
        count += 1
        element.clear()
    return count


def timed(function, path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    result = function(path)
    return time.perf_counter() - start, result


def run_ingest(path: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        command = [str(REPO / ".venv" / "bin" / "patentreach"), "ingest", str(path), "--warehouse",
                   str(Path(folder) / "wh"), "--jobs", "1"]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the enlarged file (MB)")
    parser.add_argument("--no-ingest", action="store_true", help="skip the ingest subprocess")
    args = parser.parse_args()
    if not SAMPLE.is_file():
        sys.exit(f"{SAMPLE} is missing: the benchmark needs ../shared beside the repository")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ad-enlarged.xml"
        documents = build(path, args.mb)
        size = path.stat().st_size / 1024 / 1024
        print(f"file: {size:.1f} MB, {documents:,} assignments")
        base_seconds, base_count = timed(run_baseline, path)
        reader_seconds, stored = timed(run_reader, path)
        assert base_count == stored == documents, (base_count, stored, documents)
        print(f"{'measurement':12} {'seconds':>8} {'docs/s':>10} {'MB/s':>7} {'ratio':>6}")
        print(f"{'baseline':12} {base_seconds:8.2f} {documents / base_seconds:10,.0f} {size / base_seconds:7.1f} "
              f"{1.0:6.2f}")
        print(f"{'reader':12} {reader_seconds:8.2f} {documents / reader_seconds:10,.0f} "
              f"{size / reader_seconds:7.1f} {base_seconds / reader_seconds:6.2f}")
        if not args.no_ingest:
            ingest_seconds = run_ingest(path)
            print(f"{'ingest -j1':12} {ingest_seconds:8.2f} {documents / ingest_seconds:10,.0f} "
                  f"{size / ingest_seconds:7.1f} {base_seconds / ingest_seconds:6.2f}")


if __name__ == "__main__":
    main()
