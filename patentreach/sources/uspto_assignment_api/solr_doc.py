"""One Assignment Search ``<doc>`` to a ``TransferRecord``.

A doc is the bulk record flattened into Solr fields: scalars (``reelNo``, ``frameNo``,
``recordedDate``, ``conveyanceText``) and parallel arrays, one entry per assignor
(``patAssignorName``, ``patAssignorExDate``), per assignee (``patAssigneeName``, ``…Address1``,
``…City``, ``…State``, ``…CountryName``, ``…Postcode``) and per property (``applNum``, ``patNum``,
``publNum``, ``issueDate``, ``publDate``, ``inventionTitle``). The API writes the string ``NULL``
for an empty value and ``0001-01-01T00:00:00Z`` for an empty date.

The API prints grant and publication numbers without their kind: the grant's kind follows ST.16
from the number series, the issue date and whether a pre-grant publication exists
(``us_properties.grant_kind``, as the ODP reader does); a pre-grant publication is ``A1``.
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
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.uspto_assignment.conveyance import classify
from patentreach.sources.uspto_assignment.party_names import name_form, party_kind
from patentreach.sources.uspto_assignment.us_properties import grant_kind, us_property

OFFICE = "US"
_EMPTY = {"", "NULL"}


def _value(text: str | None) -> str | None:
    value = " ".join((text or "").split())
    return None if value.upper() in _EMPTY else value


def scalar(doc: etree._Element, name: str) -> str | None:
    for child in doc:
        if child.get("name") == name and child.tag != "arr":
            return _value(child.text)
    return None


def array(doc: etree._Element, name: str) -> list[str | None]:
    for child in doc:
        if child.get("name") == name and child.tag == "arr":
            return [_value(item.text) for item in child]
    return []


def _date(raw: str | None, field: str, problems: list[str]) -> date | None:
    if raw is None or raw.startswith("0001-01-01"):
        return None
    try:
        return parse_iso_date(raw)
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def _at(values: list[str | None], index: int) -> str | None:
    return values[index] if index < len(values) else None


def record_from_doc(
    doc: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[TransferRecord | None, list[str]]:
    problems: list[str] = []
    reel, frame = scalar(doc, "reelNo"), scalar(doc, "frameNo")
    for value, field in ((reel, "reelNo"), (frame, "frameNo")):
        if not value or not value.isdigit():
            problems.append(f"{field}: {value!r} is not a number")
    record_date = _date(scalar(doc, "recordedDate"), "recordedDate", problems)
    if problems:
        return None, problems
    assert reel and frame
    transfer_id = uspto_transfer_id(reel, frame)

    parties: list[TransferParty] = []
    forms_out, forms_in = [], []
    executions = array(doc, "patAssignorExDate")
    for n, name in enumerate(array(doc, "patAssignorName")):
        if not name:
            continue
        form = name_form(name)
        forms_out.append(form)
        parties.append(TransferParty(
            transfer_id, TransferSide.ASSIGNOR, len(forms_out), name, party_kind(form),
            execution_date=_date(_at(executions, n), f"patAssignorExDate {n + 1}", problems),
        ))
    columns = {k: array(doc, f"patAssignee{k}") for k in ("Address1", "Address2", "City", "State", "CountryName",
                                                           "Postcode")}
    for n, name in enumerate(array(doc, "patAssigneeName")):
        if not name:
            continue
        form = name_form(name)
        forms_in.append(form)
        state, country_raw = _at(columns["State"], n), _at(columns["CountryName"], n)
        country = normalise_country(country_raw)
        if country is None and country_raw is None and state:
            country = "US"
        street = ", ".join(p for p in (_at(columns[k], n) for k in ("Address1", "Address2", "Postcode")) if p)
        parties.append(TransferParty(
            transfer_id, TransferSide.ASSIGNEE, len(forms_in), name, party_kind(form),
            city=_at(columns["City"], n), state=state, country_raw=country_raw, country=country,
            address=street or None,
        ))
    if not forms_in:
        problems.append("patAssigneeName: no assignee")

    properties = []
    applications, grants, publications = array(doc, "applNum"), array(doc, "patNum"), array(doc, "publNum")
    issued, titles = array(doc, "issueDate"), array(doc, "inventionTitle")
    for n in range(max(len(applications), len(grants), len(publications))):
        grant, pgpub = _at(grants, n), _at(publications, n)
        documents = [("X0", _at(applications, n) or "")]
        if pgpub:
            documents.append(("A1", pgpub))
        if grant:
            issue = _date(_at(issued, n), f"issueDate {n + 1}", problems)
            documents.append((grant_kind(grant, issue, bool(pgpub)), grant))
        prop = us_property(transfer_id, len(properties) + 1, documents, _at(titles, n), problems)
        if prop is not None:
            properties.append(prop)
    if problems:
        return None, problems
    text = scalar(doc, "conveyanceText")
    dates = [p.execution_date for p in parties if p.execution_date]
    transfer = Transfer(
        transfer_id=transfer_id,
        office=OFFICE,
        conveyance_type=classify(text, forms_out, forms_in),
        conveyance_text=text,
        reel_frame=reel_frame(reel, frame),
        execution_date=min(dates) if dates else None,
        record_date=record_date,
        scope=TransferScope.TRANSACTION,
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return TransferRecord(transfer, parties, properties), []
