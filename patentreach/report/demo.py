"""The README's main job: a self-contained run on the embedded default (DuckDB + Parquet).

It needs nothing outside the package: it writes a synthetic weekly USPTO grant file in the real
format, ingests it with the real reader into a fresh warehouse, and returns the warehouse
summary; then it computes the headline outbound figure (grants abroad by Chinese enterprises,
year on year, by office) on a synthetic warehouse of half a million publications; then it runs
the synthetic national enterprise patent survey (frame, sample, responses, weights, headline
figures with confidence intervals) and the export-protection gap report of a sample enterprise
(coverage, open routes and deadlines, official fees, third-party risk); last, the bulletin of the
synthetic warehouse and survey store (HTML and PDF, Chinese and English, figures.csv/json).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patentreach.protect.demo import protect_demo
from patentreach.report.bulletin.demo import BulletinDemo, bulletin_demo
from patentreach.report.outbound_demo import OutboundDemo, outbound_demo
from patentreach.survey.demo import WebSubmit, run_survey_demo
from patentreach.synth.uspto_grant_xml import write_weekly_file
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import IngestReport, ProgressHook, ingest
from patentreach.warehouse.summary import Section, summary


@dataclass(slots=True)
class DemoResult:
    warehouse: Warehouse
    ingest: IngestReport
    summary: list[Section]
    outbound: OutboundDemo
    survey_headlines: list[str]
    protection_lines: list[str]
    bulletin: BulletinDemo


STAGES = ("synthetic USPTO file", "ingest", "synthetic warehouse", "survey", "gap report", "bulletin")
"""The demo's steps, in order, as ``stage`` reports them."""


def demo(out_dir: Path, grants: int = 400, seed: int = 7, progress: ProgressHook | None = None,
         publications: int = 500_000, stage: Callable[[int, int, str], None] | None = None,
         survey_web_submit: WebSubmit | None = None) -> DemoResult:
    """Run the demo into ``out_dir``. ``progress`` follows the ingest; ``stage(done, total,
    message)`` is called before each of ``STAGES`` (the synthetic warehouse, the longest, also
    reports its own steps in the message) and once at the end."""
    report_stage = stage or (lambda _done, _total, _message: None)

    def synth_step(done: int, total: int, message: str) -> None:
        report_stage(2, len(STAGES), f"{STAGES[2]} ({done}/{total}: {message})")

    out_dir.mkdir(parents=True, exist_ok=True)
    inputs = out_dir / "inputs"
    inputs.mkdir(exist_ok=True)
    report_stage(0, len(STAGES), STAGES[0])
    weekly = write_weekly_file(inputs / "ipg-synthetic.xml", grants=grants, seed=seed)
    warehouse = Warehouse(out_dir.resolve() / "warehouse")
    report_stage(1, len(STAGES), STAGES[1])
    report = ingest([weekly], warehouse, progress=progress)
    synth_step(0, 1, "starting")
    figures = outbound_demo(out_dir.resolve(), publications=publications, seed=seed, progress=synth_step)
    report_stage(3, len(STAGES), STAGES[3])
    headlines = run_survey_demo(out_dir.resolve() / "survey", seed=2021, web_submit=survey_web_submit)
    report_stage(4, len(STAGES), STAGES[4])
    protection = protect_demo(out_dir.resolve(), warehouse=warehouse)
    report_stage(5, len(STAGES), STAGES[5])
    bulletin = bulletin_demo(figures.warehouse, out_dir.resolve() / "survey" / "survey.sqlite",
                             out_dir.resolve() / "bulletin",
                             step=lambda message: report_stage(5, len(STAGES), f"{STAGES[5]} ({message})"))
    report_stage(len(STAGES), len(STAGES), "done")
    return DemoResult(warehouse, report, summary(warehouse), figures, headlines, protection, bulletin)
