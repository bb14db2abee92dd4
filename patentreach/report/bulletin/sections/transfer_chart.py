"""The transfers section's chart: transactions by destination country, one bar each.

Country names come from the reference data in the chart's language; the axis titles are catalog
messages translated by the renderer's ``gettext``. Altair writes the Vega-Lite specification, as
``present/charts.py`` does for the outbound figures (same font, same size).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from patentreach.present.charts import FONT
from patentreach.refdata.names import display_name
from patentreach.report.bulletin.model import N_, Chart

AXIS_COUNT = N_("Transactions")
AXIS_DESTINATION = N_("Destination")


def destination_chart(key: str, title: str, cells: Sequence[tuple[str, int]]) -> Chart:
    """A horizontal bar per destination country (``cells``: code and transactions), largest first."""
    frozen = tuple(cells)

    def spec(lang: str, gettext: Callable[[str], str]) -> dict[str, Any] | None:
        import altair as alt

        if not frozen:
            return None
        data = [{"destination": display_name("country", code, lang), "transactions": count} for code, count in frozen]
        chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
            x=alt.X("transactions:Q", title=gettext(AXIS_COUNT), axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("destination:N", title=gettext(AXIS_DESTINATION), sort="-x"),
        )
        return chart.properties(width=560, height=max(60, 26 * len(data))).configure(font=FONT).to_dict()

    return Chart(key, title, spec)
