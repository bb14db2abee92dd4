"""One Lens Patent API record (``data[]`` of a response, or a line of a JSON Lines bulk
export) to the canonical record.

Fields used: jurisdiction, doc_number, kind, date_published, lang, biblio.application_reference,
biblio.priority_claims.claims, biblio.invention_title, biblio.parties (applicants, inventors,
owners_all), biblio.classifications_ipcr / classifications_cpc, publication_type.
``families.simple_family.family_id`` is Lens's own family number, not the DOCDB family id the
model's ``family_id`` holds, so it is not stored there (see docs/sources/vendors.md).
"""

from __future__ import annotations

from datetime import date

from patentreach.model.records import (
    Classification,
    Party,
    PartyKind,
    PatentRecord,
    Priority,
    Publication,
    Role,
    Route,
    make_pub_id,
)
from patentreach.refdata.countries import normalise_country
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol
from patentreach.sources.lens.lens_values import priority_kind, squeeze_number
from patentreach.sources.lens.party_kinds import applicant_kind, name_key
from patentreach.sources.lens.publication_type import type_document


def record_from_api(
    doc: dict, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str], list[str]]:
    """(record, problems, warnings); problems name their field."""
    problems: list[str] = []
    biblio = doc.get("biblio") or {}
    pub_ref = biblio.get("publication_reference") or {}
    office = str(doc.get("jurisdiction") or pub_ref.get("jurisdiction") or "").strip().upper()
    number = str(doc.get("doc_number") or pub_ref.get("doc_number") or "").strip()
    kind = str(doc.get("kind") or pub_ref.get("kind") or "").strip().upper()
    for name, value in (("jurisdiction", office), ("doc_number", number), ("kind", kind)):
        if not value:
            problems.append(f"{name}: missing")
    pub_date = _date(doc.get("date_published") or pub_ref.get("date"), "date_published", problems)
    if pub_date is None and not any(p.startswith("date_published") for p in problems):
        problems.append("date_published: missing")
    app_ref = biblio.get("application_reference") or {}
    application_date = _date(app_ref.get("date"), "application_reference.date", problems)
    if problems:
        return None, problems, []
    assert pub_date is not None

    pub_id = make_pub_id(office, squeeze_number(number), kind)
    app_number = squeeze_number(str(app_ref.get("doc_number") or "")) or None
    claims = _priorities(biblio, pub_id, office, (app_ref.get("jurisdiction"), app_number), problems)
    classes = _classifications(biblio, pub_id, problems)
    if problems:
        return None, problems, []
    dates = [d for d in (application_date, *(c.date for c in claims)) if d]
    typed = type_document(doc.get("publication_type"), office, kind, pub_date, pub_id)
    language = str(doc.get("lang") or "").lower() or None
    publication = Publication(
        pub_id=pub_id,
        office=office,
        number=pub_id.split("-")[1],
        kind=kind,
        doc_type=typed.doc_type,
        pub_date=pub_date,
        application_number=app_number,
        application_date=application_date,
        earliest_priority_date=min(dates) if dates else None,
        family_id=None,
        route=Route.PCT if str(app_ref.get("kind") or "") == "W" and office != "WO" else Route.DIRECT,
        title=_title(biblio.get("invention_title"), language),
        language=language,
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
        doc_type_rule=typed.rule,
    )
    warnings = [typed.warning] if typed.warning else []
    return PatentRecord(publication, _parties(biblio, pub_id), classes, claims), [], warnings


def _date(value: object, field: str, problems: list[str]) -> date | None:
    try:
        return parse_iso_date(str(value)) if value else None
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def _title(titles: object, language: str | None) -> str | None:
    if not isinstance(titles, list):
        return None
    entries = [t for t in titles if isinstance(t, dict) and t.get("text")]
    chosen = next((t for t in entries if t.get("lang") == language), entries[0] if entries else None)
    return " ".join(str(chosen["text"]).split()) if chosen else None


