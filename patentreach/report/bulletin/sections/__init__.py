"""One builder per bulletin section, registered by name.

A builder is ``build(ctx, options, built) -> Section``: ``ctx`` the open inputs
(``BulletinContext``), ``options`` the section's options from the configuration, ``built`` the
sections already built (the headline sentences, built last, quote their figures). A builder that
cannot run on these inputs raises ``SectionUnavailable`` with a note for the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import Section

Builder = Callable[[BulletinContext, dict[str, Any], dict[str, Section]], Section]

MODULES = {
    "headlines": "headlines", "offices": "offices", "fields": "fields", "enterprises": "enterprises",
    "routes": "routes", "transfers": "transfers", "survey": "survey", "gaps": "gaps", "methods": "methods",
}
BUILD_LAST = ("headlines", "methods")
"""Built after the others (they quote the others' figures), printed where the configuration puts them."""


def builder(name: str) -> Builder:
    """The builder of section ``name`` (``sections/<name>.py``'s ``build``)."""
    return import_module(f"patentreach.report.bulletin.sections.{MODULES[name]}").build
