"""The Lens document type ("Type" in the CSV export, ``publication_type`` in the API) as the first
rule for a document's type, with the kind-code table as the fallback.

Lens types every document it holds, at every office, so its "Granted Patent" types grants at
offices whose kind codes the reference table cannot source (ES A1 in 1975, DE D1 ...). The flag
says the *level* of a document, not whether it is the first publication of that level, so the
kind-code table keeps two jobs where it has a row:

* a row typing the pair ``other`` marks a republication or a non-patent (EP B2 after
  opposition, WO A4, US H1, CN C after 2010): it stays ``other``, so no grant or application is
  counted twice;
* a row typing it ``reissue``/``plant``/``design``/``utility_model`` names the right more
  precisely than "Granted Patent" or "Patent Application" does (US E1, CN U before 1993).

"Limited Patent" is not used: on the real export Lens gives it to utility models, Australian
innovation patents, Soviet inventor's certificates (SU A1) and Ukrainian C2 patents alike, so it
does not say which right a document is. "Unknown"/"Ambiguous" fall back to the table as well.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from patentreach.model.records import DocType
from patentreach.refdata.kind_codes import kind_code

LENS_RULE = "source:lens"
KIND_CODE_RULE = "kind_code"

# Lens type (normalised: upper case, words joined by "_") -> the document type it decides.
_DECIDING: dict[str, str] = {
    "GRANTED_PATENT": DocType.INVENTION_GRANT.value,
    "PATENT_APPLICATION": DocType.INVENTION_APPLICATION.value,
    "DESIGN_RIGHT": DocType.DESIGN.value,
    "PLANT_PATENT": DocType.PLANT.value,
    "AMENDED_PATENT": DocType.OTHER.value,
    "AMENDED_APPLICATION": DocType.OTHER.value,
    "SEARCH_REPORT": DocType.OTHER.value,
    "ABSTRACT": DocType.OTHER.value,
    "SPC": DocType.OTHER.value,
    "STATUTORY_INVENTION_REGISTRATION": DocType.OTHER.value,
    "PATENT_OF_ADDITION": DocType.OTHER.value,
}
# Where the flag only gives the level, the table's more precise type for these rows is kept.
_TABLE_REFINES = {
    DocType.INVENTION_GRANT.value: {DocType.OTHER.value, DocType.REISSUE.value, DocType.PLANT.value,
                                    DocType.DESIGN.value, DocType.UTILITY_MODEL.value},
    DocType.INVENTION_APPLICATION.value: {DocType.OTHER.value, DocType.UTILITY_MODEL.value,
                                          DocType.DESIGN.value, DocType.PLANT.value},
}


class Typed(NamedTuple):
    doc_type: str
    rule: str
    warning: str | None


def normalise(lens_type: str | None) -> str:
    """``Granted Patent`` (CSV) and ``GRANTED_PATENT`` (API) -> ``GRANTED_PATENT``."""
    return "_".join((lens_type or "").strip().upper().replace("-", " ").split())


def type_document(lens_type: str | None, office: str, kind: str, pub_date: date, pub_id: str) -> Typed:
    """The document type, the rule that gave it (``DOC_TYPE_RULES``) and a warning when the Lens flag
    and the kind-code table disagree (the warning names which one won)."""
    row = kind_code(office, kind, pub_date)
    table = row.doc_type if row is not None else DocType.OTHER.value
    flag = normalise(lens_type)
    decided = _DECIDING.get(flag)
    if decided is None:
        return Typed(table, KIND_CODE_RULE, None)
    if row is not None and table in _TABLE_REFINES.get(decided, ()):
        # A republication (other) or a reissue/plant under "Granted Patent" is expected; a utility
        # model or design under a patent flag is a real disagreement, said out loud.
        disagrees = table in {DocType.UTILITY_MODEL.value, DocType.DESIGN.value}
        warning = f"{pub_id}: Lens Type {lens_type!r} but kind code says {table}" if disagrees else None
        return Typed(table, KIND_CODE_RULE, warning)
    warning = None
    if row is not None and table != decided:
        warning = f"{pub_id}: Lens Type {lens_type!r} overrides kind code ({table}): typed {decided}"
    return Typed(decided, LENS_RULE, warning)
