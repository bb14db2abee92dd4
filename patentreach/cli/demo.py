"""``patentreach demo``: the main job on the embedded default, needing no outside data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from patentreach.cli.consoles import lazy_console
from patentreach.cli.output import render
from patentreach.cli.progress_bars import step_bar

console = lazy_console()


def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Folder the demo writes its files to.")
    ] = Path("demo-output"),
    grants: Annotated[int, typer.Option(min=1, metavar="N", help="Synthetic grants to generate.")] = 400,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    publications: Annotated[
        int, typer.Option(min=1, metavar="N", help="Publications of the synthetic warehouse for the outbound figure.")
    ] = 500_000,
) -> None:
    """Ingest a synthetic USPTO grant file, then the outbound figure, the survey, a gap report and the bulletin."""
    from patentreach.cli.ingest import _report_table
    from patentreach.report.demo import demo as run_demo
    from patentreach.web.survey_submissions import submit_through_web

    with step_bar("demo") as stage:
        result = run_demo(out, grants=grants, seed=seed, publications=publications, stage=stage,
                          survey_web_submit=submit_through_web)
    console.print(_report_table(result.ingest))
    for section in result.summary:
        render(section.columns, section.rows, "table", console, title=section.title)
    figures = result.outbound
    console.rule("outbound: patents obtained abroad (synthetic data)")
    console.print(f"• {figures.headline}")
    rows = [(office, f"{count:,}", f"{share:.1%}") for office, count, share in figures.by_office[:10]]
    console.print(f"• {figures.label}; the ten largest offices:")
    render(["office", "grants", "share"], rows, "table", console)
    console.print(f"• the publications behind a cell: {figures.drill_down}")
    console.rule("enterprise patent survey (synthetic national survey: 60,000 enterprises, sample of 15,000)")
    for sentence in result.survey_headlines:
        console.print(f"• {sentence}")
    console.rule("export protection gaps (sample enterprise, as of 2026-06-01)")
    for line in result.protection_lines:
        console.print(f"• {line}")
    bulletin = result.bulletin
    console.rule("the bulletin (synthetic data)")
    console.print(f"• {bulletin.out}: " + ", ".join(path.name for path in bulletin.written.paths),
                  soft_wrap=True, highlight=False)
    if bulletin.written.pdf_note:
        console.print(f"• {bulletin.written.pdf_note}", soft_wrap=True, highlight=False)
    for line in bulletin.left_out:
        console.print(f"• left out: {line}", soft_wrap=True, highlight=False)
    console.print(f"• again, or with your own --config/--templates: {bulletin.command}", soft_wrap=True,
                  highlight=False)
    root = result.warehouse.root
    example = '"SELECT * FROM publications LIMIT 5"'
    console.print(f"warehouse: {root}  (try: patentreach query --warehouse {root} {example})")
    dashboard = figures.warehouse.root
    console.rule("the dashboard")
    console.print(f"• start it:  .venv/bin/patentreach serve --warehouse {dashboard}", soft_wrap=True, highlight=False)
    console.print("• then open http://127.0.0.1:8000/ in a browser (Chinese and English; the HTTP API is at "
                  "http://127.0.0.1:8000/api/docs); Ctrl-C stops it", soft_wrap=True, highlight=False)
