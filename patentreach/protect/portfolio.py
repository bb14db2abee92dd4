"""An enterprise's patent portfolio: families, and per office the applications and grants.

One ``Family`` is one invention with its earliest priority date, its PCT application if any and
its IPC symbols; one ``Filing`` is the family's application (or patent) at one office, with its
route, status and dates. Protection is decided from these alone, so a portfolio read from a file
and one derived from the warehouse (``entity_portfolio``) are treated the same way.

Validations of a regional patent are carried explicitly: on the regional office's row as a list
(``validations``: the states where an EP/EA/AP grant was validated or maintained; ``unitary_effect``
for an EP), or as separate rows for the states with route ``ep`` / ``regional`` (the national
part of the regional patent). The warehouse has no designated-states table yet, so nothing is
inferred about them.

The portfolio file (CSV or XLSX, one row per family and office) has these columns; see
``docs/protect.md`` for the full description:

    family, priority_date, office, status                      required
    application_number, application_date, route, grant_date,
    pct_number, pct_date, pct_chapter, priority_office,
    validations, unitary_effect, ipc, title, owner,
    lapsed_on, expiry                                          optional (legal status)

``status`` may also say why a right is dead (``withdrawn``, ``refused``, ``revoked``,
``expired``): such a row, a ``lapsed`` row with its ``lapsed_on`` date, and a row with a known
``expiry`` carry a ``RightStatus`` (``Filing.legal``), exactly like the statuses the legal-status
engine gives a warehouse entity, so coverage treats both the same way (``legal_status``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from patentreach.legal.status_model import EXPIRED, IN_FORCE, LAPSED, PENDING, REFUSED, REVOKED, WITHDRAWN, RightStatus
from patentreach.model.ipc import normalise_ipc
from patentreach.protect.input_tables import (
    InputRow,
    Problems,
    check_columns,
    parse_choice,
    parse_date,
    read_rows,
    split_codes,
    split_families,
)
from patentreach.refdata.countries import countries
from patentreach.refdata.offices import office as office_info

REGIONAL_OFFICES = ("EP", "EA", "AP", "OA", "GC")
ROUTES = {"direct": "direct", "paris": "direct", "national": "direct", "pct": "pct", "ep": "ep",
          "regional": "regional", "euro-pct": "pct"}
STATUSES = {"pending": "pending", "granted": "granted", "lapsed": "lapsed", "withdrawn": "withdrawn",
            "refused": "refused", "revoked": "revoked", "expired": "expired"}
DEAD = {"lapsed": LAPSED, "withdrawn": WITHDRAWN, "refused": REFUSED, "revoked": REVOKED, "expired": EXPIRED}
CHAPTERS = {"i": "I", "1": "I", "ii": "II", "2": "II"}
YES_NO = {"yes": "yes", "y": "yes", "true": "yes", "1": "yes", "no": "no", "n": "no", "false": "no", "0": "no"}

REQUIRED = ("family", "priority_date", "office", "status")
OPTIONAL = (
    "owner", "application_number", "application_date", "route", "grant_date", "pct_number", "pct_date",
    "pct_chapter", "priority_office", "validations", "unitary_effect", "ipc", "title", "lapsed_on", "expiry",
)
STATUS_COLUMNS = ("lapsed_on", "expiry")
FAMILY_FIELDS = ("priority_date", "pct_number", "pct_date", "pct_chapter", "priority_office", "title")


@dataclass(frozen=True, slots=True)
class Filing:
    """A family's application or patent at one office."""

    family: str
    office: str  # ST.3: a country code, or EP / EA / AP / OA / GC
    route: str  # direct | pct | ep | regional (ep/regional on a country: national part of a regional patent)
    status: str  # pending | granted | lapsed (withdrawn, refused, revoked, expired read as lapsed)
    application_number: str | None = None
    application_date: date | None = None
    grant_date: date | None = None
    validations: tuple[str, ...] = ()
    unitary_effect: bool = False
    origin: str = ""  # where the row came from: "portfolio.csv row 4", "warehouse EP-1019261-B1"
    validations_known: bool = True  # False when derived from the warehouse (no designations table)
    legal: RightStatus | None = None  # the right's legal status (file columns or the status engine)
    state_legal: tuple[RightStatus, ...] = ()  # per validated state of a regional patent (via EP)
    legal_checked: bool = False  # statuses were looked up for this filing (None found when legal is None)

    @property
    def is_regional(self) -> bool:
        return self.office in REGIONAL_OFFICES


@dataclass(frozen=True, slots=True)
class Family:
    family: str
    priority_date: date
    filings: tuple[Filing, ...] = ()
    pct_number: str | None = None
    pct_date: date | None = None
    pct_chapter: str = "I"
    priority_office: str | None = None
    ipc: tuple[str, ...] = ()
    title: str | None = None

    def filings_at(self, office: str) -> list[Filing]:
        return [filing for filing in self.filings if filing.office == office]

    @property
    def home_office(self) -> str | None:
        """The office of the first filing: given, else the filing dated on the priority date."""
        if self.priority_office:
            return self.priority_office
        for filing in self.filings:
            if filing.application_date == self.priority_date and filing.route == "direct":
                return filing.office
        return None


