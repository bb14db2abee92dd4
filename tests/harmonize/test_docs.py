"""docs/harmonize.md documents every output column, rule, fallback, sector and data file."""

from __future__ import annotations

import pytest

from patentreach.harmonize import derived_tables, origin, sector
from tests.conftest import REPO

DOC = (REPO / "docs" / "harmonize.md").read_text(encoding="utf-8")

COLUMNS = sorted({(table, f.name) for table, schema in derived_tables.SCHEMAS.items() for f in schema})
RULES = [
    "type_code", "type_code+name_keyword", "inventor_role", "name_keyword", "legal_form",
    "applicant_is_inventor", "person_form", "organisation_default", "no_evidence",
]


@pytest.mark.parametrize(("table", "column"), COLUMNS)
def test_every_column_is_documented(table, column):
    assert f"### `{table}`" in DOC
    assert f"`{column}`" in DOC


@pytest.mark.parametrize("name", [*origin.RULES, *origin.FALLBACKS, *sector.SECTORS, *RULES])
def test_every_rule_fallback_and_sector_is_documented(name):
    assert f"`{name}`" in DOC


@pytest.mark.parametrize(
    "filename", ["legal_forms.csv", "name_words.csv", "sector_rules.csv", "assignee_type_codes.csv"]
)
def test_every_data_file_is_documented(filename):
    assert f"`{filename}`" in DOC
    assert (REPO / "patentreach" / "harmonize" / filename).is_file()


def test_commands_are_documented():
    assert "patentreach harmonize [--warehouse DIR] [--engine duckdb|spark]" in DOC
    assert "patentreach entities search" in DOC
