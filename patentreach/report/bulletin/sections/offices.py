"""The bulletin's offices section (not built yet: the bulletin prints it as omitted)."""

from __future__ import annotations

from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Section, SectionUnavailable, Text

TITLE = N_("offices")


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    raise SectionUnavailable(Text(N_("This section is not available yet.")))
