"""Dated country groups: "was X a member of group G on day D?".

Groups are rows of ``country_groups.csv`` (group, country, valid_from, valid_to): regional patent
systems (EPC and its extension and validation states, Unitary Patent, EAPO, ARIPO, OAPI, GCC),
the Belt and Road partner countries, the IP5 and the default "major offices". An empty
``valid_from`` means the start date is not in the source (the membership counts from the
beginning; such rows say so in ``verified``/``note``); an empty ``valid_to`` means still a member.

"Major offices" is configurable: override ``country_groups.csv`` through ``PATENTREACH_REFDATA``
(add rows to extend it; give a row a ``valid_to`` to end a membership; or define a new group).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from patentreach.refdata.loader import cached, load_table, parse_date


@dataclass(frozen=True, slots=True)
class Membership:
    group: str
    country: str
    role: str
    valid_from: date | None
    valid_to: date | None
    source: str
    checked: str
    verified: str
    note: str

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@cached
def memberships() -> tuple[Membership, ...]:
    """Every membership row of the table."""
    return tuple(
        Membership(
            group=row["group"].strip().lower(),
            country=row["country"].strip().upper(),
            role=row.get("role", ""),
            valid_from=parse_date(row.get("valid_from", "")),
            valid_to=parse_date(row.get("valid_to", "")),
            source=row.get("source", ""),
            checked=row.get("checked", ""),
            verified=row.get("verified", ""),
            note=row.get("note", ""),
        )
        for row in load_table("country_groups")
    )


@cached
def _by_group() -> dict[str, tuple[Membership, ...]]:
    grouped: dict[str, list[Membership]] = {}
    for row in memberships():
        grouped.setdefault(row.group, []).append(row)
    return {group: tuple(rows) for group, rows in grouped.items()}


@cached
def _by_member() -> dict[tuple[str, str], tuple[Membership, ...]]:
    grouped: dict[tuple[str, str], list[Membership]] = {}
    for row in memberships():
        grouped.setdefault((row.group, row.country), []).append(row)
    return {key: tuple(rows) for key, rows in grouped.items()}


def group_names() -> list[str]:
    """The groups the table defines, sorted."""
    return sorted(_by_group())


def _rows(group: str) -> tuple[Membership, ...]:
    try:
        return _by_group()[group.strip().lower()]
    except KeyError:
        raise KeyError(f"unknown country group {group!r}; known: {group_names()}") from None


def members(group: str, on: date | None = None) -> frozenset[str]:
    """Codes in ``group`` on day ``on``; None means today. Unknown group: KeyError."""
    if on is None:
        on = date.today()
    elif isinstance(on, datetime):
        on = on.date()
    return frozenset(row.country for row in _rows(group) if row.valid_on(on))


def is_member(country: str, group: str, on: date) -> bool:
    """Whether ``country`` belonged to ``group`` on day ``on``. Unknown group: KeyError."""
    if isinstance(on, datetime):
        on = on.date()
    name = group.strip().lower()
    _rows(name)  # an unknown group is an error, not "no member"
    rows = _by_member().get((name, country.strip().upper()), ())
    return any(row.valid_on(on) for row in rows)
