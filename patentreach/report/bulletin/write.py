"""Write a built bulletin into its folder: ``bulletin.<lang>.html`` and ``bulletin.<lang>.pdf``
per language, ``figures.csv`` and ``figures.json``.

The HTML is written first and whole (rendering every language before writing anything, so a
bad template leaves no half-written folder); the PDF follows when asked for and WeasyPrint can
load: otherwise ``pdf_note`` says why there is no PDF, and the HTML is still there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from patentreach.report.bulletin.figures import figure_rows, write_figures
from patentreach.report.bulletin.model import Bulletin
from patentreach.report.bulletin.render import render_html, translate

Step = Callable[[str], None]


@dataclass(slots=True)
class Written:
    """What was written, and why a PDF is missing when it is."""

    html: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    pdf_note: str | None = None

    @property
    def paths(self) -> list[Path]:
        return [*self.html, *self.pdf, *self.figures]


def write_bulletin(bulletin: Bulletin, out: Path, langs: Sequence[str], pdf: bool = True,
                   templates: Path | None = None, base_url: str | None = None,
                   step: Step | None = None) -> Written:
    """Render ``bulletin`` in each of ``langs`` into ``out`` (created if needed)."""
    report = step or (lambda _message: None)
    pages = {}
    for lang in langs:
        report(f"HTML ({lang})")
        pages[lang] = render_html(bulletin, lang, templates)
    out.mkdir(parents=True, exist_ok=True)
    written = Written()
    for lang, html in pages.items():
        path = out / f"bulletin.{lang}.html"
        path.write_text(html, encoding="utf-8")
        written.html.append(path)
    written.figures = write_figures(out, figure_rows(bulletin.figures, translate, base_url))
    if pdf:
        from patentreach.report.bulletin.pdf import PdfUnavailable, write_pdf

        for lang, html in pages.items():
            report(f"PDF ({lang})")
            try:
                written.pdf.append(write_pdf(html, out / f"bulletin.{lang}.pdf"))
            except PdfUnavailable as missing:
                written.pdf_note = str(missing)
                break
    return written
