"""How figures are presented to people, shared by the web dashboard and the bulletin.

The web (``patentreach.web``) and the bulletin (``patentreach.report``) are one layer and may not
import each other; what both print (numbers and dates per locale, headline sentences, charts)
lives here, below both and above the indicators. Nothing here knows HTTP or files:

    formats.py   numbers, compact Chinese numbers (4.6万), percentages, changes, dates, per language
    headline.py  the headline sentence of an outbound result, in a language
    charts.py    Vega-Lite charts (Altair) of a result, rendered to SVG (vl-convert)
"""
