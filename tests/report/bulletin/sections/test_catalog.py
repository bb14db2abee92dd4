"""Every message the transfers, survey, gaps and methods sections print has its Chinese in
``bulletin_sections.po``, with the same placeholders; the survey's own words in the catalog are the
Chinese of headlines.yaml and the holder form; and no msgid is translated differently in another
catalog of the project."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from patentreach.report.bulletin.sections.survey_messages import expected_entries
from patentreach.survey.headlines import load_indicators

ROOT = Path(__file__).resolve().parents[4]
SECTIONS = ROOT / "patentreach" / "report" / "bulletin" / "sections"
MODULES = ["transfers", "transfer_chart", "transfer_commands", "survey", "survey_chart", "survey_inputs",
           "survey_messages", "gaps", "methods", "method_sources"]
CATALOG = ROOT / "patentreach" / "report" / "locales" / "zh" / "LC_MESSAGES" / "bulletin_sections.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def marked_messages() -> list[str]:
    """Every ``N_("...")`` of the sections' modules."""
    found = []
    for name in MODULES:
        tree = ast.parse((SECTIONS / f"{name}.py").read_text(encoding="utf-8"))
        found += [node.args[0].value for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"]
    return found


def test_the_modules_mark_their_messages() -> None:
    messages = marked_messages()
    assert "Transfers and licences to Belt and Road countries" in messages and len(messages) > 100


@pytest.mark.parametrize("msgid", sorted(set(marked_messages()) | set(expected_entries(load_indicators()))))
def test_every_message_has_chinese_with_the_same_placeholders(msgid: str) -> None:
    translated = _catalog(CATALOG).get(msgid)
    assert translated, f"no Chinese for {msgid!r} in {CATALOG.name}"
    assert re.search(r"[\u4e00-\u9fff]", translated) or msgid == "SHA-256", translated
    assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(msgid))
    if PLACEHOLDER.search(msgid):  # formatted: a literal percent sign is %% in both
        translated % dict.fromkeys(PLACEHOLDER.findall(msgid), "x")


def test_the_survey_s_words_are_those_of_the_yaml_and_the_form() -> None:
    catalog = _catalog(CATALOG)
    for msgid, chinese in expected_entries(load_indicators()).items():
        assert catalog.get(msgid) == chinese, msgid


def test_no_msgid_is_translated_differently_in_another_catalog() -> None:
    mine = _catalog(CATALOG)
    for other in sorted(ROOT.glob("patentreach/**/locales/zh/LC_MESSAGES/*.po")):
        if other == CATALOG:
            continue
        for msgid, chinese in _catalog(other).items():
            if msgid in mine and chinese:
                assert mine[msgid] == chinese, f"{msgid!r}: {mine[msgid]!r} here, {chinese!r} in {other.name}"
