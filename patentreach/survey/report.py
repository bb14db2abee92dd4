"""The published report's headline figures: which estimate each one is, and its sentence.

Each headline is a proportion in a subpopulation (a domain), estimated over the whole responding
sample by domain so that the design - strata, clusters, fpc - is kept (subsetting the data first
would understate the variance). The analysis variables are derived from the answers here, in one
place, so the report, the demo and the docs use the same definitions:

* ``bri_partner`` - among enterprises that transferred or licensed patents abroad, whether any
  partner country is a Belt and Road signatory (the country list's ``belt_and_road`` column,
  ``other_bri`` included);
* ``self_innovation`` - among enterprises that found licensing-in technology from abroad difficult,
  whether they increased investment in their own innovation;
* ``export_unprotected`` - among exporters, whether none of their export markets is covered by
  their patents;
* ``implemented`` (per patent) - among sampled invention patents, whether the patent is in
  production or use: the industrialisation rate, the national survey's best-known per-patent rate.

Estimation itself is the estimation engine's (:mod:`patentreach.survey.estimate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from patentreach.survey.instrument.form import Form


@dataclass(frozen=True)
class Headline:
    """One headline: ``variable`` = "yes" among units with ``domain`` = "yes"."""

    key: str
    unit: Literal["enterprise", "patent"]
    variable: str
    domain: str
    subject: str
    published: str  # the figure as first published, which the synthetic demo is shaped after

    @property
    def stat(self) -> str:
        return f"prop:{self.variable}=yes:method=logit"


HEADLINES: tuple[Headline, ...] = (
    Headline(
        "bri_transfer",
        "enterprise",
        "bri_partner",
        "transferred_abroad",
        "enterprises that transferred or licensed patents abroad did so to Belt and Road countries",
        "38%",
    ),
    Headline(
        "self_innovation",
        "enterprise",
        "self_innovation",
        "import_difficulty",
        "enterprises that found it difficult to license technology from abroad chose to increase "
        "investment in self-innovation",
        "84.1%",
    ),
    Headline(
        "export_unprotected",
        "enterprise",
        "export_unprotected",
        "exporter",
        "exporting enterprises did not obtain patent protection in any of their export markets",
        "two-thirds",
    ),
    Headline(
        "industrialisation",
        "patent",
        "implemented",
        "invention",
        "the enterprises' valid invention patents had been put into production or use "
        "(industrialisation rate, per patent)",
        "48.1% (enterprises, 2022)",
    ),
)


def _yes_no(flags: pd.Series, domain: pd.Series) -> pd.Series:
    """ "yes"/"no" inside the domain, ``<NA>`` outside it."""
    out = pd.Series(pd.NA, index=flags.index, dtype="string")
    out[domain] = flags[domain].map({True: "yes", False: "no"})
    return out


def derive_enterprise(data: pd.DataFrame, form: Form) -> pd.DataFrame:
    """The enterprise analysis variables (see the module docstring), added to ``data``."""
    bri = {c for c, flag in form.choice_attribute("country", "belt_and_road").items() if flag == "yes"}
    out = data.copy()
    abroad = out["transfer_out_abroad"].eq("yes").fillna(False).astype(bool)
    out["transferred_abroad"] = abroad.map({True: "yes", False: "no"}).astype("string")
    partners = out["transfer_out_countries"].fillna("").astype(str).str.split()
    out["bri_partner"] = _yes_no(partners.map(lambda cs: any(c in bri for c in cs)), abroad)
    exporter = out["exports"].eq("yes").fillna(False).astype(bool)
    out["exporter"] = exporter.map({True: "yes", False: "no"}).astype("string")
    out["export_unprotected"] = _yes_no(out["export_protection"].eq("none").fillna(False), exporter)
    hard = out["tech_import_difficulty"].eq("yes").fillna(False).astype(bool)
    out["import_difficulty"] = hard.map({True: "yes", False: "no"}).astype("string")
    chose = out["difficulty_response"].fillna("").astype(str).str.split()
    out["self_innovation"] = _yes_no(chose.map(lambda cs: "self_innovation" in cs), hard)
    return out


def derive_patent(data: pd.DataFrame) -> pd.DataFrame:
    """The patent analysis variables: the ``invention`` domain flag."""
    out = data.copy()
    invention = out["patent_type"].eq("invention").fillna(False).astype(bool)
    out["invention"] = invention.map({True: "yes", False: "no"}).astype("string")
    return out


def headline_estimates(
    enterprise: pd.DataFrame,
    enterprise_design: object,
    patent: pd.DataFrame,
    patent_design: object,
    level: float = 0.95,
) -> pd.DataFrame:
    """One estimate row per headline (the engine's columns plus ``key``, ``unit``, ``sentence``)."""
    from patentreach.survey.estimate import estimate, headline

    rows = []
    for spec in HEADLINES:
        data, design = (enterprise, enterprise_design) if spec.unit == "enterprise" else (patent, patent_design)
        # Only the domain's level is wanted: other rows stay in the design (for the variance) but
        # get no domain label, so no estimate is attempted where the variable is undefined.
        flagged = data.assign(_domain=data[spec.domain].where(data[spec.domain] == "yes"))
        table = estimate(flagged, design, [spec.stat], by="_domain", level=level)
        picked = table[(table["domain"].astype(str) == "yes") & (table["category"].astype(str) == "yes")]
        if len(picked) != 1:
            raise RuntimeError(f"headline {spec.key}: expected one estimate, got\n{table}")
        row = picked.iloc[0].copy()
        row["key"], row["unit"] = spec.key, spec.unit
        # the domain is part of the subject's wording, so it is not appended as "[yes]"
        row["sentence"] = headline(row.drop(labels=["domain"]), spec.subject, level=level)
        rows.append(row)
    return pd.DataFrame(rows).reset_index(drop=True)
