"""The slice to extract: origin countries, years and offices, with office groups resolved.

Office names are those of ``stats outbound --offices`` (codes such as ``US`` and the groups of the
``country_groups`` reference table such as ``major_offices``; the command line maps the aliases
``major``/``belt_and_road`` and checks the names the same way). A group becomes every office that
was a member on at least one day of the years asked for: the extraction takes the widest set,
and ``stats outbound`` applies the dated membership to each document when it counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from patentreach.fetch.google_sql import DATE_COLUMNS, GoogleSlice
from patentreach.refdata.country_groups import group_names, memberships

FIRST_YEAR = 1790
"""No patent office published before 1790 (the first US patent act)."""


class SliceError(ValueError):
    """The slice asked for cannot be extracted (one line saying why)."""


def make_slice(
    origin: Sequence[str], years: tuple[int, int], offices: Sequence[str], date_basis: str = "grant"
) -> GoogleSlice:
    """The slice, with groups resolved to office codes; ``SliceError`` on an impossible request."""
    if date_basis not in DATE_COLUMNS:
        raise SliceError(f"date basis {date_basis!r} is not known; choose from {', '.join(DATE_COLUMNS)}")
    first, last = years
    if first > last:
        raise SliceError(f"years {first}-{last}: the first year is after the last")
    if first < FIRST_YEAR or last > date.today().year:
        raise SliceError(f"years {first}-{last}: expected years from {FIRST_YEAR} to {date.today().year}")
    if not origin:
        raise SliceError("no origin country: give --origin (e.g. CN)")
    if not offices:
        raise SliceError("no office: give --offices (e.g. major, or US,EP,JP)")
    codes = resolve_offices(offices, first, last)
    return GoogleSlice(
        origin=tuple(sorted(set(origin))),
        years=tuple(range(first, last + 1)),
        offices=codes,
        requested_offices=tuple(offices),
        date_basis=date_basis,
    )


def resolve_offices(names: Sequence[str], first_year: int, last_year: int) -> tuple[str, ...]:
    """Sorted office codes: codes as given, groups as their members during the years."""
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    groups = set(group_names())
    codes: set[str] = set()
    for name in names:
        if name.lower() in groups:
            members = {
                m.country
                for m in memberships()
                if m.group == name.lower()
                and (m.valid_from is None or m.valid_from <= end)
                and (m.valid_to is None or m.valid_to >= start)
            }
            if not members:
                raise SliceError(f"office group {name!r} has no member office in {first_year}-{last_year}")
            codes |= members
        elif len(name) == 2 and name.isalpha():
            codes.add(name.upper())
        else:
            raise SliceError(f"office {name!r} is neither an office code nor a group of the country_groups table")
    return tuple(sorted(codes))
