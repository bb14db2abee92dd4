"""The bulletin's protection-gaps section: exporters without patent protection in their export
markets, from the survey (none of them; not all of them).

The figures are the survey's headline indicators ``export_unprotected_any`` and
``export_unprotected_none`` (``survey/instrument/headlines.yaml``), estimated as in the survey
section but printed here as ``gaps.<indicator>`` (so that this section stands without the other).
The headline sentence writes the share as the press release would ("about two-thirds") when the
estimate is within ``tolerance`` percentage points (option, default 2) of a plain fraction, with
the estimate and its interval beside it. The register route (exports against the patents held in
each market, issue #21) is not built yet: a note says so.

Options: ``headline`` (``export_unprotected_any``, the default, or ``export_unprotected_none``),
``tolerance``.
"""

from __future__ import annotations

from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Ref, Section, SectionUnavailable, Text
from patentreach.report.bulletin.sections.survey import survey_figures, survey_sentence
from patentreach.report.bulletin.sections.survey_inputs import survey_inputs

TITLE = N_("Protection gaps in export markets")
KEYS = ("export_unprotected_any", "export_unprotected_none")
FRACTIONS = (
    (25.0, N_("About a quarter")),
    (100 / 3, N_("About one-third")),
    (50.0, N_("About half")),
    (200 / 3, N_("About two-thirds")),
    (75.0, N_("About three-quarters")),
)
ABOUT = {
    "export_unprotected_any": N_(
        "%(share)s of exporting enterprises (%(estimate)s, %(level)s CI %(low)s–%(high)s) did not obtain patent "
        "protection in all of their export markets."),
    "export_unprotected_none": N_(
        "%(share)s of exporting enterprises (%(estimate)s, %(level)s CI %(low)s–%(high)s) did not obtain patent "
        "protection in any of their export markets."),
}
NO_SURVEY = N_("The protection gaps are measured by the survey, which is left out: %(why)s")
NOT_ESTIMATED = N_("The survey's protection-gap indicators are not among the estimated headline indicators.")
REGISTER_NOTE = N_(
    "The register-based protection gap (exports set against the patents held in each export market) is not yet "
    "available: the figures here are the survey's.")


def fraction(percent: float | None, tolerance: float) -> str | None:
    """The plain fraction's message within ``tolerance`` percentage points of ``percent``, if any."""
    if percent is None:
        return None
    near = min(FRACTIONS, key=lambda f: abs(f[0] - percent))
    return near[1] if abs(near[0] - percent) <= tolerance else None


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    try:
        inputs = survey_inputs(ctx)
    except SectionUnavailable as missing:
        raise SectionUnavailable(Text(NO_SURVEY, {"why": missing.note})) from None
    if not all(key in set(inputs.table["key"]) for key in KEYS):
        raise SectionUnavailable(Text(NOT_ESTIMATED))
    first = str(options.get("headline") or KEYS[0])
    if first not in KEYS:
        raise SectionUnavailable(Text(N_("Option headline of the gaps section: %(key)s is not one of %(keys)s."),
                                      {"key": first, "keys": ", ".join(KEYS)}))
    tolerance = float(options.get("tolerance", 2.0))
    section = Section("gaps", TITLE)
    for key in KEYS:
        section.figures += survey_figures(inputs, key, None, "all", section="gaps", prefix=f"gaps.{key}")
    for key in [first, *(k for k in KEYS if k != first)]:
        name = f"gaps.{key}"
        figure = section.figure(name)
        share = fraction(figure.value, tolerance) if figure.low is not None and figure.high is not None else None
        if share is not None and key == first:
            section.sentences.append(Text(ABOUT[key], {
                "share": Text(share), "estimate": Ref(name), "level": f"{inputs.level * 100:g}%",
                "low": Ref(f"{name}.low"), "high": Ref(f"{name}.high")}))
        else:
            section.sentences.append(survey_sentence(inputs, key, name))
    section.notes.append(Text(REGISTER_NOTE))
    return section
