"""Cross-border flows on the real records, with every expected value counted by hand from the files.

In ad20160101.xml, TOYOTA MOTOR ENGINEERING & MANUFACTURING NORTH AMERICA, INC. assigns one patent
each to TOYOTA JIDOSHA KABUSHIKI KAISHA (JAPAN) in five records (reel/frames 037388/0686,
037389/0153, 037389/0179, 037389/0485, 037391/0604; executed 2015-12-02, 12-14, 11-19, 12-02,
12-14; all recorded 2015-12-31). The assignor has no address on the record; its own grant
US 9,358,892 B1 (in the warehouse) prints it in the US. No other assignment or licence of the
real files has both countries known and different: the other company assignors are unknown
(TEMPNOLOGY LLC, EFUN TECHNOLOGY CO., LTD. ...) or domestic (ACER, INCYTE, CAREY TASCA ...).
Among security interests and releases, two are cross-border: NCS MULTISTAGE INC. (CANADA on
its own change-of-name event, legal_example_3.xml) pledging to WELLS FARGO BANK (TEXAS), and
PACIFIC WESTERN BANK (NORTH CAROLINA on other records) releasing LOGICNOW LIMITED (SCOTLAND: GB)
on three patents. Mergers (35) and employer assignments (115) never count.
"""

from __future__ import annotations

from datetime import date

import pytest

from patentreach import refdata
from patentreach.transfers import TransferSpec, counterparties, flows, owner_shares, records

TEMA_TO_TOYOTA = ["USPTO-ASSIGN-037388-0686", "USPTO-ASSIGN-037389-0153", "USPTO-ASSIGN-037389-0179",
                  "USPTO-ASSIGN-037389-0485", "USPTO-ASSIGN-037391-0604"]
PLEDGES = ("assignment", "licence", "security_interest", "release")


def test_cross_border_assignments_and_licences_by_origin_and_destination(real_tables):
    assert flows(real_tables, TransferSpec()).rows == [
        {"origin": "US", "destination": "JP", "transactions": 5, "patents": 5}]


def test_with_security_interests_and_releases(real_tables):
    spec = TransferSpec(types=PLEDGES, by=("origin", "destination", "conveyance_type"))
    assert flows(real_tables, spec).rows == [
        {"origin": "CA", "destination": "US", "conveyance_type": "security_interest", "transactions": 1, "patents": 1},
        {"origin": "US", "destination": "GB", "conveyance_type": "release", "transactions": 1, "patents": 3},
        {"origin": "US", "destination": "JP", "conveyance_type": "assignment", "transactions": 5, "patents": 5},
    ]


def test_mergers_name_changes_and_employer_assignments_are_never_transfers(real_tables):
    every_pair = TransferSpec(cross_border_only=False, by=("conveyance_type",))
    assert [(r["conveyance_type"], r["transactions"]) for r in flows(real_tables, every_pair).rows] == [
        ("assignment", 28), ("licence", 1)]  # 27 + 1 Assignment Search; the licence of 037389/0228
    mergers = every_pair.with_(types=("merger",))
    assert [(r["conveyance_type"], r["transactions"]) for r in flows(real_tables, mergers).rows] == [("merger", 35)]


def test_date_basis_and_period(real_tables):
    by_year = TransferSpec(by=("origin", "destination", "year"))
    assert flows(real_tables, by_year).rows == [
        {"origin": "US", "destination": "JP", "year": 2015, "transactions": 5, "patents": 5}]
    recorded = TransferSpec(date_to=date(2015, 11, 30), by=())
    assert flows(real_tables, recorded).rows == [{"transactions": 0, "patents": 0}]
    executed = recorded.with_(date_basis="execution")  # only 037389/0179 was signed by 30 November
    assert flows(real_tables, executed).rows == [{"transactions": 1, "patents": 1}]


def test_belt_and_road_destinations_as_of_the_transfer_date(real_tables):
    spec = TransferSpec(destination_group="bri", by=("origin", "destination_group"))
    assert flows(real_tables, spec).rows == [
        {"origin": "US", "destination_group": "non-bri", "transactions": 5, "patents": 5}]
    # EFUN TECHNOLOGY CO., LTD. (country unknown) to MIGHTY ACE LIMITED (SAMOA, a Belt and Road partner)
    spec = spec.with_(cross_border_only=False, origin=(), destination=("WS",))
    assert flows(real_tables, spec).rows == [
        {"origin": "unknown", "destination_group": "bri", "transactions": 1, "patents": 1}]


