"""The transfer spec: validated, serialisable, rendered into every figure's label."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.transfers import DEFAULT_TYPES, SpecError, TransferSpec


def test_defaults_count_assignments_and_licences_cross_border():
    spec = TransferSpec()
    assert (spec.types, spec.cross_border_only, spec.date_basis, spec.by) == (
        ("assignment", "licence"), True, "record", ("origin", "destination"))
    assert DEFAULT_TYPES == ("assignment", "licence")


def test_round_trip_and_label():
    spec = TransferSpec(origin=("CN",), destination_group="bri", date_from=date(2015, 1, 1),
                        date_to=date(2015, 12, 31), by=("origin", "destination_group", "year"))
    assert TransferSpec.from_dict(spec.to_dict()) == spec
    assert spec.label() == (
        "Transfers: types assignment+licence; record date 2015-01-01 to 2015-12-31; cross-border only; "
        "origin CN; destination group bri (as of the transfer date); by origin, destination_group, year")


@pytest.mark.parametrize(("changes", "message"), [
    ({"types": ("gift",)}, "unknown conveyance type"),
    ({"date_basis": "publication"}, "date basis"),
    ({"by": ("destination_group",)}, "needs --destination-group"),
])
def test_invalid_specs_say_why(changes, message):
    with pytest.raises(SpecError, match=message):
        TransferSpec(**changes)


def test_unknown_fields_are_refused():
    with pytest.raises(SpecError, match="unknown spec field"):
        TransferSpec.from_dict({"colour": "red"})
