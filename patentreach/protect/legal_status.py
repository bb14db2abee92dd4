"""Legal status for a portfolio: which of its rights are in force, pending or dead on a date.

Statuses are ``RightStatus`` rows (``patentreach.legal.status_model``), one per application and
office, with a row per validated state of a European patent (``via`` = "EP"). ``apply_statuses``
puts each row on the portfolio's filing with the same office and application number (numbers
compared without spaces and punctuation), so coverage and routes read ``Filing.legal`` whatever
the statuses came from: the status engine for a warehouse entity, or the portfolio file's status
columns.

The engine (``patentreach.legal.status``) is imported only when an entity's statuses are asked
for (it opens the warehouse's views); where it finds no events for the entity's applications, or
cannot read them, the portfolio stays as it was and the report says "no legal status data", so
grants are assumed in force, labelled so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from patentreach.legal.status_model import RightStatus
from patentreach.protect.portfolio import Filing, Portfolio

NO_DATA = "no legal status data"
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def number_key(number: str | None) -> str:
    """An application number as compared: upper case, letters and digits only."""
    return _NOT_ALNUM.sub("", (number or "").upper())


def apply_statuses(portfolio: Portfolio, statuses: Iterable[RightStatus], source: str) -> Portfolio:
    """The portfolio with every filing's legal status (``Filing.legal``, ``state_legal``) set."""
    own: dict[tuple[str, str], RightStatus] = {}
    states: dict[tuple[str, str], list[RightStatus]] = {}
    for status in statuses:
        key = number_key(status.application_number)
        if status.via:
            states.setdefault((status.via.upper(), key), []).append(status)
        else:
            own[(status.office.upper(), key)] = status
    families = {}
    for name, family in portfolio.families.items():
        filings = tuple(_with_status(filing, own, states) for filing in family.filings)
        families[name] = replace(family, filings=filings)
    return replace(portfolio, families=families, status_source=source)


def _with_status(filing: Filing, own: dict[tuple[str, str], RightStatus],
                 states: dict[tuple[str, str], list[RightStatus]]) -> Filing:
    key = (filing.office, number_key(filing.application_number))
    return replace(filing, legal=own.get(key, filing.legal), state_legal=tuple(states.get(key, ())),
                   legal_checked=True)


def applications(portfolio: Portfolio) -> list[tuple[str, str]]:
    """The (office, application number) pairs of the portfolio, for the status engine."""
    pairs = {(filing.office, filing.application_number) for family in portfolio.families.values()
             for filing in family.filings if filing.application_number}
    return sorted(pairs)  # type: ignore[arg-type]


def entity_statuses(portfolio: Portfolio, as_of: date) -> tuple[Portfolio, str | None]:
    """An entity portfolio with the engine's statuses as of ``as_of``; a note when there are none."""
    warehouse = portfolio.entity_warehouse
    if warehouse is None:
        return portfolio, None
    from patentreach.legal.status import statuses_as_of  # DuckDB work: only when an entity is asked for

    try:
        found = statuses_as_of(warehouse, as_of, applications=applications(portfolio))
    except (ValueError, OSError) as error:  # unreadable legal tables: said, the report still runs
        return portfolio, f"{NO_DATA}: the legal-status engine failed ({error}): grants assumed in force"
    if not found:
        return portfolio, f"{NO_DATA}: the warehouse has no legal events for this entity's applications"
    return apply_statuses(portfolio, found, f"legal status from the warehouse as of {as_of.isoformat()}"), None
