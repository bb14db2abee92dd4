"""A legacy ``patent.tsv`` row to a publication.

The legacy table has the grant's number, kind, date and title but no application, party or
classification columns (those were separate legacy tables, not in the samples), so the record
holds the publication row only.
"""

from __future__ import annotations

from patentreach.model.records import PatentRecord, Publication, Route, make_pub_id
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources.dates import BadDate, parse_iso_date


def record_from_legacy(
    row: dict[str, str], source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    problems: list[str] = []
    number = (row.get("number") or row.get("id") or "").strip()
    kind = (row.get("kind") or "").strip().upper()
    office = (row.get("country") or "US").strip().upper()
    if not number:
        problems.append("number: missing")
    if not kind:
        problems.append("kind: missing")
    try:
        pub_date = parse_iso_date(row.get("date"))
        if pub_date is None:
            problems.append("date: missing")
    except BadDate as exc:
        pub_date = None
        problems.append(f"date: {exc}")
    if problems:
        return None, problems
    assert pub_date is not None
    pub_id = make_pub_id(office, number, kind)
    publication = Publication(
        pub_id=pub_id,
        office=office,
        number=pub_id.split("-")[1],
        kind=kind,
        doc_type=doc_type(office, kind, pub_date),
        pub_date=pub_date,
        route=Route.DIRECT,
        title=" ".join((row.get("title") or "").split()) or None,
        language="en",
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return PatentRecord(publication), []
