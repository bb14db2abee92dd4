"""docs/model.md documents every field of every canonical table (the docs are part of the spec)."""

import re

import pytest

from patentreach.model.schema import (
    CLASSIFICATIONS,
    DESIGNATIONS,
    INGEST_WARNINGS,
    LEGAL_EVENTS,
    PARTIES,
    PRIORITIES,
    PUBLICATIONS,
    QUARANTINE,
    TECHNOLOGY_FIELDS,
    TRANSFER_PARTIES,
    TRANSFER_PROPERTIES,
    TRANSFERS,
)
from patentreach.warehouse.ingest_log import INGEST_LOG
from tests.conftest import REPO

DOC = (REPO / "docs" / "model.md").read_text(encoding="utf-8")


def _section(table: str) -> str:
    match = re.search(rf"## `{table}`(.*?)(?=\n## |\Z)", DOC, re.S)
    assert match, f"docs/model.md has no section for {table}"
    return match.group(1)


@pytest.mark.parametrize(
    ("table", "schema"),
    [
        ("publications", PUBLICATIONS),
        ("parties", PARTIES),
        ("classifications", CLASSIFICATIONS),
        ("priorities", PRIORITIES),
        ("designations", DESIGNATIONS),
        ("technology_fields", TECHNOLOGY_FIELDS),
        ("legal_events", LEGAL_EVENTS),
        ("quarantine", QUARANTINE),
        ("ingest_warnings", INGEST_WARNINGS),
        ("ingest_log", INGEST_LOG),
        ("transfers", TRANSFERS),
        ("transfer_parties", TRANSFER_PARTIES),
        ("transfer_properties", TRANSFER_PROPERTIES),
    ],
)
def test_every_field_is_documented(table, schema):
    section = _section(table)
    undocumented = [
        f.name for f in schema
        if f.name not in {"ingest_id", "record_index"} and f"`{f.name}`" not in section
    ]
    assert undocumented == []