@dataclass(frozen=True, slots=True)
class Portfolio:
    owner: str  # the file name, or the warehouse entity
    families: dict[str, Family]
    source: str  # "file portfolio.csv" or "warehouse entity E123 (/path)"
    warnings: tuple[str, ...] = field(default=())
    publications: tuple[str, ...] = ()  # the warehouse pub_ids behind it (not third-party risk)
    status_source: str = ""  # where legal status came from; "" = none (grants assumed in force)
    entity_warehouse: object | None = None  # the Warehouse of an entity portfolio (for its statuses)


def read_portfolio(path: Path) -> Portfolio:
    """A validated portfolio from a CSV/XLSX file; every problem is reported at once (``InputError``)."""
    columns, rows = read_rows(path)
    problems = Problems(path)
    check_columns(problems, columns, REQUIRED, (*REQUIRED, *OPTIONAL))
    problems.raise_if_any()
    owners = {row.get("owner").strip() for row in rows if row.get("owner").strip()}
    if len(owners) > 1:
        problems.add(None, "owner", f"one owner per portfolio file, found {sorted(owners)}")
    families: dict[str, dict[str, tuple[object, int]]] = {}
    filings: dict[str, list[Filing]] = {}
    ipcs: dict[str, list[str]] = {}
    pct_rows: dict[str, list[int]] = {}
    wo_families: set[str] = set()
    for row in rows:
        _overflow(problems, row)
        family = row.get("family").strip()
        if not family:
            problems.add(row.number, "family", "a family id is required")
            continue
        fields = _family_fields(problems, row)
        _merge_family(problems, families.setdefault(family, {}), fields, row.number)
        ipcs.setdefault(family, []).extend(_ipc_symbols(problems, row))
        filing = _filing(problems, row, family, fields, path.name)
        if filing is not None:
            filings.setdefault(family, []).append(filing)
        if row.get("route").strip().lower() in ("pct", "euro-pct"):
            pct_rows.setdefault(family, []).append(row.number)
        if row.get("office").strip().upper() == "WO" and row.get("application_date"):
            wo_families.add(family)
    for family, numbers in pct_rows.items():
        if "pct_date" not in families.get(family, {}) and family not in wo_families:
            for number in numbers:
                problems.add(number, "pct_date",
                             "route pct needs the family's PCT filing date (pct_date, or a row with office WO)")
    problems.raise_if_any()
    result = {}
    for family, fields in families.items():
        values = {name: value for name, (value, _) in fields.items()}
        _pct_from_wo_row(values, filings.get(family, []))
        result[family] = Family(
            family=family,
            priority_date=values["priority_date"],  # type: ignore[arg-type]
            filings=tuple(filings.get(family, ())),
            pct_number=values.get("pct_number"),  # type: ignore[arg-type]
            pct_date=values.get("pct_date"),  # type: ignore[arg-type]
            pct_chapter=values.get("pct_chapter") or "I",  # type: ignore[arg-type]
            priority_office=values.get("priority_office"),  # type: ignore[arg-type]
            ipc=tuple(dict.fromkeys(ipcs.get(family, []))),
            title=values.get("title"),  # type: ignore[arg-type]
        )
    with_status = any(column in columns for column in STATUS_COLUMNS)
    return Portfolio(
        owner=owners.pop() if owners else path.stem,
        families=result,
        source=f"file {path.name}",
        warnings=tuple(problems.warnings),
        status_source=f"status columns of {path.name}" if with_status else "",
    )


def _pct_from_wo_row(values: dict[str, object], filings: list[Filing]) -> None:
    """A row with office WO is the family's PCT application: it gives the PCT number and date."""
    for filing in filings:
        if filing.office == "WO":
            if values.get("pct_date") is None:
                values["pct_date"] = filing.application_date
            if values.get("pct_number") is None:
                values["pct_number"] = filing.application_number


def _overflow(problems: Problems, row: InputRow) -> None:
    if row.values.get("__overflow__"):
        problems.add(row.number, None, f"more cells than header columns: {row.values['__overflow__']!r}")


def _family_fields(problems: Problems, row: InputRow) -> dict[str, object]:
    fields: dict[str, object] = {
        "priority_date": parse_date(problems, row, "priority_date", required=True),
        "pct_date": parse_date(problems, row, "pct_date"),
        "pct_number": row.get("pct_number") or None,
        "title": row.get("title") or None,
    }
    if row.get("pct_chapter"):
        fields["pct_chapter"] = parse_choice(problems, row, "pct_chapter", CHAPTERS, default="I")
    if row.get("priority_office"):
        code = row.get("priority_office").strip().upper()
        if office_info(code) is None:
            problems.add(row.number, "priority_office", f"{code!r} is not a WIPO ST.3 office code")
        fields["priority_office"] = code
    priority, pct = fields["priority_date"], fields["pct_date"]
    if isinstance(priority, date) and isinstance(pct, date) and pct < priority:
        problems.add(row.number, "pct_date", f"{pct} is before the priority date {priority}")
    return {name: value for name, value in fields.items() if value is not None}


