"""Ingest throughput of the USPTO grant reader against a bare lxml parse, same file, same run.

Builds a weekly-style file of at least 200 MB by repeating the real sample grants of
``../shared/data/uspto-grant-xml`` with new publication numbers, then measures:

* baseline: split the file into documents and parse each whole document with lxml (one core);
* ``patentreach ingest`` with ``--jobs 1`` and ``--jobs 2`` (subprocesses, fresh warehouses);

and prints the baseline's MB/s, the ``--jobs 1`` ratio to the baseline (wall and CPU), the
``--jobs 2`` ratio to ``--jobs 1`` (wall, and the CPU both spend), the peak RSS (whole process
tree) and the load average at start and end.

Before those, in this process on one core (no CLI start, no Parquet writing): the CPU seconds of
the bare parse and of the reader's own path (split, parse, map, Arrow batches: what ``--jobs 1``
does per batch), interleaved batch by batch so that load slows both alike, their ratio, and where
the reader's time goes step by step (``--in-process-only`` stops there). ``--jobs 2`` reads the file in byte ranges: the
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
import resource
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
from patentreach.sources.uspto_common import document as grant_document  # noqa: E402
from patentreach.sources.uspto_grant import v4 as grant_v4  # noqa: E402
from patentreach.warehouse.arrow_batches import collect  # noqa: E402
from patentreach.warehouse.unit_parse import batches, parse_batch  # noqa: E402

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


_BARE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def _bare_batch(units: list) -> None:
    for unit in units:
        with contextlib.suppress(etree.XMLSyntaxError):
            etree.fromstring(unit.data, _BARE_PARSER)


def in_process(path: Path, repeat: int) -> tuple[float, float, float]:
    """CPU seconds, best of ``repeat``, of the split, the bare parse of its documents and the
    reader's parse + map + Arrow of the same batches, run batch by batch one after the other."""
    best = {"split": float("inf"), "bare": float("inf"), "reader": float("inf")}
    for _ in range(repeat):
        spent = dict.fromkeys(best, 0.0)
        with open(path, "rb") as handle:
            units = split_documents(handle)
            while True:
                cpu = time.process_time()
                batch = next(batches(units), None)
                spent["split"] += time.process_time() - cpu
                if batch is None:
                    break
                cpu = time.process_time()
                _bare_batch(batch)
                middle = time.process_time()
                parse_batch("uspto-grant-xml", batch, path.name, "bench")
                spent["bare"] += middle - cpu
                spent["reader"] += time.process_time() - middle
        best = {k: min(best[k], spent[k]) for k in best}
    return best["split"], best["bare"], best["reader"]


def stage_breakdown(path: Path, repeat: int) -> dict[str, float]:
    """CPU seconds of each step of the grant reader (best of ``repeat`` passes, step by step):
    the steps of ``UsptoGrantXml._parse_document`` (v4 grants), timed one by one."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, seconds in _stages_once(path).items():
            best[name] = min(best.get(name, float("inf")), seconds)
    return best


def _stages_once(path: Path) -> dict[str, float]:
    from patentreach.sources import source_named
    from patentreach.sources.base import Parsed
    from patentreach.sources.file_lines import located_quarantine

    source = source_named("uspto-grant-xml")
    spent: dict[str, float] = dict.fromkeys(
        ("envelope and cut", "well-formedness check (libxml2)", "entity references",
         "bibliographic fragment (cut + ElementTree)", "mapping to records", "Arrow batches"), 0.0)
    keys = list(spent)

    def timed(key: int, call, *args):  # type: ignore[no-untyped-def]
        cpu = time.process_time()
        try:
            return call(*args)
        finally:
            spent[keys[key]] += time.process_time() - cpu

    with open(path, "rb") as handle:
        for batch in batches(split_documents(handle)):
            parsed = []
            for unit in batch:
                cut, _, env = timed(0, grant_document.cut_with_envelope, unit)
                if env is None or env.root != "us-patent-grant":
                    parsed.append(source.parse(unit, path.name))
                    continue
                try:
                    timed(1, grant_document.check_well_formed, cut.data)
                    timed(2, grant_document.check_references, cut.data, env)
                    root = timed(3, grant_document.parse_section, cut.data, env, grant_v4.BIBLIO, grant_v4.UNUSED, True)
                except grant_document.DocumentError as exc:
                    parsed.append(Parsed(quarantined=located_quarantine(cut, str(exc), exc.line, exc.column)))
                    continue
                record, _ = timed(4, grant_v4.record_from_biblio, root, source.name, "bench", path.name, unit.index)
                parsed.append(Parsed(record=record))
            timed(5, collect, parsed, path.name, source.name, "bench")
    return spent


def report_in_process(path: Path, mb: float, repeat: int) -> None:
    split, bare, reader = in_process(path, repeat)
    print(f"in process, one core, CPU s (best of {repeat}, batch by batch): split {split:5.2f};"
          f" bare lxml parse {bare:5.2f}; reader parse+map+Arrow {reader:5.2f}")
    print(f"  ratio to the bare parse: {bare / reader:4.2f}x without the split,"
          f" {(split + bare) / (split + reader):4.2f}x with it (split + bare {split + bare:5.2f} s,"
          f" split + reader {split + reader:5.2f} s, {mb / (split + reader):6.1f} MB/s)")
    stages = stage_breakdown(path, repeat)
    print(f"  reader steps, CPU s (best of {repeat} instrumented passes): split (above) " + f"{split:5.2f}; "
          + "; ".join(f"{name} {seconds:5.2f}" for name, seconds in stages.items())
          + f"; sum {split + sum(stages.values()):5.2f}")


@dataclass
class Run:
    wall: float
    peak_rss: int
    cpu_main: float  # CPU seconds of the ingest process itself
    cpu_workers: float  # CPU seconds of its parse workers


def run_ingest(path: Path, jobs: int, workdir: Path) -> Run:
    """Wall time, peak RSS (summed over the process tree) and CPU seconds of one ingest.

    The process tree is sampled every 0.25 s (RSS, the main process's CPU): sampling every 50 ms
    took enough CPU on a 2-core machine to cost ``--jobs 2`` a tenth of its speed. The total CPU
    is exact (``RUSAGE_CHILDREN``: the workers are waited for by the ingest, the ingest by us);
    the workers' share is the total less the main process's last sample."""
    shutil.rmtree(workdir / f"wh-{jobs}", ignore_errors=True)
    command = [sys.executable, "-m", "patentreach.cli.main", "ingest", str(path),
               "--warehouse", str(workdir / f"wh-{jobs}"), "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    peak, cpu_main = 0, 0.0
    while process.poll() is None:
        try:
            children = process.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in [process, *children] if p.is_running()))
            times = process.cpu_times()
            cpu_main = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.25)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.exit(f"ingest failed: {process.stderr.read().decode()}")
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if jobs == 1:
        cpu_main = total
    return Run(elapsed, peak, cpu_main, max(0.0, total - cpu_main))


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the generated file in MB")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions (best kept)")
    parser.add_argument("--in-process-only", action="store_true", help="skip the CLI subprocess runs")
    args = parser.parse_args()
    print(f"load average at start: {load_average()} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        big = workdir / "ipg-bench.xml"
        documents = build_file(big, args.mb)
        mb = big.stat().st_size / 1e6
        print(f"file: {mb:.0f} MB, {documents} grant documents (repeated real samples, new numbers)")
        report_in_process(big, mb, args.repeat)
        if args.in_process_only:
            print(f"load average at end: {load_average()}")
            return
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
