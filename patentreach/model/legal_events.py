"""Canonical record type of the third family: legal events of an application, as the source dates them.

A ``LegalEvent`` is one dated event in the life of an application at one office (an INPADOC
event of PATSTAT ``tls231``, an OPS legal event, a maintenance-fee event): a grant, a lapse for
non-payment, a renewal fee paid, a change of owner, a validation of an EP patent in a state.
Events are stored as the source gives them (its own code and text); what a code *means*
(granted, lapsed, restored ...) and the status of a right on a date are computed from these rows
by the legal-status capability, with a dated code table, so that a better table never needs a
re-ingest. Events belong to an application (``office`` + ``application_number``, the same number
``publications.application_number`` carries), not to one publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(slots=True)
class LegalEvent:
    """One legal event of one application, with the columns of INPADOC's event record."""

    event_id: str
    office: str
    application_number: str
    family_id: str | None
    sequence: int
    event_authority: str
    event_code: str
    event_type: str | None = None
    event_filing_date: date | None = None
    event_publication_date: date | None = None
    effective_date: date | None = None
    text: str | None = None
    party_type: str | None = None
    party_new: str | None = None
    party_old: str | None = None
    designated_states: str | None = None
    extension_states: str | None = None
    fee_country: str | None = None
    fee_payment_date: date | None = None
    fee_renewal_year: int | None = None
    lapse_country: str | None = None
    lapse_date: date | None = None
    reinstate_country: str | None = None
    reinstate_date: date | None = None
    spc_number: str | None = None
    spc_patent_expiry_date: date | None = None
    source_format: str = ""
    source_file: str = ""
    record_index: int = 0
    reader_version: str = ""
