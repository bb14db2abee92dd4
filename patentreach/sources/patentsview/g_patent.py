"""A ``g_patent`` row with its joined sibling lists (see ``g_siblings``) to the canonical record.

PatentsView's disambiguated ``assignee_id`` / ``inventor_id`` go to ``Party.source_entity_id``
and ``assignee_type`` (the USPTO code list: 2 US company, 3 foreign company, ...) to
``Party.source_type_code``; locations come from ``g_location_disambiguated``.
"""

from __future__ import annotations

from patentreach.model.ipc import from_parts
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
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol


def record_from_g(
    row: dict[str, str], siblings: dict, source_format: str, reader_version: str,
    source_file: str, index: int,
) -> tuple[PatentRecord | None, list[str]]:
    problems: list[str] = []
    number = (row.get("patent_id") or "").strip()
    kind = (row.get("wipo_kind") or "").strip().upper()
    if not number:
        problems.append("g_patent.patent_id: missing")
    if not kind:
        problems.append("g_patent.wipo_kind: missing")
    pub_date = _date(row.get("patent_date"), "g_patent.patent_date", problems)
    if pub_date is None and not any("patent_date" in p for p in problems):
        problems.append("g_patent.patent_date: missing")
    application_date = _date(siblings.get("filing_date"), "g_application.filing_date", problems)
    if problems:
        return None, problems
    assert pub_date is not None
    pub_id = make_pub_id("US", number, kind)
    claims = _priorities(siblings.get("priorities") or [], pub_id, problems)
    classes = _classifications(siblings, pub_id, problems)
    if problems:
        return None, problems
    dates = [d for d in (application_date, *(c.date for c in claims)) if d]
    publication = Publication(
        pub_id=pub_id,
        office="US",
        number=pub_id.split("-")[1],
        kind=kind,
        doc_type=doc_type("US", kind, pub_date),
        pub_date=pub_date,
        application_number=(siblings.get("application_id") or "").strip() or None,
        application_date=application_date,
        earliest_priority_date=min(dates) if dates else None,
        route=Route.DIRECT,
        title=" ".join((row.get("patent_title") or "").split()) or None,
        language="en",
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    parties = _people(siblings.get("assignees") or [], pub_id, Role.ASSIGNEE)
    parties += _people(siblings.get("inventors") or [], pub_id, Role.INVENTOR)
    return PatentRecord(publication, parties, classes, claims), []


def _date(value: object, field: str, problems: list[str]):  # type: ignore[no-untyped-def]
    try:
        return parse_iso_date(str(value)) if value else None
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def type_code(value: object) -> str | None:
    """``2`` / ``2.0`` / ``02`` -> ``2``: the code as the USPTO lists it, without padding."""
    text = str(value or "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    return (text.lstrip("0") or text) if text else None


def _people(items: list[dict], pub_id: str, role: str) -> list[Party]:
    out = []
    for n, item in enumerate(items, start=1):
        org = (item.get("org") or "").strip()
        person = " ".join(p for p in (item.get("first_name"), item.get("last_name")) if p and p.strip())
        name = org or person
        if not name:
            continue
        seq = item.get("seq")
        country_raw = (item.get("country") or "").strip() or None
        out.append(Party(
            pub_id=pub_id, role=role,
            sequence=int(seq) + 1 if str(seq or "").isdigit() else n,
            name=name,
            kind=PartyKind.ORGANISATION if org else PartyKind.PERSON,
            city=(item.get("city") or "").strip() or None,
            state=(item.get("state") or "").strip() or None,
            country_raw=country_raw,
            country=normalise_country(country_raw) if country_raw else None,
            source_entity_id=(item.get("id") or "").strip() or None,
            source_type_code=type_code(item.get("type")) if role == Role.ASSIGNEE else None,
        ))
    return out


def _classifications(siblings: dict, pub_id: str, problems: list[str]) -> list[Classification]:
    out: list[Classification] = []
    for item in siblings.get("ipcs") or []:
        parts = [str(item.get(k) or "") for k in ("section", "klass", "subclass", "main_group", "subgroup")]
        symbol = from_parts(*parts) if all(parts[:4]) else None
        if symbol is None:
            problems.append(f"g_ipc_at_issue: {''.join(parts)!r} is not an IPC symbol")
            continue
        first = item.get("position") == "F" and not any(c.position == "first" for c in out)
        position = "first" if first else ("inventive" if item.get("value") == "I" else "additional")
        out.append(Classification(pub_id, "IPC", symbol, position, len(out)))
    for n, item in enumerate(siblings.get("cpcs") or []):
        symbol = cpc_symbol(item.get("code"))
        if symbol is None:
            problems.append(f"g_cpc_current.cpc_group: {item.get('code')!r} is not a CPC symbol")
            continue
        inventive = str(item.get("type") or "").lower().startswith("invent")
        position = "first" if n == 0 else ("inventive" if inventive else "additional")
        out.append(Classification(pub_id, "CPC", symbol, position, len(out)))
    return out


def _priorities(items: list[dict], pub_id: str, problems: list[str]) -> list[Priority]:
    out = []
    for item in items:
        when = _date(item.get("date"), "g_foreign_priority.filing_date", problems)
        office = (item.get("country") or "").strip().upper() or None
        out.append(Priority(pub_id, office, (item.get("number") or "").strip() or None, when,
                            PriorityKind.PARIS, len(out)))
    return out
