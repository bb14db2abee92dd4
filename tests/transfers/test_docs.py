"""docs/transfers.md documents every type, rule table, command, spec field and reader (the docs are
part of the specification)."""

from __future__ import annotations

import csv
import dataclasses

import pytest

from patentreach.cli.transfers import app
from patentreach.model.transfers import ConveyanceType
from patentreach.transfers import DIMENSIONS, TransferSpec
from tests.conftest import REPO

DOC = (REPO / "docs" / "transfers.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", [t.value for t in ConveyanceType])
def test_every_conveyance_type_is_documented(value):
    assert f"| `{value}` |" in DOC


def test_every_command_spec_field_dimension_and_basis_is_documented():
    commands = [c.name for c in app.registered_commands]
    assert commands == ["flows", "owner-shares", "counterparties", "records", "conveyances"]
    missing = [c for c in commands if f"stats transfers {c}" not in DOC and f"({c})" not in DOC and f"`{c}`" not in DOC]
    assert missing == []
    assert [f.name for f in dataclasses.fields(TransferSpec) if f"`{f.name}`" not in DOC] == []
    assert [d for d in DIMENSIONS if f"`{d}`" not in DOC] == []
    assert [b for b in ("printed", "publication", "other_publication", "other_transfer") if f"`{b}`" not in DOC] == []


def test_every_event_code_row_is_documented():
    path = REPO / "patentreach" / "sources" / "ops" / "legal_event_codes.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    coded = [(r["office"], r["code"]) for r in rows if r["code"] != "*"]
    assert [(o, c) for o, c in coded if f"| {o} | {c} |" not in DOC] == []
    assert sum(1 for r in rows if r["code"] == "*") == DOC.count("| any |")


@pytest.mark.parametrize("reader", ["uspto-assignment-xml", "uspto-assignment-api", "uspto-odp-json", "epo-ops-xml",
                                    "lens-csv"])
def test_every_transfer_reader_is_documented(reader):
    assert f"| `{reader}` |" in DOC
