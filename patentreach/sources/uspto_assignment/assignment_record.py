"""One ``<patent-assignment>`` element of the USPTO assignment DTD (v1.0) to a ``TransferRecord``.

| element | field |
|---|---|
| ``assignment-record/reel-no``, ``frame-no`` | ``transfer_id`` ``USPTO-ASSIGN-037389-0228``, ``reel_frame`` |
| ``recorded-date/date`` | ``record_date`` |
| ``conveyance-text`` | ``conveyance_text``; ``conveyance_type`` through ``conveyance`` |
| ``patent-assignor`` (``name``, ``execution-date``) | assignor rows; the earliest execution date is the transfer's |
| ``patent-assignee`` (``name``, ``address-1/2``, ``city``, ``state``, ``country-name``, ``postcode``) | assignee rows |
| ``patent-property`` (``document-id``\\*, ``invention-title``) | property rows (``us_properties``) |

Countries: ``country-name`` is free text ("KOREA, REPUBLIC OF", "SCOTLAND") normalised through the
``countries`` reference table. An assignee printed with a state and no ``country-name`` is US,
as the USPTO prints ``country-name`` only for addresses abroad (135 of 207 assignees in
ad20160101.xml, all with a US state). Assignors carry no address at all.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from patentreach.model.transfers import (
    Transfer,
    TransferParty,
    TransferRecord,
    TransferScope,
    TransferSide,
    reel_frame,
    uspto_transfer_id,
)
from patentreach.refdata.countries import normalise_country
from patentreach.sources.dates import BadDate, parse_yyyymmdd
from patentreach.sources.uspto_assignment.conveyance import classify
from patentreach.sources.uspto_assignment.party_names import name_form, party_kind
from patentreach.sources.uspto_assignment.us_properties import us_property

OFFICE = "US"


def _text(element: etree._Element | None, path: str) -> str | None:
    """The element's text with spaces squeezed; mixed content (``<sup>`` in a title) joined."""
    if element is None:
        return None
    found = element.find(path)
    if found is None:
        return None
    raw = found.text if len(found) == 0 else "".join(found.itertext())
    if not raw:
        return None
    value = raw.strip()
    if "  " in value or "\n" in value or "\t" in value or "\r" in value:
        value = " ".join(value.split())
    return value or None


def _date(element: etree._Element, path: str, field: str, problems: list[str]) -> date | None:
    try:
        return parse_yyyymmdd(_text(element, path))
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def record_from_assignment(
    element: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[TransferRecord | None, list[str]]:
    """(record, []) or (None, problems naming each field)."""
    problems: list[str] = []
    head = element.find("assignment-record")
    if head is None:
        return None, ["assignment-record: missing"]
    reel, frame = _text(head, "reel-no"), _text(head, "frame-no")
    for value, field in ((reel, "reel-no"), (frame, "frame-no")):
        if not value or not value.isdigit():
            problems.append(f"assignment-record/{field}: {value!r} is not a number")
    record_date = _date(head, "recorded-date/date", "recorded-date", problems)
    if problems:
        return None, problems
    assert reel and frame
    transfer_id = uspto_transfer_id(reel, frame)

    assignors: list[TransferParty] = []
    forms_out, forms_in = [], []
    for n, node in enumerate(element.iterfind("patent-assignors/patent-assignor"), start=1):
        name = _text(node, "name")
        if not name:
            problems.append(f"patent-assignor {n}: name missing")
            continue
        form = name_form(name, node.find("name").get("name-type"))  # type: ignore[union-attr]
        forms_out.append(form)
        assignors.append(TransferParty(
            transfer_id, TransferSide.ASSIGNOR, n, name, party_kind(form),
            execution_date=_date(node, "execution-date/date", f"patent-assignor {n} execution-date", problems),
        ))
    assignees: list[TransferParty] = []
    for n, node in enumerate(element.iterfind("patent-assignees/patent-assignee"), start=1):
        name = _text(node, "name")
        if not name:
            problems.append(f"patent-assignee {n}: name missing")
            continue
        form = name_form(name, node.find("name").get("name-type"))  # type: ignore[union-attr]
        forms_in.append(form)
        state, country_raw = _text(node, "state"), _text(node, "country-name")
        country = normalise_country(country_raw)
        if country is None and country_raw is None and state:
            country = "US"
        lines = (_text(node, "address-1"), _text(node, "address-2"), _text(node, "postcode"))
        street = ", ".join(p for p in lines if p)
        assignees.append(TransferParty(
            transfer_id, TransferSide.ASSIGNEE, n, name, party_kind(form),
            city=_text(node, "city"), state=state, country_raw=country_raw, country=country,
            address=street or None,
        ))
    properties = []
    for n, node in enumerate(element.iterfind("patent-properties/patent-property"), start=1):
        documents = [(d.findtext("kind") or "", d.findtext("doc-number") or "") for d in node.iterfind("document-id")]
        prop = us_property(transfer_id, n, documents, _text(node, "invention-title"), problems)
        if prop is None:
            problems.append(f"patent-property {n}: no document number")
        else:
            properties.append(prop)
    if not assignees:
        problems.append("patent-assignees: no assignee")
    if problems:
        return None, problems
    text = _text(head, "conveyance-text")
    executions = [p.execution_date for p in assignors if p.execution_date]
    transfer = Transfer(
        transfer_id=transfer_id,
        office=OFFICE,
        conveyance_type=classify(text, forms_out, forms_in),
        conveyance_text=text,
        reel_frame=reel_frame(reel, frame),
        execution_date=min(executions) if executions else None,
        record_date=record_date,
        scope=TransferScope.TRANSACTION,
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return TransferRecord(transfer, assignors + assignees, properties), []