def _merge_family(
    problems: Problems, known: dict[str, tuple[object, int]], fields: dict[str, object], row: int
) -> None:
    """Family-level values may be repeated on each row of the family, but must then agree."""
    for name, value in fields.items():
        if name in known and known[name][0] != value:
            first, first_row = known[name]
            problems.add(row, name, f"{value} differs from {first} given for this family on row {first_row}")
        else:
            known.setdefault(name, (value, row))


def _ipc_symbols(problems: Problems, row: InputRow) -> list[str]:
    symbols = []
    for text in split_families(row.get("ipc")):
        symbol = normalise_ipc(text)
        if symbol is None:
            problems.add(row.number, "ipc", f"{text!r} is not an IPC symbol (e.g. F04D 15/00 or F04D)")
        else:
            symbols.append(symbol)
    return symbols


def _filing(problems: Problems, row: InputRow, family: str, fields: dict[str, object], filename: str) -> Filing | None:
    code = row.get("office").strip().upper()
    before = len(problems.messages)
    if not code:
        problems.add(row.number, "office", "an office code is required (e.g. US, EP, CN)")
    elif office_info(code) is None:
        problems.add(row.number, "office", f"{code!r} is not a WIPO ST.3 office code")
    route = parse_choice(problems, row, "route", ROUTES, default="direct") or "direct"
    word = parse_choice(problems, row, "status", STATUSES)
    status = "lapsed" if word in DEAD else word
    application_date = parse_date(problems, row, "application_date")
    grant_date = parse_date(problems, row, "grant_date")
    lapsed_on = parse_date(problems, row, "lapsed_on")
    expiry = parse_date(problems, row, "expiry")
    if lapsed_on is not None and word not in DEAD:
        problems.add(row.number, "lapsed_on", f"a lapse date is given but status is {word}")
    regional = code in REGIONAL_OFFICES
    if regional and route in ("ep", "regional"):
        route = "direct"  # a regional office's own application filed directly there
    if route == "ep" and not regional and code and code not in countries():
        problems.add(row.number, "route", f"route ep is for a country's part of a European patent, not office {code}")
    if status == "granted" and grant_date is None:
        problems.add(row.number, "grant_date", "status granted needs the grant date")
    if status == "pending" and grant_date is not None:
        problems.add(row.number, "grant_date", "a grant date is given but status is pending")
    priority = fields.get("priority_date")
    if isinstance(priority, date) and application_date is not None and application_date < priority:
        problems.add(row.number, "application_date", f"{application_date} is before the priority date {priority}")
    if application_date is not None and grant_date is not None and grant_date < application_date:
        problems.add(row.number, "grant_date", f"{grant_date} is before the application date {application_date}")
    validations = split_codes(row.get("validations"))
    if validations and not regional:
        problems.add(row.number, "validations",
                     f"validations belong on a regional office's row (EP, EA, AP, OA, GC), not {code}")
    for state in validations:
        if state not in countries():
            problems.add(row.number, "validations", f"{state!r} is not an ISO 3166 country code")
    unitary = parse_choice(problems, row, "unitary_effect", YES_NO, default="no") == "yes"
    if unitary and code != "EP":
        problems.add(row.number, "unitary_effect", "unitary effect exists only for a European patent (office EP)")
    if len(problems.messages) > before or status is None:
        return None
    return Filing(
        family=family,
        office=code,
        route=route,
        status=status,
        application_number=row.get("application_number") or None,
        application_date=application_date,
        grant_date=grant_date,
        validations=tuple(validations),
        unitary_effect=unitary,
        origin=f"{filename} row {row.number}",
        legal=_file_status(code, row.get("application_number") or "", word, lapsed_on, expiry,
                           f"{filename} row {row.number}"),
    )


def _file_status(office: str, number: str, word: str, lapsed_on: date | None, expiry: date | None,
                 origin: str) -> RightStatus | None:
    """The row's legal status when the file says more than pending/granted (a dead right, or an
    expiry): ``as_of`` is the lapse date (the status holds from then on)."""
    if word in DEAD:
        return RightStatus(office, number, lapsed_on or date.min, DEAD[word], since=lapsed_on, expiry=expiry,
                           reason=f"{word} ({origin})" + ("" if lapsed_on else ", date not given"))
    if expiry is not None:
        status = PENDING if word == "pending" else IN_FORCE
        return RightStatus(office, number, date.min, status, expiry=expiry, reason=f"expiry given ({origin})")
    return None
