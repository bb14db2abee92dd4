"""The ICE v4.x bibliographic structures shared by USPTO grants (ipg/ipgb) and applications
(ipa): document ids, parties, classifications, priority claims, PCT and related filings.

Everything is collected into ``problems`` instead of raising, so a quarantined record lists all
of its faults at once.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator
from datetime import date

from lxml import etree

from patentreach.model.ipc import from_parts, normalise_ipc
from patentreach.model.records import (
    Classification,
    Party,
    PartyKind,
    Priority,
    PriorityKind,
    Role,
)
from patentreach.refdata.countries import normalise_country
from patentreach.sources.dates import BadDate, parse_yyyymmdd


def text(element: etree._Element | None, path: str) -> str | None:
    """Stripped text at ``path`` (None if absent or blank), as ``element.findtext(path)``."""
    if element is None:
        return None
    if "/" in path:
        found = first(element, path)
        value = None if found is None else (found.text or "")
    else:
        value = element.findtext(path)
    return _clean(value)


def _clean(value: str | None) -> str | None:
    """Text stripped, inner runs of white space squeezed; None if blank."""
    if not value:
        return None
    squeeze = "\n" in value or "  " in value or "\t" in value
    value = " ".join(value.split()) if squeeze else value.strip()
    return value or None


def each(element: etree._Element, path: str) -> Iterator[etree._Element]:
    """The elements ``element.iterfind(path)`` yields, in the same order, found with C child
    lookups step by step when the path is plain tag names (``a/b/c``): ElementPath's Python
    generators were a fifth of the time spent mapping a grant. Each step's matches are
    collected into a list (no generator per step): children in document order under parents
    in document order is the order ElementPath yields them in."""
    steps = _steps(path)
    if not steps:
        return element.iterfind(path)
    found = [element]
    if isinstance(element, ElementTree.Element):
        for step in steps:
            found = [child for parent in found for child in parent.findall(step)]
    else:
        for step in steps:
            found = [child for parent in found for child in parent.iterchildren(step)]
    return iter(found)


def first(element: etree._Element, path: str) -> etree._Element | None:
    """The first element at ``path`` (as ``element.find(path)``): the first ``b`` of the first
    ``a`` that has one, for ``a/b``; each step is one C ``find`` or ``findall``."""
    steps = _steps(path)
    if not steps:
        return element.find(path)
    return _first(element, steps, 0)


def _first(element: etree._Element, steps: tuple[str, ...], at: int) -> etree._Element | None:
    if at == len(steps) - 1:
        return element.find(steps[at])
    for child in element.findall(steps[at]):
        found = _first(child, steps, at + 1)
        if found is not None:
            return found
    return None


_STEPS: dict[str, tuple[str, ...]] = {}
_NOT_PLAIN = frozenset("*.@[]()=:'\"{}")


def _steps(path: str) -> tuple[str, ...]:
    steps = _STEPS.get(path)
    if steps is None:
        steps = _STEPS[path] = _plain_steps(path)
    return steps


def _plain_steps(path: str) -> tuple[str, ...]:
    """The tag names of a path like ``a/b/c``; empty when the path needs ElementPath."""
    steps = tuple(path.split("/"))
    return () if any(not step or _NOT_PLAIN.intersection(step) for step in steps) else steps


def date_at(element: etree._Element | None, path: str, field: str, problems: list[str]) -> date | None:
    try:
        return parse_yyyymmdd(text(element, path))
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


# --- parties ----------------------------------------------------------------------------------


def party_from_addressbook(
    holder: etree._Element, pub_id: str, role: str, sequence: int
) -> Party | None:
    """A Party from an element holding an ``addressbook`` (and maybe ``residence``).

    Flat on purpose (a grant has a dozen parties, each a dozen fields): the address book's and
    the address's children are each walked once into a dict of first elements by tag, and every
    field is read from those dicts; no path is searched."""
    book = holder.find("addressbook")
    if book is None:
        return None
    fields = _first_texts(book)
    orgname = _clean(fields.get("orgname"))
    if orgname:
        name, kind = orgname, PartyKind.ORGANISATION
    else:
        first, last = _clean(fields.get("first-name")), _clean(fields.get("last-name"))
        name = f"{first} {last}" if first and last else first or last or ""
        kind = PartyKind.PERSON
    if not name:
        return None
    address_element = book.find("address")
    if address_element is None:
        city = state = country_raw = street = None
    else:
        address = _first_texts(address_element)
        city = _clean(address.get("city"))
        state = _clean(address.get("state"))
        country_raw = _clean(address.get("country"))
        street = " ".join(
            p for p in (_clean(address.get("address-1")), _clean(address.get("street")),
                        _clean(address.get("postcode")))
            if p
        ) if "address-1" in address or "street" in address or "postcode" in address else None
    if not country_raw:
        residence = holder.find("residence")
        country_raw = None if residence is None else _clean(residence.findtext("country"))
    country = normalise_country(country_raw)
    if country is None and state and not country_raw:
        # USPTO prints a US address as city and state with no country element.
        country = "US"
    return Party(
        pub_id=pub_id,
        role=role,
        sequence=sequence,
        name=name,
        kind=kind,
        city=city,
        state=state,
        country_raw=country_raw,
        country=country,
        address=street or None,
        source_type_code=_role_code(_clean(fields.get("role"))),
    )


def _first_texts(element: etree._Element) -> dict[str, str | None]:
    """Each child tag's first element's text (``findtext(tag)`` before cleaning; None for a
    child with no text, where ``findtext`` gives ""), from one pass over the children."""
    return {child.tag: child.text for child in reversed(element)}


def _role_code(code: str | None) -> str | None:
    """USPTO assignee type (``<role>02</role>``); the code list PatentsView's ``type`` uses."""
    return code.lstrip("0") or code if code else None


