"""The demo's bulletin: ``patentreach bulletin`` on the demo's synthetic warehouse and survey
store, both languages, HTML and (when WeasyPrint can load) PDF, with figures.csv/json."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from patentreach.report.bulletin.build import build_bulletin
from patentreach.report.bulletin.cells import Writer
from patentreach.report.bulletin.config import load_config
from patentreach.report.bulletin.request import LANGUAGES, BulletinRequest
from patentreach.report.bulletin.write import Written, write_bulletin
from patentreach.warehouse import Warehouse

DEMO_YEAR = 2021


@dataclass(slots=True)
class BulletinDemo:
    out: Path
    written: Written
    command: str
    left_out: list[str] = field(default_factory=list)
    """``section: why`` for each section left out (in English)."""


def bulletin_demo(warehouse: Warehouse, survey: Path | None, out: Path,
                  step: Callable[[str], None] | None = None, pdf: bool = True) -> BulletinDemo:
    """Build and write the bulletin of ``warehouse`` (and the survey store, when it exists) into
    ``out``; ``pdf=False`` writes the HTML only (tests of what runs around it)."""
    report = step or (lambda _message: None)
    store = str(survey) if survey is not None and survey.is_file() else None
    request = BulletinRequest(warehouse=warehouse.root, origin="CN", year=DEMO_YEAR, offices="major", survey=store,
                              langs=LANGUAGES, out=out)
    built = build_bulletin(request, load_config(None), progress=lambda _done, _total, name: report(name))
    written = write_bulletin(built, out, LANGUAGES, pdf=pdf, step=report)
    english = Writer(built.figures, "en")
    left_out = [f"{s.name}: {english.text(s.omitted)}" for s in built.sections if s.omitted is not None]
    return BulletinDemo(out, written, request.command(), left_out)
