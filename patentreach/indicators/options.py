"""An ``OutboundSpec`` from the options as the user typed them (strings), for every face.

``stats outbound --origin CN --offices major --years 2019-2021`` and
``GET /api/v1/outbound?origin=CN&offices=major&years=2019-2021`` name the same switches with the
same spellings; both come here, so a figure asked for in the terminal and on the web is the
same figure, and a bad value is refused with the same one-line message.
"""

from __future__ import annotations

from patentreach.indicators.choices import OFFICE_GROUP_ALIASES
from patentreach.indicators.spec import OutboundSpec, parse_list, parse_offices, parse_sectors, parse_years

DEFAULTS: dict[str, object] = {
    "origin": None, "origin_rule": "first_applicant", "years": None, "offices": None, "unit": "documents",
    "counting": "whole", "basis": "grant", "stage": "grants", "types": "invention", "sector": None,
    "scope": "abroad", "by": "office,year", "field_counting": "fractional", "top": None,
    "destination_group": "bri",
}
"""Every option of ``stats outbound`` and its default, as typed (the CLI's ``--type`` is ``types``)."""


def outbound_spec(
    origin: str | None = None, origin_rule: str = "first_applicant", years: str | None = None,
    offices: str | None = None, unit: str = "documents", counting: str = "whole", basis: str = "grant",
    stage: str = "grants", types: str = "invention", sector: str | None = None, scope: str = "abroad",
    by: str = "office,year", field_counting: str = "fractional", top: int | None = None,
    destination_group: str = "bri",
) -> OutboundSpec:
    """The spec of these options; ``SpecError`` (one line) for a bad value."""
    return OutboundSpec(
        origin=parse_list(origin, upper=True), origin_rule=origin_rule, years=parse_years(years),
        offices=parse_offices(offices), unit=unit, counting=counting, basis=basis, stage=stage,
        types=parse_list(types), sector=parse_sectors(sector), scope=scope, by=parse_list(by),
        field_counting=field_counting, top=top,
        destination_group=OFFICE_GROUP_ALIASES.get(destination_group.lower(), destination_group.lower()),
    )
