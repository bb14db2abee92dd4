"""A bulletin chart as inline SVG: its Vega-Lite specification in a language, rendered by
vl-convert (no browser, no network), made safe to inline several times in one page.

vl-convert's SVG is deterministic for a given specification, but the ids it may write (clip
paths, gradients) are the same in every chart (``clip1``); inlined side by side they would clash,
so each id is prefixed with the chart's key. The XML declaration, if any, is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from patentreach.report.bulletin.model import Chart

_ID = re.compile(r'\bid="([^"]+)"')
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def _prefix(key: str) -> str:
    return "chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", key) + "-"


def normalise(svg: str, key: str) -> str:
    """``svg`` with its ids (and references to them) prefixed by the chart's key."""
    svg = _DECLARATION.sub("", svg)
    ids = sorted(set(_ID.findall(svg)), key=len, reverse=True)
    if not ids:
        return svg
    prefix = _prefix(key)
    for found in ids:
        svg = svg.replace(f'id="{found}"', f'id="{prefix}{found}"')
        svg = svg.replace(f"url(#{found})", f"url(#{prefix}{found})")
        svg = svg.replace(f'href="#{found}"', f'href="#{prefix}{found}"')
    return svg


def chart_svg(chart: Chart, lang: str, gettext: Callable[[str], str]) -> str | None:
    """``chart`` in ``lang`` as an SVG element, or None when its specification has nothing to draw."""
    spec = chart.spec(lang, gettext)
    if spec is None:
        return None
    import vl_convert

    return normalise(vl_convert.vegalite_to_svg(spec), chart.key)
