"""A ``TransferSpec`` (and a drill-down cell) from the options as the user typed them, for every face.

``patentreach transfers flows --destination-group bri --from 2015`` and
``GET /api/v1/transfers/flows?destination_group=bri&from=2015`` name the same switches with the
same spellings; both come here, so a figure asked for in the terminal and on the web is the same
figure, and a bad value is refused with the same one-line message (``SpecError``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from patentreach.transfers.spec import DEFAULT_TYPES, SpecError, TransferSpec

GROUP_ALIASES = {"major": "major_offices", "belt_and_road": "bri"}
"""The group spellings ``stats outbound`` accepts too (``indicators.choices.OFFICE_GROUP_ALIASES``;
repeated here because transfers may not import indicators: a test keeps the two equal)."""

DEFAULTS: dict[str, object] = {
    "types": ",".join(DEFAULT_TYPES), "by": "origin,destination", "date_from": None, "date_to": None,
    "date_basis": "record", "origin": None, "destination": None, "origin_group": None,
    "destination_group": None, "all_pairs": False,
}
"""Every option of ``transfers flows`` and its default, as typed."""


def split(text: str | None) -> tuple[str, ...]:
    """``"a, b,,c"`` -> ``("a", "b", "c")``."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def group(name: str | None) -> str | None:
    """A country group's name in lower case, aliases resolved (``belt_and_road`` is ``bri``)."""
    return None if name is None or not name.strip() else GROUP_ALIASES.get(name.strip().lower(), name.strip().lower())


def parse_date(text: str | None, option: str = "--from") -> date | None:
    """YYYY-MM-DD, or a bare year: its first day for a start (``option`` ``--from``/``from``), its
    last for an end. ``option`` names the switch in the message."""
    if not text or not text.strip():
        return None
    text = text.strip()
    start = option.lstrip("-") == "from"
    try:
        if text.isdigit() and len(text) == 4:
            return date(int(text), 1, 1) if start else date(int(text), 12, 31)
        return date.fromisoformat(text)
    except ValueError:
        raise SpecError(f"{option}: {text!r} is not a YYYY-MM-DD date or a year") from None


def transfer_spec(
    types: str = DEFAULTS["types"], by: str = "origin,destination", date_from: str | None = None,  # type: ignore[assignment]
    date_to: str | None = None, date_basis: str = "record", origin: str | None = None,
    destination: str | None = None, origin_group: str | None = None, destination_group: str | None = None,
    all_pairs: bool = False, from_option: str = "--from", to_option: str = "--to",
) -> TransferSpec:
    """The spec of these options; ``SpecError`` (one line) for a bad value. ``from_option`` and
    ``to_option`` are how the period's switches are spelled where the user typed them."""
    return TransferSpec(
        types=split(types), by=split(by), date_from=parse_date(date_from, from_option),
        date_to=parse_date(date_to, to_option), date_basis=date_basis,
        origin=tuple(code.upper() for code in split(origin)),
        destination=tuple(code.upper() for code in split(destination)),
        origin_group=group(origin_group), destination_group=group(destination_group),
        cross_border_only=not all_pairs,
    )


def parse_cell(items: list[str] | None, option: str = "--cell") -> dict[str, Any]:
    """``["origin=cn", "year=2015"]`` -> ``{"origin": "CN", "year": 2015}`` (years and fields as
    numbers, countries upper-cased except ``unknown``); ``SpecError`` for an item without ``=``."""
    coordinates: dict[str, Any] = {}
    for item in items or []:
        key, _, value = item.partition("=")
        if not value:
            raise SpecError(f"{option} {item!r}: expected name=value")
        key, value = key.strip(), value.strip()
        if key in ("year", "field") and value.lstrip("-").isdigit():
            coordinates[key] = int(value)
        elif key in ("origin", "destination") and value != "unknown":
            coordinates[key] = value.upper()
        else:
            coordinates[key] = value
    return coordinates
