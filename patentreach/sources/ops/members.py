"""What each OPS record becomes.

* ``exchange-document`` (biblio, search with constituent ``biblio``): a publication, mapped by the
  DOCDB reader's ``exchange_document`` (the same element, in the default namespace). Party rows
  follow the ``epodoc`` name list: OPS ``original`` lists repeat names in several spellings under
  new sequence numbers, so they cannot be aligned; the ``[CC]`` suffix of an epodoc name is the
  residence country.
* ``family-member`` with an ``exchange-document`` (family with biblio): that document, with the
  member's family id; the member's docdb-form priority claims (with dates) are used when the
  document prints none.
* ``family-member`` without one (plain family): a publication from the member's own publication
  and application references and priority claims, with its family id and no parties or
  classifications.
* ``family-member`` of a legal-event family response (``patent-family legal="true"``): its
  ownership-change and licence events become transfer records (``legal_events``); a member
  without such events is skipped. The bare member is not stored as a publication: a legal
  response is about events, and the biblio responses describe the same documents fully.
* ``inquiry-result`` (published equivalents): skipped. OPS gives only an epodoc number there,
  without kind code or date, and the model's ``pub_id`` needs the kind.
* search hit (``ops:publication-reference`` in a search result without biblio): skipped, it has
  no publication date.
* ``register-document`` (EP Register, ``reg:`` namespace): skipped; procedural register data,
  not a publication.
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
from patentreach.sources.docdb.exchange_document import record_from_exchange
from patentreach.sources.docdb.exchange_ids import first_text, forms
from patentreach.sources.docdb.exchange_parties import OPS_FORMS
from patentreach.sources.docdb.exchange_priorities import priorities
from patentreach.sources.uspto_common.ice_v4 import earliest_priority, text

SKIP_REASONS = {
    "legal": "OPS legal-event family member without legal events (nothing to store: its "
    "publication comes from a bibliographic response)",
    "inquiry-result": "OPS published-equivalents result: epodoc number only, no kind code or "
    "publication date to make a publication of",
    "publication-reference": "OPS search hit without bibliographic data: no publication date",
    "register-document": "EP Register document (reg: namespace): register data, not a publication record",
}


def _date(raw: str | None, field: str, problems: list[str]) -> date | None:
    try:
        return parse_yyyymmdd(raw)
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def record_from_member(
    member: etree._Element,
    source_format: str,
    reader_version: str,
    source_file: str,
    index: int,
) -> tuple[PatentRecord | None, list[str]]:
    family_id = member.get("family-id")
    claims = member.findall("priority-claim")
    document = member.find("exchange-document")
    if document is not None:
        return record_from_exchange(
            document,
            OPS_FORMS,
            source_format,
            reader_version,
            source_file,
            index,
            family_id=family_id,
            extra_claims=claims,
        )
    problems: list[str] = []
    pub = forms(member.findall("publication-reference"))
    office = (first_text(pub, "country", ("docdb",)) or "").upper()
    number = first_text(pub, "doc-number", ("docdb",))
    kind = (first_text(pub, "kind", ("docdb",)) or "").upper()
    raw_date = first_text(pub, "date", ("docdb", "epodoc"))
    pub_date = _date(raw_date, "publication-reference date", problems)
    for value, field in ((office, "country"), (number, "doc-number"), (kind, "kind"), (raw_date, "date")):
        if not value:
            problems.append(f"family-member publication-reference {field}: missing")
    app = forms(member.findall("application-reference"))
    application_date = _date(first_text(app, "date", ("docdb", "epodoc")), "application-reference date", problems)
    if problems:
        return None, problems
    assert number and pub_date
    pub_id = make_pub_id(office, number, kind)
    own = {f"{(text(app.get('docdb'), 'country') or '').upper()}{text(app.get('docdb'), 'doc-number')}"}
    rows = priorities(claims, pub_id, own, problems)
    if problems:
        return None, problems
    if is_regional(office):
        route = Route.REGIONAL
    elif office != "WO" and any(c.kind == PriorityKind.PCT for c in rows):
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
        earliest_priority_date=earliest_priority(application_date, rows),
        family_id=family_id,
        route=route,
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return PatentRecord(publication, [], [], rows), []
