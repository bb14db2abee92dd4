"""USPTO pre-grant publication XML of 2001-2004: ``patent-application-publication``, DTD
pap-v1.5 (2001-01-31) and pap-v1.6 (2002-01-01), weekly ``pa`` files.

Everything the model needs is in ``subdoc-bibliographic-information``: ``document-id``
(number, ``kind-code``, ``document-date``), ``domestic-filing-data``, ``foreign-priority-data``
(Paris claims), ``technical-information`` (IPC edition 7 as ``B08B003/00``, USPC class and
subclass, title), ``continuity-data`` (parent chains: continuation, division, CIP,
``a-371-of-international``, provisional), ``inventors`` and ``assignee``.

Inventors print ``<authority-applicant>INV</authority-applicant>``: the inventor is the applicant
(pre-AIA), so such an inventor gives an applicant row and an inventor row, as an ICE v4
``applicant-inventor`` does. The application is a PCT national phase (route ``pct``) when an
``a-371-of-international`` relation has this application as its child; a 371 relation further up
the chain only makes that PCT application a parent.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from patentreach.model.ipc import normalise_ipc
from patentreach.model.records import (
    Classification,
    Party,
    PartyKind,
    PatentRecord,
    Priority,
    PriorityKind,
    Publication,
    Role,
    Route,
    make_pub_id,
)
from patentreach.refdata.countries import normalise_country
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources.uspto_common.ice_v4 import date_at, earliest_priority, normalise_office, text

BIBLIO = b"subdoc-bibliographic-information"
_PCT_RELATION = "a-371-of-international"


def record_from_biblio(
    root: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    """Map one pap document's bibliographic subdocument to the canonical record, or its problems."""
    problems: list[str] = []
    biblio = root.find("subdoc-bibliographic-information")
    if biblio is None:
        return None, ["no subdoc-bibliographic-information element"]
    doc = biblio.find("document-id")
    number = text(doc, "doc-number")
    kind = text(doc, "kind-code")
    office = text(doc, "country-code") or "US"
    pub_date = date_at(doc, "document-date", "document-id document-date", problems)
    if not number:
        problems.append("document-id doc-number: missing")
    if not kind:
        problems.append("document-id kind-code: missing")
    if pub_date is None and not any(p.startswith("document-id document-date") for p in problems):
        problems.append("document-id document-date: missing")
    filing = biblio.find("domestic-filing-data")
    application_number = text(filing, "application-number/doc-number")
    application_date = date_at(filing, "filing-date", "domestic-filing-data filing-date", problems)
    if problems:
        return None, problems

    assert number and kind and pub_date
    pub_id = make_pub_id(office, number, kind)
    claims, is_pct = priorities(biblio, pub_id, application_number, problems)
    classes = classifications(biblio, pub_id, problems)
    people = parties(biblio, pub_id)
    if problems:
        return None, problems
    publication = Publication(
        pub_id=pub_id,
        office=office.upper(),
        number=pub_id.split("-")[1],
        kind=kind.upper(),
        doc_type=doc_type(office, kind, pub_date),
        pub_date=pub_date,
        application_number=application_number,
        application_date=application_date,
        earliest_priority_date=earliest_priority(application_date, claims),
        family_id=None,
        route=Route.PCT if is_pct else Route.DIRECT,
        title=text(biblio, "technical-information/title-of-invention"),
        language="en",
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return PatentRecord(publication, people, classes, claims), []


# --- parties ----------------------------------------------------------------------------------


def _person_name(holder: etree._Element) -> str:
    """"first middle last", like ICE v4's ``first-name`` (which includes middle names)."""
    parts = (text(holder, "name/given-name"), text(holder, "name/middle-name"), text(holder, "name/family-name"))
    return " ".join(p for p in parts if p)


def _located(
    pub_id: str, role: str, sequence: int, name: str, kind: str,
    city: str | None, state: str | None, country_raw: str | None, source_type_code: str | None = None,
) -> Party:
    country = normalise_country(country_raw)
    if country is None and state and not country_raw:
        country = "US"  # a US address printed with a state and no country
    return Party(
        pub_id=pub_id, role=role, sequence=sequence, name=name, kind=kind, city=city, state=state,
        country_raw=country_raw, country=country, source_type_code=source_type_code,
    )


def parties(biblio: etree._Element, pub_id: str) -> list[Party]:
    applicants: list[Party] = []
    inventors: list[Party] = []
    holders = biblio.findall("inventors/first-named-inventor") + biblio.findall("inventors/inventor")
    for n, holder in enumerate(holders, start=1):
        name = _person_name(holder)
        if not name:
            continue
        residence = holder.find("residence/residence-us")
        if residence is None:
            residence = holder.find("residence/residence-non-us")
        city, state = text(residence, "city"), text(residence, "state")
        country_raw = text(residence, "country-code")
        inventors.append(_located(pub_id, Role.INVENTOR, n, name, PartyKind.PERSON, city, state, country_raw))
        if (text(holder, "authority-applicant") or "").upper() == "INV":
            applicants.append(_located(pub_id, Role.APPLICANT, n, name, PartyKind.PERSON, city, state, country_raw))
    assignees: list[Party] = []
    for holder in biblio.iterfind("assignee"):
        orgname = text(holder, "organization-name")
        name, kind = (orgname, PartyKind.ORGANISATION) if orgname else (_person_name(holder), PartyKind.PERSON)
        if not name:
            continue
        code = text(holder, "assignee-type")
        address = holder.find("address")
        assignees.append(
            _located(
                pub_id, Role.ASSIGNEE, len(assignees) + 1, name, kind,
                text(address, "city"), text(address, "state"),
                text(address, "country/country-code") or text(address, "country-code"),
                (code.lstrip("0") or code) if code else None,
            )
        )
    return applicants + inventors + assignees


# --- classifications --------------------------------------------------------------------------


def classifications(biblio: etree._Element, pub_id: str, problems: list[str]) -> list[Classification]:
    out: list[Classification] = []
    ipc = biblio.find("technical-information/classification-ipc")
    ipc_paths = (("classification-ipc-primary/ipc", "first"), ("classification-ipc-secondary/ipc", "additional"))
    for path, position in ipc_paths:
        for item in ipc.iterfind(path) if ipc is not None else ():
            raw = text(item, ".")
            if not raw:
                continue
            symbol = normalise_ipc(raw)
            if symbol is None:
                problems.append(f"classification-ipc: {raw!r} is not a symbol")
                continue
            out.append(Classification(pub_id, "IPC", symbol, position, len(out)))
    us = biblio.find("technical-information/classification-us")
    us_paths = (("classification-us-primary/uspc", "first"), ("classification-us-secondary/uspc", "additional"))
    for path, position in us_paths:
        for item in us.iterfind(path) if us is not None else ():
            klass, subclass = text(item, "class"), text(item, "subclass")
            if klass:
                symbol = f"{klass}/{subclass}" if subclass else klass
                out.append(Classification(pub_id, "national", symbol, position, len(out)))
    return out


# --- priorities and filings -------------------------------------------------------------------


def _filing(
    doc: etree._Element | None, pub_id: str, kind: str, field: str, problems: list[str], n: int
) -> Priority:
    number = text(doc, "doc-number")
    office = normalise_office(text(doc, "country-code")) or "US"
    if kind == PriorityKind.PCT or (number or "").upper().startswith("PCT/"):
        office = "WO"  # a PCT application, whatever receiving office its country-code names
    when: date | None = date_at(doc, "document-date", field, problems)
    return Priority(pub_id=pub_id, office=office, number=number, date=when, kind=kind, sequence=n)


def priorities(
    biblio: etree._Element, pub_id: str, application_number: str | None, problems: list[str]
) -> tuple[list[Priority], bool]:
    """Paris claims, parents (domestic chain, PCT) and provisionals; and whether this application
    is itself the national phase of a PCT application."""
    out: list[Priority] = []
    for claim in biblio.iterfind("foreign-priority-data"):
        out.append(
            Priority(
                pub_id=pub_id,
                office=normalise_office(text(claim, "country-code")),
                number=text(claim, "priority-application-number/doc-number"),
                date=date_at(claim, "filing-date", "foreign-priority-data filing-date", problems),
                kind=PriorityKind.PARIS,
                sequence=len(out),
            )
        )
    is_pct = False
    continuity = biblio.find("continuity-data")
    if continuity is not None:
        for relation in continuity.iter("parent-child"):
            holder = relation.getparent()
            child = text(relation, "child/document-id/doc-number")
            # The PCT filing is this application's own only when it is the 371 relation's child.
            own_pct = holder is not None and holder.tag == _PCT_RELATION and child == application_number
            is_pct = is_pct or own_pct
            kind = PriorityKind.PCT if own_pct else PriorityKind.DOMESTIC_CONTINUATION
            for parent in relation.iterfind("parent/document-id"):
                out.append(_filing(parent, pub_id, kind, "continuity-data parent date", problems, len(out)))
        for provisional in continuity.iterfind(".//non-provisional-of-provisional/document-id"):
            out.append(
                _filing(provisional, pub_id, PriorityKind.DOMESTIC_CONTINUATION,
                        "non-provisional-of-provisional date", problems, len(out))
            )
    return out, is_pct
