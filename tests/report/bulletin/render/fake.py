"""A bulletin built by hand, so the rendering is tested without the real sections: a section with
figures, a headline sentence (the dashboard's own message, so both languages are real catalog
text), a table of three offices, a bar chart with three bars, a footnote, and a left-out section."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from patentreach.present.headline import GROUP_WHERE, RISE, SECTOR_WHO, WHAT, WHO_OF, WITH_CHANGE
from patentreach.report.bulletin.model import (
    Bulletin,
    Chart,
    Column,
    Figure,
    Name,
    Ref,
    Section,
    Table,
    Text,
)
from patentreach.report.bulletin.request import BulletinRequest
from patentreach.report.bulletin.sections.headlines import NONE_LEFT

PINNED = datetime(2022, 6, 1, tzinfo=UTC)
OFFICES = {"US": 20_000, "EP": 15_000, "JP": 11_000}
DEFINITION = {"origin": ["CN"], "sector": ["company"], "offices": ["major_offices"], "date_basis": "grant",
              "counting": "documents", "years": [2021, 2021]}
COMMAND = ("patentreach stats outbound --warehouse W --origin CN --sector company --offices major "
           "--years 2021 --by year")
EVIL = "<script>alert(1)</script>"


def figure(key: str, value: float, unit: str, label: str = "Count") -> Figure:
    return Figure(key=key, section="offices", value=value, unit=unit, label=label, definition=DEFINITION,
                  command=COMMAND, records=COMMAND.replace("outbound", "records"), dashboard="/?year=2021")


def bar_spec(lang: str, gettext: Any) -> dict[str, Any]:
    import altair as alt

    from patentreach.refdata.names import display_name

    data = [{"office": display_name("office", code, lang), "count": count} for code, count in OFFICES.items()]
    return alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("count:Q", title=gettext("Count")), y=alt.Y("office:N", title=gettext("Office"), sort="-x"),
    ).properties(width=400, height=120).to_dict()


def offices_section() -> Section:
    figures = [figure("offices.total.2021", 46_000, "documents"), figure("offices.yoy.2021", 14.1, "percent")]
    figures += [figure(f"offices.{code}.2021", count, "documents") for code, count in OFFICES.items()]
    sentence = Text(WITH_CHANGE, {
        "What": Text(WHAT[("invention", "grants")]), "where": Text(GROUP_WHERE["major_offices"]),
        "who": Text(WHO_OF, {"sector": Text(SECTOR_WHO["company"]), "origin": Name("country", "CN")}),
        "count": Ref("offices.total.2021"), "year": 2021, "change": Text(RISE, {"pct": Ref("offices.yoy.2021")}),
    })
    table = Table("offices.by_office", "Office", [
        Column("office", "Office", "name:office"), Column("count", "Count", "figure"),
        Column("applicant", "Applicant", "text"), Column("share", "Count", "percent"),
    ], [{"office": code, "count": Ref(f"offices.{code}.2021"), "applicant": EVIL if code == "JP" else "ACME",
         "share": 100 * count / 46_000} for code, count in OFFICES.items()])
    return Section("offices", "Office", sentences=[sentence], tables=[table],
                   charts=[Chart("offices.bar", "Office", bar_spec)],
                   notes=[Text("Nothing is counted in this selection.")], figures=figures)


def fake_bulletin(warehouse: Path, templates: Path | None = None, **request: Any) -> Bulletin:
    omitted = Section("headlines", "Headlines", omitted=Text(NONE_LEFT))
    req = BulletinRequest(warehouse=warehouse, generated_at=PINNED, templates=templates,
                          argv=("bulletin", "--warehouse", str(warehouse), "--out", "out"), **request)
    return Bulletin(req, [omitted, offices_section()])
