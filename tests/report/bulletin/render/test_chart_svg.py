"""Several charts in one page: each SVG's ids (clip paths, gradients) get the chart's key, so two
charts never share an id, and the references follow."""

from __future__ import annotations

from patentreach.report.bulletin.chart_svg import normalise

SVG = ('<?xml version="1.0" encoding="utf-8"?>\n<svg><defs><clipPath id="clip1"><rect/></clipPath>'
       '<clipPath id="clip10"><rect/></clipPath></defs><g clip-path="url(#clip1)"/><g clip-path="url(#clip10)"/>'
       '<use href="#clip1"/></svg>')


def test_ids_and_their_references_get_the_charts_key() -> None:
    assert normalise(SVG, "offices.by office") == (
        '<svg><defs><clipPath id="chart-offices-by-office-clip1"><rect/></clipPath>'
        '<clipPath id="chart-offices-by-office-clip10"><rect/></clipPath></defs>'
        '<g clip-path="url(#chart-offices-by-office-clip1)"/><g clip-path="url(#chart-offices-by-office-clip10)"/>'
        '<use href="#chart-offices-by-office-clip1"/></svg>')


def test_an_svg_without_ids_is_left_as_it_is() -> None:
    assert normalise('<svg><path d="M0,0"/></svg>', "k") == '<svg><path d="M0,0"/></svg>'
