"""The demo's analysis variables, and the headline figures of ``instrument/headlines.yaml``.

The headline definitions (unit, population, numerator, denominator, sentences in Chinese and
English, the published figure) are data in ``instrument/headlines.yaml``, estimated by
:mod:`patentreach.survey.headlines`; :func:`headline_estimates` is the demo's call into it.

The analysis files the demo writes (``analysis_enterprises.csv``) also carry derived yes/no
columns, so ``survey estimate`` can reproduce a headline by hand (``-s prop:bri_partner=yes
--by transferred_abroad``); they follow the same definitions as the YAML:

* ``bri_partner`` - among enterprises that transferred or licensed patents abroad, whether any
  partner country is a Belt and Road signatory (the country list's ``belt_and_road`` column,
  ``other_bri`` included);
* ``self_innovation`` - among enterprises that found licensing-in technology from the United States
  or Europe difficult (``import_difficulty``), whether they increased investment in their own
  innovation;
* ``export_unprotected`` - among exporters, whether none of their export markets is covered by
  their patents;
* ``invention`` (per patent) - the domain of the industrialisation rate.
"""

from __future__ import annotations

import pandas as pd

from patentreach.survey.instrument.form import Form


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
    hard = out["difficulty_us_europe"].eq("yes").fillna(False).astype(bool)
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
    """One row per indicator of ``headlines.yaml`` for the whole population: the headline
    table's columns plus ``sentence`` (English, as the demo prints it)."""
    from patentreach.survey.headlines import headline_rows

    table = headline_rows(
        {"holder": enterprise, "patent": patent},
        {"holder": enterprise_design, "patent": patent_design},
        by=(None,),
        level=level,
    )
    return table.assign(sentence=table["sentence_en"])
