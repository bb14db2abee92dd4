"""Every string the area templates show is in a Chinese catalog (``areas.po``, or ``common.po``
for the frame's own words), extracted with Babel's Jinja extractor as a translator would."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import patentreach.web as web

WEB = Path(web.__file__).parent
TEMPLATES = ("transfers.html", "entities.html", "entity.html", "reference.html", "protect.html", "gap_report.html")


def _catalog(name: str):  # type: ignore[no-untyped-def]
    with open(WEB / "locales" / "zh" / "LC_MESSAGES" / name, "rb") as handle:
        return read_po(handle, locale="zh")


def test_every_template_string_has_a_chinese_translation() -> None:
    areas, common = _catalog("areas.po"), _catalog("common.po")
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
    found = [message for path, _, message, _, _ in extract_from_dir(WEB / "templates", method_map, options)
             if Path(path).name in TEMPLATES]
    assert len(found) > 120
    untranslated = []
    for message in found:
        key = message if isinstance(message, str) else message[0]
        entry = areas.get(key) or common.get(key)
        if entry is None or not entry.string or not any(entry.string if isinstance(entry.string, tuple)
                                                         else (entry.string,)):
            untranslated.append(key)
    assert untranslated == []
