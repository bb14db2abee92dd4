"""Lens's legal status of a publication as ``LegalEvent`` rows (API JSON ``legal_status``; a CSV
export's "Legal Status" column when an export has one).

Lens *computes* its status (``patent_status``: ACTIVE, PENDING, DISCONTINUED, EXPIRED, INACTIVE,
PATENTED ...) with an ``anticipated_term_date``; it is not an office's dated event. So:

* ``granted`` with a ``grant_date`` is a dated grant (``LENS-GRANTED``, meaning granted);
* the status word itself is kept as ``LENS-STATUS`` with the anticipated term date in its text,
  but with no date: the status engine counts only dated events, so Lens's word never decides a
  status, and ``patentreach status`` can still show it beside the office events.

The application is the publication's ``biblio.application_reference`` (office + number).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from patentreach.model.legal_events import LegalEvent
from patentreach.sources.dates import BadDate, parse_iso_date

SOURCE_FORMAT = "lens-json"


def _date(value: object) -> date | None:
    try:
        return parse_iso_date(str(value)[:10]) if value else None
    except BadDate:
        return None


def lens_status_events(record: dict[str, Any], source_file: str, index: int, reader_version: str = "",
                       source_format: str = SOURCE_FORMAT) -> list[LegalEvent]:
    status = record.get("legal_status")
    application = (record.get("biblio") or {}).get("application_reference") or {}
    office = str(application.get("jurisdiction") or record.get("jurisdiction") or "").upper()
    number = str(application.get("doc_number") or "").strip()
    if not isinstance(status, dict) or not office or not number:
        return []
    key = record.get("lens_id") or f"{office}{number}"
    common = dict(office=office, application_number=number, family_id=None, event_authority=office,
                  source_format=source_format, source_file=source_file, record_index=index,
                  reader_version=reader_version)
    events = []
    granted = _date(status.get("grant_date"))
    if status.get("granted") is True and granted is not None:
        events.append(LegalEvent(event_id=f"lens:{key}:granted", sequence=1, event_code="LENS-GRANTED",
                                 event_publication_date=granted, effective_date=granted,
                                 text=f"granted {granted.isoformat()} (Lens)", **common))  # type: ignore[arg-type]
    word = str(status.get("patent_status") or "").strip()
    if word:
        term = status.get("anticipated_term_date")
        text = f"Lens status {word}" + (f"; anticipated term date {term}" if term else "")
        events.append(LegalEvent(event_id=f"lens:{key}:status", sequence=len(events) + 1, event_code="LENS-STATUS",
                                 text=text, **common))  # type: ignore[arg-type]
    return events


def csv_status_event(row: dict[str, str], office: str, application_number: str, source_file: str,
                     index: int, reader_version: str = "") -> LegalEvent | None:
    """A CSV export's "Legal Status" cell (undated) as a ``LENS-STATUS`` event, or None."""
    word = " ".join((row.get("Legal Status") or "").split())
    if not word or not office or not application_number:
        return None
    return LegalEvent(event_id=f"lens:{office}{application_number}:status", office=office,
                      application_number=application_number, family_id=None, sequence=1, event_authority=office,
                      event_code="LENS-STATUS", text=f"Lens status {word}", source_format="lens-csv",
                      source_file=source_file, record_index=index, reader_version=reader_version)
