"""The bulletin's HTML printed to PDF with WeasyPrint.

The page layout is in the HTML's own print CSS (``templates/bulletin.css``): A4 pages, the page
number at the foot of each page (``counter(page)``), the contents list with each section's page
(``target-counter``), a page break before each section. Chinese text uses the system's Noto Sans
CJK SC through fontconfig (Debian's ``fonts-noto-cjk``, installed by ``scripts/system-deps.sh``);
no font file is shipped. WeasyPrint needs the system's Pango: without it, ``PdfUnavailable`` says
so in one line and the caller still writes the HTML.
"""

from __future__ import annotations

from pathlib import Path


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot be loaded (its system libraries are missing)."""


def load_weasyprint() -> object:
    """The ``weasyprint`` module, or ``PdfUnavailable`` naming what is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PdfUnavailable(f"no PDF: WeasyPrint cannot load ({first}); install Pango "
                             "(scripts/system-deps.sh) for the PDF; the HTML is written") from None
    return weasyprint


def write_pdf(html: str, path: Path, base_url: str | Path | None = None) -> Path:
    """``html`` printed to ``path`` (A4, page numbers and contents from the page's print CSS)."""
    weasyprint = load_weasyprint()
    document = weasyprint.HTML(string=html, base_url=str(base_url or path.parent))  # type: ignore[attr-defined]
    document.write_pdf(str(path))
    return path
