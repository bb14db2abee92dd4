"""The shared phrases: the change on the year before, and where the grants were obtained."""

from __future__ import annotations

from patentreach.report.bulletin.model import Name, Ref, Text
from patentreach.report.bulletin.sections import outbound_words as words


def test_a_rise_a_fall_and_no_change_each_have_their_phrase() -> None:
    assert words.change("offices.yoy.2021", 14.1) == Text(words.RISE, {"pct": Ref("offices.yoy.2021")})
    assert words.change("offices.yoy.2021", -3.2) == Text(words.FALL, {"pct": Ref("offices.yoy.2021", magnitude=True)})
    assert words.change("offices.yoy.2021", 0.04) == Text(words.FLAT)
    assert words.change("offices.yoy.2021", None) is None


def test_a_group_is_named_by_its_phrase_and_a_list_by_its_offices() -> None:
    assert words.where(("major_offices",)) == Text(words.GROUP_WHERE["major_offices"])
    assert words.where(("US", "EP", "JP")) == Text(words.LIST, {
        "first": Name("office", "US"), "rest": Text(words.LIST, {"first": Name("office", "EP"),
                                                                 "rest": Name("office", "JP")})})
    assert words.where(("epc",)) == Name("group", "epc")
    assert words.where(()) == Text(words.ALL_ABROAD)


def test_an_office_list_appears_in_the_command_as_typed(mini_warehouse, context_of) -> None:
    from patentreach.report.bulletin.sections.outbound_query import Trace, base_spec

    ctx = context_of(mini_warehouse.root, offices="US,EP")
    trace = Trace(ctx, base_spec(ctx, years=(2021, 2021), by=("route",)))
    assert trace.command == (f"patentreach stats outbound --warehouse {mini_warehouse.root} --origin CN "
                             "--offices US,EP --sector company --type invention --stage grants --years 2021 --by route")
    assert trace.records({"route": "pct"}).endswith("--by route --cell route=pct")
    assert trace.dashboard == ("/?origin=CN&offices=US,EP&sector=company&type=invention&stage=grants&years=2021"
                               "&by=route")
