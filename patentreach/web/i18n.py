"""Which language a request is answered in, and the interface's message catalogs.

The language is, in order: ``?lang=zh`` (remembered in a cookie), the ``lang`` cookie, the
browser's ``Accept-Language``, else Chinese (the office's own language comes first). The
catalogs are gettext ``.po`` files under ``locales/<lang>/LC_MESSAGES/``, one file per part of the
interface (``dashboard.po``, ``auth.po``, ...), all merged; they are read with Babel and compiled
in memory at start, so there is no build step and no binary file in the repository.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_COOKIE = "lang"
LOCALES_DIR = Path(__file__).parent / "locales"
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en"}
"""The CLDR locale behind each interface language (number and date formats)."""


def choose_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The request's language from ``?lang=``, the cookie and ``Accept-Language``."""
    for value in (query, cookie):
        if value and value.lower()[:2] in LANGUAGES:
            return value.lower()[:2]
    if accept_language:
        wanted = []
        for part in accept_language.split(","):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            if tag:
                wanted.append((quality, tag.strip().replace("-", "_").lower()))
        preferred = [tag for quality, tag in sorted(wanted, key=lambda item: -item[0]) if quality > 0]
        found = negotiate_locale([t.split("_")[0] for t in preferred], list(LANGUAGES))
        if found:
            return found
    return DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> NullTranslations:
    """Every catalog of ``lang`` merged into one ``Translations`` (English is the source language:
    its catalogs may be empty, and a missing message shows its English msgid)."""
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    merged: NullTranslations | None = None
    for path in sorted(folder.glob("*.po")):
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


def babel_locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, lang))


def gettext(lang: str, message: str, **values: object) -> str:
    """``message`` translated into ``lang``, with ``%(name)s`` placeholders filled."""
    text = translations(lang).gettext(message)
    return text % values if values else text
