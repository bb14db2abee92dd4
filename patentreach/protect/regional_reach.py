"""Which regional offices reach a country, and since when: the dated memberships that decide
whether a regional application or patent can cover a market.

Memberships come from the ``country_groups`` reference table (EPC contracting, extension and
validation states; EAPO; ARIPO Harare Protocol states; OAPI; GCC). What counts is the
membership on the *filing date* of the regional application (for a Euro-PCT application, the
international filing date): an EP application filed before Georgia's validation agreement took
effect (15 January 2024) can never be validated in Georgia, whatever happens later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from patentreach.refdata.country_groups import Membership, memberships

REGIONAL_GROUPS: dict[str, tuple[str, ...]] = {
    "EP": ("epc", "epc_extension", "epc_validation"),
    "EA": ("eapo",),
    "AP": ("aripo",),
    "OA": ("oapi",),
    "GC": ("gcc",),
}
# Offices that take new applications: the GCC regional patent closed to new filings on 6 January 2021.
OPEN_FOR_NEW_FILINGS = ("EP", "EA", "AP", "OA")


@dataclass(frozen=True, slots=True)
class Reach:
    """A regional office reaching a country through one membership row."""

    office: str
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def since(self) -> date | None:
        return self.membership.valid_from

    def describe(self) -> str:
        since = self.since.isoformat() if self.since else "the start of the record"
        return f"{self.membership.country} is an {self.office} {self.role.replace('_', ' ')} since {since}"


def _rows(office: str, country: str) -> list[Membership]:
    groups = REGIONAL_GROUPS.get(office, ())
    return [row for row in memberships() if row.group in groups and row.country == country]


def reach(office: str, country: str, on: date) -> Reach | None:
    """The membership through which ``office`` reaches ``country`` on day ``on``, or None."""
    for row in _rows(office, country):
        if row.valid_on(on):
            return Reach(office, row)
    return None


def ever_reaches(office: str, country: str) -> Reach | None:
    """Any membership row of the country in the office's groups (to explain a date mismatch)."""
    rows = _rows(office, country)
    return Reach(office, rows[0]) if rows else None


def offices_reaching(country: str, on: date, offices: tuple[str, ...] = OPEN_FOR_NEW_FILINGS) -> list[Reach]:
    """Regional offices that reach ``country`` on ``on`` (by default those taking new filings)."""
    found = []
    for office in offices:
        hit = reach(office, country, on)
        if hit is not None:
            found.append(hit)
    return found


def has_national_patents(country: str, on: date) -> bool:
    """False for OAPI states: the single OAPI title replaces national patents there."""
    return reach("OA", country, on) is None


def unitary_states(on: date) -> frozenset[str]:
    return frozenset(row.country for row in memberships() if row.group == "unitary_patent" and row.valid_on(on))
