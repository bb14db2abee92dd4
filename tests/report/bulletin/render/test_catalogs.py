"""The bulletin's catalogs: every message the frame prints has a Chinese translation, the
dashboard's messages the bulletin reuses read exactly as on the dashboard, and no msgid is
translated two ways (across the bulletin's catalogs, or against the web's)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.util import pathmatch

from patentreach.report.bulletin import catalogs, render

BULLETIN = Path(render.__file__).parent
WEB_CATALOGS = BULLETIN.parent.parent / "web" / "locales" / "zh" / "LC_MESSAGES"
PRESENT = BULLETIN.parent.parent / "present"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")
KEYWORDS = {"N_": None, "_": None, "gettext": None}
FRAME_SOURCES = [BULLETIN / "render.py", BULLETIN / "cells.py", BULLETIN / "sections" / "headlines.py"]
"""The modules whose messages bulletin.po carries (the sections' own are in their catalogs)."""


def po(path: Path) -> dict[str, str]:
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="zh", abort_invalid=True)
    return {message.id: message.string for message in catalog if message.id}


def used_messages() -> set[str]:
    """The messages of the frame's modules and templates and of present/, extracted by Babel with
    the methods ``report/locales/babel.cfg`` maps them to."""
    with open(catalogs.LOCALES_DIR / "babel.cfg", encoding="utf-8") as handle:
        method_map, _options = parse_mapping_cfg(handle)
    found: set[str] = set()
    sources = FRAME_SOURCES + sorted(PRESENT.glob("*.py")) + sorted((BULLETIN / "templates").glob("*.html"))
    for path in sources:
        relative = path.relative_to(BULLETIN.parent.parent).as_posix()
        method = next(method for pattern, method in method_map if pathmatch(pattern, relative))
        found |= {m for _, m, _, _ in extract_from_file(method, str(path), keywords=KEYWORDS) if isinstance(m, str)}
    return found


def test_every_message_of_the_frame_and_of_present_has_a_chinese_translation() -> None:
    translated = {msgid for msgid, string in po(catalogs.LOCALES_DIR / "zh/LC_MESSAGES/bulletin.po").items() if string}
    used = used_messages()
    assert {"Contents", "Provenance", "Headlines", "not available", "Office"} <= used  # the extraction sees them
    assert sorted(used - translated) == []


def test_the_dashboards_messages_read_the_same_in_the_bulletin() -> None:
    web: dict[str, str] = {}
    for path in sorted(WEB_CATALOGS.glob("*.po")):
        web |= po(path)
    ours = po(catalogs.LOCALES_DIR / "zh/LC_MESSAGES/bulletin.po")
    present = {m for path in sorted(PRESENT.glob("*.py"))
               for _, m, _, _ in extract_from_file("python", str(path), keywords=KEYWORDS) if isinstance(m, str)}
    assert len(present) > 30
    assert {msgid: ours.get(msgid) for msgid in present} == {msgid: web[msgid] for msgid in present}
    clashes = {msgid: (string, web[msgid]) for msgid, string in ours.items() if msgid in web and web[msgid] != string}
    assert clashes == {}


def test_the_bulletins_catalogs_agree_with_each_other_and_keep_their_placeholders() -> None:
    files = catalogs.catalog_files("zh")
    assert catalogs.LOCALES_DIR / "zh/LC_MESSAGES/bulletin.po" in files
    seen: dict[str, tuple[str, str]] = {}
    for path in files:
        for msgid, string in po(path).items():
            if string:
                assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(string)), (path.name, msgid)
            if msgid in seen:
                assert seen[msgid][1] == string, f"{msgid!r}: {seen[msgid][0]} and {path.name} differ"
            seen[msgid] = (path.name, string)


@pytest.mark.parametrize(("lang", "expected"), [("zh", "\u76ee\u5f55"), ("en", "Contents")])  # 目录
def test_the_loader_merges_the_catalogs_and_english_is_the_msgid(lang: str, expected: str) -> None:
    assert catalogs.translate(lang, "Contents") == expected
    assert catalogs.gettext(lang)("a message no catalog has") == "a message no catalog has"
