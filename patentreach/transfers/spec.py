"""The counting rules of a transfer statistic, as one frozen, serialisable object.

Every figure says what it counts: which conveyance types, which date, which period, which
origin and destination, grouped how. ``label()`` renders the rules for a figure's title, and
``to_dict`` / ``from_dict`` round-trip them (for exports and the web).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from typing import Any

from patentreach.model.transfers import ConveyanceType
from patentreach.refdata.countries import countries
from patentreach.refdata.country_groups import group_names

# Transfers between parties that move rights: the default. Security interests and releases pledge
# and return rights; mergers, name changes and employer assignments move none between parties.
DEFAULT_TYPES: tuple[str, ...] = (ConveyanceType.ASSIGNMENT.value, ConveyanceType.LICENCE.value)
DATE_BASES = ("record", "execution")
DIMENSIONS = ("origin", "destination", "origin_group", "destination_group", "year", "field", "conveyance_type")


class SpecError(ValueError):
    """A spec that cannot be computed (unknown type, dimension or date basis)."""


@dataclass(frozen=True, slots=True)
class TransferSpec:
    """What a transfer statistic counts.

    * ``types``: conveyance types counted (default assignments and licences).
    * ``date_basis``: ``record`` (the recording date, always printed) or ``execution`` (the
      earliest signature, falling back to the recording date); it dates the year, the period and
      the country-group memberships.
    * ``date_from``, ``date_to``: the period (inclusive; open when None).
    * ``origin``, ``destination``: keep only transfers from / to these countries (ISO codes).
    * ``origin_group``, ``destination_group``: a country group of ``refdata.country_groups``
      (``bri`` ...): the ``*_group`` dimensions then read the group name or ``non-<group>``,
      membership as of the transfer's date; ``destination_group`` also restricts owner shares to
      transfers into the group.
    * ``cross_border_only``: only pairs whose origin and destination are known and differ.
    * ``by``: the dimensions of the result (from ``DIMENSIONS``).
    """

    types: tuple[str, ...] = DEFAULT_TYPES
    date_basis: str = "record"
    date_from: date | None = None
    date_to: date | None = None
    origin: tuple[str, ...] = ()
    destination: tuple[str, ...] = ()
    origin_group: str | None = None
    destination_group: str | None = None
    cross_border_only: bool = True
    by: tuple[str, ...] = field(default=("origin", "destination"))

    def __post_init__(self) -> None:
        known = {t.value for t in ConveyanceType}
        if unknown := [t for t in self.types if t not in known]:
            raise SpecError(f"unknown conveyance type(s) {unknown}; known: {sorted(known)}")
        if self.date_basis not in DATE_BASES:
            raise SpecError(f"date basis {self.date_basis!r}: choose from {', '.join(DATE_BASES)}")
        if unknown := [d for d in self.by if d not in DIMENSIONS]:
            raise SpecError(f"unknown dimension(s) {unknown}; choose from {', '.join(DIMENSIONS)}")
        for name in ("origin_group", "destination_group"):
            if name in self.by and getattr(self, name) is None:
                raise SpecError(f"dimension {name!r} needs --{name.replace('_', '-')}")
            group = getattr(self, name)
            if group is not None and group not in group_names():
                hint = _did_you_mean(group, group_names())
                raise SpecError(f"{name.replace('_', ' ')} {group!r} is not known{hint}; "
                                f"choose from {', '.join(group_names())}")
        for name in ("origin", "destination"):
            for code in getattr(self, name):
                if code not in countries():
                    raise SpecError(f"{name} {code!r} is not a known country code; choose an ISO 3166 alpha-2 code "
                                    "of `patentreach refdata show countries` (e.g. CN, US, DE)")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SpecError(f"period {self.date_from} to {self.date_to}: the start is after the end")

    def with_(self, **changes: Any) -> TransferSpec:
        return replace(self, **changes)

    def label(self) -> str:
        """One line for a figure's title: every rule that shapes the number."""
        period = f"{self.date_from or '…'} to {self.date_to or '…'}"
        parts = [
            f"types {'+'.join(self.types)}",
            f"{self.date_basis} date {period}",
            "cross-border only" if self.cross_border_only else "all pairs",
        ]
        if self.origin:
            parts.append(f"origin {'/'.join(self.origin)}")
        if self.destination:
            parts.append(f"destination {'/'.join(self.destination)}")
        if self.origin_group:
            parts.append(f"origin group {self.origin_group} (as of the transfer date)")
        if self.destination_group:
            parts.append(f"destination group {self.destination_group} (as of the transfer date)")
        parts.append(f"by {', '.join(self.by) or 'total'}")
        return "Transfers: " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("date_from", "date_to"):
            out[key] = out[key].isoformat() if out[key] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TransferSpec:
        names = {f.name for f in fields(cls)}
        if unknown := sorted(set(data) - names):
            raise SpecError(f"unknown spec field(s) {unknown}")
        values = dict(data)
        for key in ("date_from", "date_to"):
            if values.get(key):
                values[key] = date.fromisoformat(values[key])
        for key in ("types", "origin", "destination", "by"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)


def _did_you_mean(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value.lower(), choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def check_cell(cell: dict[str, Any]) -> None:
    """``SpecError`` unless ``cell`` names dimensions with values they can take (a country code or
    ``unknown``; a group name or ``non-<group>``; a year; a field 1-35; a conveyance type)."""
    for key, value in cell.items():
        if key not in DIMENSIONS:
            hint = _did_you_mean(key, list(DIMENSIONS))
            raise SpecError(f"cell {key}={value!r}: the dimension {key!r} is not known{hint}; "
                            f"choose from {', '.join(DIMENSIONS)}")
        if key in ("year", "field"):
            if not isinstance(value, int) or (key == "field" and not 1 <= value <= 35):
                expected = "a year such as 2015" if key == "year" else "a technology field 1-35"
                raise SpecError(f"cell {key}={value!r}: expected {expected}")
        elif key in ("origin", "destination") and value != "unknown" and value not in countries():
            raise SpecError(f"cell {key}={value!r}: not a known country code; choose an ISO 3166 alpha-2 code of "
                            "`patentreach refdata show countries` or unknown")
        elif key in ("origin_group", "destination_group"):
            group = value.removeprefix("non-")
            if group not in group_names():
                raise SpecError(f"cell {key}={value!r}: not a country group{_did_you_mean(group, group_names())}; "
                                f"choose a group or non-<group> of {', '.join(group_names())}")
        elif key == "conveyance_type" and value not in {t.value for t in ConveyanceType}:
            known = sorted(t.value for t in ConveyanceType)
            raise SpecError(f"cell conveyance_type={value!r}: not known{_did_you_mean(value, known)}; "
                            f"choose from {', '.join(known)}")
