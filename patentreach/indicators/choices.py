"""The valid values of each switch, from the reference tables, and the one-line refusal of any
other value ("did you mean ...?").

An office code the warehouse does not know (``UX``), a misspelt group (``majr``) or sector
(``compnay``) used to pass through as a filter that matched nothing: an empty table, exit 0. Every
value is now checked against ``patentreach.refdata`` (offices, countries, country groups) and the
sector vocabulary of harmonisation, and an unknown one is a ``SpecError`` naming the choices.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from patentreach.refdata.countries import countries
from patentreach.refdata.country_groups import group_names
from patentreach.refdata.offices import offices


class SpecError(ValueError):
    """A switch has a value the indicators do not know."""


# The sectors ``harmonize`` assigns (``patentreach.harmonize.sector.SECTORS``; a test keeps them
# equal: importing harmonisation would load Splink into every ``stats`` command).
SECTORS = ("company", "university", "government", "hospital", "individual", "unknown")
SECTOR_ALIASES = {"enterprise": "company", "enterprises": "company", "companies": "company"}
OFFICE_GROUP_ALIASES = {"major": "major_offices", "belt_and_road": "bri"}
ROUTES = ("direct", "pct")
RESIDENCES = ("resident", "non_resident")
FIELDS = range(1, 36)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest choice, or nothing when none is close."""
    close = difflib.get_close_matches(value.lower(), [c.lower() for c in choices], n=1, cutoff=0.6)
    if not close:
        return ""
    original = {c.lower(): c for c in choices}[close[0]]
    return f" (did you mean {original}?)"


def unknown(what: str, value: str, choices: Iterable[str], listing: str | None = None) -> str:
    """``sector 'compnay' is not known (did you mean company?); choose from company, ...``"""
    choices = list(choices)
    return f"{what} {value!r} is not known{did_you_mean(value, choices)}; choose from {listing or ', '.join(choices)}"


def office_groups() -> list[str]:
    """Group names an office list may use (aliases first: what users type)."""
    return [*OFFICE_GROUP_ALIASES, *group_names()]


def check_office(code: str, groups_too: bool = True) -> None:
    """An office code of ``refdata offices`` (or a country group, with ``groups_too``); else ``SpecError``."""
    if code in offices() or (groups_too and code.lower() in group_names()):
        return
    groups = office_groups() if groups_too else []
    listing = "an office code of `patentreach refdata show offices` (e.g. US, EP, JP)"
    if groups_too:
        listing = f"the groups {', '.join(groups)} or {listing}"
    hint_from = groups if len(code) > 2 else []
    raise SpecError(f"office {code!r} is not known{did_you_mean(code, hint_from)}; choose from {listing}")


def check_country(what: str, code: str) -> None:
    if code not in countries():
        raise SpecError(f"{what} {code!r} is not a known country code; choose an ISO 3166 alpha-2 code of "
                        "`patentreach refdata show countries` (e.g. CN, US, DE)")


def check_group(what: str, name: str) -> None:
    if name.lower() not in group_names():
        raise SpecError(unknown(what, name, office_groups()))


def check_sector(sector: str) -> None:
    if sector not in SECTORS:
        raise SpecError(unknown("sector", sector, [*SECTORS, *SECTOR_ALIASES]))
