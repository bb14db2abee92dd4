"""Documents per second of every reader on its real samples, against a bare parse of the same bytes.

For each reader in ``SOURCES``, its sample files (``tests/sources/samples.py``) are read again and
again for at least ``--seconds``: units + parse, as the ingest does in one worker. The baseline in
the same run is a bare parse of the same files with no mapping: ``lxml.etree.fromstring`` per XML
document (concatenated files split the same way), ``json.loads`` for JSON, ``csv`` for CSV/TSV.
Not a timed test: run ``.venv/bin/python bench/readers.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
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