def test_group_membership_is_dated(real_tables, tmp_path, monkeypatch):
    overrides = tmp_path / "refdata"
    overrides.mkdir()
    (overrides / "country_groups.csv").write_text(
        "group,country,role,valid_from,valid_to,source,checked\n"
        "test_partners,JP,partner,2016-01-01,,test,2026-11-25\n", encoding="utf-8")
    monkeypatch.setenv("PATENTREACH_REFDATA", str(overrides))
    refdata.reload()
    try:
        spec = TransferSpec(destination_group="test_partners", by=("destination_group",))
        assert flows(real_tables, spec).rows == [
            {"destination_group": "non-test_partners", "transactions": 5, "patents": 5}]  # recorded 2015-12-31
        later = spec.with_(date_basis="execution")
        assert flows(real_tables, later).rows == [
            {"destination_group": "non-test_partners", "transactions": 5, "patents": 5}]
    finally:
        monkeypatch.delenv("PATENTREACH_REFDATA")
        refdata.reload()


def test_drill_down_to_the_records_and_why_each_country(real_tables):
    result = records(real_tables, TransferSpec(), {"origin": "US", "destination": "JP"})
    assert [row["transfer_id"] for row in result.rows] == TEMA_TO_TOYOTA
    first = result.rows[0]
    assert (first["assignor"], first["origin"], first["origin_basis"]) == (
        "TOYOTA MOTOR ENGINEERING & MANUFACTURING NORTH AMERICA, INC.", "US", "other_publication")
    assert (first["assignee"], first["destination"], first["destination_basis"], first["patents"]) == (
        "TOYOTA JIDOSHA KABUSHIKI KAISHA", "JP", "printed", 1)
    pledges = records(real_tables, TransferSpec(types=PLEDGES), {"origin": "US", "destination": "GB"}).rows
    assert [(r["transfer_id"], r["assignor"], r["origin_basis"], r["patents"]) for r in pledges] == [
        ("USPTO-ASSIGN-037391-0918", "PACIFIC WESTERN BANK (AS SUCCESSOR IN INTEREST BY MERGER TO SQUARE 1 BANK)",
         "other_transfer", 3)]


def test_top_counterparties(real_tables):
    result = counterparties(real_tables, TransferSpec(origin=("US",)))
    assert result.rows == [
        {"name": "TOYOTA JIDOSHA KABUSHIKI KAISHA", "country": "JP", "transactions": 5, "patents": 5}]
    inbound = counterparties(real_tables, TransferSpec(destination=("JP",)), side="assignor").rows
    assert inbound == [{"name": "TOYOTA MOTOR ENGINEERING & MANUFACTURING NORTH AMERICA, INC.", "country": "US",
                        "transactions": 5, "patents": 5}]


def test_a_licence_whose_licensor_is_known_from_the_publication_it_concerns(edited_tables):
    spec = TransferSpec(by=("origin", "destination", "year", "field", "conveyance_type"))
    assert flows(edited_tables, spec).rows == [
        {"origin": "GB", "destination": "US", "year": 2015, "field": 29, "conveyance_type": "licence",
         "transactions": 1, "patents": 1},  # US 11,477,946 B2: first IPC A01G 9/02, other special machines
        {"origin": "US", "destination": "JP", "year": 2015, "field": None, "conveyance_type": "assignment",
         "transactions": 5, "patents": 5},  # their patents are not in the warehouse: no field
    ]
    (row,) = records(edited_tables, TransferSpec(), {"origin": "GB"}).rows
    assert (row["transfer_id"], row["assignor"], row["origin_basis"], row["assignee"]) == (
        "USPTO-ASSIGN-099999-0001", "INTERNATIONAL PLANT PROPAGATION TECHNOLOGY LTD", "publication",
        "CARDIAC SCIENCE, INC.")
    assert [r["transfer_id"] for r in records(edited_tables, TransferSpec(), {"field": 29}).rows] == [
        "USPTO-ASSIGN-099999-0001"]


def test_share_of_an_origins_owners_who_transferred_abroad(edited_tables):
    # GB organisations seen: JAGUAR LAND ROVER LIMITED and INTERNATIONAL PLANT PROPAGATION TECHNOLOGY LTD
    # (ipgb20221025), WELLS FARGO BANK ... LONDON BRANCH, ESPIER HOLDINGS LTD, ISIS INNOVATION LIMITED,
    # LOGICNOW LIMITED, SEMIWISE LIMITED (ad20160101 assignees): 7; one licensed abroad.
    result = owner_shares(edited_tables, TransferSpec(origin=("GB",)))
    assert result.rows == [{"origin": "GB", "owners": 7, "transferring_owners": 1, "share": 0.142857}]
    into_bri = owner_shares(edited_tables, TransferSpec(origin=("GB",), destination_group="bri")).rows
    assert into_bri == [{"origin": "GB", "owners": 7, "transferring_owners": 0, "share": 0.0}]


def test_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="unknown dimension"):
        TransferSpec(by=("colour",))
