"""The bulletin's opening: the headline sentences of the press release.

Each section's first sentence is its headline (``Section.sentences[0]``); this section quotes
them in the configured order (``options: {sections: [offices, transfers, survey, gaps]}``; by
default every built section that has one). Quoting keeps the figure: the headline and the
section print the same ``Figure``, listed once in ``figures.csv``. A quoted section that was left
out is said in a note, never silently dropped.
"""

from __future__ import annotations

from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Section, SectionUnavailable, Text

TITLE = N_("Headlines")
DEFAULT_SOURCES = ("offices", "fields", "enterprises", "routes", "transfers", "survey", "gaps")
NOT_IN = N_("The %(section)s section is left out, so its headline is not given: %(why)s")
NONE_LEFT = N_("No section with a headline figure could be built from these inputs.")


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    sources = options.get("sections") or [name for name in DEFAULT_SOURCES if name in built]
    section = Section("headlines", TITLE)
    for name in sources:
        quoted = built.get(name)
        if quoted is None:
            continue
        if quoted.omitted is not None:
            section.notes.append(Text(NOT_IN, {"section": Text(quoted.title), "why": quoted.omitted}))
        elif quoted.sentences:
            section.sentences.append(quoted.sentences[0])
    if not section.sentences:
        raise SectionUnavailable(Text(NONE_LEFT))
    return section
