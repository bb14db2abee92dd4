"""The bulletin's message catalogs: every ``.po`` under ``report/locales/<lang>/LC_MESSAGES/``
merged into one translation per language.

Each helper of the bulletin keeps its own catalog file (``bulletin.po``, ``bulletin_outbound.po``,
``bulletin_sections.po`` ...); they are read and merged by ``present.catalogs``, as the web's
are, so there is no build step and no binary file in the repository. English is the msgids'
language: a message without a translation prints its English msgid.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.support import NullTranslations

from patentreach.present.catalogs import merged_translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
"""``patentreach/report/locales``."""


def catalog_files(lang: str) -> list[Path]:
    """The catalog files of ``lang``, in a stable order (English needs none)."""
    return sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po"))


@cache
def translations(lang: str) -> NullTranslations:
    """Every catalog of ``lang`` merged (``NullTranslations`` for a language without catalogs)."""
    return merged_translations(LOCALES_DIR / lang / "LC_MESSAGES", lang)


def gettext(lang: str) -> Callable[[str], str]:
    """``lang``'s gettext: a msgid in, its translation out (the msgid itself when untranslated)."""
    return translations(lang).gettext


def translate(lang: str, msgid: str) -> str:
    """``msgid`` in ``lang``."""
    return translations(lang).gettext(msgid)
