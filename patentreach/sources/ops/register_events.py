"""An EP Register document (OPS register biblio, ``reg:`` namespace) as ``LegalEvent`` rows.

The register says, with the dates it changed them:

* ``ep-patent-statuses``: the procedure's status ("Examination is in progress", "The patent has
  been granted", "No opposition filed within time limit" ...): one ``REG-STATUS`` event each, its
  change date as the gazette and effective date, the text as printed (the code table matches the
  text);
* ``term-of-grant`` / ``lapsed-in-country``: the states where the granted patent lapsed, with the
  lapse date; the register keeps one block per change, so each state is taken from the newest
  block, known since the oldest block that lists it (``REG-LAPSED``, lapse country and date);
* ``designation-of-states``: the newest list of designated states (``REG-DESIGNATED``), so that
  a state without any event is shown as such rather than left out;
* ``opposition-not-filed``: ``REG-NO-OPPOSITION`` with its date.

The application is the register's ``application-reference`` (EP + number, filing date); ids are
``register:EP<number>:<kind>:<n>``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lxml import etree

from patentreach.model.legal_events import LegalEvent
from patentreach.sources.dates import BadDate, parse_yyyymmdd

REG = "{http://www.epo.org/register}"
SOURCE_FORMAT = "epo-ops-xml"


def _date(raw: str | None) -> date | None:
    try:
        return parse_yyyymmdd(raw)
    except BadDate:
        return None


def _text(node: etree._Element | None, path: str) -> str | None:
    if node is None:
        return None
    value = node.findtext(path)
    return " ".join(value.split()) if value else None


def register_application(document: etree._Element) -> tuple[str, str, date | None]:
    ref = document.find(f".//{REG}application-reference/{REG}document-id")
    return ((_text(ref, f"{REG}country") or "EP").upper(), _text(ref, f"{REG}doc-number") or "",
            _date(_text(ref, f"{REG}date")))


def events_of_register_document(
    document: etree._Element, source_file: str, index: int, reader_version: str = ""
) -> list[LegalEvent]:
    office, number, _ = register_application(document)
    events: list[LegalEvent] = []

    def add(kind: str, code: str, when: date | None, **fields: object) -> None:
        events.append(LegalEvent(
            event_id=f"register:{office}{number}:{kind}:{len(events) + 1}", office=office,
            application_number=number, family_id=None, sequence=len(events) + 1, event_authority=office,
            event_code=code, event_publication_date=when, source_format=SOURCE_FORMAT, source_file=source_file,
            record_index=index, reader_version=reader_version, **fields,  # type: ignore[arg-type]
        ))

    for status in document.iter(f"{REG}ep-patent-status"):
        changed = _date(status.get("change-date"))
        add("status", "REG-STATUS", changed, effective_date=changed, text=" ".join((status.text or "").split()))
    designations = sorted(document.iter(f"{REG}designation-of-states"), key=lambda d: d.get("change-date") or "")
    if designations:
        newest = designations[-1]
        states = [c.text.strip() for c in newest.iter(f"{REG}country")
                  if c.text and c.getparent() is not None and c.getparent().tag != f"{REG}region"]
        changed = _date(newest.get("change-date"))
        add("designated", "REG-DESIGNATED", changed, effective_date=changed, designated_states=" ".join(states))
    blocks = sorted(document.iter(f"{REG}term-of-grant"), key=lambda b: b.get("change-date") or "")
    first_seen: dict[str, date | None] = {}
    for block in blocks:
        for lapse in block.iter(f"{REG}lapsed-in-country"):
            first_seen.setdefault(_text(lapse, f"{REG}country") or "", _date(block.get("change-date")))
    if blocks:
        for lapse in blocks[-1].iter(f"{REG}lapsed-in-country"):
            country = _text(lapse, f"{REG}country") or ""
            lapsed_on = _date(_text(lapse, f"{REG}date"))
            add("lapse", "REG-LAPSED", first_seen.get(country), effective_date=lapsed_on, lapse_country=country,
                lapse_date=lapsed_on)
    for not_filed in document.iter(f"{REG}opposition-not-filed"):
        when = _date(_text(not_filed, f"{REG}date"))
        add("opposition", "REG-NO-OPPOSITION", when, effective_date=when)
    return events


def register_publications(document: etree._Element) -> list[tuple[str, str, str, date | None]]:
    """(office, number, kind, date) of the publications the register lists."""
    out = []
    for ref in document.iter(f"{REG}publication-reference"):
        doc = ref.find(f"{REG}document-id")
        out.append(((_text(doc, f"{REG}country") or "").upper(), _text(doc, f"{REG}doc-number") or "",
                    (_text(doc, f"{REG}kind") or "").upper(), _date(_text(doc, f"{REG}date"))))
    return out


def register_events(data: bytes, source_file: str, index: int, reader_version: str = "") -> list[LegalEvent]:
    """The events of the register document(s) in one OPS record (its bytes were checked by the
    reader's safe parse already; this parse keeps the ``reg:`` namespace that one drops)."""
    from patentreach.sources.xml_safety import parse_bytes

    root = parse_bytes(data)
    return [event for document in root.iter(f"{REG}register-document")
            for event in events_of_register_document(document, source_file, index, reader_version)]


def read_register_response(path: Path, reader_version: str = "") -> list[tuple[etree._Element, list[LegalEvent]]]:
    """Every register document of an OPS register response with its events."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.parse(str(path), parser).getroot()
    return [(document, events_of_register_document(document, path.name, n, reader_version))
            for n, document in enumerate(root.iter(f"{REG}register-document"))]
