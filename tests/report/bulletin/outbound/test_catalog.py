"""Every word the outbound sections print has its Chinese in ``bulletin_outbound.po``.

The messages are found twice: in the code (Babel's extractor, keyword ``N_``, as a catalog update
would find them) and in the sections built from real and synthetic warehouses (every ``Text``,
title, caption, column title, figure label and chart axis title, nested params included). Each
must be translated, with the same ``%(name)s`` placeholders, and no other catalog of the project
may translate the same msgid differently.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from patentreach.report.bulletin.model import Section, SectionUnavailable, Text
from tests.conftest import REPO

CATALOG = REPO / "patentreach" / "report" / "locales" / "zh" / "LC_MESSAGES" / "bulletin_outbound.po"
MODULES = ("offices", "fields", "enterprises", "routes", "outbound_query", "outbound_words", "outbound_published",
           "outbound_charts")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale="zh") if m.id}


@pytest.fixture(scope="module")
def translated() -> dict[str, str]:
    return _catalog(CATALOG)


def _in_code() -> set[str]:
    found = set()
    for name in MODULES:
        path = REPO / "patentreach" / "report" / "bulletin" / "sections" / f"{name}.py"
        found |= {message for _line, message, _comments, _context in extract_from_file("python", path,
                                                                                        keywords={"N_": None})}
    return found


def _texts(value: object) -> set[str]:
    if isinstance(value, Text):
        return {value.msgid}.union(*(_texts(v) for v in value.params.values()))
    if isinstance(value, dict):
        return set().union(*(_texts(v) for v in value.values()))
    return set()


def _printed(section: Section | SectionUnavailable) -> set[str]:
    """Every message a section hands the renderer (the chart's axis titles through its gettext)."""
    if isinstance(section, SectionUnavailable):
        return _texts(section.note)
    found = {section.title, *(f.label for f in section.figures)}
    for text in [*section.sentences, *section.notes]:
        found |= _texts(text)
    for table in section.tables:
        found |= {table.caption, *(c.title for c in table.columns)}
        for row in table.rows:
            found |= _texts(row)
    asked: list[str] = []

    def gettext(message: str) -> str:
        asked.append(message)
        return message

    for chart in section.charts:
        chart.spec("zh", gettext)
        found |= {chart.title}
    found |= {m for m in asked if m}
    return found


def test_every_message_in_the_code_is_translated_with_its_placeholders(translated: dict[str, str]) -> None:
    messages = _in_code()
    assert len(messages) > 80
    missing = sorted(m for m in messages if not translated.get(m))
    assert not missing
    for message in messages:
        assert sorted(PLACEHOLDER.findall(message)) == sorted(PLACEHOLDER.findall(translated[message])), message
        if not PLACEHOLDER.search(message):  # formatted without params: no bare %
            assert "%" not in message and "%" not in translated[message], message


def test_every_message_the_built_sections_print_is_translated(translated: dict[str, str], mini_cn_2021: dict,
                                                              samples_jp_2009: dict) -> None:
    from patentreach.report.bulletin.sections.outbound_query import NO_YEAR

    printed = set().union(*(_printed(s) for s in [*mini_cn_2021.values(), *samples_jp_2009.values()]))
    printed.add(NO_YEAR)
    assert {"Count", "Office (country or region)", "Total", "PCT national phase"} <= printed
    assert sorted(m for m in printed if not translated.get(m)) == []


def test_no_other_catalog_translates_these_messages_differently(translated: dict[str, str]) -> None:
    others = [path for root in ("patentreach/report/locales", "patentreach/web/locales")
              for path in sorted((REPO / root).rglob("*.po")) if path != CATALOG]
    assert others  # the web's catalogs at least
    clashes = []
    for path in others:
        for msgid, text in _catalog(path).items():
            if msgid in translated and text and text != translated[msgid]:
                clashes.append(f"{path.name}: {msgid!r}: {text!r} vs {translated[msgid]!r}")
    assert clashes == []


def test_the_headline_reads_as_cnipa_writes_it(translated: dict[str, str]) -> None:
    from patentreach.report.bulletin.sections.offices import HEADLINE
    from patentreach.report.bulletin.sections.outbound_words import GROUP_WHERE, RISE

    sentence = translated[HEADLINE] % {
        "year": "2021", "origin": "中国", "where": translated[GROUP_WHERE["major_offices"]], "count": "4.6万",
        "change": translated[RISE] % {"pct": "14.1%"}}
    assert sentence == "2021年，中国企业在主要国家和地区获得发明专利授权4.6万件，同比增长14.1%。"
