"""The published tables of ``stats compare``: values as published, totals that add up, and each
table's definition filled in (what is counted, origin rule, Hong Kong, date basis, source)."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from patentreach.refdata.offices import offices
from patentreach.refdata.published import ALL, VERIFIED, figures, published_table, published_tables, table_names
from tests.conftest import shared_path

CNIPA = "cnipa-yearbook-2022-t6-2"


def _office_rows(name: str, year: int, origin: str = "CN") -> list:
    return [f for f in figures(name) if f.year == year and f.origin == origin and f.office != ALL]


def _total(name: str, year: int, office: str = ALL, origin: str = "CN"):
    (row,) = [f for f in figures(name) if f.year == year and f.office == office and f.origin == origin]
    return row


def test_three_published_tables_are_known() -> None:
    assert table_names() == ["cnipa-yearbook-2022-t6-2", "epo-patent-index", "ncses-sinv4"]


def test_cnipa_table_6_2_has_72_offices_that_sum_to_the_published_totals() -> None:
    rows = _office_rows(CNIPA, 2021)
    total = _total(CNIPA, 2021)
    assert len(rows) == 72
    assert (total.value, total.direct, total.pct_national_phase) == (53_770, 26_251, 27_519)
    assert sum(r.value for r in rows) == 53_770
    assert sum(r.direct for r in rows) == 26_251
    assert sum(r.pct_national_phase for r in rows) == 27_519
    assert all(r.value == r.direct + r.pct_national_phase for r in rows)


def test_cnipa_rows_equal_the_shared_copy_of_the_yearbook_table() -> None:
    path = shared_path("reference", "published", "cnipa_yearbook2022_t6-2_overseas_invention_grants_2021.csv")
    with path.open(encoding="utf-8") as handle:
        shared = {r["office"]: (int(r["grants_total"]), int(r["direct"]), int(r["pct_national_phase"]),
                                r["office_name"]) for r in csv.DictReader(handle)}
    ours = {r.office: (r.value, r.direct, r.pct_national_phase, r.label) for r in _office_rows(CNIPA, 2021)}
    assert ours == shared
    assert ours["US"][:3] == (23_705, 15_501, 8_204) and ours["HK"][:3] == (3_446, 3_446, 0)


def test_every_cnipa_office_is_a_known_office_code() -> None:
    assert {r.office for r in _office_rows(CNIPA, 2021)} <= set(offices())


def test_cnipa_definition_says_hk_is_overseas_and_what_is_not_known() -> None:
    table = published_table(CNIPA)
    assert (table.measure, table.counting, table.origin_rule, table.date_basis, table.scope) == (
        "grants", "whole", "first_applicant", "grant", "abroad")
    assert table.hk == "office_overseas" and table.route_split and table.applicant_types == "all"
    assert table.source_url == "https://english.cnipa.gov.cn/jianbao/year2022/f/f2.html"
    assert "46,000" in table.not_known and "50,324" in table.not_known


def test_ncses_sinv4_china_2021_is_24471_fractional_by_inventor_with_hong_kong() -> None:
    table = published_table("ncses-sinv4")
    assert (table.counting, table.origin_rule, table.hk, table.measure) == ("fractional", "inventors", "in_china",
                                                                            "grants")
    assert _total("ncses-sinv4", 2021, office="US").value == 24_471
    assert _total("ncses-sinv4", 2021, office="US", origin=ALL).value == 329_097
    assert sorted({f.year for f in figures("ncses-sinv4")}) == list(range(2015, 2023))
    assert {f.office for f in figures("ncses-sinv4")} == {"US"}


def test_epo_patent_index_figures_with_the_derived_2020_value_marked() -> None:
    table = published_table("epo-patent-index")
    assert (table.measure, table.date_basis, table.scope, table.hk) == ("applications", "filing", "all", "not_known")
    values = {(f.year, f.origin): f for f in figures("epo-patent-index")}
    assert {k: v.value for k, v in values.items()} == {
        (2011, "CN"): 3_751, (2020, "CN"): 13_436, (2021, "CN"): 16_665, (2022, "CN"): 19_041,
        (2021, ALL): 188_600, (2022, ALL): 193_460}
    assert values[(2020, "CN")].value == 16_665 - 3_229 and "derived" in values[(2020, "CN")].note
    assert round(100 * 19_041 / values[(2022, ALL)].value, 1) == 9.8


@pytest.mark.parametrize("name", ["cnipa-yearbook-2022-t6-2", "epo-patent-index", "ncses-sinv4"])
def test_every_table_and_figure_says_its_source_and_checked_date(name: str) -> None:
    table = published_tables()[name]
    for text in (table.title, table.origin_text, table.hk_text, table.offices_covered, table.date_text,
                 table.route_text, table.source_url, table.not_known, table.source):
        assert text
    assert date.fromisoformat(table.checked) and table.verified in VERIFIED
    for figure in figures(name):
        assert figure.source and date.fromisoformat(figure.checked) and figure.verified in VERIFIED


def test_an_unknown_table_names_the_valid_ones() -> None:
    with pytest.raises(KeyError, match="choose from cnipa-yearbook-2022-t6-2, epo-patent-index, ncses-sinv4"):
        published_table("cnipa-2021")
