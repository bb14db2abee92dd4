"""``stats compare`` on the real samples: the warehouse's figure beside CNIPA table 6-2 per office,
the differences of definition as sentences, the coverage, and the plain "cannot reproduce" verdict.

The warehouse is ``sample_warehouse`` (USPTO weekly grant samples 2005-2012, EPO DOCDB/OPS/EP
publication samples; see conftest.py): of 2021 it holds one invention grant, at the EPO (origin CH),
so every CN-origin count is 0 and 71 of the 72 offices hold nothing for 2021.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.indicators.choices import SpecError
from patentreach.indicators.compare import compare
from patentreach.indicators.compare_definitions import closest_spec
from patentreach.indicators.compare_request import comparison_request

runner = CliRunner()
CNIPA = "cnipa-yearbook-2022-t6-2"
VERDICT_2021 = (
    "The warehouse cannot reproduce the published figure: it holds grants of 2021 for 1 of the 72 offices (EP), "
    "which carry 6,864 of the 53,770 published (12.8%); it counts 0 CN-origin invention grants of 2021 against "
    "53,770 published (0.0%). EP: 0 vs 6,864 published. Why: at those offices it holds 1 grant of 2021 of any "
    "origin, fewer than the published count of this origin alone (6,864): its 2021 data is partial (a sample), "
    "not full data."
)
MAJOR = ["AU", "BR", "CA", "EP", "GB", "HK", "ID", "IN", "JP", "KR", "LU", "RU", "SG", "US", "ZA"]


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def _refused(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def cnipa_2021(sample_warehouse):
    from patentreach.warehouse.engines import connect

    with connect(sample_warehouse) as engine:
        return compare(engine, sample_warehouse, comparison_request(CNIPA, None, None, None))


def test_every_office_of_table_6_2_is_compared_with_exact_warehouse_counts(cnipa_2021) -> None:
    rows = {row["office"]: row for row in cnipa_2021.rows}
    assert len(rows) == 73 and list(rows)[-1] == "(total)"
    assert rows["EP"] == {
        "office": "EP", "name": "European Patent Office", "published": 6864, "warehouse": 0, "difference": -6864,
        "ratio": 0.0, "published_direct": 1513, "warehouse_direct": 0, "published_pct": 5351, "warehouse_pct": 0,
        "held": 1, "without_origin": 0, "other_all_years": 12, "status": "holds grants of 2021"}
    assert rows["US"]["published"] == 23705 and rows["US"]["warehouse"] == 0 and rows["US"]["held"] == 0
    assert rows["US"]["status"] == "no grants of 2021"
    assert [office for office, row in rows.items() if row["held"]] == ["EP", "(total)"]


def test_the_total_row_is_the_published_total_beside_the_warehouse_total(cnipa_2021) -> None:
    total = cnipa_2021.rows[-1]
    assert {k: total[k] for k in ("name", "published", "warehouse", "difference", "ratio", "published_direct",
                                  "published_pct", "held", "without_origin", "status")} == {
        "name": "Total (all offices)", "published": 53770, "warehouse": 0, "difference": -53770, "ratio": 0.0,
        "published_direct": 26251, "published_pct": 27519, "held": 1, "without_origin": 0,
        "status": "1 of 72 offices hold grants of 2021"}


def test_the_verdict_says_plainly_that_the_sample_cannot_reproduce_the_national_total(cnipa_2021) -> None:
    assert cnipa_2021.verdict_kind == "cannot_reproduce"
    assert cnipa_2021.verdict == VERDICT_2021


def test_each_definitional_difference_is_a_sentence(cnipa_2021) -> None:
    sentences = {d["aspect"]: d["sentence"] for d in cnipa_2021.differences}
    assert list(sentences) == ["What is counted", "Origin rule", "Counting", "Hong Kong", "Applicant types", "Offices",
                               "Date basis", "Route"]
    assert sentences["Hong Kong"] == (
        "Hong Kong (same definition): published: Hong Kong is one of the 72 offices (3,446 grants): grants in HK count "
        "as overseas; MO and TW are not listed as offices; warehouse: grants at HK as abroad for CN origin too (scope "
        "abroad: any office other than the origin's own); HK is among the compared offices.")
    assert sentences["Offices"] == (
        "Offices (different definitions): published: the 72 offices listed (all offices that granted mainland-Chinese "
        "applicants inventions in 2021, as reported by WIPO); warehouse: every office of the table: 72 offices, and "
        "holds grants of 2021 for 1 of them (EP).")
    assert sentences["Origin rule"].startswith("Origin rule (same definition): published: residence of the "
                                               "first-named applicant")
    assert "all applicants (no sector filter" in sentences["Applicant types"]
    assert sentences["Date basis"] == ("Date basis (same definition): published: year of grant (2021); warehouse: "
                                       "publication date of the counted document (the grant date for grants).")


def test_coverage_names_the_offices_with_data_and_the_indicator_notes(cnipa_2021) -> None:
    coverage = cnipa_2021.coverage
    assert coverage["offices_with_data"] == ["EP"] and len(coverage["offices_without_data"]) == 71
    assert coverage["notes"][:3] == [
        "Coverage: the warehouse holds grants of 2021 for 1 of the 72 compared offices (EP); 71 offices have none.",
        "Coverage: 0 of the 1 grant of 2021 held at the compared offices (0.0%) have no origin country under the "
        "first-applicant rule and count for no origin.",
        "Nothing counted: none of the 1 invention grants in the selection has origin CN under the "
        "first-applicant rule.",
    ]
    assert "typed 'other'" in coverage["notes"][3]


def test_the_warehouse_side_is_the_stats_outbound_definition(cnipa_2021) -> None:
    warehouse = cnipa_2021.warehouse
    assert warehouse["indicator"] == "outbound"
    assert (warehouse["origin"], warehouse["origin_rule"], warehouse["counting"], warehouse["basis"],
            warehouse["scope"], warehouse["years"], warehouse["by"]) == (
        ["CN"], "first_applicant", "whole", "grant", "abroad", [2021, 2021], ["office", "route"])


def test_closest_definitions_follow_each_published_table() -> None:
    ncses = closest_spec(comparison_request("ncses-sinv4", None, None, None))
    assert (ncses.origin, ncses.origin_rule, ncses.counting, ncses.offices, ncses.years, ncses.scope) == (
        ("CN", "HK"), "inventors", "fractional", ("US",), (2022, 2022), "all")
    epo = closest_spec(comparison_request("epo-patent-index", "cn", 2021, None))
    assert (epo.stage, epo.basis, epo.offices, epo.by) == ("applications", "filing", ("EP",), ("office",))


def test_major_offices_are_the_group_members_the_table_lists() -> None:
    request = comparison_request(CNIPA, "CN", 2021, "major")
    assert list(request.offices) == MAJOR and request.dropped == ("CN",) and not request.all_offices


@pytest.mark.parametrize(("args", "message"), [
    (("nope", None, None, None), "published table 'nope' is not known; choose from cnipa-yearbook-2022-t6-2, "
                                 "epo-patent-index, ncses-sinv4"),
    ((CNIPA, "US", None, None), "origin 'US' is not in cnipa-yearbook-2022-t6-2; choose from CN"),
    ((CNIPA, None, 2020, None), "year 2020 is not in cnipa-yearbook-2022-t6-2 for origin CN; choose from 2021"),
    ((CNIPA, None, None, "US,XX"), "office 'XX' is not in cnipa-yearbook-2022-t6-2 (CN, 2021)"),
])
def test_a_slice_the_table_does_not_hold_is_refused_with_the_valid_values(args, message) -> None:
    with pytest.raises(SpecError) as caught:
        comparison_request(*args)
    assert str(caught.value).startswith(message)


def test_cli_json_carries_both_definitions_rows_and_verdict(sample_warehouse) -> None:
    data = json.loads(_run("stats", "compare", "--published", CNIPA, "--origin", "CN", "--year", "2021",
                           "-w", str(sample_warehouse.root), "--format", "json"))
    assert data["published"]["origin_rule"] == "first_applicant" and data["published"]["hong_kong"] == "office_overseas"
    assert data["published"]["source_url"] == "https://english.cnipa.gov.cn/jianbao/year2022/f/f2.html"
    assert "46,000" in data["published"]["not_known"]
    assert data["published"]["total"] == {
        "office": "*", "value": 53770, "direct": 26251, "pct_national_phase": 27519, "verified": "yes",
        "note": "published total row; the 72 office rows sum to it"}
    assert len(data["published"]["figures"]) == 72
    assert data["warehouse"]["label"].startswith("CN-origin invention patents (granted patents), abroad")
    assert data["rows"][-1]["published"] == 53770 and data["verdict"] == VERDICT_2021
    assert data["thresholds"]["cannot_reproduce_below"] == 0.5


def test_cli_csv_has_the_sentences_as_comments_then_the_rows(sample_warehouse, tmp_path) -> None:
    text = _run("stats", "compare", "--published", CNIPA, "--offices", "EP,US", "-w", str(sample_warehouse.root),
                "-f", "csv")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments[-1].startswith("# Verdict: The warehouse cannot reproduce the published figure: it holds grants "
                                   "of 2021 for 1 of the 2 offices (EP), which carry 6,864 of the 30,569 published")
    rows = list(csv.DictReader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    assert [(r["office"], r["published"], r["warehouse"], r["difference"], r["held"]) for r in rows] == [
        ("EP", "6864", "0", "-6864", "1"), ("US", "23705", "0", "-23705", "0"),
        ("(total)", "30569", "0", "-30569", "1")]
    _run("stats", "compare", "--published", CNIPA, "--offices", "EP,US", "-w", str(sample_warehouse.root),
         "--out", str(tmp_path / "c.csv"))
    assert (tmp_path / "c.csv").read_text(encoding="utf-8") == text
    _run("stats", "compare", "--published", CNIPA, "-w", str(sample_warehouse.root), "--out", str(tmp_path / "c.json"))
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["verdict"] == VERDICT_2021


def test_cli_table_shows_the_figures_and_every_sentence(sample_warehouse) -> None:
    out = _run("stats", "compare", "--published", CNIPA, "--offices", "major", "-w", str(sample_warehouse.root))
    assert "│ EP      │ 6864      │ 0" in out and "│ (total) │ 51078     │ 0" in out
    assert "Hong Kong (same definition)" in out and "not in the table, so not compared: CN" in out
    assert "Verdict: The warehouse cannot reproduce the published figure: it holds grants of 2021 for 1 of the 15 " \
           "offices (EP)" in " ".join(out.split())


def test_cli_list_shows_the_published_tables() -> None:
    out = _run("stats", "compare", "--list", "-f", "csv")
    assert [row["table"] for row in csv.DictReader(io.StringIO(out))] == [CNIPA, "epo-patent-index", "ncses-sinv4"]


@pytest.mark.parametrize(("args", "message"), [
    (("--published", "cnipa-2021"), "error: published table 'cnipa-2021' is not known; choose from "
                                    "cnipa-yearbook-2022-t6-2, epo-patent-index, ncses-sinv4"),
    (("--published", CNIPA, "--offices", "XX"), "error: office 'XX' is not in cnipa-yearbook-2022-t6-2 (CN, 2021)"),
    (("--published", "ncses-sinv4", "--origin", "FR"), "error: origin 'FR' is not in ncses-sinv4; choose from CN, "
                                                       "US, JP, KR, DE, IN"),
    ((), "error: --published NAME is needed (or --list to see the published tables)"),
])
def test_cli_unknown_table_office_or_origin_is_exit_2_with_the_valid_names(sample_warehouse, args, message) -> None:
    assert _refused("stats", "compare", *args, "-w", str(sample_warehouse.root)).startswith(message)


def test_warehouse_counts_are_those_of_stats_outbound_and_routes_add_up(mini_warehouse) -> None:
    """On the seeded synthetic warehouse (non-zero counts): each office's warehouse figure is the
    `stats outbound` cell under the same switches, and direct + PCT national phase = the office's count."""
    root = str(mini_warehouse.root)
    data = json.loads(_run("stats", "compare", "--published", CNIPA, "--offices", "major", "-w", root, "-f", "json"))
    outbound = json.loads(_run("stats", "outbound", "-w", root, "--origin", "CN", "--years", "2021", "--offices",
                               ",".join(MAJOR), "--by", "office", "-f", "json"))
    expected = {row["office"]: row["count"] for row in outbound["rows"]}
    rows = data["rows"][:-1]
    assert {r["office"]: r["warehouse"] for r in rows if r["warehouse"]} == expected
    assert sum(expected.values()) == data["rows"][-1]["warehouse"] > 0
    for row in data["rows"]:
        assert row["warehouse_direct"] + row["warehouse_pct"] == row["warehouse"]
        assert row["difference"] == row["warehouse"] - row["published"]
