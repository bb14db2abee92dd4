"""Every INPADOC event of an OPS legal family member as a ``LegalEvent`` row (the third family).

``legal_events.transfers_of_member`` keeps turning ownership and licence events into transfer
records; this module keeps *all* events, as PATSTAT's tls231 would hold them, so the legal-status
engine can read OPS responses and PATSTAT alike:

* the application is the member's docdb application reference (a US docdb ``201113167395`` is
  the USPTO's ``13167395``, as ``legal_events.member_property`` spells it);
* a ``REG`` event (reference to a national code) is stored as tls231 stores it: authority = the
  national office (L501EP), code = the national code (L502EP), ``event_type`` = ``REG``, text =
  the national description (``descData``);
* other events: authority L001EP, code the ``code`` attribute, text L510EP (or the ``desc``);
* the Ref Country Code L501EP of a post-grant event goes where tls231 puts it: the fee country of
  a PGFP (with its payment date L518EP and year L520EP), the lapse country of a PG25 (lapse date
  L525EP), the reinstatement country of a PGRI; the effective date is L525EP, the gazette date
  L007EP, designated states L507EP, extension states L524EP, a new owner L509EP.

``event_id`` is ``ops:<office><application>:<n>`` (n counts the member's events in file order),
stable for one response.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from patentreach.model.legal_events import LegalEvent
from patentreach.sources.dates import BadDate, parse_iso_date, parse_yyyymmdd
from patentreach.sources.docdb.document_parse import parse_unit
from patentreach.sources.docdb.exchange_ids import first_text, forms
from patentreach.sources.ops.response_splitting import split_response

SOURCE_FORMAT = "epo-ops-xml"
_FEE_CODES = {"PGFP"}
_LAPSE_CODES = {"PG25"}
_REINSTATE_CODES = {"PGRI"}


def _text(event: etree._Element, tag: str) -> str | None:
    node = event.find(f".//{tag}")
    value = " ".join((node.text or "").split()) if node is not None else ""
    return value or None


def _date(raw: str | None, iso: bool = False) -> date | None:
    try:
        return (parse_iso_date if iso else parse_yyyymmdd)(raw)
    except BadDate:
        return None


def _year(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def member_application(member: etree._Element) -> tuple[str, str, date | None]:
    """(office, application number, filing date) of an OPS family member."""
    app = forms(member.findall("application-reference"))
    office = (first_text(app, "country", ("docdb",)) or "").upper()
    number = first_text(app, "doc-number", ("docdb", "original")) or ""
    if office == "US" and len(number) == 12 and number[:2] in ("19", "20"):
        number = number[4:]
    return office, number, _date(first_text(app, "date", ("docdb", "epodoc")))


def member_publication(member: etree._Element) -> tuple[str, str, str, date | None]:
    """(office, number, kind, date) of an OPS family member's publication."""
    pub = forms(member.findall("publication-reference"))
    return ((first_text(pub, "country", ("docdb",)) or "").upper(), first_text(pub, "doc-number", ("docdb",)) or "",
            (first_text(pub, "kind", ("docdb",)) or "").upper(), _date(first_text(pub, "date", ("docdb", "epodoc"))))


def events_of_member(
    member: etree._Element, reader_version: str, source_file: str, index: int
) -> list[LegalEvent]:
    """Every ``legal`` event of one member, in file order."""
    office, number, _ = member_application(member)
    family_id = member.get("family-id")
    out: list[LegalEvent] = []
    for n, event in enumerate(member.findall("legal"), start=1):
        code = (event.get("code") or "").strip().upper()
        event_type = None
        authority = (_text(event, "L001EP") or office).upper()
        text = _text(event, "L510EP")
        national = event.find(".//L502EP")
        if code == "REG" and national is not None:
            event_type = "REG"
            authority = (_text(event, "L501EP") or authority).upper()
            code = (national.text or "").strip().upper()
            text = " ".join((national.get("descData") or "").split()) or text
        elif text is None:
            text = " ".join((event.get("desc") or "").split()) or None
        country = _text(event, "L501EP") if event_type is None else None
        effective = _date(_text(event, "L525EP"))
        out.append(LegalEvent(
            event_id=f"ops:{office}{number}:{n}",
            office=office,
            application_number=number,
            family_id=family_id,
            sequence=n,
            event_authority=authority,
            event_code=code,
            event_type=event_type,
            event_publication_date=_date(_text(event, "L007EP"), iso=True),
            effective_date=effective,
            text=text,
            party_new=_text(event, "L509EP"),
            designated_states=_text(event, "L507EP"),
            extension_states=_text(event, "L524EP"),
            fee_country=country if code in _FEE_CODES else None,
            fee_payment_date=_date(_text(event, "L518EP")) if code in _FEE_CODES else None,
            fee_renewal_year=_year(_text(event, "L520EP")),
            lapse_country=country if code in _LAPSE_CODES else None,
            lapse_date=effective if code in _LAPSE_CODES else None,
            reinstate_country=country if code in _REINSTATE_CODES else None,
            reinstate_date=effective if code in _REINSTATE_CODES else None,
            source_format=SOURCE_FORMAT,
            source_file=source_file,
            record_index=index,
            reader_version=reader_version,
        ))
    return out


class Member(NamedTuple):
    """A family member of a legal response: its publication and its application."""

    office: str
    number: str
    kind: str
    publication_date: date | None
    application_office: str
    application_number: str
    application_date: date | None


def read_legal_response(path: Path, reader_version: str = "") -> tuple[list[LegalEvent], list[Member]]:
    """(events, members) of a whole OPS legal response file, so that a caller without a warehouse
    knows the documents the events belong to."""
    events: list[LegalEvent] = []
    members: list[Member] = []
    with path.open("rb") as stream:
        for unit in split_response(stream):
            assert isinstance(unit.data, bytes)
            container = parse_unit(unit.data, f"record {unit.index}").root
            family = container.find("patent-family")
            for member in (family if family is not None else container).iter("family-member"):
                app_office, app_number, app_date = member_application(member)
                pub_office, pub_number, kind, pub_date = member_publication(member)
                members.append(Member(pub_office, pub_number, kind, pub_date, app_office, app_number, app_date))
                events.extend(events_of_member(member, reader_version, path.name, unit.index))
    return events, members
