"""One row of a Lens.org patent CSV export to the canonical record.

Columns used: Jurisdiction, Kind, Publication Number, Lens ID, Publication Date, Application
Number, Application Date, Priority Numbers, Earliest Priority Date, Title, Applicants,
Inventors, Owners (US), Type, CPC Classifications, IPCR Classifications, US Classifications.
The export gives no party countries and no family id (only family sizes), so those stay null.
The Lens ``Type`` is a cross-check only: the document type comes from the office and kind
through the ``kind_codes`` table, like every other reader.
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
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol
from patentreach.sources.lens.lens_values import (
    current_owner,
    parse_owners,
    parse_priority,
    priority_kind,
    split_doc_number,
    split_multi,
)
from patentreach.sources.lens.party_kinds import applicant_kind, name_key
from patentreach.sources.lens.publication_type import type_document


def record_from_row(
    row: dict[str, str], source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str], list[str]]:
    """(record, problems, warnings); problems name their column."""
    problems: list[str] = []
    office = (row.get("Jurisdiction") or "").strip().upper()
    kind = (row.get("Kind") or "").strip().upper()
    printed = row.get("Publication Number") or ""
    ids = split_doc_number(printed)
    if not office:
        problems.append("Jurisdiction: missing")
    if not kind:
        problems.append("Kind: missing")
    if ids is None:
        problems.append(f"Publication Number: {printed!r} is not 'CC NUMBER KIND'")
    elif office and kind and (ids[0], ids[2]) != (office, kind):
        problems.append(f"Publication Number: {printed!r} disagrees with Jurisdiction/Kind {office} {kind}")
    pub_date = _date(row, "Publication Date", problems, required=True)
    application_date = _date(row, "Application Date", problems)
    earliest = _date(row, "Earliest Priority Date", problems)
    owners = []
    try:
        owners = parse_owners(row.get("Owners (US)"))
    except BadDate as exc:
        problems.append(f"Owners (US): {exc}")
    application = split_doc_number(row.get("Application Number") or "")
    claims: list[Priority] = []
    pub_id = make_pub_id(office, ids[1], kind) if ids and office and kind else ""
    for text in split_multi(row.get("Priority Numbers")):
        try:
            entry = parse_priority(text)
        except ValueError as exc:  # BadDate is a ValueError
            problems.append(f"Priority Numbers: {exc}")
            continue
        if application and (entry.office, entry.number) == application[:2]:
            continue  # the application itself: Lens lists it when nothing is claimed
        claims.append(Priority(pub_id, entry.office, entry.number, entry.date,
                               priority_kind(entry.office, entry.kind, office), len(claims)))
    classes = _classifications(row, pub_id, problems)
    if problems:
        return None, problems, []
    assert pub_date is not None and ids is not None

    dates = [d for d in (application_date, earliest, *(c.date for c in claims)) if d]
    typed = type_document(row.get("Type"), office, kind, pub_date, pub_id)
    warnings = [typed.warning] if typed.warning else []
    publication = Publication(
        pub_id=pub_id,
        office=office,
        number=pub_id.split("-")[1],
        kind=kind,
        doc_type=typed.doc_type,
        pub_date=pub_date,
        application_number=application[1] if application else None,
        application_date=application_date,
        earliest_priority_date=min(dates) if dates else None,
        family_id=None,
        route=Route.PCT if application and application[2] == "W" and office != "WO" else Route.DIRECT,
        title=" ".join((row.get("Title") or "").split()) or None,
        language=None,
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
        doc_type_rule=typed.rule,
    )
    return PatentRecord(publication, _parties(row, pub_id, owners), classes, claims), [], warnings


def _date(row: dict[str, str], column: str, problems: list[str], required: bool = False) -> date | None:
    try:
        value = parse_iso_date(row.get(column))
    except BadDate as exc:
        problems.append(f"{column}: {exc}")
        return None
    if value is None and required:
        problems.append(f"{column}: missing")
    return value


def _parties(row: dict[str, str], pub_id: str, owners: list) -> list[Party]:
    inventors = split_multi(row.get("Inventors"))
    keys = {name_key(n) for n in inventors}
    out = [
        Party(pub_id, Role.APPLICANT, n, name, applicant_kind(name, keys))
        for n, name in enumerate(split_multi(row.get("Applicants")), start=1)
    ]
    out += [
        Party(pub_id, Role.INVENTOR, n, name, PartyKind.PERSON)
        for n, name in enumerate(inventors, start=1)
    ]
    owner = current_owner(owners)
    if owner is not None:
        out.append(Party(pub_id, Role.ASSIGNEE, 1, owner.name, applicant_kind(owner.name, keys),
                         country_raw=None, country=None))
    return out


def _classifications(row: dict[str, str], pub_id: str, problems: list[str]) -> list[Classification]:
    """IPCR and CPC in printed order (the first listed is the first); the export does not say
    which are inventive. US Classifications are kept as national symbols."""
    out: list[Classification] = []
    for scheme, column in (("IPC", "IPCR Classifications"), ("CPC", "CPC Classifications")):
        seen: set[str] = set()
        for n, code in enumerate(split_multi(row.get(column))):
            symbol = cpc_symbol(code)
            if symbol is None:
                problems.append(f"{column}: {code!r} is not a classification symbol")
                continue
            if symbol not in seen:
                seen.add(symbol)
                out.append(Classification(pub_id, scheme, symbol, "first" if n == 0 else "additional", len(out)))
    for n, code in enumerate(split_multi(row.get("US Classifications"))):
        out.append(Classification(pub_id, "national", " ".join(code.split()),
                                  "first" if n == 0 else "additional", len(out)))
    return out

