"""The survey's own words as bulletin catalog messages.

The headline indicators (``survey/instrument/headlines.yaml``) carry their labels and sentence
templates in Chinese and English, and the holder form its group labels. The bulletin prints words
from its catalogs only, so each is a catalog message whose msgid is the English text, turned into
a catalog template here (``{estimate}`` -> ``%(estimate)s``, ``{ci}`` -> ``%(low)s–%(high)s``); the
Chinese entry of ``bulletin_sections.po`` is the yaml's Chinese text turned the same way. A test
keeps the two equal, so the yaml stays the one place the survey team words an indicator, and an
indicator added to it without a catalog entry fails the catalog test instead of printing English
in the Chinese bulletin.

(The alternative, a model value carrying both languages, would have meant a second kind of text
in the renderer; a catalog entry per indicator keeps ``Text`` the only one.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the definitions' module loads pandas (through the forms): only for types here
    from patentreach.survey.headline_definitions import Indicator, Indicators

PLACEHOLDERS = {
    "{estimate}": "%(estimate)s",
    "{level}": "%(level)s",
    "{ci}": "%(low)s–%(high)s",
    "{ci_lower}": "%(low)s",
    "{ci_upper}": "%(high)s",
    "{n}": "%(n)s",
}
STOPS = {"en": ".", "zh": "。"}


def catalog_template(text: str, lang: str = "en") -> str:
    """A yaml sentence template as a catalog message: ``%`` escaped, placeholders in ``%(name)s``
    form, the sentence closed with a full stop of the language."""
    out = " ".join(text.split()).replace("%", "%%")
    for placeholder, name in PLACEHOLDERS.items():
        out = out.replace(placeholder, name)
    return out if out.endswith(("。", ".", "!", "?", "！", "？")) else out + STOPS[lang]


def sentence_msgid(indicator: Indicator) -> str:
    return catalog_template(indicator.sentence["en"], "en")


def label_msgid(indicator: Indicator) -> str:
    return " ".join(indicator.label["en"].split())


def group_msgid(indicators: Indicators, breakdown: str, group: str) -> str:
    """The form's English label of a group (``Private (domestic)``)."""
    from patentreach.survey.headlines import group_label

    return group_label(indicators, breakdown, group, "en")


def expected_entries(indicators: Indicators) -> dict[str, str]:
    """msgid -> the Chinese the catalog must hold for it, from the yaml and the form."""
    from patentreach.survey.headlines import _groups, group_label

    entries: dict[str, str] = {}
    for indicator in indicators.indicators:
        entries[sentence_msgid(indicator)] = catalog_template(indicator.sentence["zh"], "zh")
        entries[label_msgid(indicator)] = " ".join(indicator.label["zh"].split())
        for breakdown, group in _groups(indicators, indicator, tuple(indicator.breakdowns)):
            entries[group_msgid(indicators, breakdown, group)] = group_label(indicators, breakdown, group, "zh")
    return entries
