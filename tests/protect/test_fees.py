"""Official fees per route from the dated fee table: in the office's currency, labelled official
fees only, unknown amounts shown as unknown and never as zero."""

from __future__ import annotations

import pytest

from patentreach.protect.fees import estimate_fee
from patentreach.refdata.official_fees import read_fee_file


def test_a_direct_us_filing_adds_filing_search_examination_and_issue_fees():
    fee = estimate_fee("paris_national", "US", "US")
    assert (fee.status, fee.amount, fee.currency) == ("known", 3290.0, "USD")
    assert fee.text() == "USD 3,290 (official fees only)"
    assert fee.as_dict()["effective_from"] == ["2025-01-19"]
    assert fee.as_dict()["table_checked"] == "2026-11-25"


def test_an_unknown_item_makes_the_total_partial_not_complete():
    fee = estimate_fee("pct_regional", "EP", "DE")
    assert (fee.status, fee.amount, fee.currency) == ("partial", 3815.0, "EUR")
    assert fee.text() == "at least EUR 3,815 (official fees only, partial)"
    assert "Supplementary European search fee" in fee.note


def test_a_validation_state_adds_its_validation_fee():
    assert estimate_fee("regional_direct", "EP", "GE").amount == 135 + 1520 + 685 + 1915 + 1080 + 200
    assert estimate_fee("regional_direct", "EP", "DE").amount == 135 + 1520 + 685 + 1915 + 1080


def test_a_route_without_fees_in_the_table_is_unknown_never_zero():
    fee = estimate_fee("pct_national", "VN", "VN")
    assert (fee.status, fee.amount, fee.currency) == ("unknown", None, None)
    assert fee.text() == "unknown (official fees only)"
    canada = estimate_fee("pct_national", "CA", "CA")  # the snapshot has only a pre-2024 base amount
    assert (canada.status, canada.amount) == ("unknown", None)


def test_per_claim_fees_are_named_not_guessed():
    fee = estimate_fee("pct_national", "JP", "JP")
    assert (fee.status, fee.amount) == ("partial", 152000.0)
    assert "138,000 + 4,000 per claim" in fee.note


def test_a_user_fee_table_replaces_the_packaged_one(tmp_path):
    path = tmp_path / "fees.csv"
    path.write_text(
        "office_code,item,amount,currency,routes,effective_from,source\n"
        "VN,National phase entry,3500000,VND,pct_national,2026-01-01,my agent's quote\n",
        encoding="utf-8",
    )
    table = read_fee_file(path)
    fee = estimate_fee("pct_national", "VN", "VN", table)
    assert (fee.status, fee.amount, fee.currency) == ("known", 3500000.0, "VND")
    assert estimate_fee("paris_national", "US", "US", table).status == "unknown"


def test_a_user_fee_table_without_the_required_columns_is_refused(tmp_path):
    path = tmp_path / "fees.csv"
    path.write_text("office,item,amount,currency\nUSPTO,x,1,USD\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['office_code', 'routes'\]"):
        read_fee_file(path)
