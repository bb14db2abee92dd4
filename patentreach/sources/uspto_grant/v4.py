"""USPTO grant full-text and bibliographic XML, ICE DTD v4.0 (2005) to v4.7 (2022-).

The versions differ in where parties and IPC live (``parties`` vs ``us-parties``; edition-7
``classification-ipc`` text vs ``classification-ipcr`` elements); ``ice_v4`` reads both, so one
module serves every v4 version and the version string is kept in provenance only.
"""

from __future__ import annotations

from lxml import etree

from patentreach.model.records import PatentRecord, Publication, Route, make_pub_id
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources.uspto_common import ice_v4
from patentreach.sources.uspto_common.ice_v4 import date_at, text

BIBLIO = b"us-bibliographic-data-grant"
# Parts of the bibliographic data the model does not use, cut before parsing for speed.
UNUSED = (b"us-references-cited", b"references-cited", b"us-field-of-classification-search", b"field-of-search")


def record_from_biblio(
    root: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    """Map one grant's bibliographic element to the canonical record, or list its problems."""
    problems: list[str] = []
    biblio = root.find("us-bibliographic-data-grant")
    if biblio is None:
        return None, ["no us-bibliographic-data-grant element"]
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
