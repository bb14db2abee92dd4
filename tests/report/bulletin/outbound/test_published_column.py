"""The published CNIPA/WIPO figure beside the warehouse's (offices section), for Chinese
enterprises' grants of 2021: the one slice ``refdata/published`` holds a table for."""

from __future__ import annotations

import csv

import pytest

from patentreach.report.bulletin.config import ConfigError
from patentreach.report.bulletin.model import SectionUnavailable, Text
from patentreach.report.bulletin.sections import offices, outbound_published
from patentreach.report.bulletin.sections.outbound_query import base_spec
from patentreach.warehouse import Warehouse
from tests.conftest import REPO

TABLE = "cnipa-yearbook-2022-t6-2"


def _published_csv() -> dict[str, int]:
    """The yearbook's values for CN 2021, read straight from the reference file."""
    with (REPO / "patentreach" / "refdata" / "published" / "figures.csv").open(encoding="utf-8") as handle:
        return {row["office"]: int(row["value"]) for row in csv.DictReader(handle)
                if row["table"] == TABLE and row["year"] == "2021" and row["origin"] == "CN"}


def _major_offices() -> set[str]:
    with (REPO / "patentreach" / "refdata" / "country_groups.csv").open(encoding="utf-8") as handle:
        return {row["country"] for row in csv.DictReader(handle) if row["group"] == "major_offices"}


def _msgids(texts: list[Text]) -> list[str]:
    return [t.msgid for t in texts]


def test_each_office_has_the_yearbooks_figure_and_the_total_is_theirs_over_the_major_offices(
        mini_cn_2021: dict) -> None:
    section = mini_cn_2021["offices"]
    published = _published_csv()
    shown = {f.key.split(".")[1]: f.value for f in section.figures if ".published." in f.key}
    assert shown.pop("total") == sum(published[o] for o in _major_offices() - {"CN"}) == 51078
    assert shown == {office: published[office] for office in shown}
    assert shown["US"] == 23705 and shown["EP"] == 6864
    table = section.tables[0]
    assert table.columns[-1].key == "published"
    assert table.rows[-1]["published"].key == "offices.total.published.2021"
    assert section.sentences[2].msgid == outbound_published.SENTENCE


def test_the_footnotes_say_how_the_published_definition_differs_and_that_the_warehouse_cannot_reproduce_it(
        mini_cn_2021: dict) -> None:
    notes = _msgids(mini_cn_2021["offices"].notes)
    assert outbound_published.SOURCE in notes
    assert outbound_published.DIFFERENT["Applicant types"] in notes  # all applicants vs enterprises
    assert outbound_published.SUBSET in notes  # the major offices, not the table's 72
    assert outbound_published.VERDICTS["cannot_reproduce"] in notes  # 30,000 synthetic publications
    held = next(t for t in mini_cn_2021["offices"].notes if t.msgid == outbound_published.HELD)
    assert held.params["compared"] == 15 and held.params["year"] == "2021"
    # the origin rule, counting and dates agree with the yearbook's: no footnote for them
    for aspect in ("Origin rule", "Counting", "Date basis", "Hong Kong"):
        assert outbound_published.DIFFERENT[aspect] not in notes


def test_published_none_leaves_the_column_out(mini_warehouse: Warehouse, context_of) -> None:
    section = offices.build(context_of(mini_warehouse.root), {"published": "none"}, {})
    assert not [f for f in section.figures if ".published." in f.key]
    assert [c.key for c in section.tables[0].columns][-1] == "share"


def test_a_year_the_table_does_not_cover_gets_no_column_or_a_note_when_the_table_was_named(
        mini_warehouse: Warehouse, context_of) -> None:
    ctx = context_of(mini_warehouse.root, year=2022)
    spec = base_spec(ctx, years=(2021, 2022), by=("office", "year"))
    assert outbound_published.published(ctx, spec, None) is None
    named = outbound_published.published(ctx, spec, TABLE)
    assert named.total is None and not named.by_office
    (note,) = named.notes
    assert note.msgid == outbound_published.NO_FIGURE
    assert note.params["table"] == TABLE and note.params["year"] == "2022"


def test_an_unknown_table_or_option_is_a_configuration_error(mini_warehouse: Warehouse, context_of) -> None:
    with pytest.raises(ConfigError, match="published 'cnipa-2099' is not a published table"):
        offices.build(context_of(mini_warehouse.root), {"published": "cnipa-2099"}, {})
    with pytest.raises(ConfigError, match="unknown option 'publsihed'"):
        offices.build(context_of(mini_warehouse.root), {"publsihed": "none"}, {})


def test_the_headline_is_the_total_with_its_change(mini_cn_2021: dict) -> None:
    headline = mini_cn_2021["offices"].sentences[0]
    assert headline.msgid == offices.HEADLINE
    assert headline.params["count"].key == "offices.total.2021"
    assert headline.params["change"].params["pct"].key == "offices.yoy.2021"
    assert mini_cn_2021["offices"].figure("offices.yoy.2021").value == 100.0  # 10 grants against 5


def test_unavailable_is_not_raised_for_a_year_with_data(mini_cn_2021: dict) -> None:
    assert not [s for s in mini_cn_2021.values() if isinstance(s, SectionUnavailable)]


def test_a_year_after_a_year_without_grants_has_no_change(sample_warehouse: Warehouse) -> None:
    from tests.report.bulletin.outbound.conftest import build_all

    section = build_all(sample_warehouse.root, "JP", 2012, names=("offices",))["offices"]
    assert section.sentences[0].msgid == offices.HEADLINE_NO_CHANGE
    keys = {f.key for f in section.figures}
    assert "offices.yoy.2012" not in keys and "offices.total.2011" not in keys
    assert section.figure("offices.total.2012").value == 5  # the fixture's JP companies' US grants of 2012
