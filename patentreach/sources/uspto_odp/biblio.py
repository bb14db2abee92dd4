"""Map one USPTO ODP application record (patent file wrapper JSON) to the canonical record.

Two response shapes are read: the current one keeps the biblio in ``applicationMetaData`` and
the continuity in ``parentContinuityBag`` beside it; the older ``patentBag`` shape puts the same
fields (a few renamed: ``applicant`` for ``applicantNameText``, ``filingDate`` for
``parentApplicationFilingDate``, ``priorityNumberText``/``countryName`` in foreign priorities)
flat on the record, with continuity in ``continuityBag``.

**Which publication a record becomes.** ODP describes an *application*; the model stores
*publications*. The record becomes the grant when it has a ``patentNumber`` and ``grantDate``,
otherwise its pre-grant publication (``earliestPublicationNumber`` / ``earliestPublicationDate``).
ODP prints no grant kind, so the kind follows USPTO's WIPO ST.16 usage from the application type
and whether a pre-grant publication exists (``GRANT_KINDS``); ``kind_codes`` then gives the
document type as for every other reader. An application with neither number is not published
yet: it is *skipped* with that reason (a valid record that is not a publication).

Responses that carry no application biblio (assignment-only, continuity-only, foreign-priority
only) are not publications: ``skip_reason`` names what they hold. Assignments are transfers
(``assignments`` maps them, and the reader stores an assignment-only response as transfers), so
assignees are not taken from ``assignmentBag`` into the publication's parties.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

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
from patentreach.refdata.offices import offices
from patentreach.sources.base import Skipped
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.uspto_common.ice_v4 import earliest_priority

OFFICE = "US"

# ODP applicationTypeCode -> grant kind (without, with a pre-grant publication): WIPO ST.16 as the
# USPTO applies it since 2001 (B1/B2 utility, P2/P3 plant, S1 design, E1 reissue).
GRANT_KINDS: dict[str, tuple[str, str]] = {
    "UTL": ("B1", "B2"),
    "PLT": ("P2", "P3"),
    "DES": ("S1", "S1"),
    "REI": ("E1", "E1"),
}

# Fields that make a record an application biblio rather than a partial response.
BIBLIO_FIELDS = frozenset({
    "filingDate", "inventionTitle", "patentNumber", "earliestPublicationNumber",
    "applicantBag", "inventorBag", "firstApplicantName",
})
PARTIAL_RESPONSES = (
    ("assignmentBag", "assignment"),
    ("parentContinuityBag", "continuity"),
    ("childContinuityBag", "continuity"),
    ("continuityBag", "continuity"),
    ("foreignPriorityBag", "foreign-priority"),
)

# US 2017-0071586 A1 / US20240362478A1
_PGPUB = re.compile(r"^\s*(?:US)?\s*(\d{4})[-\s]?(\d{7})\s*([A-Z]\d?)\s*$", re.I)
_PCT_NUMBER = re.compile(r"^\s*PCT", re.I)
# CPC's Y section (cross-sectional tags, e.g. Y02E 60/10) is not IPC, so ``normalise_ipc``
# (sections A-H) refuses it; the spelling rule is the same.
_CPC_Y = re.compile(r"^(Y\d\d[A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})$")


def metadata(record: dict[str, Any]) -> dict[str, Any]:
    """The biblio fields: ``applicationMetaData`` (current shape) or the record itself (older)."""
    meta = record.get("applicationMetaData")
    return meta if isinstance(meta, dict) else record


def skip_reason(record: dict[str, Any]) -> str | None:
    """Why a record is not an application biblio (None when it is one)."""
    if BIBLIO_FIELDS & metadata(record).keys():
        return None
    held = sorted({label for key, label in PARTIAL_RESPONSES if record.get(key)})
    number = record.get("applicationNumberText")
    which = f"application {number}" if number else "record without applicationNumberText"
    if held:
        return f"{'/'.join(held)}-only response for {which}: no application biblio (not a publication)"
    return f"{which}: no application biblio fields (keys: {', '.join(sorted(record)) or 'none'})"


def _date(value: Any, field: str, problems: list[str]) -> date | None:
    try:
        return parse_iso_date(value if isinstance(value, str) else None)
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().upper() in ("Y", "YES", "TRUE"))


def choose_publication(
    record: dict[str, Any], meta: dict[str, Any], problems: list[str]
) -> tuple[str, str, date | None] | None:
    """(number, kind, date) of the publication the record stands for; None if unpublished."""
    categories = " ".join(str(c) for c in meta.get("publicationCategoryBag") or [])
    pgpub = _clean(meta.get("earliestPublicationNumber"))
    patent = _clean(meta.get("patentNumber"))
    if patent and meta.get("grantDate"):
        type_code = (_clean(meta.get("applicationTypeCode")) or "").upper()
        kinds = GRANT_KINDS.get(type_code)
        if kinds is None:
            problems.append(f"applicationTypeCode: {type_code or 'missing'!r} gives no grant kind")
            return patent, "", None
        published_before = bool(pgpub) or "PGPub" in categories
        kind = kinds[1] if published_before else kinds[0]
        return patent, kind, _date(meta.get("grantDate"), "grantDate", problems)
    if pgpub:
        match = _PGPUB.match(pgpub)
        if match is None:
            problems.append(f"earliestPublicationNumber: {pgpub!r} is not a US pre-grant publication number")
            return pgpub, "", None
        year, serial, kind = match.groups()
        when = _date(meta.get("earliestPublicationDate"), "earliestPublicationDate", problems)
        if when is None and not any(p.startswith("earliestPublicationDate") for p in problems):
            problems.append("earliestPublicationDate: missing")
        return year + serial, kind.upper(), when
    return None


def map_record(
    record: dict[str, Any], index: int, source_format: str, reader_version: str, source_file: str
) -> tuple[PatentRecord | None, Skipped | None, list[str]]:
    """(record, None, []) / (None, skipped, []) / (None, None, problems)."""
    reason = skip_reason(record)
    if reason:
        return None, Skipped(index, reason), []
    meta = metadata(record)
    problems: list[str] = []
    application_number = _clean(record.get("applicationNumberText") or meta.get("applicationNumberText"))
    chosen = choose_publication(record, meta, problems)
    if chosen is None and not problems:
        which = f"application {application_number}" if application_number else "application"
        return None, Skipped(index, f"{which} not published yet (no patentNumber/grantDate or "
                                    "earliestPublicationNumber)"), []
    application_date = _date(meta.get("filingDate"), "filingDate", problems)
    if not application_number:
        problems.append("applicationNumberText: missing")
    if problems or chosen is None:
        return None, None, problems
    number, kind, pub_date = chosen
    assert pub_date is not None
    pub_id = make_pub_id(OFFICE, number, kind)
    claims = priorities(record, meta, pub_id, application_number, problems)
    classes = classifications(meta, pub_id, problems)
    people = parties(meta, pub_id)
    if problems:
        return None, None, problems
    national_stage = _truthy(meta.get("nationalStageIndicator")) or any(p.kind == PriorityKind.PCT for p in claims)
    publication = Publication(
        pub_id=pub_id,
        office=OFFICE,
        number=pub_id.split("-")[1],
        kind=kind,
        doc_type=doc_type(OFFICE, kind, pub_date),
        pub_date=pub_date,
        application_number=application_number,
        application_date=application_date,
        earliest_priority_date=earliest_priority(application_date, claims),
        family_id=None,
        route=Route.PCT if national_stage else Route.DIRECT,
        title=_clean(meta.get("inventionTitle")),
        language="en",
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return PatentRecord(publication, people, classes, claims), None, []


# --- parties ----------------------------------------------------------------------------------


def _address(entry: dict[str, Any]) -> dict[str, Any]:
    """The residence address where one is given, else the first address."""
    bag = [a for a in entry.get("correspondenceAddressBag") or [] if isinstance(a, dict)]
    for address in bag:
        if address.get("postalAddressCategory") == "residence":
            return address
    return bag[0] if bag else {}


def _party(entry: dict[str, Any], pub_id: str, role: str, sequence: int, name: str | None) -> Party | None:
    if not name:
        return None
    address = _address(entry)
    person = bool(entry.get("firstName") or entry.get("lastName"))
    state = _clean(address.get("geographicRegionCode"))
    # countryCode, else the country name; the region name only stands in when neither is given
    # (ODP prints "KRX" there for a Korean address).
    country_raw = (
        _clean(address.get("countryCode")) or _clean(entry.get("countryCode"))
        or _clean(address.get("countryName")) or _clean(address.get("geographicRegionName"))
    )
    country = normalise_country(country_raw)
    if country is None and state and not (address.get("countryCode") or address.get("countryName")):
        country = "US"  # a US address given as city and state, as in USPTO XML
    street = " ".join(
        p for p in (_clean(address.get("addressLineOneText")), _clean(address.get("postalCode"))) if p
    )
    return Party(
        pub_id=pub_id,
        role=role,
        sequence=sequence,
        name=name,
        kind=PartyKind.PERSON if person else PartyKind.ORGANISATION,
        city=_clean(address.get("cityName")),
        state=state,
        country_raw=country_raw,
        country=country,
        address=street or None,
    )


def parties(meta: dict[str, Any], pub_id: str) -> list[Party]:
    out: list[Party] = []
    for n, entry in enumerate(meta.get("applicantBag") or [], start=1):
        name = _clean(entry.get("applicantNameText") or entry.get("applicant"))
        party = _party(entry, pub_id, Role.APPLICANT, n, name)
        if party:
            out.append(party)
    for n, entry in enumerate(meta.get("inventorBag") or [], start=1):
        name = _clean(entry.get("inventorNameText")) or _clean(
            " ".join(str(entry.get(k) or "") for k in ("firstName", "middleName", "lastName"))
        )
        party = _party(entry, pub_id, Role.INVENTOR, n, name)
        if party:
            out.append(party)
    return out


# --- classifications --------------------------------------------------------------------------


def cpc_symbol(raw: str) -> str | None:
    """Canonical CPC symbol (``H01M  50/46`` -> ``H01M 50/46``, ``Y02E  60/10`` -> ``Y02E 60/10``)."""
    symbol = normalise_ipc(raw)
    if symbol is not None:
        return symbol
    match = _CPC_Y.match(raw.strip().upper())
    if match is None:
        return None
    subclass, group, sub = match.groups()
    return f"{subclass} {group.lstrip('0') or '0'}/{sub}"


def classifications(meta: dict[str, Any], pub_id: str, problems: list[str]) -> list[Classification]:
    """CPC from ``cpcClassificationBag`` (first listed = first) and USPC as ``class/subclass``."""
    out: list[Classification] = []
    for n, raw in enumerate(meta.get("cpcClassificationBag") or []):
        symbol = cpc_symbol(str(raw))
        if symbol is None:
            problems.append(f"cpcClassificationBag: {raw!r} is not a symbol")
            continue
        out.append(Classification(pub_id, "CPC", symbol, "first" if n == 0 else "additional", len(out)))
    uspc = _clean(meta.get("uspcSymbolText") or meta.get("class/subclass"))
    if uspc:
        out.append(Classification(pub_id, "national", uspc, "first", len(out)))
    return out


# --- priorities -------------------------------------------------------------------------------


def office_code(name: str | None) -> str | None:
    """ST.3 office from ODP's ``ipOfficeName``/``countryName`` (``CHINA``, ``JAPAN``,
    ``EUROPEAN PATENT OFFICE`` ...): a country through ``countries``, else an office name or
    acronym from ``offices`` (WIPO means WO, the PCT publication office)."""
    if not name:
        return None
    code = normalise_country(name)
    if code:
        return code
    key = " ".join(name.upper().split())
    matches = [o.code for o in offices().values() if key in (o.name.upper(), o.acronym.upper(), o.code)]
    if "WO" in matches:
        return "WO"
    return matches[0] if matches else None


def priorities(
    record: dict[str, Any], meta: dict[str, Any], pub_id: str, application_number: str | None,
    problems: list[str],
) -> list[Priority]:
    """Foreign (Paris) priorities, then the parent chain: the PCT application of a national-stage
    entry (``pct``, when this application is its child), other parents and provisionals
    (``domestic_continuation``)."""
    out: list[Priority] = []
    for entry in record.get("foreignPriorityBag") or meta.get("foreignPriorityBag") or []:
        out.append(
            Priority(
                pub_id=pub_id,
                office=office_code(_clean(entry.get("ipOfficeName") or entry.get("countryName"))),
                number=_clean(entry.get("applicationNumberText") or entry.get("priorityNumberText")),
                date=_date(entry.get("filingDate"), "foreignPriorityBag filingDate", problems),
                kind=PriorityKind.PARIS,
                sequence=len(out),
            )
        )
    continuity = record.get("continuityBag") if isinstance(record.get("continuityBag"), dict) else {}
    parents = record.get("parentContinuityBag") or continuity.get("parentContinuityBag") or []
    for entry in parents:
        number = _clean(entry.get("parentApplicationNumberText"))
        child = _clean(entry.get("childApplicationNumberText"))
        is_pct_parent = bool(number and _PCT_NUMBER.match(number)) or entry.get("claimParentageTypeCode") == "NST"
        own_pct = is_pct_parent and child == application_number
        out.append(
            Priority(
                pub_id=pub_id,
                office="WO" if is_pct_parent else OFFICE,
                number=number,
                date=_date(
                    entry.get("parentApplicationFilingDate") or entry.get("filingDate"),
                    "parentContinuityBag filing date", problems,
                ),
                kind=PriorityKind.PCT if own_pct else PriorityKind.DOMESTIC_CONTINUATION,
                sequence=len(out),
            )
        )
    return out
