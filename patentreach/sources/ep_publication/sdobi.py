"""The EP bibliography (``SDOBI``, WIPO ST.36 B-tags) of one ``ep-patent-document``, DTD v1.0-1.5.1.

The versions share the B-tags the model needs; they differ in how IPC is printed (v1.0-1.1
``B510``: edition-7 text " 7C 07C  29/44   A" in ``B511`` main / ``B512`` further; later
``B510EP``: fixed-width IPCR text) and in CPC (``B520EP``, v1.5 on). One module reads all versions.

* B110 number, B130 kind, B140 date, B190 office; B210/B220 application; B260 language of the
  publication (the title is the B542 in that language).
* B300 priorities (B310 number, B320 date, B330 country; repeated triples); B861 the PCT
  application of a Euro-PCT filing (``pct``, office WO); B620 ``parent`` ``pdoc`` the parent
  of a divisional (``domestic_continuation``). B620EP lists later divisionals (children), not read.
* B711 applicants (A documents) and B731 proprietors (B documents) are both ``applicant`` rows:
  the proprietor is the applicant to whom the patent was granted, as in DOCDB. B721 inventors.
  B741 representatives and B781 opponents are not parties of the model. Names are printed in
  one ``snm`` ("Yoshihara, Toshiyuki, c/o Canon ..."), without a person/organisation mark:
  inventors are persons, an applicant is a person when also named as an inventor.
  ``iid`` (the EPO's party id) is kept as ``source_entity_id``.
* Every EP publication is ``regional``. B840 designated contracting states, B844EP/B845EP
  extension states and B848EP/B849EP validation states become ``designations``. The language is
  the language of proceedings (B251EP), in which EP documents are published (EPC Art. 14(3)),
  else B260. B4xx dates are not read.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from patentreach.model.records import (
    Classification,
    Designation,
    DesignationKind,
    Party,
    PartyKind,
    PatentRecord,
    Priority,
    PriorityKind,
    Publication,
    Role,
    Route,
    make_pub_id,
    strip_leading_zeros,
)
from patentreach.refdata.countries import normalise_country
from patentreach.refdata.kind_codes import doc_type
from patentreach.refdata.offices import is_regional
from patentreach.sources.dates import BadDate, parse_yyyymmdd
from patentreach.sources.docdb.fixed_width_ipc import parse_fixed_width, parse_old_ipc
from patentreach.sources.docdb.paths import all_at, first_at, text_at
from patentreach.sources.uspto_common.ice_v4 import earliest_priority


def _date(element: etree._Element | None, path: str, field: str, problems: list[str]) -> date | None:
    try:
        return parse_yyyymmdd(text_at(element, path))
    except BadDate as exc:
        problems.append(f"{field}: {exc}")
        return None


def _title(sdobi: etree._Element, language: str | None) -> str | None:
    titles: dict[str, str] = {}
    lang = ""
    block = first_at(sdobi, "B500/B540")
    for element in block if block is not None else []:
        if element.tag == "B541":
            lang = (element.text or "").strip().lower()
        elif element.tag == "B542":
            value = " ".join("".join(element.itertext()).split())
            if value:
                titles.setdefault(lang, value)
    for wanted in (language, "en"):
        if wanted and wanted in titles:
            return titles[wanted]
    return next(iter(titles.values()), None)


def _priorities(sdobi: etree._Element, pub_id: str, problems: list[str]) -> list[Priority]:
    out: list[Priority] = []

    def add(office: str | None, number: str | None, when: date | None, kind: str) -> None:
        out.append(Priority(pub_id, office, number, when, kind, len(out)))

    for block in sdobi.iterfind("B300"):
        number: str | None = None
        when: date | None = None
        for element in block:
            if element.tag == "B310":
                number = " ".join((element.text or "").split()) or None
            elif element.tag == "B320":
                when = _date(element, "date", "B320 priority date", problems)
            elif element.tag == "B330":
                country = (text_at(element, "ctry") or "").upper() or None
                add(country, number, when, PriorityKind.PARIS)
                number, when = None, None
    pct = first_at(sdobi, "B800/B860/B861")
    if pct is not None:
        add("WO", text_at(pct, "dnum/anum"), _date(pct, "date", "B861 PCT filing date", problems), PriorityKind.PCT)
    for parent in all_at(sdobi, "B600/B620/parent/pdoc"):
        add(
            "EP",
            text_at(parent, "dnum/anum"),
            _date(parent, "date", "B620 parent date", problems),
            PriorityKind.DOMESTIC_CONTINUATION,
        )
    return out


def _classifications(sdobi: etree._Element, pub_id: str, problems: list[str]) -> list[Classification]:
    out: list[Classification] = []
    seen: set[tuple[str, str]] = set()

    def add(scheme: str, symbol: str | None, position: str, raw: str | None) -> None:
        if symbol is None:
            problems.append(f"{scheme} classification: {raw!r} is not a symbol")
        elif (scheme, symbol) not in seen:
            seen.add((scheme, symbol))
            out.append(Classification(pub_id, scheme, symbol, position, len(out)))

    for scheme, path in (
        ("IPC", "B500/B510EP/classification-ipcr"),
        ("CPC", "B500/B520EP/classifications-cpc/classification-cpc"),
    ):
        for item in all_at(sdobi, path):
            raw = item.findtext("text")
            parsed = parse_fixed_width(raw)
            if parsed is None:
                add(scheme, None, "additional", raw)
                continue
            first, inventive = parsed.first, parsed.inventive
            position = "first" if first else "inventive" if inventive else "additional"
            add(scheme, parsed.symbol, position, raw)
    old = first_at(sdobi, "B500/B510")
    if old is not None:
        for item in old:
            if item.tag in ("B511", "B512") and item.text and item.text.strip():
                position = "first" if item.tag == "B511" else "additional"
                add("IPC", parse_old_ipc(item.text), position, item.text)
    for scheme in ("IPC", "CPC"):
        rows = [row for row in out if row.scheme == scheme]
        if rows and not any(row.position == "first" for row in rows):
            rows[0].position = "first"  # nothing flagged: the first listed is the main symbol
    return out


def _name(holder: etree._Element) -> str | None:
    surname = " ".join((holder.findtext("snm") or "").split())
    given = " ".join((holder.findtext("fnm") or "").split())
    name = f"{given} {surname}".strip() if given else surname
    return name.rstrip(" ,") or None


def _parties(sdobi: etree._Element, pub_id: str) -> list[Party]:
    inventors = list(all_at(sdobi, "B700/B720/B721"))
    inventor_names = {(_name(h) or "").casefold() for h in inventors}
    out: list[Party] = []
    applicants = list(all_at(sdobi, "B700/B710/B711")) + list(all_at(sdobi, "B700/B730/B731"))
    for role, holders in ((Role.APPLICANT, applicants), (Role.INVENTOR, inventors)):
        for n, holder in enumerate(holders, start=1):
            name = _name(holder)
            if not name:
                continue
            person = role == Role.INVENTOR or name.casefold() in inventor_names
            country_raw = text_at(holder, "adr/ctry")
            out.append(
                Party(
                    pub_id=pub_id,
                    role=role,
                    sequence=n,
                    name=name,
                    kind=PartyKind.PERSON if person else PartyKind.ORGANISATION,
                    city=text_at(holder, "adr/city"),
                    country_raw=country_raw,
                    country=normalise_country(country_raw),
                    address=text_at(holder, "adr/str"),
                    source_entity_id=text_at(holder, "iid"),
                )
            )
    return out


def record_from_sdobi(
    root: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    """Map the root (with its one ``SDOBI`` child) to the canonical record, or list problems."""
    problems: list[str] = []
    sdobi = root.find("SDOBI")
    if sdobi is None:
        return None, ["no SDOBI element"]
    office = (text_at(sdobi, "B100/B190") or root.get("country") or "").upper()
    number = text_at(sdobi, "B100/B110") or root.get("doc-number")
    kind = (text_at(sdobi, "B100/B130") or root.get("kind") or "").upper()
    pub_date = _date(sdobi, "B100/B140/date", "B140 publication date", problems)
    for value, field in ((office, "B190 office"), (number, "B110 number"), (kind, "B130 kind")):
        if not value:
            problems.append(f"{field}: missing")
    if pub_date is None and not any(p.startswith("B140") for p in problems):
        problems.append("B140 publication date: missing")
    application_date = _date(sdobi, "B200/B220/date", "B220 filing date", problems)
    if problems:
        return None, problems
    assert number and pub_date
    pub_id = make_pub_id(office, number, kind)
    claims = _priorities(sdobi, pub_id, problems)
    classes = _classifications(sdobi, pub_id, problems)
    if problems:
        return None, problems
    language = (text_at(sdobi, "B200/B251EP") or text_at(sdobi, "B200/B260") or root.get("lang") or "").lower() or None
    publication = Publication(
        pub_id=pub_id,
        office=office,
        number=strip_leading_zeros(number),
        kind=kind,
        doc_type=doc_type(office, kind, pub_date),
        pub_date=pub_date,
        application_number=text_at(sdobi, "B200/B210"),
        application_date=application_date,
        earliest_priority_date=earliest_priority(application_date, claims),
        family_id=None,
        route=Route.REGIONAL if is_regional(office) else Route.DIRECT,
        title=_title(sdobi, language),
        language=language,
        source_format=source_format,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
    return PatentRecord(publication, _parties(sdobi, pub_id), classes, claims, _designations(sdobi, pub_id)), []


_DESIGNATION_PATHS = (
    ("B800/B840/ctry", DesignationKind.DESIGNATED),
    ("B800/B844EP/B845EP/ctry", DesignationKind.EXTENSION),
    ("B800/B848EP/B849EP/ctry", DesignationKind.VALIDATION),
)


def _designations(sdobi: etree._Element, pub_id: str) -> list[Designation]:
    """Designated, extension and validation states, in printed order."""
    out: list[Designation] = []
    for path, kind in _DESIGNATION_PATHS:
        for ctry in all_at(sdobi, path):
            code = (ctry.text or "").strip().upper()
            if code:
                out.append(Designation(pub_id, code, kind, len(out)))
    return out
