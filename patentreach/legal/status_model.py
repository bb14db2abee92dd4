"""The vocabulary of legal status, shared by the status engine, indicators and protect.

Kept apart from the engine so that its users (``protect``, ``indicators``) depend on a small,
stable contract: the status words and the ``RightStatus`` of one application at one office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The status of a right on a date (``RightStatus.status``).
PENDING = "pending"
IN_FORCE = "in_force"
LAPSED = "lapsed"  # lapsed for non-payment (restorable until ``restorable_until`` if set)
EXPIRED = "expired"  # reached the end of its term
WITHDRAWN = "withdrawn"
REFUSED = "refused"
REVOKED = "revoked"
UNKNOWN = "unknown"  # ``reason`` says why (no events, events that contradict, ...)
STATUSES = (PENDING, IN_FORCE, LAPSED, EXPIRED, WITHDRAWN, REFUSED, REVOKED, UNKNOWN)
ALIVE = (PENDING, IN_FORCE)

# What a source's event code means (the ``meaning`` column of the event-code table).
MEANINGS = (
    "filed",
    "published",
    "granted",
    "lapsed_non_payment",
    "lapsed_other",
    "renewal_paid",
    "withdrawn",
    "refused",
    "revoked",
    "expired",
    "restored",
    "opposition_filed",
    "opposition_decided",
    "national_phase_entry",
    "validation",
    "term_extension",
    "ownership_change",
    "licence",
    "other",
)


@dataclass(frozen=True, slots=True)
class RightStatus:
    """The status of one application (and the right granted on it) at one office on ``as_of``.

    ``office`` is the office whose right this is; for an EP patent validated in a state the row
    is per state (``office`` = the state, ``via`` = "EP"). ``events`` lists the event ids behind
    the status, oldest first, so that every status can be traced to its source rows.
    """

    office: str
    application_number: str
    as_of: date
    status: str
    since: date | None = None  # the date the current status began
    expiry: date | None = None  # computed end of term for a pending or granted right
    restorable_until: date | None = None  # a lapsed right whose restoration window is open
    reason: str = ""  # one line: why this status (the deciding event, or why unknown)
    via: str | None = None  # "EP" for a validated state of a European patent
    family_id: str | None = None
    publication_numbers: tuple[str, ...] = field(default=())
    events: tuple[str, ...] = field(default=())

    @property
    def alive(self) -> bool:
        return self.status in ALIVE
