"""INPADOC legal events of an OPS legal family member that record a change of owner or a licence.

A legal family member carries dozens of ``ops:legal`` events: fees (PGFP, FEPP, MAFP), lapses
(PG25), grant steps, national ``REG`` references. Only a few record who holds or may use the
rights; ``legal_event_codes.csv`` lists them, matched in file order on the event's office (L001EP,
or for a ``REG`` event the national office L501EP), its code (the ``code`` attribute, or L502EP)
and its description (``desc``, or L502EP's ``descData``). Rows typed ``-`` mark events that are
explicitly not transfers; events matching no row are not transfers (fees, lapses, grants ...).

* **US ``AS``** (a USPTO recorded assignment): the free text L510EP holds the USPTO conveyance text
  (classified by the conveyance rules), ``ASSIGNOR(S):`` names, ``SIGNING DATE(S)`` and the
  ``REEL/FRAME``, which gives the same transfer id as the USPTO readers. The owner L509EP is the
  assignee, its residence after the last comma ("NCS OILFIELD SERVICES CANADA, INC., CANADA";
  "WELLS FARGO BANK NATIONAL ASSOCIATION, TEXAS" is US).
* **Other mapped events** (EP ``RAP1``, ``BECN`` ...): the owner L509EP where printed is the
  assignee; the id is ``INPADOC-<office><number><kind>-<code>-<gazette date>``.

Dates: ``record_date`` is the gazette date (L007EP); ``execution_date`` the first signing date
of the free text, else the effective date (L525EP).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from lxml import etree

from patentreach.model.records import make_pub_id
from patentreach.model.transfers import (
    ConveyanceType,
    Transfer,
    TransferParty,
    TransferProperty,
    TransferRecord,
    TransferScope,
    TransferSide,
    reel_frame,
    uspto_transfer_id,
)
from patentreach.refdata.countries import match_country
from patentreach.sources.dates import BadDate, parse_iso_date, parse_yyyymmdd
from patentreach.sources.docdb.exchange_ids import first_text, forms
from patentreach.sources.uspto_assignment.conveyance import classify
from patentreach.sources.uspto_assignment.party_names import name_form, party_kind

CODES_FILE = "legal_event_codes.csv"
FROM_TEXT = "from_text"
NOT_A_TRANSFER = "-"
_REEL_FRAME = re.compile(r"REEL/FRAME:\s*(\d+)\s*/\s*(\d+)")
_ASSIGNORS = re.compile(r"^ASSIGNORS?:\s*(.*)$")
_LIST_END = re.compile(r"^(AND OTHERS|SIGNING DATES?\b|REEL/FRAME:|EFFECTIVE DATE|ASSIGNEES?:|OWNER:)")
_SIGNING = re.compile(r"SIGNING DATES? (?:FROM )?(\d{8})")


@dataclass(frozen=True, slots=True)
class EventRule:
    office: str
    code: str
    description: re.Pattern[str] | None
    type: str
    verified: str
    source: str

    def matches(self, office: str, code: str, description: str) -> bool:
        return (
            self.office in ("*", office)
            and self.code in ("*", code)
            and (self.description is None or bool(self.description.search(description)))
        )


@cache
def event_rules() -> tuple[EventRule, ...]:
    text = resources.files(__package__).joinpath(CODES_FILE).read_text(encoding="utf-8")
    return tuple(
        EventRule(
            office=row["office"].strip().upper(),
            code=row["code"].strip().upper(),
            description=re.compile(row["description"]) if row["description"].strip() else None,
            type=row["type"].strip(),
            verified=row["verified"],
            source=row["source"],
        )
        for row in csv.DictReader(text.splitlines())
    )


def _l(event: etree._Element, tag: str) -> etree._Element | None:
    return event.find(f".//{tag}")


def _ltext(event: etree._Element, tag: str) -> str | None:
    node = _l(event, tag)
    value = " ".join((node.text or "").split()) if node is not None else ""
    return value or None


def event_key(event: etree._Element) -> tuple[str, str, str]:
    """(office, code, description) the rules are matched on; a REG event is its national code."""
    code = (event.get("code") or "").strip().upper()
    if code == "REG":
        national = _l(event, "L502EP")
        if national is not None:
            return ((_ltext(event, "L501EP") or "").upper(), (national.text or "").strip().upper(),
                    (national.get("descData") or "").upper())
    return (_ltext(event, "L001EP") or "").upper(), code, (event.get("desc") or "").upper()


def rule_for(event: etree._Element) -> EventRule | None:
    """The rule classifying an event as a transfer (None: not a transfer)."""
    key = event_key(event)
    for rule in event_rules():
        if rule.matches(*key):
            return None if rule.type == NOT_A_TRANSFER else rule
    return None


def split_owner(owner: str) -> tuple[str, str | None]:
    """``"NCS MULTISTAGE, INC., CANADA"`` -> (``"NCS MULTISTAGE, INC."``, ``"CANADA"``). Only a
    written-out country or US state name after the last comma counts ("ACME, S.A." keeps its
    "S.A.": a two-letter code there would be a legal form, not a country)."""
    head, _, tail = owner.rpartition(",")
    if head and tail.strip():
        found = match_country(tail.strip())
        if found.code is not None and found.rule in ("name", "alias") and len(tail.strip()) > 3:
            return head.strip(), tail.strip()
    return owner.strip(), None


@dataclass(slots=True)
class FreeText:
    conveyance: str | None
    assignors: list[str]
    signed: date | None
    reel_frame: tuple[str, str] | None
    truncated: bool


def parse_free_text(text: str | None) -> FreeText:
    """The USPTO text of a US AS event: ``CONVEYANCE;ASSIGNORS:A;B;AND OTHERS;SIGNING DATES
    FROM 20131127 TO 20131210;REEL/FRAME:045210/0369``."""
    segments = [s.strip() for s in (text or "").split(";")]
    conveyance = segments[0] or None if segments else None
    assignors: list[str] = []
    in_list = truncated = False
    for segment in segments[1:]:
        start = _ASSIGNORS.match(segment)
        if start:
            in_list = True
            segment = start.group(1).strip()
        elif _LIST_END.match(segment):
            in_list = False
            truncated |= segment.startswith("AND OTHERS")
            continue
        if in_list and segment:
            assignors.append(segment)
    signed = _SIGNING.search(text or "")
    ids = _REEL_FRAME.search(text or "")
    return FreeText(
        conveyance=conveyance,
        assignors=assignors,
        signed=_safe(parse_yyyymmdd, signed.group(1)) if signed else None,
        reel_frame=(ids.group(1), ids.group(2)) if ids else None,
        truncated=truncated,
    )


def _safe(parser, raw: str | None) -> date | None:  # type: ignore[no-untyped-def]
    try:
        return parser(raw)
    except BadDate:
        return None


def member_property(member: etree._Element, transfer_id: str) -> TransferProperty:
    """The family member's publication (docdb form) and application number; a US docdb
    application number ``201113167395`` is the USPTO's ``13167395``."""
    pub = forms(member.findall("publication-reference"))
    app = forms(member.findall("application-reference"))
    office = (first_text(pub, "country", ("docdb",)) or "").upper()
    number = first_text(pub, "doc-number", ("docdb",))
    kind = (first_text(pub, "kind", ("docdb",)) or "").upper()
    application = first_text(app, "doc-number", ("docdb", "original"))
    if office == "US" and application and len(application) == 12 and application[:2] in ("19", "20"):
        application = application[4:]
    return TransferProperty(
        transfer_id, 1, office or "", pub_id=make_pub_id(office, number, kind) if office and number and kind else None,
        application_number=application, kind=kind or None,
    )


