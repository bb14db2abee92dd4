"""Ingest with Spark: the readers mapped over the input files by Spark executors, into the same
warehouse the local ingest writes.

When one machine is outgrown (a year of weekly grant files, every office's backfile), the per-file
work, which is nearly all of an ingest's time, runs on a Spark cluster while everything that makes
the warehouse trustworthy stays where it is:

* each input file (or archive member) is one Spark task, which runs the local ingest's own per-file
  step (``ingest._read_into``: detect, split, parse, stage, with the same readers, limits and
  quarantine) into ``staging/<ingest_id>/`` through a ``PartWriter``, closes and fsyncs the parts,
  and returns the file's counts and sha256;
* the driver commits each file as its task finishes, exactly as the local ingest does
  (``ingest._commit``: counts checked, parts moved to ``tables/<table>/<ingest_id>.parquet``, the
  ingest-log entry written last), so a crash at any point leaves only invisible leftovers, and
  content already committed is not stored twice;
* the PATSTAT table delivery (one DuckDB job over its tables), the commits and the DuckDB views
  run on the driver, as in the local ingest.

So DuckDB, Spark and every command read the result as any other warehouse. Needs: the warehouse
on a filesystem that the driver and every executor see at the same path (local disk for
``local[N]``; NFS or a mounted object store on a cluster), and patentreach with its readers
installed on the executors' Python (``PYSPARK_PYTHON``). A big file is one task: files are the
unit of parallelism (see docs/scale.md).
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from patentreach.sources import limits, source_named
from patentreach.sources.base import Source
from patentreach.warehouse import ingest as local
from patentreach.warehouse import ingest_log
from patentreach.warehouse.ingest import FileOutcome, IngestReport, ProgressHook
from patentreach.warehouse.inputs import Input, InputError
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.part_writer import PartWriter

DEFAULT_MASTER = "local[2]"


@dataclass(frozen=True, slots=True)
class FileTask:
    """What one Spark task needs to stage one input: all of it pickles small."""

    item: Input
    ingest_id: str
    root: str
    reader: str | None
    limits: limits.Limits
    committed_shas: frozenset[str]


@dataclass(slots=True)
class Staged:
    """One task's answer: the file's outcome and, when its parts are staged, what commits them."""

    task: FileTask
    outcome: FileOutcome
    started: datetime
    staged: bool = False
    sha: str = ""
    size: int = 0


class StagedParts(PartWriter):
    """The parts an executor staged and closed in ``staging/<ingest_id>/``, seen from the driver,
    which only moves them into place (or drops them)."""

    def finish(self) -> None:
        """Nothing to do: the executor closed and fsynced the parts."""

    def move_into_place(self) -> None:
        for part in sorted(self.dir.glob("*.parquet")):
            target_dir = self.warehouse.table_dir(part.stem)
            target_dir.mkdir(parents=True, exist_ok=True)
            os.replace(part, target_dir / f"{self.ingest_id}.parquet")
        shutil.rmtree(self.dir, ignore_errors=True)


def ingest(
    paths: list[Path],
    warehouse: Warehouse,
    reader: str | None = None,
    progress: ProgressHook | None = None,
    master: str | None = None,
    spark: Any = None,
) -> IngestReport:
    """``ingest.ingest`` with the files' per-file step run by Spark (``master``, default
    ``local[2]``; or an existing ``SparkSession``)."""

    def on_spark(
        inputs: list[Input], target: Warehouse, forced: Source | None, hook: ProgressHook
    ) -> list[FileOutcome]:
        if not inputs:  # only a PATSTAT delivery, or nothing: no Spark to start
            return []
        return stage_on_spark(inputs, target, forced, hook, spark or session(master or DEFAULT_MASTER))

    return local.ingest(paths, warehouse, jobs=1, reader=reader, progress=progress, files=on_spark)


def session(master: str) -> Any:
    """The process's Spark session (``spark_engine.session``: one per process, shared with the
    Spark engine and Splink). In local mode the executors run this interpreter, which has
    patentreach; on a cluster ``PYSPARK_PYTHON`` names theirs."""
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from patentreach.warehouse.engines.spark_engine import session as spark_session

    try:
        spark = spark_session(master)
    except Exception as exc:  # no Java runtime, a master that does not answer, ...
        raise local.IngestError(
            f"Spark did not start on {master} ({_first_line(str(exc))}); a Java runtime is needed"
            " (scripts/system-deps.sh)"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def stage_on_spark(
    inputs: list[Input], warehouse: Warehouse, forced: Source | None, progress: ProgressHook, spark: Any
) -> list[FileOutcome]:
    """Stage every input on the executors, commit each on the driver as it arrives; the outcomes
    in the order of ``inputs``."""
    context = spark.sparkContext
    if context.master.startswith("local"):  # a local context made before ``session`` set the variable
        context.pythonExec = os.environ.get("PYSPARK_PYTHON", sys.executable)
    committed = {entry["sha256"] for entry in ingest_log.read_entries(warehouse)}
    tasks = [
        FileTask(item, uuid.uuid4().hex[:16], str(warehouse.root), forced.name if forced else None,
                 limits.current(), frozenset(committed))
        for item in inputs
    ]
    outcomes: dict[str, FileOutcome] = {}
    for staged in _run(context, tasks):
        task = staged.task
        progress.file(task.item.label)
        progress.advance(local._disk_share(task.item, [task.item]))
        outcomes[task.ingest_id] = _commit(warehouse, staged, committed)
    return [outcomes[task.ingest_id] for task in tasks]


def _run(context: Any, tasks: list[FileTask]) -> Iterator[Staged]:
    """One Spark job per file, as many at once as the cluster has cores, so that a big file does
    not hold back the others and each file is committed as soon as it is staged."""
    if not tasks:
        return
    with ThreadPoolExecutor(max_workers=max(1, context.defaultParallelism)) as pool:
        futures = {pool.submit(_run_one, context, task): task for task in tasks}
        for future in as_completed(futures):
            yield future.result()


def _run_one(context: Any, task: FileTask) -> Staged:
    started = datetime.now(UTC)
    try:
        return context.parallelize([task], 1).map(stage).collect()[0]
    except Exception as exc:  # the task itself died (executor lost, out of memory): the file's error
        warehouse = Warehouse(Path(task.root))
        PartWriter(warehouse, task.ingest_id).abandon()
        died = SparkTaskDied(f"the Spark task died: {_first_line(str(exc))}")
        outcome = local._failed(warehouse, task.item, FileOutcome(task.item.label, "error"), died,
                                task.ingest_id, started)
        return Staged(task, outcome, started)


class SparkTaskDied(RuntimeError):
    """The Spark task staging a file failed outside the reader (its executor died)."""


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def stage(task: FileTask) -> Staged:
    """Runs on an executor: the local ingest's per-file step for one input, its parts staged and
    closed; a problem of the input becomes its error outcome (logged), as in the local ingest."""
    limits.configure(task.limits)
    warehouse = Warehouse(Path(task.root))
    item = task.item
    started = datetime.now(UTC)
    outcome = FileOutcome(item.label, "ingested")
    writer: PartWriter | None = None
    try:
        if item.problem is not None:
            raise InputError(item.problem)
        if known := local._already_committed(item, warehouse, set(task.committed_shas)):
            outcome.status, outcome.reader = "already-ingested", known["reader"]
            return Staged(task, outcome, started)
        forced = source_named(task.reader) if task.reader else None
        with local._storing():
            writer = PartWriter(warehouse, task.ingest_id)
        sha, size, _ = local._read_into(item, writer, outcome, forced, task.ingest_id, local._Workers(1),
                                        ProgressHook())
        with local._storing():
            writer.finish()
        return Staged(task, outcome, started, staged=True, sha=sha, size=size)
    except Exception as exc:
        if writer is not None:
            writer.abandon()
        return Staged(task, local._failed(warehouse, item, outcome, exc, task.ingest_id, started), started)


def _commit(warehouse: Warehouse, staged: Staged, committed: set[str]) -> FileOutcome:
    """The driver's half of ``ingest._ingest_one``: commit staged parts (or drop them when the same
    content was committed meanwhile), then forget the path's earlier failures."""
    task, outcome = staged.task, staged.outcome
    if outcome.status == "error":
        return outcome
    parts = StagedParts(warehouse, task.ingest_id) if staged.staged else None
    try:
        if parts is not None and staged.sha in committed:
            parts.abandon()
            outcome.status = "already-ingested"
        elif parts is not None:
            local._commit(warehouse, parts, task.item, outcome, source_named(outcome.reader), staged.sha,
                          staged.size, task.ingest_id, staged.started)
            committed.add(staged.sha)
        ingest_log.clear_failures(warehouse, task.item.label)
        return outcome
    except Exception as exc:
        if parts is not None:
            parts.abandon()
        return local._failed(warehouse, task.item, outcome, exc, task.ingest_id, staged.started)
