"""An ODP application record's ``assignmentBag`` to transfer records (one per reel/frame).

ODP prints the USPTO assignment records of one application: reel and frame (``reelNumber`` /
``frameNumber`` as numbers or zero-padded strings, ``reelAndFrameNumber`` or, in the older shape,
``reelNumber/frameNumber`` as ``038323/0190``), ``conveyanceText``, ``assignmentRecordedDate``,
``assignorBag`` (``assignorName``, ``executionDate``) and ``assigneeBag`` (``assigneeNameText``,
``assigneeAddress``). The transfer id is the USPTO reel/frame id, shared with the bulk XML and
Assignment Search readers. ODP shows a transaction from one application's side (its other
properties are not listed), so the copy's ``scope`` is ``property``: a bulk copy of the same
reel/frame is preferred by the warehouse views.

Assignee countries: ``countryCode`` / ``ictCountryCode``, else ``countryName``, else
``geographicRegionName`` (ODP prints "KRX" there for a Korean address); an address with only a
``geographicRegionCode`` (a US state: "MA ") is US, as in the ODP biblio mapping.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from patentreach.model.transfers import (
    Transfer,
    TransferParty,
    TransferProperty,
    TransferRecord,
    TransferScope,
    TransferSide,
    reel_frame,
    uspto_transfer_id,
)
from patentreach.refdata.countries import normalise_country
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.uspto_assignment.conveyance import classify
from patentreach.sources.uspto_assignment.party_names import name_form, party_kind

OFFICE = "US"
_REEL_FRAME = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def _clean(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _date(value: Any, field: str, problems: list[str]) -> date | None:
    try:
        return parse_iso_date(value if isinstance(value, str) else None)
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def _reel_frame(entry: dict[str, Any]) -> tuple[str, str] | None:
    joined = _clean(entry.get("reelAndFrameNumber") or entry.get("reelNumber/frameNumber"))
    if joined and (match := _REEL_FRAME.match(joined)):
        return match.group(1), match.group(2)
    reel, frame = _clean(entry.get("reelNumber")), _clean(entry.get("frameNumber"))
    if reel and frame and reel.isdigit() and frame.isdigit():
        return reel, frame
    return None


def _assignee(transfer_id: str, sequence: int, entry: dict[str, Any]) -> tuple[TransferParty | None, Any]:
    name = _clean(entry.get("assigneeNameText"))
    if not name:
        return None, None
    form = name_form(name)
    address = entry.get("assigneeAddress") if isinstance(entry.get("assigneeAddress"), dict) else {}
    state = _clean(address.get("geographicRegionCode"))
    country_raw = (
        _clean(address.get("countryCode")) or _clean(address.get("ictCountryCode"))
        or _clean(address.get("countryName")) or _clean(address.get("geographicRegionName"))
    )
    country = normalise_country(country_raw)
    if country is None and country_raw is None and state:
        country = "US"  # a US address given as city and state
    lines = [_clean(address.get(k)) for k in ("addressLineOneText", "addressLineTwoText", "postalCode")]
    return TransferParty(
        transfer_id, TransferSide.ASSIGNEE, sequence, name, party_kind(form),
        city=_clean(address.get("cityName")), state=state, country_raw=country_raw, country=country,
        address=", ".join(p for p in lines if p) or None,
    ), form


def transfer_records(
    record: dict[str, Any],
    application_number: str | None,
    pub_id: str | None,
    source_format: str,
    reader_version: str,
    source_file: str,
    index: int,
    problems: list[str],
) -> list[TransferRecord]:
    """One record per assignment; problems name the assignment and field. A reel/frame listed
    twice for the application is kept once."""
    out: list[TransferRecord] = []
    seen: set[str] = set()
    for n, entry in enumerate(record.get("assignmentBag") or [], start=1):
        if not isinstance(entry, dict):
            problems.append(f"assignmentBag[{n}]: not an object")
            continue
        label = f"assignmentBag[{n}]"
        ids = _reel_frame(entry)
        if ids is None:
            problems.append(f"{label}: no reel/frame number")
            continue
        transfer_id = uspto_transfer_id(*ids)
        if transfer_id in seen:
            continue
        seen.add(transfer_id)
        record_date = _date(entry.get("assignmentRecordedDate"), f"{label} assignmentRecordedDate", problems)
        parties: list[TransferParty] = []
        forms_out, forms_in = [], []
        for assignor in entry.get("assignorBag") or []:
            name = _clean(assignor.get("assignorName")) if isinstance(assignor, dict) else None
            if not name:
                continue
            form = name_form(name)
            forms_out.append(form)
            parties.append(TransferParty(
                transfer_id, TransferSide.ASSIGNOR, len(forms_out), name, party_kind(form),
                execution_date=_date(assignor.get("executionDate"), f"{label} executionDate", problems),
            ))
        for assignee in entry.get("assigneeBag") or []:
            if not isinstance(assignee, dict):
                continue
            party, form = _assignee(transfer_id, len(forms_in) + 1, assignee)
            if party is not None:
                forms_in.append(form)
                parties.append(party)
        if not forms_in:
            problems.append(f"{label}: no assignee")
        text = _clean(entry.get("conveyanceText"))
        executions = [p.execution_date for p in parties if p.execution_date]
        transfer = Transfer(
            transfer_id=transfer_id,
            office=OFFICE,
            conveyance_type=classify(text, forms_out, forms_in),
            conveyance_text=text,
            reel_frame=reel_frame(*ids),
            execution_date=min(executions) if executions else None,
            record_date=record_date,
            scope=TransferScope.PROPERTY,
            source_format=source_format,
            source_file=source_file,
            record_index=index,
            reader_version=reader_version,
        )
        properties = []
        if pub_id or application_number:  # the older shape may omit the application number
            properties.append(TransferProperty(
                transfer_id, 1, OFFICE, pub_id=pub_id, application_number=application_number,
                kind=pub_id.rsplit("-", 1)[1] if pub_id else "X0",
            ))
        out.append(TransferRecord(transfer, parties, properties))
    return out
