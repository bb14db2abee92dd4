"""The dashboard's chart: ``present.charts`` in the request's language, cached with the result
(rendering the SVG takes about a second; the same selection is drawn once per warehouse version
and language)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from patentreach.web import service
from patentreach.web.i18n import translations

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult
    from patentreach.indicators.spec import OutboundSpec


def chart_svg(request: Request, spec: OutboundSpec, result: IndicatorResult, lang: str) -> str:
    """The SVG of ``result`` (the figure of ``spec``) in ``lang``; "" when there is nothing to draw."""
    from patentreach.present.charts import chart_svg as draw

    gettext = translations(lang).gettext
    return service.cached(request, ("chart", spec, lang), lambda _engine: draw(result, lang, gettext))
