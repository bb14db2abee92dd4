"""The document type from Google's own flags: ``grant_date`` and ``application_kind``.

Google Patents Public Data (IFI CLAIMS) marks a granted publication with a non-zero
``grant_date`` ("the grant date, or 0 if not granted") and says what was applied for in
``application_kind`` ("A=patent; U=utility; P=provision; W= PCT; F=design; T=translation", the
column description of ``patents-public-data.patents.publications``). Those two flags type a grant at
any of the world's offices, including the many whose kind codes the ``kind_codes`` table does not
list (HK, SG, EA, LT, TW ...), which the table alone would call ``other``.

The flags cannot tell a first grant publication from a later republication of the same grant (an
EP B2 after opposition, a corrected B9) or a US reissue or plant patent, so where the kind-code
table marks the (office, kind) as one of those the table keeps its word. An application
publication, printed before its grant, has a ``grant_date`` after its own date and is left to the
table too.
"""

from __future__ import annotations

from datetime import date

from patentreach.model.records import DocType
from patentreach.refdata.kind_codes import doc_type, kind_code

GOOGLE_RULE = "source:google"
KIND_CODE_RULE = "kind_code"

# application_kind -> the type of its granted publication.
GRANTED_TYPES = {
    "A": DocType.INVENTION_GRANT.value,
    "U": DocType.UTILITY_MODEL.value,
    "F": DocType.DESIGN.value,
}
# Table types the flags cannot see: republications and corrections (other), reissues, plants.
_TABLE_KNOWS_BETTER = frozenset({DocType.OTHER.value, DocType.REISSUE.value, DocType.PLANT.value})


def typed_by_flags(
    office: str, kind: str, pub_date: date, grant_date: date | None, application_kind: str | None
) -> tuple[str, str]:
    """(doc_type, rule): Google's flags where they decide, else the kind-code table."""
    granted = GRANTED_TYPES.get((application_kind or "").strip().upper())
    if granted is not None and grant_date is not None and grant_date <= pub_date:
        row = kind_code(office, kind, pub_date)
        if row is None or row.doc_type not in _TABLE_KNOWS_BETTER:
            return granted, GOOGLE_RULE
    return doc_type(office, kind, pub_date), KIND_CODE_RULE
