"""USPTO pre-grant publication XML, ICE DTD v4.0 (2005) to v4.6 (2022-): weekly ``ipa`` files.

The bibliographic element is ``us-bibliographic-data-application``; inside it the structures are
the grant's (``uspto_common.ice_v4``): document ids, ``parties`` (v4.0-4.2, inventors as
``applicant-inventor``) or ``us-parties`` (v4.3+, ``us-applicant`` with an
``applicant-authority-category`` such as ``assignee`` or ``inventor``, inventors listed apart),
``assignees``, IPC/CPC, priority claims, the PCT filing and ``us-related-documents``.
The kind (A1 first publication, A2 republication, A9 correction) decides the document type
through ``kind_codes``, so that an application is counted once.
"""

from __future__ import annotations

from lxml import etree

from patentreach.model.records import PatentRecord, Publication, Route, make_pub_id
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources.uspto_common import ice_v4
from patentreach.sources.uspto_common.ice_v4 import date_at, text

BIBLIO = b"us-bibliographic-data-application"


def record_from_biblio(
    root: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    """Map one application's bibliographic element to the canonical record, or its problems."""
    problems: list[str] = []
    biblio = root.find("us-bibliographic-data-application")
    if biblio is None:
        return None, ["no us-bibliographic-data-application element"]
    pub = biblio.find("publication-reference/document-id")
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
    app = biblio.find("application-reference/document-id")
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
