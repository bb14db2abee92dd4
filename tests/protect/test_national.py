"""``protect national``: the share of exporters with no patent in force in any / in every one of
their export markets, by sector, size and market, with the matching rate (issue 21)."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from patentreach.legal.status_model import LAPSED, RightStatus
from patentreach.protect import InputError
from patentreach.protect.exporters import Exporter, read_exporters
from patentreach.protect.legal_status import apply_statuses
from patentreach.protect.national import national_from_warehouse, national_indicator
from patentreach.protect.national_files import share_rows, write_national
from tests.protect.builders import portfolio

AS_OF = date(2026, 6, 1)
EXPORTERS = [
    Exporter("X1", "Acme Pumps", ("DE", "US"), "private", "small"),
    Exporter("X2", "Beta Valves", ("DE",), "private", "large"),
    Exporter("X3", "Gamma Tools", ("US", "JP"), "state", "small"),
    Exporter("X4", "Delta Fans", ("DE",), "state", "large"),
]


def _holdings(tmp_path):
    us_grant = portfolio(tmp_path, "F1,2015-03-02,US,granted,14000001,2016-03-01,direct,2018-01-09", name="x1.csv")
    de_grant = portfolio(tmp_path, "F2,2015-03-02,DE,granted,102016000001,2016-03-01,direct,2018-01-09",
                         name="x2.csv")
    pending = portfolio(tmp_path, "F3,2024-03-02,US,pending,18000001,2024-03-02,direct,", name="x3.csv")
    return {"X1": us_grant, "X2": de_grant, "X3": pending}  # X4: not matched


def _row(report, breakdown, group):
    return next(row.as_dict() for row in report.rows if (row.breakdown, row.group) == (breakdown, group))


def test_shares_over_all_exporters_and_over_the_matched_ones(tmp_path):
    report = national_indicator(EXPORTERS, _holdings(tmp_path), AS_OF)
    assert [(r.exporter.exporter_id, r.protected_markets) for r in report.results] == [
        ("X1", ("US",)), ("X2", ("DE",)), ("X3", ()), ("X4", ())]
    assert _row(report, "all", "all") == {
        "breakdown": "all", "group": "all", "exporters": 4, "matched": 3, "matching_rate": 0.75,
        "share_none": 0.5,  # X3 (only a pending application), X4 (unmatched)
        "share_not_all": 0.75,  # X1 (not DE), X3, X4
        "share_none_matched": 0.3333, "share_not_all_matched": 0.6667}
    assert report.matching_rate == 0.75
    assert [exporter.exporter_id for exporter, _ in report.unmatched] == ["X4"]


def test_by_sector_size_and_market(tmp_path):
    report = national_indicator(EXPORTERS, _holdings(tmp_path), AS_OF)
    state = _row(report, "sector", "state")
    assert (state["exporters"], state["share_none"], state["share_none_matched"]) == (2, 1.0, 1.0)
    small = _row(report, "size", "small")
    assert (small["exporters"], small["share_none"], small["share_not_all"]) == (2, 0.5, 1.0)
    de = _row(report, "market", "DE")  # X1, X2, X4 export to DE; X1 and X4 hold nothing in force there
    assert (de["exporters"], de["matched"], de["share_none"], de["share_none_matched"]) == (3, 2, 0.6667, 0.5)
    jp = _row(report, "market", "JP")
    assert (jp["exporters"], jp["share_none"]) == (1, 1.0)


def test_a_lapsed_patent_is_not_in_force(tmp_path):
    held = _holdings(tmp_path)
    held["X2"] = apply_statuses(held["X2"], [RightStatus("DE", "102016000001", AS_OF, LAPSED,
                                                         since=date(2025, 1, 1))], "test")
    report = national_indicator(EXPORTERS, held, AS_OF)
    assert _row(report, "all", "all")["share_none"] == 0.75


def test_files_are_neutralised_and_localised(tmp_path):
    exporters = [*EXPORTERS[:3], Exporter("X4", "=HYPERLINK(1)", ("DE",), "state", "large")]
    report = national_indicator(exporters, _holdings(tmp_path), AS_OF)
    written = write_national(report, tmp_path / "out", "zh")
    assert [path.name for path in written] == ["national.csv", "unmatched.csv", "national.json"]
    with written[1].open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "出口企业" and rows[1][1] == "'=HYPERLINK(1)"
    data = json.loads(written[2].read_text("utf-8"))
    assert data["matching_rate"] == 0.75 and data["shares"][0]["share_not_all"] == 0.75
    assert share_rows(report, "zh")[0][:2] == ("全部", "全部")


def test_a_bad_exporters_file_lists_every_problem(tmp_path):
    path = tmp_path / "ex.csv"
    path.write_text("exporter_id,name,markets\nX1,Acme,DE;XX\nX1,,\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_exporters(path)
    assert raised.value.problems == [
        "ex.csv, row 2, column markets: 'XX' is not a current ISO 3166 alpha-2 country code",
        "ex.csv, row 3, column exporter_id: 'X1' is already on row 2",
        "ex.csv, row 3, column name: a name is required (it is matched to the patent applicants)",
        "ex.csv, row 3, column markets: at least one export market is required (ISO codes, e.g. DE; US)",
    ]


def test_exporters_match_a_real_warehouse_by_id_and_by_normalised_name(harmonised_warehouse):
    from patentreach.warehouse import connect

    con = connect(harmonised_warehouse)
    try:
        entity_id, name, office = con.execute(
            "SELECT e.entity_id, e.name, any_value(p.office) FROM entities e JOIN party_entity pe USING (entity_id) "
            "JOIN publications p USING (pub_id) WHERE pe.role IN ('applicant', 'assignee') "
            "AND p.doc_type = 'invention_grant' GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
    finally:
        con.close()
    market = office if office not in ("EP", "WO") else "DE"
    exporters = [Exporter("A", name.lower() + " ,", (market,)),
                 Exporter("B", "whatever", (market,), entity_id=entity_id),
                 Exporter("C", "No Such Exporter Zzyzx", (market,))]
    report = national_from_warehouse(exporters, harmonised_warehouse, AS_OF)
    assert (report.matches["A"].how, report.matches["B"].how, report.matches["C"].how) == ("name", "id", "")
    assert entity_id in report.matches["A"].entity_ids
    assert report.matching_rate == 0.6667
    assert report.unmatched[0][1] == "no applicant with this normalised name"


def test_the_catalog_translates_every_word_and_clashes_with_no_other_catalog():
    from pathlib import Path

    from babel.messages.pofile import read_po

    from patentreach.protect.national_files import NOTES, SHARE_COLUMNS, UNMATCHED_COLUMNS
    from patentreach.protect.national_words import LOCALES

    def load(path):
        with path.open("rb") as handle:
            return {m.id: m.string for m in read_po(handle, locale="zh") if m.id}

    mine = LOCALES / "zh" / "LC_MESSAGES" / "protect_national.po"
    catalog = load(mine)
    for message in (*SHARE_COLUMNS, *UNMATCHED_COLUMNS, *NOTES, "all", "sector", "size", "market"):
        assert catalog.get(message), message
    root = Path(__file__).resolve().parents[2] / "patentreach"
    for path in sorted(root.rglob("*.po")):
        if path != mine:
            other = load(path)
            assert not {k for k, v in catalog.items() if k in other and other[k] != v}, path
