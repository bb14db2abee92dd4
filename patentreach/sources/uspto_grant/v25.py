"""USPTO grant XML before 2005: the ST.32 ``PATDOC`` DTD 2.5 (weekly ``pg`` files, 2001-2004).

The tag set is WIPO ST.32's numbered INID codes, not ICE names: ``B110`` publication number,
``B130`` kind, ``B140`` date, ``B210``/``B220`` application, ``B300`` Paris priorities, ``B511``
IPC (edition 7 text), ``B521``/``B522`` USPC, ``B540`` title, ``B600`` domestic parents,
``B721`` inventors, ``B731`` assignees (type in ``B732US``), ``B860`` the PCT filing of a 371
national phase. Values sit in ``<PDAT>`` leaves, names in ``<NAM>`` (``ONM`` organisation, or
``FNM`` + ``SNM`` person), addresses in ``<ADR>``.

Two mapping decisions keep 2001-2004 grants comparable with the ICE v4 grants that follow them:

* inventors are also applicants: before the 2012 AIA the US applicant was the inventor, and
  v4.0-4.2 grants print the same people as ``applicant app-type="applicant-inventor"``;
* a US address with a state and no ``CTRY`` is ``US``, as in v4.

Design grants carry a Locarno class in ``B511`` (``0202``): it is not an IPC symbol and the model
has no Locarno scheme, so it is not stored (as v4 ``classification-locarno`` is not).
"""

from __future__ import annotations

import re
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
from patentreach.sources.dates import BadDate, parse_yyyymmdd
from patentreach.sources.uspto_common.ice_v4 import earliest_priority, normalise_office

BIBLIO = b"SDOBI"

_LOCARNO = re.compile(r"^\d{4}$")
# Edition-7 IPC as USPTO printed it in B511: subclass, then main group and a 2-digit subgroup run
# together, with padding that is not always the full width (``A47L  514``, ``E03C 104``). The
# fixed-width form is tried first; this fallback takes the last two digits as the subgroup.
_RUN_TOGETHER = re.compile(r"^([A-H]\d\d[A-Z])\s*(\d{1,4})(\d\d)$")


def text(element: etree._Element | None, path: str | None = None) -> str | None:
    """All text under ``path`` (PDAT leaves, possibly inside STEXT or inline markup), squeezed."""
    if element is None:
        return None
    found = element if path is None else element.find(path)
    if found is None:
        return None
    value = " ".join("".join(found.itertext()).split())
    return value or None