def transfers_of_member(
    member: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[list[TransferRecord], list[str], int]:
    """(transfer records, warnings, number of legal events) of one legal family member."""
    records: list[TransferRecord] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    events = member.findall("legal")
    for event in events:
        rule = rule_for(event)
        if rule is None:
            continue
        office, code, description = event_key(event)
        text = _ltext(event, "L510EP")
        free = parse_free_text(text) if rule.type == FROM_TEXT else None
        gazette = _safe(parse_iso_date, _ltext(event, "L007EP"))
        effective = _safe(parse_yyyymmdd, _ltext(event, "L525EP"))
        if free is not None and free.reel_frame is not None:
            transfer_id, rf = uspto_transfer_id(*free.reel_frame), reel_frame(*free.reel_frame)
        else:
            document = "".join((_ltext(event, t) or "") for t in ("L001EP", "L003EP", "L004EP")).replace(" ", "")
            transfer_id, rf = f"INPADOC-{document}-{code}-{gazette.isoformat() if gazette else 'nodate'}", None
        seen[transfer_id] = seen.get(transfer_id, 0) + 1
        if seen[transfer_id] > 1:
            transfer_id = f"{transfer_id}-{seen[transfer_id]}"
        parties: list[TransferParty] = []
        forms_out = []
        for n, name in enumerate(free.assignors if free else [], start=1):
            form = name_form(name)
            forms_out.append(form)
            parties.append(TransferParty(transfer_id, TransferSide.ASSIGNOR, n, name, party_kind(form)))
        forms_in = []
        owner = _ltext(event, "L509EP")
        if owner:
            name, country_raw = split_owner(owner)
            form = name_form(name)
            forms_in.append(form)
            parties.append(TransferParty(
                transfer_id, TransferSide.ASSIGNEE, 1, name, party_kind(form),
                country_raw=country_raw, country=match_country(country_raw).code if country_raw else None,
            ))
        if free is not None and free.truncated:
            warnings.append(f"{transfer_id}: OPS lists only the first assignors ('AND OTHERS')")
        conveyance_text = free.conveyance if free is not None else description or None
        conveyance_type = (
            classify(conveyance_text, forms_out, forms_in) if rule.type == FROM_TEXT else ConveyanceType(rule.type)
        )
        transfer = Transfer(
            transfer_id=transfer_id,
            office=(_ltext(event, "L001EP") or office).upper(),
            conveyance_type=conveyance_type,
            conveyance_text=conveyance_text,
            event_code=code,
            reel_frame=rf,
            execution_date=(free.signed if free is not None else None) or effective,
            record_date=gazette,
            scope=TransferScope.PROPERTY,
            source_format=source_format,
            source_file=source_file,
            record_index=index,
            reader_version=reader_version,
        )
        records.append(TransferRecord(transfer, parties, [member_property(member, transfer_id)]))
    return records, warnings, len(events)
