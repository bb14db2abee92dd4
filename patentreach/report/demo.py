"""The README's main job: a self-contained run on the embedded default (DuckDB + Parquet).

It needs nothing outside the package: it writes a synthetic weekly USPTO grant file in the real
format, ingests it with the real reader into a fresh warehouse, and returns the warehouse
summary. Later capabilities add their parts here, growing it into the bulletin.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from patentreach.synth.uspto_grant_xml import write_weekly_file
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import IngestReport, ProgressHook, ingest
from patentreach.warehouse.summary import Section, summary


@dataclass(slots=True)
class DemoResult:
    warehouse: Warehouse
    ingest: IngestReport
    summary: list[Section]


def demo(out_dir: Path, grants: int = 400, seed: int = 7, progress: ProgressHook | None = None) -> DemoResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs = out_dir / "inputs"
    inputs.mkdir(exist_ok=True)
    weekly = write_weekly_file(inputs / "ipg-synthetic.xml", grants=grants, seed=seed)
    warehouse = Warehouse(out_dir.resolve() / "warehouse")
    report = ingest([weekly], warehouse, progress=progress)
    return DemoResult(warehouse, report, summary(warehouse))
