"""The bulletin as one self-contained HTML file per language (not built yet)."""

from __future__ import annotations

from patentreach.report.bulletin.model import Bulletin


def render_html(bulletin: Bulletin, lang: str) -> str:
    """The bulletin in ``lang`` as one HTML document (styles and SVG charts inline)."""
    raise NotImplementedError("the bulletin's HTML is not built yet")


def translate(lang: str, msgid: str) -> str:
    """``msgid`` in ``lang`` from the bulletin's catalogs (English is the msgids' language)."""
    return msgid
