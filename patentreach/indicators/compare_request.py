"""What ``stats compare`` is asked: a published table, an origin, a year and offices, each checked
against the table before the warehouse is opened.

A slice the table does not hold (an origin it does not report, a year it does not cover, an office
it does not list) is refused with the valid values, as every other switch is: comparing against a
figure that does not exist would print a warehouse count beside nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from patentreach.indicators.choices import OFFICE_GROUP_ALIASES, SpecError
from patentreach.refdata.country_groups import group_names, members
from patentreach.refdata.published import ALL, PublishedFigure, PublishedTable, figures, published_table


@dataclass(frozen=True, slots=True)
class CompareRequest:
    """A checked request: the table, the origin and year of its figures, and the offices compared
    (``dropped``: offices of a group that the published table does not list, said out loud)."""

    table: PublishedTable
    origin: str
    year: int
    offices: tuple[str, ...]
    all_offices: bool
    dropped: tuple[str, ...] = ()

    def figures(self) -> dict[str, PublishedFigure]:
        """The published figure per office (``*``: the published total over all offices, if any)."""
        return {f.office: f for f in figures(self.table.name) if f.origin == self.origin and f.year == self.year}


def _listed(values: list[str]) -> str:
    return ", ".join(values)


def comparison_request(name: str, origin: str | None, year: int | None, offices: str | None) -> CompareRequest:
    """Check ``name``, ``origin`` (default: the table's first origin), ``year`` (default: the
    table's latest year for that origin) and ``offices`` (``major``, a group, or a comma-separated
    list; default: every office of the table) against the published table."""
    try:
        table = published_table(name)
    except KeyError as exc:
        raise SpecError(exc.args[0]) from None
    rows = figures(name)
    origin = (origin or table.origins[0]).strip().upper()
    if origin not in table.origins:
        raise SpecError(f"origin {origin!r} is not in {name}; choose from {_listed(list(table.origins))}")
    years = sorted({f.year for f in rows if f.origin == origin})
    chosen_year = years[-1] if year is None else year
    if chosen_year not in years:
        raise SpecError(f"year {chosen_year} is not in {name} for origin {origin}; choose from "
                        f"{_listed([str(y) for y in years])}")
    listed = sorted({f.office for f in rows if f.origin == origin and f.year == chosen_year and f.office != ALL})
    if not offices:
        return CompareRequest(table, origin, chosen_year, tuple(listed), all_offices=True)
    chosen: list[str] = []
    dropped: list[str] = []
    for item in (part.strip() for part in offices.split(",") if part.strip()):
        group = OFFICE_GROUP_ALIASES.get(item.lower(), item.lower())
        if group in group_names():
            group_members = sorted(members(group, date(chosen_year, 12, 31)))  # members in that year
            chosen += [code for code in group_members if code in listed and code not in chosen]
            dropped += [code for code in group_members if code not in listed and code not in dropped]
            continue
        code = item.upper()
        if code not in listed:
            raise SpecError(f"office {item!r} is not in {name} ({origin}, {chosen_year}); choose from a group "
                            f"({_listed([*OFFICE_GROUP_ALIASES, *group_names()])}) or the offices {_listed(listed)}")
        if code not in chosen:
            chosen.append(code)
    if not chosen:
        raise SpecError(f"--offices {offices!r}: none of its offices is in {name}; choose from {_listed(listed)}")
    return CompareRequest(table, origin, chosen_year, tuple(chosen), all_offices=set(chosen) == set(listed),
                          dropped=tuple(dropped))
