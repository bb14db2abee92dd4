"""The bulletin's PDF (WeasyPrint, read back with poppler's pdftotext): the headline sentence in
both languages with its number, the contents list with each section's page, page numbers at the
foot of the pages; and without WeasyPrint, the HTML is still written and the reason given.
Written once per module: WeasyPrint takes seconds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from patentreach.report.bulletin.write import write_bulletin
from tests.report.bulletin.render.fake import fake_bulletin
from tests.report.bulletin.render.test_render import HEADLINES

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is missing; "
                                "scripts/system-deps.sh installs it")


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each language's PDF as text, one string per page."""
    out = tmp_path_factory.mktemp("bulletin")
    written = write_bulletin(fake_bulletin(out / "no-warehouse"), out, ["zh", "en"])
    assert written.pdf_note is None and [p.name for p in written.pdf] == ["bulletin.zh.pdf", "bulletin.en.pdf"]
    pages = {}
    for lang in ("zh", "en"):
        text = subprocess.run(["pdftotext", "-layout", str(out / f"bulletin.{lang}.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        pages[lang] = text.split("\f")
    return pages


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_prints_the_headline_sentence_with_its_number(texts: dict[str, list[str]], lang: str) -> None:
    whole = " ".join(" ".join(page.split()) for page in texts[lang])  # pdftotext breaks long lines
    if lang == "zh":
        whole = whole.replace(" ", "")
        assert HEADLINES["zh"] in whole
    else:
        assert HEADLINES["en"] in whole


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_are_numbered_and_the_contents_give_each_sections_page(texts: dict[str, list[str]], lang: str) -> None:
    pages = [page for page in texts[lang] if page.strip()]
    assert len(pages) == 3  # cover and contents (with the left-out section), the offices section, provenance
    feet = [page.strip().splitlines()[-1].strip() for page in pages]
    assert feet[1:] == ["2", "3"]  # the first page carries no number
    office = {"zh": "\u4e13\u5229\u5c40", "en": "Office"}[lang]  # the offices section's title
    assert any(line.strip().startswith(office) and line.strip().endswith(".2") for line in pages[0].splitlines())


def test_without_weasyprint_the_html_is_written_and_the_reason_given(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint raises ImportError
    written = write_bulletin(fake_bulletin(tmp_path / "none"), tmp_path, ["en"])
    assert [p.name for p in written.html] == ["bulletin.en.html"] and written.pdf == []
    assert written.pdf_note is not None and written.pdf_note.startswith("no PDF: WeasyPrint cannot load")
