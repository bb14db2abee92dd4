"""The words ``protect national`` prints, in English (the msgids) or Chinese (``protect_national.po``).

The catalog is read with Babel, as the web and the bulletin read theirs; a message without a
translation shows its English msgid.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "zh")


@cache
def _catalog(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    path = LOCALES / lang / "LC_MESSAGES" / "protect_national.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle, locale=lang) if m.id and m.string}


def words(lang: str = "en") -> Callable[[str], str]:
    """``gettext`` for ``lang`` (``en`` or ``zh``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    catalog = _catalog(lang)
    return lambda message: catalog.get(message, message)
