"""The filing-rules tables in the package keep every source and every NOT VERIFIED mark of the
shared research they come from."""

from __future__ import annotations

import csv

from patentreach.refdata import loader
from patentreach.refdata.deadline_rules import deadline_rules
from patentreach.refdata.pct_limits import pct_limit, pct_limits
from tests.conftest import shared_path
from tests.protect.filing_rules_derivation import derive_pct_limits


def test_pct_limits_are_the_shared_table_with_checked_and_verified_added():
    shared = shared_path("reference", "filing-rules", "pct_national_phase_limits.csv")
    packaged = loader.package_path("pct_national_phase_limits")
    assert packaged.read_text("utf-8") == derive_pct_limits(shared)


def test_every_not_verified_research_row_stays_not_verified():
    shared = shared_path("reference", "filing-rules", "pct_national_phase_limits.csv")
    with shared.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if not row["verification"].startswith("verified"):
            assert pct_limit(row["office_code"]).verified == "NOT VERIFIED", row["office_code"]
    assert len(pct_limits()) == len(rows) == 160


def test_closed_national_routes_give_no_national_months():
    for code in ("FR", "NL", "SN", "LI", "SZ"):
        limit = pct_limit(code)
        assert not limit.national_open and limit.chapter1_months is None, code
    assert (pct_limit("EP").chapter1_months, pct_limit("OA").chapter1_months) == (31, 30)


def test_every_fee_snapshot_row_is_in_the_fee_table_with_its_source():
    shared = shared_path("reference", "filing-rules", "official_fees_snapshot.csv")
    with shared.open(encoding="utf-8") as handle:
        snapshot = list(csv.DictReader(handle))
    packaged = loader.load_table("official_fees")
    for row in snapshot:
        if row["item"] == "Validation fee GE / LA":  # split into one row per state
            assert {r["item"] for r in packaged} >= {"Validation fee GE", "Validation fee LA"}
            continue
        match = [r for r in packaged if r["item"] == row["item"] and r["office"] == row["office"]]
        assert len(match) == 1, row["item"]
        assert (match[0]["office"], match[0]["currency"], match[0]["source"]) == (
            row["office"], row["currency"], row["source"])
        assert match[0]["amount_text"] == row["amount"] or match[0]["amount"] == row["amount"]
        assert match[0]["verified"] == "NOT VERIFIED"  # secondary sources: re-check on the office's schedule


def test_every_deadline_rule_names_its_legal_basis_and_source():
    for rule in deadline_rules().values():
        assert rule.legal_basis and rule.source and rule.checked == "2026-11-25", rule.rule
        assert rule.verified in ("yes", "partly", "NOT VERIFIED")
