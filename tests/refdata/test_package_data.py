"""The packaged tables: every row says its source and checked date, dates parse, and the derived
files are exactly what scripts/refdata/build_refdata.py makes from ../shared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from patentreach.refdata import loader
from tests.conftest import REPO, shared_path

DERIVED = ["offices.csv", "countries.csv", "ipc_technology_fields.csv", "country_groups.csv"]


@pytest.mark.parametrize("name", loader.table_names())
def test_every_row_has_a_source_and_a_checked_date(name: str) -> None:
    rows = loader.load_table(name)
    assert rows
    for row in rows:
        assert row["source"], row
        assert loader.parse_date(row["checked"]) is not None, row


@pytest.mark.parametrize("name", loader.table_names())
def test_keys_are_unique(name: str) -> None:
    spec = loader.table_spec(name)
    keys = [tuple(row[column].upper() for column in spec.key) for row in loader.load_table(name)]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", ["kind_codes", "country_groups"])
def test_validity_dates_parse_and_are_ordered(name: str) -> None:
    for row in loader.load_table(name):
        start, end = loader.parse_date(row["valid_from"]), loader.parse_date(row["valid_to"])
        assert start is None or end is None or start <= end, row


@pytest.mark.parametrize("name", ["kind_codes", "country_groups", "offices", "countries"])
def test_verified_column_uses_three_values(name: str) -> None:
    values = {row["verified"] for row in loader.load_table(name)}
    assert values <= {"yes", "partly", "NOT VERIFIED"}


def test_unknown_table_name_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="known tables"):
        loader.load_table("nope")


def test_derived_files_match_the_build_script(tmp_path: Path) -> None:
    shared_path("reference", "filing-rules")
    packaged = loader.package_path("offices").parent
    checked = loader.load_table("offices")[0]["checked"]
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "refdata" / "build_refdata.py"),
         "--checked", checked, "--out", str(tmp_path)],
        check=True, capture_output=True,
    )
    for name in DERIVED:
        assert (tmp_path / name).read_text("utf-8") == (packaged / name).read_text("utf-8"), name