def _name(item: dict) -> str | None:
    extracted = item.get("extracted_name") or {}
    value = extracted.get("value") if isinstance(extracted, dict) else None
    return " ".join(str(value).split()) if value else None


def _parties(biblio: dict, pub_id: str) -> list[Party]:
    """Applicants and inventors with their residence; the owner recorded last (``owners_all``,
    by recorded date) as the assignee, as for the CSV export's "Owners (US)"."""
    parties = biblio.get("parties") or {}
    inventors = [i for i in parties.get("inventors") or [] if isinstance(i, dict) and _name(i)]
    keys = {name_key(_name(i) or "") for i in inventors}
    out: list[Party] = []
    for n, item in enumerate(
        (a for a in parties.get("applicants") or [] if isinstance(a, dict) and _name(a)), start=1
    ):
        name = _name(item) or ""
        out.append(_party(pub_id, Role.APPLICANT, item.get("sequence") or n, name,
                          applicant_kind(name, keys), item.get("residence")))
    for n, item in enumerate(inventors, start=1):
        out.append(_party(pub_id, Role.INVENTOR, item.get("sequence") or n, _name(item) or "",
                          PartyKind.PERSON, item.get("residence")))
    owners = [o for o in parties.get("owners_all") or [] if isinstance(o, dict) and _name(o)]
    if owners:
        latest = max(owners, key=lambda o: str(o.get("recorded_date") or o.get("execution_date") or ""))
        name = _name(latest) or ""
        out.append(_party(pub_id, Role.ASSIGNEE, 1, name, applicant_kind(name, keys),
                          latest.get("extracted_country") or latest.get("residence")))
    return out


def _party(pub_id: str, role: str, seq: object, name: str, kind: str, country: object) -> Party:
    raw = str(country).strip() if country else None
    return Party(pub_id, role, int(seq) if str(seq).isdigit() else 1, name, kind,
                 country_raw=raw or None, country=normalise_country(raw) if raw else None)


def _classifications(biblio: dict, pub_id: str, problems: list[str]) -> list[Classification]:
    """IPCR and CPC; position ``F`` marks the first symbol, value ``I`` inventive. Lens repeats
    a CPC symbol once per family member's allocation: each symbol is kept once."""
    out: list[Classification] = []
    for scheme, key in (("IPC", "classifications_ipcr"), ("CPC", "classifications_cpc")):
        seen: set[str] = set()
        block = biblio.get(key) or {}
        items = block.get("classifications") if isinstance(block, dict) else None
        for item in items or []:
            code = item.get("symbol") if isinstance(item, dict) else None
            symbol = cpc_symbol(code)
            if symbol is None:
                problems.append(f"{key}: {code!r} is not a classification symbol")
                continue
            if symbol in seen:
                continue
            first = item.get("classification_symbol_position") == "F" and not any(
                c.scheme == scheme and c.position == "first" for c in out
            )
            position = "first" if first else (
                "inventive" if item.get("classification_value") == "I" else "additional"
            )
            seen.add(symbol)
            out.append(Classification(pub_id, scheme, symbol, position, len(out)))
    return out


def _priorities(
    biblio: dict, pub_id: str, office: str, application: tuple[object, str | None], problems: list[str]
) -> list[Priority]:
    block = biblio.get("priority_claims") or {}
    out: list[Priority] = []
    for item in (block.get("claims") if isinstance(block, dict) else None) or []:
        claim_office = str(item.get("jurisdiction") or "").upper() or None
        claim_number = squeeze_number(str(item.get("doc_number") or "")) or None
        if (claim_office, claim_number) == application:
            continue  # the application itself: listed when nothing else is claimed
        when = _date(item.get("date"), "priority_claims.date", problems)
        out.append(Priority(pub_id, claim_office, claim_number, when,
                            priority_kind(claim_office or "", str(item.get("kind") or ""), office),
                            len(out)))
    return out
