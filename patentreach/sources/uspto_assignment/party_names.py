"""Person or organisation, from the way USPTO assignment records print a name.

Assignment records carry no person flag in practice (the DTD's ``name-type`` natural/legal
attribute is absent from the real files), but the recording clerks write people as
``LAST, FIRST`` ("WEINSTEIN, DAMON", "WORDEN, MICHAEL D.") and organisations with their legal
form or an institutional word ("SOUNDBITE COMMUNICATIONS, INC.", "INSTITUT PASTEUR"). So:

* **organisation** when the name holds an organisation word (``ORGANISATION_WORDS``);
* **person** when it is written ``LAST, FIRST`` and holds none;
* **unclear** otherwise ("STARION FINANCIAL", "SVITLANA TYEKUCHEVA"): stored as an organisation,
  as readers without a person flag do, but not counted as a person by the employer rule.

The same rule reads the ``ASSIGNORS:`` lists of OPS legal events, which copy USPTO names.
"""

from __future__ import annotations

import re
from enum import StrEnum

from patentreach.model.records import PartyKind


class NameForm(StrEnum):
    ORGANISATION = "organisation"
    PERSON = "person"
    UNCLEAR = "unclear"


# Legal forms (INC, GMBH, KABUSHIKI KAISHA ...) and institutional words, compared as whole words
# after dots and slashes are dropped ("L.L.C." -> "LLC", "S.A." -> "SA", "A/S" -> "AS"); an
# apostrophe separates words ("L'UNIVERSITE" -> "L", "UNIVERSITE").
ORGANISATION_WORDS = frozenset({
    "INC", "INCORPORATED", "LLC", "LLP", "LTD", "LIMITED", "CORP", "CORPORATION", "COMPANY", "GMBH", "MBH",
    "KGAA", "SAS", "SARL", "SPA", "SRL", "PLC", "KAISHA", "OYJ", "ASA", "APS", "PTY", "PTE", "BHD", "SDN",
    "ULC", "LTDA", "UNIVERSITY", "UNIVERSITE", "UNIVERSITAT", "UNIVERSITAET", "UNIVERSIDAD", "UNIVERSITA",
    "UNIVERSITEIT", "COLLEGE", "SCHOOL", "INSTITUTE", "INSTITUT", "INSTITUTO", "ISTITUTO", "CENTRE", "CENTER",
    "CENTRO", "FOUNDATION", "FONDATION", "STIFTUNG", "FUNDACION", "ASSOCIATION", "SOCIETY", "SOCIETE",
    "TRUST", "BANK", "FUND", "FUNDS", "HOLDINGS", "HOLDING", "GROUP", "PARTNERSHIP", "PARTNERS",
    "TECHNOLOGIES", "TECHNOLOGY", "LABORATORIES", "LABORATORY", "LABS", "HOSPITAL", "HOSPITALS", "GOVERNMENT",
    "DEPARTMENT", "AGENCY", "ADMINISTRATION", "SECRETARY", "ESTATE", "AGENT", "REGENTS", "BOARD", "COUNCIL",
    "COMMISSION", "SYSTEMS", "INDUSTRIES", "ENTERPRISES", "SERVICES", "SOLUTIONS", "NETWORKS",
    "PHARMACEUTICALS", "PHARMACEUTICAL", "SCIENCES", "RESEARCH", "VENTURES", "CAPITAL", "FINANCIAL",
    "INTERNATIONAL", "NATIONAL", "STICHTING", "VEREIN", "FONDAZIONE",
})
# Short legal forms that are also given names or name parts ("KIM, SE HOON"): they mark an
# organisation only as the last word ("SIEMENS AG", "ACME CO", "VOLVO AB").
LEGAL_FORM_SUFFIXES = frozenset({"CO", "AG", "KG", "SA", "BV", "NV", "KK", "OY", "AB", "AS", "SE", "SL", "LP"})

_DROP = re.compile(r"[./]")
_WORDS = re.compile(r"[A-Z0-9&]+")


def name_form(name: str, name_type: str | None = None) -> NameForm:
    """How a printed name reads; a printed ``name-type`` (natural / legal) decides when given."""
    if name_type:
        flag = name_type.strip().lower()
        if flag == "natural":
            return NameForm.PERSON
        if flag == "legal":
            return NameForm.ORGANISATION
    words = _WORDS.findall(_DROP.sub("", name.upper()))
    if ORGANISATION_WORDS.intersection(words) or (words and words[-1] in LEGAL_FORM_SUFFIXES):
        return NameForm.ORGANISATION
    if re.search(r"\S,\s*\S", name):
        return NameForm.PERSON
    return NameForm.UNCLEAR


def party_kind(form: NameForm) -> str:
    """The stored ``kind``: the model has no "unclear", so unclear names are organisations."""
    return PartyKind.PERSON if form is NameForm.PERSON else PartyKind.ORGANISATION
