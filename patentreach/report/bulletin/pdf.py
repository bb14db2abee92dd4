"""The bulletin's HTML printed to PDF (not built yet)."""

from __future__ import annotations

from pathlib import Path


def write_pdf(html: str, path: Path) -> Path:
    raise NotImplementedError("the bulletin's PDF is not built yet")
