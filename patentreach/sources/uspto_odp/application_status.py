"""The application status of a USPTO ODP record as a ``LegalEvent``.

ODP prints the application's *current* status with the date it took that status
(``applicationStatusCode``, ``applicationStatusDescriptionText``, ``applicationStatusDate``, in
``applicationMetaData`` or, in the older shape, on the record itself). It is one dated event,
``ODP-STATUS`` with the status text; ``refdata/inpadoc_event_codes.csv`` reads the text
("Patented Case" granted, "Abandoned -- ..." withdrawn, "Patent Expired Due to NonPayment of
Maintenance Fees ..." lapsed). A record without a status text or date gives no event (the reason
is left to the biblio reader's accounting: the record is still read). The parent and child
applications of ``continuityBag`` also print statuses, but without their dates: they are not
events.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from patentreach.model.legal_events import LegalEvent
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.uspto_odp.biblio import metadata

CODE = "ODP-STATUS"


def status_event(record: dict[str, Any], source_format: str, reader_version: str, source_file: str,
                 index: int) -> LegalEvent | None:
    meta = metadata(record)
    text = " ".join(str(meta.get("applicationStatusDescriptionText") or "").split())
    raw_date = meta.get("applicationStatusDate")
    number = " ".join(str(meta.get("applicationNumberText") or record.get("applicationNumberText") or "").split())
    if not text or not raw_date or not number:
        return None
    try:
        when: date | None = parse_iso_date(str(raw_date)[:10])
    except BadDate:
        return None
    code = meta.get("applicationStatusCode")
    return LegalEvent(
        event_id=f"odp:US{number}:status:{when.isoformat() if when else ''}",
        office="US", application_number=number, family_id=None, sequence=1, event_authority="US",
        event_code=CODE, event_type=f"status code {code}" if code is not None else None,
        event_publication_date=when, effective_date=when, text=text,
        source_format=source_format, source_file=source_file, record_index=index, reader_version=reader_version,
    )
