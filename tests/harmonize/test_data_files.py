"""The word lists are data with provenance: every row has a source and a checked date."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import REPO

FILES = ["legal_forms.csv", "name_words.csv", "sector_rules.csv", "assignee_type_codes.csv"]


@pytest.mark.parametrize("filename", FILES)
def test_rows_have_source_and_checked_date(filename):
    with (REPO / "patentreach" / "harmonize" / filename).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["source"], row
        assert len(row["checked"]) == 10 and row["checked"][4] == "-", row
