"""Priority claims of an exchange document, one row per claimed application.

DOCDB prints each claim once per form under one ``sequence`` (``data-format="docdb"``, then
``epodoc``, then ``original``); OPS prints the forms side by side in one ``priority-claim``, and
in bibliographic responses often only ``epodoc`` ("US20020396363P") plus ``original``. The
``docdb`` form is used where present: office = country, number as printed, date. From ``epodoc``
the office is the first two letters and the number is the ``original`` form if given.

A PCT application is printed as DOCDB kind ``W`` (``US 9816128 W`` is PCT/US98/16128) or as an
epodoc ``WO...`` number: it becomes a ``pct`` row with office ``WO`` and the number as DOCDB
prints it (``US9816128``), which is also how EP publications print it. DOCDB lists the
document's own application among its priorities when nothing else is claimed; that is not a
priority claim (the application is its own priority) and is left out. Every other claim is a
``paris`` row: DOCDB linkage types for continuations and divisions are not mapped yet.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from patentreach.model.records import Priority, PriorityKind
from patentreach.sources.dates import BadDate, parse_yyyymmdd
from patentreach.sources.docdb.exchange_ids import forms
from patentreach.sources.uspto_common.ice_v4 import text


def _claims_by_sequence(
    claims: list[etree._Element],
) -> list[tuple[dict[str, etree._Element], str | None]]:
    """Per claimed sequence: its document-id forms and its docdb priority-linkage-type."""
    grouped: dict[str, dict[str, etree._Element]] = {}
    linkage: dict[str, str] = {}
    for position, claim in enumerate(claims):
        sequence = claim.get("sequence") or str(position)
        for form, document_id in forms([claim]).items():
            grouped.setdefault(sequence, {}).setdefault(form, document_id)
        link = text(claim, "priority-linkage-type")
        if link and claim.get("data-format", "docdb") == "docdb":
            linkage[sequence] = link
    return [(ids, linkage.get(sequence)) for sequence, ids in grouped.items()]


def _date(element: etree._Element | None, problems: list[str]) -> date | None:
    try:
        return parse_yyyymmdd(text(element, "date"))
    except BadDate as exc:
        problems.append(f"priority-claim date: {exc}")
        return None


def priorities(
    claims: list[etree._Element],
    pub_id: str,
    own_application: set[str],
    problems: list[str],
) -> list[Priority]:
    """Rows for ``claims`` (``priority-claim`` elements); ``own_application`` holds the
    document's application number as ``CCNUMBER`` in docdb and epodoc form, to leave it out."""
    out: list[Priority] = []
    for ids, linkage in _claims_by_sequence(claims):
        docdb, epodoc, original = ids.get("docdb"), ids.get("epodoc"), ids.get("original")
        if docdb is not None:
            country = (text(docdb, "country") or "").upper()
            number = text(docdb, "doc-number")
            if f"{country}{number}" in own_application:
                continue
            is_pct = text(docdb, "kind") == "W" or linkage == "W"
            office: str | None = "WO" if is_pct else (country or None)
            if is_pct and number and not number.startswith(country):
                number = f"{country}{number}"
            claim_date = _date(docdb, problems)
        elif epodoc is not None:
            printed = text(epodoc, "doc-number") or ""
            if printed in own_application:
                continue
            office = printed[:2].upper() or None
            is_pct = office == "WO"
            number = text(original, "doc-number") or printed[2:] or None
            claim_date = _date(epodoc, problems)
        else:
            continue
        out.append(
            Priority(
                pub_id=pub_id,
                office=office,
                number=number,
                date=claim_date,
                kind=PriorityKind.PCT if is_pct else PriorityKind.PARIS,
                sequence=len(out),
            )
        )
    return out
