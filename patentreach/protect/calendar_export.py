"""The deadline calendar as iCalendar, for Outlook or Google Calendar.

One all-day event per open deadline (an act reaching several markets is one event), on the
deadline itself, not on a next-working-day extension: the extension, when known, is in the
description as a fallback. Events resting on a row that is not verified say NOT VERIFIED in
their title. Each event carries a reminder 14 days before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from patentreach.protect.gap_report import GapReport
from patentreach.protect.routes import Route

PRODID = "-//patentreach//export protection gaps//EN"


def deadline_calendar(report: GapReport, stamp: datetime | None = None) -> bytes:
    """The iCalendar file of every open deadline in ``report``."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Patent filing deadlines - {report.owner}")
    stamp = stamp or datetime.now(UTC)
    acts: dict[tuple, list[Route]] = {}
    for route in report.routes:
        if route.status == "open" and route.deadline is not None:
            acts.setdefault((route.family, route.route, route.office, route.deadline.date), []).append(route)
    for (family, name, office, day), routes in sorted(acts.items(), key=lambda item: (item[0][3], item[0][:3])):
        calendar.add_component(_event(family, name, office, day, routes, stamp))
    return calendar.to_ical()


def _event(family: str, name: str, office: str, day: date, routes: list[Route], stamp: datetime) -> Event:
    first = routes[0]
    deadline = first.deadline
    assert deadline is not None
    markets = sorted({route.market for route in routes})
    flag = "" if first.verified == "yes" else f"[{first.verified}] "
    event = Event()
    event.add("uid", f"{family}-{name}-{office}-{day.isoformat()}@patentreach".replace(" ", "_"))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"{flag}{family}: {name.replace('_', ' ')} at {office} for {', '.join(markets)}")
    lines = [
        f"Family {family}; markets {', '.join(markets)}; product lines "
        f"{', '.join(sorted({line for route in routes for line in route.product_lines}))}",
        f"Deadline {day.isoformat()} ({deadline.rule}: {deadline.legal_basis})",
        (f"Office closed that day: expires {deadline.expires.isoformat()}"
         if deadline.expires and deadline.expires != day
         else ("Working-day extension: " + deadline.holidays_basis)),
        f"Source: {deadline.source}",
        f"Verified: {deadline.verified}",
        *deadline.unverified,
    ]
    if first.fee is not None:
        lines.append(f"Fees: {first.fee.text()}")
    lines.extend(first.notes)
    event.add("description", "\n".join(lines))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"In 14 days: {event['summary']}")
    alarm.add("trigger", timedelta(days=-14))
    event.add_component(alarm)
    return event