def _date(element: etree._Element | None, path: str, field: str, problems: list[str]) -> date | None:
    try:
        return parse_yyyymmdd(text(element, path))
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def record_from_sdobi(
    root: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    """Map one PATDOC's ``SDOBI`` (bibliographic data) to the canonical record, or its problems."""
    problems: list[str] = []
    biblio = root.find("SDOBI")
    if biblio is None:
        return None, ["no SDOBI element"]
    number = text(biblio, "B100/B110")
    kind = text(biblio, "B100/B130")
    office = text(biblio, "B100/B190") or "US"
    pub_date = _date(biblio, "B100/B140", "B140 publication date", problems)
    if not number:
        problems.append("B110 publication number: missing")
    if not kind:
        problems.append("B130 kind: missing")
    if pub_date is None and not any(p.startswith("B140") for p in problems):
        problems.append("B140 publication date: missing")
    application_date = _date(biblio, "B200/B220", "B220 application date", problems)
    if problems:
        return None, problems

    assert number and kind and pub_date
    pub_id = make_pub_id(office, number, kind)
    claims = priorities(biblio, pub_id, problems)
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
        application_number=text(biblio, "B200/B210"),
        application_date=application_date,
        earliest_priority_date=earliest_priority(application_date, claims),
        family_id=None,
        route=Route.PCT if biblio.find("B800/B860") is not None else Route.DIRECT,
        title=text(biblio, "B500/B540"),
        language="en",
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return PatentRecord(publication, people, classes, claims), []


# --- parties ----------------------------------------------------------------------------------


def _party(holder: etree._Element, pub_id: str, role: str, sequence: int) -> Party | None:
    """A Party from the ``PARTY-US`` (name and address) under ``holder``."""
    party = holder.find("PARTY-US")
    if party is None:
        return None
    orgname = text(party, "NAM/ONM")
    if orgname:
        name, kind = orgname, PartyKind.ORGANISATION
    else:
        name = " ".join(p for p in (text(party, "NAM/FNM"), text(party, "NAM/SNM")) if p)
        kind = PartyKind.PERSON
    if not name:
        return None
    state = text(party, "ADR/STATE")
    country_raw = text(party, "ADR/CTRY")
    country = normalise_country(country_raw)
    if country is None and state and not country_raw:
        country = "US"  # USPTO prints a US address as city and state, no country
    street = " ".join(p for p in (text(party, "ADR/STR"), text(party, "ADR/PCODE")) if p)
    return Party(
        pub_id=pub_id,
        role=role,
        sequence=sequence,
        name=name,
        kind=kind,
        city=text(party, "ADR/CITY"),
        state=state,
        country_raw=country_raw,
        country=country,
        address=street or None,
    )


def parties(biblio: etree._Element, pub_id: str) -> list[Party]:
    """Inventors (each also an applicant, see the module note), then assignees."""
    applicants: list[Party] = []
    inventors: list[Party] = []
    for n, holder in enumerate(biblio.iterfind("B700/B720/B721"), start=1):
        for role, out in ((Role.APPLICANT, applicants), (Role.INVENTOR, inventors)):
            party = _party(holder, pub_id, role, n)
            if party:
                out.append(party)
    assignees: list[Party] = []
    for group in biblio.iterfind("B700/B730"):
        code = text(group, "B732US")
        for holder in group.iterfind("B731"):
            party = _party(holder, pub_id, Role.ASSIGNEE, len(assignees) + 1)
            if party:
                party.source_type_code = (code.lstrip("0") or code) if code else None
                assignees.append(party)
    return applicants + inventors + assignees


# --- classifications --------------------------------------------------------------------------


def ipc_symbol(raw: str) -> str | None:
    """Canonical symbol of a B511/B512 edition-7 IPC (``A47L  514`` -> ``A47L 5/14``)."""
    symbol = normalise_ipc(raw)
    if symbol is not None:
        return symbol
    match = _RUN_TOGETHER.match(raw.strip().upper())
    if match is None:
        return None
    subclass, group, sub = match.groups()
    return f"{subclass} {group.lstrip('0') or '0'}/{sub}"


def classifications(biblio: etree._Element, pub_id: str, problems: list[str]) -> list[Classification]:
    out: list[Classification] = []
    for tag, position in (("B511", "first"), ("B512", "additional")):
        for item in biblio.iterfind(f"B500/B510/{tag}"):
            raw = text(item)
            if not raw or _LOCARNO.match(raw):
                continue  # a design's Locarno class (see the module note)
            symbol = ipc_symbol(raw)
            if symbol is None:
                problems.append(f"{tag} IPC classification: {raw!r} is not a symbol")
                continue
            out.append(Classification(pub_id, "IPC", symbol, position, len(out)))
    for tag, position in (("B521", "first"), ("B522", "additional")):
        for item in biblio.iterfind(f"B500/B520/{tag}"):
            raw = text(item)
            if raw:
                out.append(Classification(pub_id, "national", raw, position, len(out)))
    return out


# --- priorities and filings -------------------------------------------------------------------


def _filing(
    doc: etree._Element, pub_id: str, kind: str, field: str, problems: list[str], n: int,
    default_office: str | None = None,
) -> Priority:
    return Priority(
        pub_id=pub_id,
        office=normalise_office(text(doc, "CTRY")) or default_office,
        number=text(doc, "DNUM"),
        date=_date(doc, "DATE", field, problems),
        kind=kind,
        sequence=n,
    )


def priorities(biblio: etree._Element, pub_id: str, problems: list[str]) -> list[Priority]:
    """Paris priorities (B300), the PCT filing (B860), domestic parents and provisionals (B600)."""
    out: list[Priority] = []
    for claim in biblio.iterfind("B300"):
        out.append(
            Priority(
                pub_id=pub_id,
                office=normalise_office(text(claim, "B330")),
                number=text(claim, "B310"),
                date=_date(claim, "B320", "B320 priority date", problems),
                kind=PriorityKind.PARIS,
                sequence=len(out),
            )
        )
    for doc in biblio.iterfind("B800/B860/B861/DOC"):
        out.append(_filing(doc, pub_id, PriorityKind.PCT, "B861 PCT filing date", problems, len(out), "WO"))
    related = biblio.find("B600")
    if related is not None:
        # B610-B660 (continuation, division, CIP, reissue ...): every PARENT-US, nested ones too.
        for doc in related.iterfind(".//PARENT-US/PDOC/DOC"):
            out.append(
                _filing(doc, pub_id, PriorityKind.DOMESTIC_CONTINUATION, "B600 parent date",
                        problems, len(out), "US")
            )
        for doc in related.iterfind("B680US/DOC"):
            out.append(
                _filing(doc, pub_id, PriorityKind.DOMESTIC_CONTINUATION, "B680US provisional date",
                        problems, len(out), "US")
            )
        # B690US is this application's own earlier publication, not a parent: not a priority.
    return out
