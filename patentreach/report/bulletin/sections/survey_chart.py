"""The survey section's chart: each headline indicator's estimate with its confidence interval.

A point per indicator and a rule from the interval's lower to its upper bound, from the same
figures the sentences print; indicator names are catalog messages translated by the renderer's
``gettext``. Altair writes the Vega-Lite specification (font and width as ``present/charts.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from patentreach.present.charts import FONT
from patentreach.report.bulletin.model import N_, Chart, Figure

AXIS_ESTIMATE = N_("Estimate (per cent)")
AXIS_INDICATOR = N_("Indicator")


def estimates_chart(key: str, title: str, estimates: Sequence[tuple[str, Figure]]) -> Chart:
    """``estimates``: (label msgid, figure with value, low and high in percent)."""
    frozen = tuple(estimates)

    def spec(lang: str, gettext: Callable[[str], str]) -> dict[str, Any] | None:
        import altair as alt

        data = [{"indicator": gettext(label), "estimate": f.value, "low": f.low, "high": f.high}
                for label, f in frozen if f.value is not None]
        if not data:
            return None
        base = alt.Chart(alt.Data(values=data))
        y = alt.Y("indicator:N", title=gettext(AXIS_INDICATOR), sort=None, axis=alt.Axis(labelLimit=320))
        scale = alt.Scale(domain=[0, 100])
        interval = base.mark_rule(strokeWidth=2).encode(
            x=alt.X("low:Q", title=gettext(AXIS_ESTIMATE), scale=scale), x2="high:Q", y=y)
        point = base.mark_point(filled=True, size=60).encode(x=alt.X("estimate:Q", scale=scale), y=y)
        chart = alt.layer(interval, point).properties(width=420, height=max(60, 30 * len(data)))
        return chart.configure(font=FONT).to_dict()

    return Chart(key, title, spec)
