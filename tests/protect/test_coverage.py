"""Coverage per product line x market: protected, pending, unconfirmed or none, and why."""

from __future__ import annotations

from datetime import date

from patentreach.protect.coverage import coverage_matrix, family_effect
from patentreach.protect.portfolio import Family, Filing
from tests.protect.builders import markets, portfolio

AS_OF = date(2026, 6, 1)


def test_a_national_grant_is_assumed_in_force_until_twenty_years_from_filing(tmp_path):
    held = portfolio(tmp_path, "F1,2015-06-10,US,granted,15/1,2016-06-07,direct,2018-11-06,,,,,,,")
    effect = family_effect(held.families["F1"], "US", AS_OF)
    assert effect.status == "protected"
    assert effect.note == ("US application 15/1, granted 2018-11-06; assumed in force (no lapse data); "
                           "term to 2036-06-07")
    assert family_effect(held.families["F1"], "US", date(2036, 6, 7)).status == "none"


def test_a_pct_national_phase_term_runs_from_the_international_filing_date(tmp_path):
    held = portfolio(tmp_path, "F1,2015-06-10,US,granted,15/1,2017-12-10,pct,2019-01-08,PCT/1,2016-06-09,,,,,")
    assert family_effect(held.families["F1"], "US", AS_OF).expires == date(2036, 6, 9)


def test_an_ep_grant_covers_only_the_validated_states(tmp_path):
    held = portfolio(tmp_path, "F1,2015-06-10,EP,granted,EP1,2016-06-08,direct,2019-09-18,,,,DE;FR,no,,")
    family = held.families["F1"]
    assert family_effect(family, "DE", AS_OF).status == "protected"
    assert family_effect(family, "IT", AS_OF).status == "none"
    assert family_effect(family, "IT", AS_OF).note == "EP EP1 (contracting state): granted, not validated in IT"


def test_unitary_effect_covers_the_states_participating_on_the_grant_date(tmp_path):
    early = portfolio(tmp_path, "F1,2022-01-10,EP,granted,EP1,2023-01-09,direct,2024-06-05,,,,,yes,,",
                      name="early.csv").families["F1"]
    late = portfolio(tmp_path, "F1,2022-01-10,EP,granted,EP1,2023-01-09,direct,2024-10-02,,,,,yes,,",
                     name="late.csv").families["F1"]
    assert family_effect(early, "DE", AS_OF).status == "protected"
    assert family_effect(early, "RO", AS_OF).status == "none"  # Romania joined on 1 September 2024
    assert family_effect(late, "RO", AS_OF).status == "protected"
    assert family_effect(late, "ES", AS_OF).status == "none"  # Spain does not take part


def test_an_oapi_grant_covers_every_member_state(tmp_path):
    held = portfolio(tmp_path, "F1,2020-01-10,OA,granted,OA1,2021-01-08,direct,2023-02-01,,,,,,,")
    family = held.families["F1"]
    assert [family_effect(family, c, AS_OF).status for c in ("SN", "CM", "CI", "NG")] == [
        "protected", "protected", "protected", "none"]


def test_a_pending_application_makes_the_market_pending(tmp_path):
    held = portfolio(tmp_path, "F1,2024-01-31,EP,pending,EP1,2025-01-30,direct,,,,,,,,")
    effect = family_effect(held.families["F1"], "MA", AS_OF)  # Morocco: validation state since 2015
    assert effect.status == "pending"
    assert "only if the validation/extension fee was paid" in effect.note


def test_a_warehouse_ep_grant_without_validation_data_is_unconfirmed():
    filing = Filing("F1", "EP", "direct", "granted", "EP1", date(2020, 1, 1), date(2023, 1, 1),
                    validations_known=False)
    family = Family("F1", date(2019, 1, 1), (filing,))
    assert family_effect(family, "DE", AS_OF).status == "unconfirmed"


def test_the_best_family_decides_the_product_line(tmp_path):
    held = portfolio(
        tmp_path,
        "F1,2015-06-10,US,granted,15/1,2016-06-07,direct,2018-11-06,,,,,,,",
        "F2,2024-01-31,CN,pending,CN2,2024-01-31,direct,,,,,,,,",
    )
    found = markets(tmp_path, held, "pumps,US,8413,100,USD,F1;F2", "pumps,JP,8413,50,USD,", "valves,US,,,,")
    cells = coverage_matrix(held, found, AS_OF)
    assert [(c.product_line, c.market, c.status, c.families) for c in cells] == [
        ("pumps", "US", "protected", ("F1", "F2")),
        ("pumps", "JP", "none", ("F1", "F2")),
        ("valves", "US", "none", ()),
    ]
    assert cells[2].notes == ("no family of the portfolio covers this product line",)
