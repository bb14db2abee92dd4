"""The report's outputs: JSON in the issue's shape, the routes CSV, the workbook and an iCalendar
file that calendar programs can read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from icalendar import Calendar
from openpyxl import load_workbook

from patentreach.protect import SAMPLE_AS_OF, deadline_calendar, report_dict, sample_report, write_workbook


def test_json_has_the_issue_shape_and_flags_unverified_deadlines():
    data = json.loads(json.dumps(report_dict(sample_report())))
    assert {"as_of", "coverage", "routes", "risks", "summary"} <= set(data)
    assert data["as_of"] == "2026-06-01"
    wanted = ("PUMP-1", "US", "pct_national")
    route = next(r for r in data["routes"] if (r["family"], r["market"], r["route"]) == wanted)
    assert {k: route[k] for k in ("deadline", "rule", "verified", "status", "office")} == {
        "deadline": "2026-07-31", "rule": "pct_national_phase", "verified": "NOT VERIFIED", "status": "open",
        "office": "US",
    }
    assert route["source"].endswith("none retrieved")  # the US row has no source yet
    assert route["not_verified"][0].startswith("PCT time limit US: NOT VERIFIED")
    assert route["fee"]["label"] == "official fees only"
    assert route["fee"]["status"] == "partial" and route["fee"]["currency"] == "USD"
    assert route["product_lines"] == ["smart pumps"]


def test_the_summary_sums_exposed_export_value_per_currency():
    summary = sample_report().summary
    assert summary["export_value_exposed"] == {"EUR": 2370000.0, "USD": 6200000.0}
    assert summary["exposed_markets_without_value"] == 1  # valves / BR has no value: not counted as zero
    assert summary["closed"] == ["valves / IN", "valves / BR", "e-drives / GE", "e-drives / US"]
    first = summary["next_deadlines"][0]
    assert (first["deadline"], first["family"], first["route"], first["markets"]) == (
        "2026-06-20", "DRIVE-5", "unitary_effect", ["FR", "IT"])
    assert len(summary["next_deadlines"]) == 10


def test_the_icalendar_file_parses_with_one_event_per_open_act():
    report = sample_report()
    data = deadline_calendar(report, stamp=datetime(2026, 6, 1, tzinfo=UTC))
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    acts = {(r.family, r.route, r.office, r.deadline.date) for r in report.routes if r.status == "open"}
    assert len(events) == len(acts) == 15
    first = events[0]
    assert first.decoded("dtstart") == date(2026, 6, 20)
    assert str(first["summary"]) == "DRIVE-5: unitary effect at EP for FR, IT"
    flagged = [str(e["summary"]) for e in events if str(e["summary"]).startswith("[NOT VERIFIED]")]
    assert "[NOT VERIFIED] PUMP-1: pct national at US for US" in flagged
    assert all(event.walk("VALARM") for event in events)


def test_the_workbook_has_one_sheet_per_part(tmp_path):
    path = write_workbook(sample_report(), tmp_path / "gaps.xlsx")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["summary", "next deadlines", "coverage", "gaps", "routes", "risks", "renewals",
                               "warnings"]
    routes = list(book["routes"].iter_rows(values_only=True))
    assert routes[0][:6] == ("family", "market", "product_lines", "route", "office", "status")
    assert len(routes) == 1 + len(sample_report().routes)


def test_the_sample_as_of_date_is_fixed():
    assert SAMPLE_AS_OF.isoformat() == "2026-06-01"
