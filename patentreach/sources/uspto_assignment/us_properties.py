"""A patent property of a US assignment: application number, publications, canonical ``pub_id``.

A property is printed as up to three document ids: the application (kind ``X0``, its date the
filing date), the pre-grant publication (``A1``, ``A2`` ...) and the grant (``B1``, ``B2``, ``S1``,
``E1`` ...). One property row keeps the application number and the most final publication: the
grant where there is one, else the pre-grant publication. Both join to the publications tables
(by ``pub_id``, or by ``application_number`` for the other publications of the application).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from patentreach.model.records import make_pub_id
from patentreach.model.transfers import TransferProperty

OFFICE = "US"
APPLICATION_KINDS = frozenset({"X0", ""})


def _rank(kind: str) -> int:
    """Grants before pre-grant publications (A1, A2, A9)."""
    return 1 if kind.startswith("A") else 0


def us_property(
    transfer_id: str,
    sequence: int,
    documents: Iterable[tuple[str, str]],
    title: str | None = None,
    problems: list[str] | None = None,
) -> TransferProperty | None:
    """The property from its ``(kind, number)`` document ids; None if it names no number."""
    application: str | None = None
    publications: list[tuple[str, str]] = []
    for kind, number in documents:
        kind = (kind or "").strip().upper()
        number = (number or "").strip().replace(",", "").replace("/", "").replace(" ", "")
        if not number or number.upper() == "NULL":
            continue
        if kind in APPLICATION_KINDS:
            application = application or number
        elif not number.isalnum():
            if problems is not None:
                problems.append(f"property {sequence}: document number {number!r} is not a number")
        else:
            publications.append((kind, number))
    if application is None and not publications:
        return None
    chosen = sorted(publications, key=lambda p: _rank(p[0]))[0] if publications else None
    return TransferProperty(
        transfer_id=transfer_id,
        sequence=sequence,
        office=OFFICE,
        pub_id=make_pub_id(OFFICE, chosen[1], chosen[0]) if chosen else None,
        application_number=application,
        kind=chosen[0] if chosen else "X0",
        title=title,
    )


# WIPO ST.16 kinds the USPTO prints on grants from 2 January 2001, by the number's series prefix:
# (without, with) a pre-grant publication; before that date the letter alone (A utility).
ST16_FROM = date(2001, 1, 2)
_SERIES_KINDS = {"D": ("S1", "S1", "S"), "PP": ("P2", "P3", "P"), "RE": ("E1", "E1", "E"), "H": ("H1", "H1", "H")}


def grant_kind(number: str, issue_date: date | None, published_before: bool) -> str:
    """The kind of a US grant whose source prints only its number (Assignment Search): utility
    B1 / B2 (B2 when a pre-grant publication exists), design S1, plant P2 / P3, reissue E1, SIR
    H1; the old letters (A, S, P, E, H) for grants issued before 2 January 2001."""
    series = next((s for s in ("PP", "RE", "D", "H") if number.upper().startswith(s)), "")
    without, with_pub, old = _SERIES_KINDS.get(series, ("B1", "B2", "A"))
    if issue_date is not None and issue_date < ST16_FROM:
        return old
    return with_pub if published_before else without