# (section, group) -> (position in the printed order, member tag): where ``parties`` finds them.
_PARTY_GROUPS = {
    ("parties", "applicants"): (0, "applicant"),
    ("us-parties", "us-applicants"): (1, "us-applicant"),
    ("parties", "inventors"): (2, "inventor"),
    ("us-parties", "inventors"): (3, "inventor"),
}


def parties(biblio: etree._Element, pub_id: str) -> list[Party]:
    """Applicants, inventors and assignees, in printed order, numbered 1, 2, ... within a role.

    v4.0-4.2 list inventors only as ``applicant app-type="applicant-inventor"`` under ``parties``:
    such an applicant is both an applicant and an inventor and yields one row for each role.
    v4.3+ (``us-parties``) list every inventor under ``inventors`` as well, so there an
    applicant-inventor yields only its applicant row (no inventor is counted twice).

    The bibliographic element's children are walked once, and the party sections' children
    once, sorting the members into the groups of ``_PARTY_GROUPS`` and the assignees (the same
    elements, in the same order, as ``iterfind`` of each path)."""
    groups: tuple[list, list, list, list, list] = ([], [], [], [], [])
    for section in biblio:
        tag = section.tag
        if tag == "parties" or tag == "us-parties":
            for group in section:
                found = _PARTY_GROUPS.get((tag, group.tag))
                if found is not None:
                    groups[found[0]].extend(group.findall(found[1]))
        elif tag == "assignees":
            groups[4].extend(section.findall("assignee"))
    out: list[Party] = []
    for n, applicant in enumerate(groups[0], start=1):
        out.extend(_applicant_rows(applicant, pub_id, n, inventors_listed_apart=False))
    for n, applicant in enumerate(groups[1], start=1):
        out.extend(_applicant_rows(applicant, pub_id, n, inventors_listed_apart=True))
    for inventors in (groups[2], groups[3]):
        for n, inventor in enumerate(inventors, start=1):
            party = party_from_addressbook(inventor, pub_id, Role.INVENTOR, n)
            if party:
                out.append(party)
    for n, assignee in enumerate(groups[4], start=1):
        party = party_from_addressbook(assignee, pub_id, Role.ASSIGNEE, n)
        if party is None:
            # Older files put orgname directly under assignee.
            orgname = text(assignee, "orgname")
            if orgname:
                party = Party(pub_id, Role.ASSIGNEE, n, orgname, PartyKind.ORGANISATION)
        if party:
            out.append(party)
    return out


def _applicant_rows(
    applicant: etree._Element, pub_id: str, n: int, inventors_listed_apart: bool
) -> Iterable[Party]:
    party = party_from_addressbook(applicant, pub_id, Role.APPLICANT, n)
    if party is None:
        return []
    rows = [party]
    if not inventors_listed_apart and "inventor" in (applicant.get("app-type") or ""):
        # The same address book read again as an inventor: the same fields in another role.
        rows.append(Party(
            party.pub_id, Role.INVENTOR, party.sequence, party.name, party.kind, party.city, party.state,
            party.country_raw, party.country, party.address, party.source_entity_id, party.source_type_code,
        ))
    return rows


# --- classifications --------------------------------------------------------------------------


def _ipcr_position(item: etree._Element, first_seen: bool) -> str:
    symbol_position = text(item, "symbol-position")
    if symbol_position == "F" or (symbol_position is None and not first_seen):
        return "first"
    return "inventive" if text(item, "classification-value") == "I" else "additional"


_SYMBOL_PARTS = ("section", "class", "subclass", "main-group", "subgroup")


