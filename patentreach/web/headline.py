"""The dashboard's headline: ``present.headline`` in the request's language, with the
interface's catalogs (``dashboard.po``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from patentreach.present.headline import headline
from patentreach.web.i18n import translations

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult


def headline_in(result: IndicatorResult, lang: str) -> str:
    """The headline sentence of ``result`` in ``lang`` ("" when the breakdown has none)."""
    return headline(result, lang, translations(lang).gettext)
