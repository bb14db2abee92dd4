"""``patentreach demo``: the main job on the embedded default, needing no outside data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from patentreach.cli.ingest import _report_table
from patentreach.cli.output import render
from patentreach.report.demo import demo as run_demo

console = Console()


def demo(
    out: Annotated[Path, typer.Option("--out", help="Where the demo writes its files.")] = Path("demo-output"),
    grants: Annotated[int, typer.Option(help="Synthetic grants to generate.")] = 400,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Generate a synthetic weekly USPTO grant file, ingest it, print the warehouse summary."""
    result = run_demo(out, grants=grants, seed=seed)
    console.print(_report_table(result.ingest))
    for section in result.summary:
        render(section.columns, section.rows, "table", console, title=section.title)
    console.rule("enterprise patent survey (synthetic national survey: 60,000 enterprises, sample of 15,000)")
    for sentence in result.survey_headlines:
        console.print(f"• {sentence}")
    console.rule("export protection gaps (sample enterprise, as of 2026-06-01)")
    for line in result.protection_lines:
        console.print(f"• {line}")
    root = result.warehouse.root
    example = '"SELECT * FROM publications LIMIT 5"'
    console.print(f"warehouse: {root}  (try: patentreach query --warehouse {root} {example})")