def _symbol_parts(item: etree._Element) -> list[str]:
    """The five parts of an IPC/CPC symbol element (``text`` of each child, "" when absent)."""
    findtext = item.findtext
    return [_clean(findtext(tag)) or "" for tag in _SYMBOL_PARTS]


def classifications(biblio: etree._Element, pub_id: str, problems: list[str]) -> list[Classification]:
    out: list[Classification] = []

    def add(scheme: str, symbol: str | None, position: str, raw: str | None) -> None:
        if symbol is None:
            problems.append(f"{scheme} classification: {raw!r} is not a symbol")
            return
        out.append(Classification(pub_id, scheme, symbol, position, len(out)))

    # IPC reformed (ICE v4.1+): one element per component.
    for n, item in enumerate(each(biblio, "classifications-ipcr/classification-ipcr")):
        parts = _symbol_parts(item)
        symbol = from_parts(*parts) if all(parts[:4]) else None
        add("IPC", symbol, _ipcr_position(item, n > 0), "".join(parts))
    # IPC up to edition 7 (v4.0): fixed-width text.
    for ipc in biblio.findall("classification-ipc"):
        main = ipc.findtext("main-classification")
        if main and main.strip():
            add("IPC", normalise_ipc(main), "first", main)
        for further in ipc.findall("further-classification"):
            if further.text and further.text.strip():
                add("IPC", normalise_ipc(further.text), "additional", further.text)
    # CPC (v4.3+).
    for path, main in (("classifications-cpc/main-cpc/classification-cpc", True),
                       ("classifications-cpc/further-cpc/classification-cpc", False)):
        for item in each(biblio, path):
            parts = _symbol_parts(item)
            symbol = from_parts(*parts) if all(parts[:4]) else None
            position = "first" if main else (
                "inventive" if text(item, "classification-value") == "I" else "additional"
            )
            add("CPC", symbol, position, "".join(parts))
    # US national classification (USPC), kept as printed (spaces squeezed).
    national = biblio.find("classification-national")
    if national is not None:
        for tag, position in (("main-classification", "first"), ("further-classification", "additional")):
            for item in national.findall(tag):
                if item.text and item.text.strip():
                    symbol = " ".join(item.text.split())
                    out.append(Classification(pub_id, "national", symbol, position, len(out)))
    return out


# --- priorities and filings -------------------------------------------------------------------


def priorities(biblio: etree._Element, pub_id: str, problems: list[str]) -> list[Priority]:
    """Paris priority claims, the PCT filing (371 national phase) and domestic parents."""
    out: list[Priority] = []
    for claim in each(biblio, "priority-claims/priority-claim"):
        out.append(
            Priority(
                pub_id=pub_id,
                office=normalise_office(text(claim, "country")),
                number=text(claim, "doc-number"),
                date=date_at(claim, "date", "priority-claim date", problems),
                kind=PriorityKind.PARIS,
                sequence=len(out),
            )
        )
    pct = first(biblio, "pct-or-regional-filing-data/document-id")
    if pct is not None:
        out.append(
            Priority(
                pub_id=pub_id,
                office=normalise_office(text(pct, "country")),
                number=text(pct, "doc-number"),
                date=date_at(pct, "date", "pct-or-regional-filing-data date", problems),
                kind=PriorityKind.PCT,
                sequence=len(out),
            )
        )
    related = biblio.find("us-related-documents")
    if related is not None:
        for parent in related.iterfind(".//parent-doc/document-id"):
            out.append(
                Priority(
                    pub_id=pub_id,
                    office=normalise_office(text(parent, "country")),
                    number=text(parent, "doc-number"),
                    date=date_at(parent, "date", "us-related-documents parent date", problems),
                    kind=PriorityKind.DOMESTIC_CONTINUATION,
                    sequence=len(out),
                )
            )
        for provisional in each(related, "us-provisional-application/document-id"):
            out.append(
                Priority(
                    pub_id=pub_id,
                    office=normalise_office(text(provisional, "country")),
                    number=text(provisional, "doc-number"),
                    date=date_at(provisional, "date", "us-provisional-application date", problems),
                    kind=PriorityKind.DOMESTIC_CONTINUATION,
                    sequence=len(out),
                )
            )
    return out


def normalise_office(code: str | None) -> str | None:
    return code.strip().upper() if code and code.strip() else None


def earliest_priority(application_date: date | None, claims: list[Priority]) -> date | None:
    """The earliest of the priority, PCT and parent dates and the application's own filing date:
    an application claiming nothing is its own priority (OECD Patent Statistics Manual)."""
    dates = [p.date for p in claims if p.date is not None]
    if application_date is not None:
        dates.append(application_date)
    return min(dates) if dates else None
