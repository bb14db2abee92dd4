"""User overrides: a folder named by PATENTREACH_REFDATA, files of the same names; rows override
the package rows by key and new rows extend the table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from patentreach.refdata import loader
from patentreach.refdata.countries import normalise_country
from patentreach.refdata.country_groups import group_names, is_member, members
from patentreach.refdata.kind_codes import doc_type
from patentreach.refdata.technology_fields import technology_field


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_without_the_variable_only_package_files_are_read() -> None:
    assert loader.override_dir() is None
    assert loader.table_origin("kind_codes") == [loader.package_path("kind_codes")]


def test_a_user_row_overrides_a_package_row_with_the_same_key(override_dir: Path) -> None:
    write(override_dir, "kind_codes.csv",
          "office,kind,doc_type,valid_from,valid_to,source,checked\n"
          "IN,A1,other,,,my review of IN kind codes,2026-11-25\n")
    assert doc_type("IN", "A1", date(2020, 1, 1)) == "other"
    assert doc_type("IN", "A", date(2020, 1, 1)) == "invention_application"  # untouched


def test_a_user_row_with_a_new_key_extends_the_table(override_dir: Path) -> None:
    write(override_dir, "kind_codes.csv",
          "office,kind,doc_type,valid_from,valid_to,source,checked\n"
          "SG,B,invention_grant,,,IPOS kind codes,2026-11-25\n")
    assert doc_type("SG", "B") == "invention_grant"
    assert doc_type("US", "B2") == "invention_grant"


def test_major_offices_can_be_extended_and_trimmed(override_dir: Path) -> None:
    write(override_dir, "country_groups.csv",
          "group,country,role,valid_from,valid_to,source,checked\n"
          "major_offices,MX,office,,,my study design,2026-11-25\n"
          "major_offices,LU,office,,1900-01-01,my study design: drop LU,2026-11-25\n"
          "my_markets,VN,market,2020-01-01,,my study design,2026-11-25\n")
    assert "MX" in members("major_offices")
    assert "LU" not in members("major_offices")
    assert not is_member("LU", "major_offices", date(2021, 1, 1))
    assert "my_markets" in group_names()
    assert not is_member("VN", "my_markets", date(2019, 12, 31))
    assert is_member("VN", "my_markets", date(2020, 1, 1))


def test_country_aliases_can_be_added(override_dir: Path) -> None:
    assert normalise_country("ATLANTIS") is None
    write(override_dir, "country_aliases.csv",
          "alias,country,kind,source,checked\nATLANTIS,GR,name,my cleaning rules,2026-11-25\n")
    loader.reload()
    assert normalise_country("ATLANTIS") == "GR"


def test_technology_fields_can_be_extended(override_dir: Path) -> None:
    write(override_dir, "ipc_technology_fields.csv",
          "field,sector,field_name,ipc_subclass,main_group,source,checked\n"
          "6,Electrical engineering,Computer technology,G99Q,,my mapping,2026-11-25\n")
    assert technology_field("G99Q 1/00") == 6


def test_an_override_file_without_a_key_column_is_an_error(override_dir: Path) -> None:
    write(override_dir, "kind_codes.csv", "office,doc_type\nUS,other\n")
    with pytest.raises(ValueError, match="lacks key column"):
        doc_type("US", "B1")


def test_reload_forgets_an_override_that_was_removed(override_dir: Path) -> None:
    write(override_dir, "kind_codes.csv",
          "office,kind,doc_type,valid_from,valid_to,source,checked\nAD,B,invention_grant,,,x,y\n")
    assert doc_type("AD", "B") == "invention_grant"
    (override_dir / "kind_codes.csv").unlink()
    loader.reload()
    assert doc_type("AD", "B") == "other"
