"""The phrases the outbound sections share: where the grants were obtained, the year-on-year
change, the route names. Each is a catalog message (``bulletin_outbound.po``) or a reference-data
name, composed as ``Text`` so the renderer writes it in each language."""

from __future__ import annotations

from typing import Any

from patentreach.report.bulletin.model import N_, Name, Ref, Text

GROUP_WHERE = {
    "major_offices": N_("major foreign countries and regions"),
    "ip5": N_("the IP5 offices"),
    "bri": N_("Belt and Road countries"),
}
"""Groups as a sentence names them (other groups by their reference-data name)."""
LIST = N_("%(first)s, %(rest)s")
ALL_ABROAD = N_("all foreign offices")

RISE = N_("+%(pct)s year on year")
"""present/headline.py's message (同比增长): the figure is a percentage, written without sign."""
FALL = N_("-%(pct)s year on year")
"""present/headline.py's message (同比下降): the figure printed without its sign."""
FLAT = N_("unchanged year on year")

ROUTES = {"direct": N_("Direct filing"), "pct": N_("PCT national phase")}
UNKNOWN_ROUTE = N_("Route not known")


def where(offices: tuple[str, ...]) -> Any:
    """The offices of a spec as a sentence names them: a group's phrase, or the offices' names."""
    if not offices:
        return Text(ALL_ABROAD)
    names: list[Any] = []
    for code in offices:
        if code in GROUP_WHERE:
            names.append(Text(GROUP_WHERE[code]))
        else:
            names.append(Name("group" if len(code) > 2 else "office", code))
    return joined(names)


def joined(items: list[Any]) -> Any:
    """``a, b, c`` (``a、b、c`` in Chinese) as nested ``Text``."""
    if len(items) == 1:
        return items[0]
    return Text(LIST, {"first": items[0], "rest": joined(items[1:])})


def change(key: str, value: float | None) -> Text | None:
    """The year-on-year phrase of the figure ``key`` (None when there is no change to state)."""
    if value is None:
        return None
    if round(value, 1) == 0:
        return Text(FLAT)
    return Text(RISE, {"pct": Ref(key)}) if value > 0 else Text(FALL, {"pct": Ref(key, magnitude=True)})


def route_name(route: str | None) -> Text:
    return Text(ROUTES.get(route or "", UNKNOWN_ROUTE))
