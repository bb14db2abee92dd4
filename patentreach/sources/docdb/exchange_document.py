"""One ``exchange-document`` (EPO exchange format) as a canonical record.

DOCDB bulk files and OPS responses print the same element; namespaces are removed before it
gets here (``namespaces.local_names``), so this module reads both. The document lands as the
office that published it (``DE``, ``WO``, ``AP``, ``YU`` ...), not as EP: DOCDB is the EPO's
world-wide database.

* ``number``: the docdb form without leading zeros, so that the same document gets the same
  ``pub_id`` here, in EP publication XML and in OPS.
* ``family_id``: the DOCDB simple family (``family-id`` attribute).
* ``route``: ``regional`` for a regional office (EP, EA, AP, OA, GC; from the ``offices`` table);
  ``pct`` when the document claims a PCT application (national or regional phase elsewhere);
  otherwise ``direct``. A WO publication is the international application itself: ``direct``.
* ``application_number``: the ``original`` form ("IB2022/055385") where printed, else docdb.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from patentreach.model.records import (
    PatentRecord,
    PriorityKind,
    Publication,
    Route,
    make_pub_id,
    strip_leading_zeros,
)
from patentreach.refdata.kind_codes import doc_type
from patentreach.refdata.offices import is_regional
from patentreach.sources.dates import BadDate, parse_yyyymmdd
from patentreach.sources.docdb.exchange_classes import classifications
from patentreach.sources.docdb.exchange_ids import first_text, forms
from patentreach.sources.docdb.exchange_parties import NameForms, parties
from patentreach.sources.docdb.exchange_priorities import priorities
from patentreach.sources.docdb.paths import all_at
from patentreach.sources.uspto_common.ice_v4 import earliest_priority, text


def _date(raw: str | None, field: str, problems: list[str]) -> date | None:
    try:
        return parse_yyyymmdd(raw)
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def _title(biblio: etree._Element, language: str | None) -> str | None:
    elements = biblio.findall("invention-title")
    titles = [(t.get("lang") or "").lower() for t in elements]
    texts = [" ".join("".join(t.itertext()).split()) for t in elements]
    for wanted in (language, "en"):
        for lang, value in zip(titles, texts, strict=True):
            if wanted and lang == wanted and value:
                return value
    return next((value for value in texts if value), None)


def record_from_exchange(
    document: etree._Element,
    names: NameForms,
    source_format: str,
    reader_version: str,
    source_file: str,
    index: int,
    family_id: str | None = None,
    extra_claims: list[etree._Element] | None = None,
) -> tuple[PatentRecord | None, list[str]]:
    """Map one namespace-free ``exchange-document``; returns the record or its problems.

    ``extra_claims`` are ``priority-claim`` elements printed outside the document (an OPS
    family member's docdb-form claims), used when the document itself prints none.
    """
    problems: list[str] = []
    biblio = document.find("bibliographic-data")
    if biblio is None:
        return None, ["exchange-document: no bibliographic-data element"]
    pub = forms(biblio.findall("publication-reference"))
    office = (first_text(pub, "country", ("docdb",)) or document.get("country") or "").upper()
    number = first_text(pub, "doc-number", ("docdb",)) or document.get("doc-number")
    kind = (first_text(pub, "kind", ("docdb",)) or document.get("kind") or "").upper()
    raw_date = first_text(pub, "date", ("docdb", "epodoc")) or document.get("date-publ")
    pub_date = _date(raw_date, "publication-reference date", problems)
    for value, field in ((office, "country"), (number, "doc-number"), (kind, "kind")):
        if not value:
            problems.append(f"publication-reference {field}: missing")
    if pub_date is None and raw_date is None:
        problems.append("publication-reference date: missing")
    app = forms(biblio.findall("application-reference"))
    application_date = _date(first_text(app, "date", ("docdb", "epodoc")), "application-reference date", problems)
    if problems:
        return None, problems
    assert number and pub_date

    pub_id = make_pub_id(office, number, kind)
    own = {
        f"{(text(app.get('docdb'), 'country') or '').upper()}{text(app.get('docdb'), 'doc-number')}",
        text(app.get("epodoc"), "doc-number") or "",
    }
    claim_elements = all_at(biblio, "priority-claims/priority-claim")
    if not claim_elements and extra_claims:
        claim_elements = extra_claims
    claims = priorities(claim_elements, pub_id, own, problems)
    classes = classifications(biblio, pub_id, problems)
    people = parties(biblio, pub_id, names)
    if problems:
        return None, problems

    language = (pub["docdb"].get("lang") if "docdb" in pub and pub["docdb"].get("lang") else None) or text(
        biblio, "language-of-publication"
    )
    language = language.lower() if language else None
    if is_regional(office):
        route = Route.REGIONAL
    elif office != "WO" and any(c.kind == PriorityKind.PCT for c in claims):
        route = Route.PCT
    else:
        route = Route.DIRECT
    publication = Publication(
        pub_id=pub_id,
        office=office,
        number=strip_leading_zeros(number),
        kind=kind,
        doc_type=doc_type(office, kind, pub_date),
        pub_date=pub_date,
        application_number=first_text(app, "doc-number", ("original", "docdb")),
        application_date=application_date,
        earliest_priority_date=earliest_priority(application_date, claims),
        family_id=document.get("family-id") or family_id,
        route=route,
        title=_title(biblio, language),
        language=language,
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return PatentRecord(publication, people, classes, claims), []
