"""The portfolio of a warehouse entity (``party_entity`` view) and third-party risk from the
warehouse, on a small warehouse of real samples."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.protect import EntityError, read_entity_portfolio
from patentreach.protect.coverage import family_effect
from patentreach.protect.risk import market_risk, open_warehouse
from patentreach.protect.routes import routes_for
from patentreach.warehouse import Warehouse

AS_OF = date(2026, 6, 1)


def test_an_entity_portfolio_groups_its_publications_into_families(sample_warehouse):
    held = read_entity_portfolio(sample_warehouse, "E-IPPT")
    assert held.owner == "INTERNATIONAL PLANT PROPAGATION TECHNOLOGY"
    assert sorted(held.families) == ["GB1801097", "PCT/GB2018/051623"]
    assert held.publications == ("US-11477946-B2", "US-11477947-B2")
    family = held.families["GB1801097"]
    assert (family.priority_date, family.priority_office, family.pct_number, family.pct_date) == (
        date(2018, 1, 23), "GB", "PCT/GB2019/050173", date(2019, 1, 22))
    assert family.ipc == ("A01G 9/02",)
    [filing] = family.filings
    assert (filing.office, filing.route, filing.status) == ("US", "pct", "granted")
    assert filing.grant_date == date(2022, 10, 25)
    effect = family_effect(family, "US", AS_OF)
    assert (effect.status, effect.expires) == ("protected", date(2039, 1, 22))  # 20 years from the PCT filing
    japan = [r for r in routes_for(family, "JP", AS_OF) if r.route == "pct_national"]
    assert [(r.status, r.deadline.date) for r in japan] == [("closed", date(2020, 7, 23))]


def test_a_warehouse_ep_grant_is_unconfirmed_without_designations(sample_warehouse):
    held = read_entity_portfolio(sample_warehouse, "E-GE")
    [family] = held.families.values()
    effect = family_effect(family, "DE", AS_OF)
    assert effect.status == "unconfirmed"
    assert "validation in DE not recorded" in effect.note


def test_an_unknown_entity_and_a_missing_entity_view_are_clear_errors(sample_warehouse, tmp_path):
    with pytest.raises(EntityError, match="entity 'NOPE' is not an applicant or assignee"):
        read_entity_portfolio(sample_warehouse, "NOPE")
    with pytest.raises(EntityError, match="no warehouse here"):
        read_entity_portfolio(Warehouse(tmp_path / "none"), "E-IPPT")


def test_risk_lists_grants_in_force_in_the_market_sharing_a_main_group(sample_warehouse):
    con = open_warehouse(sample_warehouse)
    risk = market_risk(con, "transformers", "DE", ["H01F 27/40"], AS_OF)
    assert risk.publications == 1
    [hit] = risk.top
    assert {k: hit[k] for k in ("pub_id", "office", "shared_main_groups", "owner", "in_force", "term_ends")} == {
        "pub_id": "EP-3404678-B1",
        "office": "EP",
        "shared_main_groups": ["H01F 27"],
        "owner": "GENERAL ELECTRIC",  # the harmonised name from party_entity
        "in_force": "assumed (via EP; validation not known)",
        "term_ends": "2037-05-17",
    }
    assert risk.top_owners == ({"owner": "GENERAL ELECTRIC", "grants": 1},)


def test_risk_respects_the_regional_membership_on_the_filing_date_and_the_term(sample_warehouse):
    con = open_warehouse(sample_warehouse)
    # filed 2017: before Georgia's validation agreement, so it cannot be in force there
    assert market_risk(con, "x", "GE", ["H01F 27/40"], AS_OF).publications == 0
    # EP-1019261-B1 (B60L 7/26) was filed in 1998: its term ended in 2018
    assert market_risk(con, "x", "DE", ["B60L 7/26"], AS_OF).publications == 0
    assert market_risk(con, "x", "DE", ["B60L 7/26"], date(2015, 1, 1)).publications == 1


def test_risk_leaves_out_the_enterprises_own_publications(sample_warehouse):
    con = open_warehouse(sample_warehouse)
    symbols = ["A01G 9/02", "A01G 9/029"]
    assert market_risk(con, "x", "US", symbols, AS_OF).publications == 3
    own = ("US-11477946-B2", "US-11477947-B2")
    risk = market_risk(con, "x", "US", symbols, AS_OF, exclude=own)
    assert [(hit["pub_id"], hit["owner"]) for hit in risk.top] == [
        ("US-11477945-B2", "CURRENT LIGHTING SOLUTIONS, LLC"),  # the printed name: no entity row for it
    ]
