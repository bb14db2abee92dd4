"""``patentreach bulletin``: the press release and statistical report (not built yet)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def bulletin(
    warehouse: Annotated[Path, typer.Option("--warehouse", "-w", help="The warehouse to report on.")],
    out: Annotated[Path, typer.Option("--out", help="The folder to write the bulletin into.")] = Path("bulletin"),
) -> None:
    """Write the bulletin: HTML and PDF per language, figures.csv and figures.json."""
    raise typer.Exit(2)
