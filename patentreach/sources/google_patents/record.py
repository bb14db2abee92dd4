"""One ``publications`` row (BigQuery schema) to the canonical record.

Fields used: publication_number, country_code, kind_code, application_kind, application_number,
pct_number, family_id, publication_date, filing_date, grant_date, priority_date, title_localized,
assignee_harmonized, inventor_harmonized, ipc, cpc, priority_claim (the columns
``patentreach fetch google`` selects). Exports often select only some columns (the sample has no
kind_code, family_id, ipc or priority_claim), so the office, number and kind come from
``publication_number`` and are cross-checked with ``country_code`` / ``kind_code`` when those are
present. ``grant_date`` with ``application_kind`` types the document where present
(``doc_type_flags``); the kind-code table otherwise.
"""

from __future__ import annotations

from datetime import date

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
from patentreach.sources.dates import BadDate
from patentreach.sources.google_patents.bigquery_values import (
    bq_bool,
    bq_date,
    localized,
    split_number,
    unescape,
)
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol
from patentreach.sources.google_patents.doc_type_flags import typed_by_flags

NO_FAMILY = {"", "0", "-1"}


def record_from_row(
    row: dict, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    """The record, or every problem found (each naming its field)."""
    problems: list[str] = []
    ids = split_number(row.get("publication_number"))
    if ids is None:
        return None, [f"publication_number: {row.get('publication_number')!r} is not OFFICE-NUMBER-KIND"]
    office, number, kind = ids
    country_code = (row.get("country_code") or "").strip().upper()
    kind_code = (row.get("kind_code") or "").strip().upper()
    if country_code and country_code != office:
        problems.append(f"country_code: {country_code!r} disagrees with publication_number {office!r}")
    if kind_code and kind and kind_code != kind:
        problems.append(f"kind_code: {kind_code!r} disagrees with publication_number {kind!r}")
    kind = kind or kind_code
    if not kind:
        problems.append("kind_code: missing (and publication_number has no kind)")
    pub_date = _date(row, "publication_date", problems)
    if pub_date is None and not any(p.startswith("publication_date") for p in problems):
        problems.append("publication_date: missing (0 or absent)")
    application_date = _date(row, "filing_date", problems)
    priority_date = _date(row, "priority_date", problems)
    grant_date = _date(row, "grant_date", problems)
    if problems:
        return None, problems
    assert pub_date is not None

    pub_id = make_pub_id(office, number, kind)
    application = split_number(row.get("application_number"))
    claims = _priorities(row, pub_id, office, application, problems)
    classes = _classifications(row, pub_id, problems)
    if problems:
        return None, problems
    dates = [d for d in (application_date, priority_date, *(c.date for c in claims)) if d]
    title, language = localized(row.get("title_localized"))
    family = str(row.get("family_id") or "").strip()
    doc_type, rule = typed_by_flags(office, kind, pub_date, grant_date, row.get("application_kind"))
    publication = Publication(
        pub_id=pub_id,
        office=office,
        number=pub_id.split("-")[1],
        kind=kind,
        doc_type=doc_type,
        pub_date=pub_date,
        application_number=application[1] if application else None,
        application_date=application_date,
        earliest_priority_date=min(dates) if dates else None,
        family_id=None if family in NO_FAMILY else family,
        route=Route.PCT if row.get("pct_number") and office != "WO" else Route.DIRECT,
        title=title,
        language=language,
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
        doc_type_rule=rule,
    )
    return PatentRecord(publication, _parties(row, pub_id, office), classes, claims), []


def _date(row: dict, field: str, problems: list[str]) -> date | None:
    try:
        return bq_date(row.get(field))
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def _parties(row: dict, pub_id: str, office: str) -> list[Party]:
    """Harmonised assignees and inventors.

    Google's ``assignee`` is the USPTO assignee on US documents and the applicant elsewhere, so
    the role follows the office. Google does not say whether an assignee is a person: one that
    is also listed among the inventors is a person (read from the document, not guessed from
    the name); the others are organisations.
    """
    inventors = [i for i in row.get("inventor_harmonized") or [] if isinstance(i, dict)]
    inventor_names = {unescape(i.get("name")) for i in inventors}
    role = Role.ASSIGNEE if office == "US" else Role.APPLICANT
    out: list[Party] = []
    for n, item in enumerate(
        (a for a in row.get("assignee_harmonized") or [] if isinstance(a, dict)), start=1
    ):
        name = unescape(item.get("name"))
        if name:
            kind = PartyKind.PERSON if name in inventor_names else PartyKind.ORGANISATION
            out.append(_party(pub_id, role, n, name, kind, item.get("country_code")))
    for n, item in enumerate(inventors, start=1):
        name = unescape(item.get("name"))
        if name:
            out.append(_party(pub_id, Role.INVENTOR, n, name, PartyKind.PERSON, item.get("country_code")))
    return out


def _party(pub_id: str, role: str, seq: int, name: str, kind: str, country: object) -> Party:
    raw = str(country).strip() if country else None
    return Party(pub_id, role, seq, name, kind, country_raw=raw or None,
                 country=normalise_country(raw) if raw else None)


def _classifications(row: dict, pub_id: str, problems: list[str]) -> list[Classification]:
    """``ipc`` and ``cpc`` lists of {code, inventive, first}; ``first`` marks the main symbol."""
    out: list[Classification] = []
    seen: set[tuple[str, str]] = set()
    for scheme, column in (("IPC", "ipc"), ("CPC", "cpc")):
        for item in row.get(column) or []:
            code = item.get("code") if isinstance(item, dict) else item
            symbol = cpc_symbol(str(code)) if code else None
            if symbol is None:
                problems.append(f"{column}: {code!r} is not a classification symbol")
                continue
            if (scheme, symbol) in seen:
                continue
            seen.add((scheme, symbol))
            first = isinstance(item, dict) and bq_bool(item.get("first"))
            inventive = isinstance(item, dict) and bq_bool(item.get("inventive"))
            position = "first" if first else ("inventive" if inventive else "additional")
            out.append(Classification(pub_id, scheme, symbol, position, len(out)))
    return out


def _priorities(
    row: dict,
    pub_id: str,
    office: str,
    application: tuple[str, str, str] | None,
    problems: list[str],
) -> list[Priority]:
    """``priority_claim`` entries; the publication's own application (listed by Google when it
    claims nothing) is not a claim and is left out."""
    out: list[Priority] = []
    for item in row.get("priority_claim") or []:
        if not isinstance(item, dict):
            continue
        ids = split_number(item.get("application_number"))
        if ids is not None and application is not None and ids[:2] == application[:2]:
            continue
        try:
            when = bq_date(item.get("filing_date"))
        except BadDate as exc:
            problems.append(f"priority_claim filing_date: {exc}")
            continue
        claim_office, claim_number, claim_kind = ids if ids else (None, None, "")
        out.append(
            Priority(pub_id, claim_office, claim_number, when,
                     priority_kind(claim_office, claim_kind, office), len(out))
        )
    return out


def priority_kind(claim_office: str | None, claim_kind: str, office: str) -> str:
    """PCT application (kind ``W``) -> pct; another office -> Paris; same office (provisional
    ``P``, continuation) -> domestic."""
    if claim_kind == "W" or claim_office == "WO":
        return PriorityKind.PCT
    if claim_office and claim_office != office:
        return PriorityKind.PARIS
    return PriorityKind.DOMESTIC_CONTINUATION
