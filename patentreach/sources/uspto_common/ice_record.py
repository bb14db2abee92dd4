"""One ICE v4 bibliographic element (grant or application) to one canonical record.

Grants (``us-bibliographic-data-grant``) and pre-grant publications
(``us-bibliographic-data-application``) share every structure the model reads; only the element
name differs, so both readers map through this one function.
"""

from __future__ import annotations

from lxml import etree

from patentreach.model.records import PatentRecord, Publication, Route, make_pub_id
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources.uspto_common import ice_v4
from patentreach.sources.uspto_common.ice_v4 import date_at, text


def record_from_biblio(
    root: etree._Element,
    biblio_tag: str,
    source_format: str,
    reader_version: str,
    source_file: str,
    index: int,
) -> tuple[PatentRecord | None, list[str]]:
    """Map the root's bibliographic element to the canonical record, or list all its problems."""
    problems: list[str] = []
    biblio = root.find(biblio_tag)
    if biblio is None:
        return None, [f"no {biblio_tag} element"]
    pub = ice_v4.first(biblio, "publication-reference/document-id")
    office = text(pub, "country") or "US"
    number = text(pub, "doc-number")
    kind = text(pub, "kind")
    pub_date = date_at(pub, "date", "publication-reference date", problems)
    if not number:
        problems.append("publication-reference doc-number: missing")
    if not kind:
        problems.append("publication-reference kind: missing")
    if pub_date is None and not any(p.startswith("publication-reference date") for p in problems):
        problems.append("publication-reference date: missing")
    app = ice_v4.first(biblio, "application-reference/document-id")
    application_date = date_at(app, "date", "application-reference date", problems)
    if problems:
        return None, problems

    assert number and kind and pub_date
    pub_id = make_pub_id(office, number, kind)
    claims = ice_v4.priorities(biblio, pub_id, problems)
    classes = ice_v4.classifications(biblio, pub_id, problems)
    people = ice_v4.parties(biblio, pub_id)
    if problems:
        return None, problems
    publication = Publication(
        pub_id=pub_id,
        office=office.upper(),
        number=pub_id.split("-")[1],
        kind=kind.upper(),
        doc_type=doc_type(office, kind, pub_date),
        pub_date=pub_date,
        application_number=text(app, "doc-number"),
        application_date=application_date,
        earliest_priority_date=ice_v4.earliest_priority(application_date, claims),
        family_id=None,
        route=Route.PCT if biblio.find("pct-or-regional-filing-data") is not None else Route.DIRECT,
        title=text(biblio, "invention-title"),
        language=(root.get("lang") or "en").lower(),
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return PatentRecord(publication, people, classes, claims), []
