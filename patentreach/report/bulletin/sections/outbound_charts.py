"""Bar charts of the outbound sections: ``present.charts.chart_spec`` (Altair, the dashboard's
chart) over the rows a section prints, so the chart and the table show the same cells."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from patentreach.report.bulletin.model import Chart

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult

Relabel = Callable[[dict[str, Any], Callable[[str], str]], dict[str, Any]]


def bar_chart(key: str, title: str, result: IndicatorResult, rows: list[dict[str, Any]],
              relabel: Relabel | None = None) -> Chart:
    """A chart of ``rows`` (cells of ``result``, one year: bars). ``relabel(row, gettext)`` rewrites
    a row's key for a label the reference data has no name for (the routes)."""
    from patentreach.indicators.results import IndicatorResult

    def spec(lang: str, gettext: Callable[[str], str]) -> dict[str, Any] | None:
        from patentreach.present.charts import chart_spec

        shown = [relabel(dict(row), gettext) if relabel else row for row in rows]
        return chart_spec(IndicatorResult(result.definition, result.columns, shown), lang, gettext)

    return Chart(key=key, title=title, spec=spec)
