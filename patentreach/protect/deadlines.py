"""A deadline as patentreach shows it: the date, the day it really expires at the office, the
rule it came from, the sources it rests on and how far they are verified.

A deadline can rest on several reference rows (the rule, an office's PCT time limit, a regional
membership): its ``verified`` is the weakest of them, and ``unverified`` names each row that is
not verified, so a deadline that rests on a row marked NOT VERIFIED is shown as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from patentreach.protect.month_arithmetic import add_months
from patentreach.protect.working_days import next_working_day
from patentreach.refdata.deadline_rules import deadline_rule

_ORDER = {"yes": 2, "partly": 1, "NOT VERIFIED": 0}


@dataclass(frozen=True, slots=True)
class Basis:
    """One reference row a deadline rests on."""

    what: str  # e.g. "deadline rule paris_priority", "PCT time limit US"
    source: str
    verified: str  # yes | partly | NOT VERIFIED
    detail: str = ""  # the row's own verification words, when not verified


@dataclass(frozen=True, slots=True)
class Deadline:
    date: date
    office: str
    expires: date | None  # next working day at the office when its closing days are known
    holidays_known: bool
    holidays_basis: str
    rule: str
    legal_basis: str
    bases: tuple[Basis, ...]

    @property
    def verified(self) -> str:
        return weakest(basis.verified for basis in self.bases)

    @property
    def source(self) -> str:
        return "; ".join(dict.fromkeys(basis.source for basis in self.bases))

    @property
    def unverified(self) -> tuple[str, ...]:
        """A line per row this deadline rests on that is not verified."""
        return tuple(_unverified_line(basis) for basis in self.bases if basis.verified != "yes")

    def last_day(self) -> date:
        """The last day the act can be done: the extended day when known, else the deadline."""
        return self.expires or self.date


def _unverified_line(basis: Basis) -> str:
    detail = basis.detail
    for prefix in ("NOT VERIFIED", "secondary +"):
        if detail.upper().startswith(prefix.upper()):
            detail = detail[len(prefix):].lstrip(" :-")
    return f"{basis.what}: {basis.verified}" + (f" - {detail}" if detail else "")


def weakest(values: Iterable[str]) -> str:
    return min(values, key=lambda value: _ORDER.get(value, 0), default="NOT VERIFIED")


def rule_basis(rule: str) -> Basis:
    found = deadline_rule(rule)
    detail = found.note if found.verified != "yes" else ""
    return Basis(f"deadline rule {rule}", found.source, found.verified, detail)


def make_deadline(rule: str, start: date, months: int, office: str, extra: Iterable[Basis] = ()) -> Deadline:
    """``start`` + ``months`` (PCT Rule 80.2), at ``office``, resting on ``rule`` and ``extra`` rows."""
    day = add_months(start, months)
    working = next_working_day(office, day)
    return Deadline(
        date=day,
        office=working.office,
        expires=working.expires,
        holidays_known=working.known,
        holidays_basis=working.basis,
        rule=rule,
        legal_basis=deadline_rule(rule).legal_basis,
        bases=(rule_basis(rule), *extra),
    )
