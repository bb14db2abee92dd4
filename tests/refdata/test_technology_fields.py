"""IPC to WIPO technology field: exact subclass / main-group matching, never a string prefix."""

from __future__ import annotations

import csv

import pytest

from patentreach.refdata.technology_fields import (
    field_name,
    parse_ipc,
    sector_name,
    technology_field,
    technology_fields,
)
from tests.conftest import shared_path


@pytest.mark.parametrize(
    ("symbol", "field"),
    [
        ("G01N 33/48", 11),  # analysis of biological materials
        ("G01N 3/00", 10),  # measurement: "G01N 3" is a prefix of "G01N 33" but another field
        ("G01N33/48", 11),
        ("G01N  33/48", 11),
        ("G01N0033480000", 11),  # 14-character canonical form
        ("g01n 3/00", 10),
        ("H01L", 8),
        ("H01L 21/00", 8),
        ("A61K   9/16        20060101A I20051008RMEP", 16),  # DOCDB fixed-width text
        ("A61K 8/02", 14),  # cosmetics: organic fine chemistry
        ("A61K 31/00", 16),  # pharmaceuticals
        ("H04N 1/00", 3),
        ("H04N 19/00", 2),
        ("H04N 21/234", 4),
        ("H04N-019", 2),
        ("B01D 53/00", 24),
        ("B01D 1/00", 23),
        ("G06F 16/00", 6),
        ("G06Q 10/00", 7),
        ("F24S 20/00", 30),  # in the concordance since 2018
        ("G16H 50/20", 13),  # in the concordance since 2018
        ("G16B 40/00", 6),  # in the concordance since 2019
        ("G06V 10/82", 6),  # added here: IPC 2022.01
        ("H10K 50/00", 8),  # added here: IPC 2023.01
        ("H04N 23/60", 2),  # added here: IPC 2023.01 cameras
    ],
)
def test_technology_field(symbol: str, field: int) -> None:
    assert technology_field(symbol) == field


UNMAPPABLE = ["G01N", "A61K", "H04N", "Y02E 10/50", "garbage", "", "A61K 10/00"]


@pytest.mark.parametrize("symbol", UNMAPPABLE)
def test_unmappable_symbols_give_none(symbol: str) -> None:
    assert technology_field(symbol) is None


def test_parse_ipc() -> None:
    assert parse_ipc("G01N 33/48") == ("G01N", 33)
    assert parse_ipc("G01N0003000000") == ("G01N", 3)
    assert parse_ipc("H01L") == ("H01L", None)
    assert parse_ipc("nonsense") is None


def test_field_and_sector_names() -> None:
    assert field_name(11) == "Analysis of biological materials"
    assert field_name(10) == "Measurement"
    assert sector_name(11) == "Instruments"
    assert sector_name(1) == "Electrical engineering"
    assert sector_name(35) == "Other fields"
    assert sorted(technology_fields()) == list(range(1, 36))
    with pytest.raises(KeyError):
        field_name(36)


def test_every_row_of_the_wipo_concordance_maps_to_its_field() -> None:
    path = shared_path("data", "reference", "wipo_ipc_technology_concordance_35fields.csv")
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 764
    for row in rows:
        symbol = row["IPC_code"].rstrip("%").rstrip("/") or row["IPC_code"]
        assert technology_field(symbol) == int(row["Field_number"]), row["IPC_code"]
