"""Which language a request is answered in, and the interface's message catalogs.

The language is, in order: ``?lang=zh`` (remembered in a cookie), the ``lang`` cookie, the
browser's ``Accept-Language``, else Chinese (the office's own language comes first). The
catalogs are gettext ``.po`` files under ``locales/<lang>/LC_MESSAGES/``, one file per part of the
interface (``dashboard.po``, ``auth.po``, ...), all merged; they are read with Babel and compiled
in memory at start, so there is no build step and no binary file in the repository.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.extract import extract_python as babel_extract_python
from babel.support import NullTranslations

from patentreach.present import formats
from patentreach.present.catalogs import merged_translations

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_COOKIE = "lang"
LOCALES_DIR = Path(__file__).parent / "locales"
BABEL_LOCALES = formats.LOCALES
"""The CLDR locale behind each interface language (number and date formats)."""
MAX_HEADER = 2048
"""Longer ``Accept-Language`` headers are cut: no browser sends one, and parsing is linear."""
_TAG = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*")


def supported(tag: str | None) -> str | None:
    """The interface language of a BCP 47 tag (``zh-CN``, ``zh_Hant_HK``, ``EN-us`` ...), or
    None for a malformed tag or a language the interface does not have.

    Traditional-script and Taiwanese or Hong Kong tags get the Simplified interface: a reader of
    Traditional Chinese reads it more easily than the English one.
    """
    if not tag:
        return None
    text = tag.strip().replace("_", "-").lower()
    if not _TAG.fullmatch(text):
        return None
    primary = text.split("-", 1)[0]
    return primary if primary in LANGUAGES else None


def _accepted(header: str) -> list[str]:
    """The tags of an ``Accept-Language`` header, most wanted first (ties keep their order);
    entries with ``q=0`` or a malformed ``q`` are dropped (RFC 9110 section 12.5.4)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:MAX_HEADER].split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if tag and 0 < quality <= 1:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def choose_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The request's language: ``?lang=``, then the cookie, then ``Accept-Language`` (a ``*``
    there, or nothing usable anywhere, gives the default, Chinese). Unusable values are skipped,
    never an error: a language choice must not break a page."""
    for value in (query, cookie):
        found = supported(value)
        if found:
            return found
    for tag in _accepted(accept_language or ""):
        if tag == "*":
            return DEFAULT_LANGUAGE
        found = supported(tag)
        if found:
            return found
    return DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> NullTranslations:
    """Every catalog of ``lang`` merged into one ``Translations`` (English is the source language:
    its catalogs may be empty, and a missing message shows its English msgid)."""
    return merged_translations(LOCALES_DIR / lang / "LC_MESSAGES", lang)


def babel_locale(lang: str) -> Locale:
    """The Babel locale of an interface language (the one ``present.formats`` uses)."""
    return formats.locale(lang)


def gettext(lang: str, message: str, **values: object) -> str:
    """``message`` translated into ``lang``, with ``%(name)s`` placeholders filled."""
    text = translations(lang).gettext(message)
    return text % values if values else text


def extract_python(fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[Any]:
    """Babel's Python extractor, also reading this module's ``gettext(lang, message, ...)``.

    Babel takes a ``gettext`` call's first argument as the message; here the first is the
    language, so its leading non-string arguments are dropped (``gettext(lang, "Saved")`` gives
    ``Saved``). Named in ``locales/babel.cfg``, so ``pybabel extract`` and the catalogs' test see
    the same messages.
    """
    for lineno, funcname, messages, comments in babel_extract_python(fileobj, keywords, comment_tags, options):
        if funcname == "gettext" and isinstance(messages, tuple):
            position = next((i for i, m in enumerate(messages) if m is not None), len(messages))
            messages = messages[position:]
        yield lineno, funcname, messages, comments
