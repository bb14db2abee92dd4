"""The bulletin's message catalogs: every ``.po`` under ``report/locales/<lang>/LC_MESSAGES/``
merged into one translation per language.

Each helper of the bulletin keeps its own catalog file (``bulletin.po``, ``bulletin_outbound.po``,
``bulletin_sections.po`` ...); they are read with Babel and compiled in memory, as the web's
catalogs are (``patentreach.web.i18n``, which the report layer may not import), so there is no
build step and no binary file in the repository. English is the msgids' language: a message
without a translation prints its English msgid.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
"""``patentreach/report/locales``."""


def catalog_files(lang: str) -> list[Path]:
    """The catalog files of ``lang``, in a stable order (English needs none)."""
    return sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po"))


@cache
def translations(lang: str) -> NullTranslations:
    """Every catalog of ``lang`` merged (``NullTranslations`` for a language without catalogs)."""
    merged: NullTranslations | None = None
    for path in catalog_files(lang):
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        loaded = Translations(buffer, domain=path.stem)
        if merged is None:
            merged = loaded
        else:
            merged.merge(loaded)
    return merged or NullTranslations()


def gettext(lang: str) -> Callable[[str], str]:
    """``lang``'s gettext: a msgid in, its translation out (the msgid itself when untranslated)."""
    return translations(lang).gettext


def translate(lang: str, msgid: str) -> str:
    """``msgid`` in ``lang``."""
    return translations(lang).gettext(msgid)
