"""Gettext catalogs read straight from ``.po`` files: the web's and the bulletin's share this.

Each part of an interface keeps its own catalog file (``dashboard.po``, ``bulletin_outbound.po``
...); they are read with Babel and compiled in memory, so there is no build step and no binary
file in the repository. English is the msgids' language: a message without a translation shows
its English msgid.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations


def merged_translations(folder: Path, lang: str) -> NullTranslations:
    """Every ``*.po`` of ``folder`` (read in name order) merged into one ``Translations``;
    ``NullTranslations`` when there are none (English needs none)."""
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
