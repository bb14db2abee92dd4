"""The status of one application's right(s) on a date, from its dated events: a pure function.

Rules (docs/legal-status.md says the same in prose):

* **Which events count**: those that took effect on or before ``as_of`` (the effective date, else
  the gazette date). They are applied in the order they were *published* (gazette date, then
  sequence), so later news overrides earlier news, while a status's ``since`` is the event's
  effective date: a PG25 lapse published in May 2020 "effective 27 Nov 2019" (the translation was
  never filed) makes the state lapsed since 27 Nov 2019, even after a validation event published
  in December 2019.
* **Office row**: pending from filing; in force from the grant (the grant publication's date when
  known, else the first "granted" event); withdrawn, refused, revoked from their events; lapsed
  on a lapse event; a restoration reverses a lapse (back to in force, or pending before grant).
  Past the computed expiry a pending or in-force right is expired; a right that lapsed or died
  earlier keeps that status.
* **No events**: unknown, "no legal events; last published <year>" - never "pending" by default
  (a 2009 US application without events is not shown as pending in 2026); a right past its
  20-year term is expired whatever the events. One exception: a US grant is in force until its
  first maintenance fee's grace period ends (grant + 4 years), since nothing else lapses it.
* **Contradictions**: a grant after a withdrawal or refusal without a restoration, or a renewal
  paid in a state after its lapse without a reinstatement, make the row unknown with both events
  named.
* **Unknown codes** (no row in ``inpadoc_event_codes.csv``) never change a status, but the
  reason says how many there were and which.
* **EP patents**: one row per designated state (AK, register designations) and per state named by
  a national event (validation, lapse, renewal, reinstatement: ``office`` = the state, ``via`` =
  "EP"), in force from the EP grant until that state's lapse; a designated state without any
  event is unknown (the data cannot say whether it was validated). The EP row itself is in force
  while any state row is, lapsed when every state row has lapsed, and unknown otherwise. An EP
  revocation or the end of the term ends every state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from patentreach.legal.status_model import (
    EXPIRED,
    IN_FORCE,
    LAPSED,
    PENDING,
    REFUSED,
    REVOKED,
    UNKNOWN,
    WITHDRAWN,
    RightStatus,
)
from patentreach.legal.term import add_years, term_end
from patentreach.model.legal_events import LegalEvent
from patentreach.refdata.inpadoc_event_codes import EventMeaning, meaning_of

REGIONAL_VIA = {"EP"}
_DEAD_BY_EVENT = {"withdrawn": WITHDRAWN, "refused": REFUSED, "revoked": REVOKED}
_LAPSES = {"lapsed_non_payment", "lapsed_other"}
# restoration_rule(office, lapse date, meaning) -> last day a restoration may be requested, or None
RestorationRule = Callable[[str, date, str], date | None]


@dataclass(frozen=True, slots=True)
class Application:
    """What the status needs to know about an application besides its events."""

    office: str
    application_number: str
    filing_date: date | None = None
    international_filing_date: date | None = None  # PCT national phase: the term counts from it
    grant_date: date | None = None  # publication date of its first grant document, when known
    last_publication_date: date | None = None
    family_id: str | None = None
    publication_numbers: tuple[str, ...] = field(default=())
    pta_days: int | None = None
    terminal_disclaimer: date | None = None


@dataclass(frozen=True, slots=True)
class _Event:
    event: LegalEvent
    meaning: EventMeaning
    effective: date
    published: date
    state: str | None  # the state a regional patent's event is about


def _effective(event: LegalEvent) -> date | None:
    return (event.lapse_date or event.effective_date or event.reinstate_date or event.fee_payment_date
            or event.event_publication_date)


def _state_of(event: LegalEvent, meaning: EventMeaning, office: str) -> str | None:
    for value in (event.lapse_country, event.fee_country, event.reinstate_country):
        if value:
            return value.strip().upper()
    authority = (event.event_authority or "").upper()
    if authority and authority != office:
        return authority
    return meaning.state or None


def prepare(application: Application, events: Iterable[LegalEvent], as_of: date) -> tuple[list[_Event], list[_Event]]:
    """(events that count on ``as_of`` in publication order, events of unknown code among them)."""
    out: list[_Event] = []
    for event in events:
        effective = _effective(event)
        if effective is None or effective > as_of:
            continue
        meaning = meaning_of(event.event_authority, event.event_code, event.text)
        out.append(_Event(event, meaning, effective, event.event_publication_date or effective,
                          _state_of(event, meaning, application.office)))
    out.sort(key=lambda e: (e.published, e.event.sequence, e.event.event_id))
    return out, [e for e in out if not e.meaning.known]


def _describe(e: _Event) -> str:
    return f"{e.meaning.label_en} ({e.event.event_authority} {e.event.event_code}, {e.effective.isoformat()})"


def _unknown_note(unknown: list[_Event]) -> str:
    if not unknown:
        return ""
    codes = sorted({f"{e.event.event_authority} {e.event.event_code}" for e in unknown})
    return f"; {len(unknown)} event(s) with codes not in the event-code table, read as 'other': {', '.join(codes)}"


def _ids(events: Iterable[_Event]) -> tuple[str, ...]:
    return tuple(e.event.event_id for e in events)


def status_of(
    application: Application,
    events: Iterable[LegalEvent],
    as_of: date,
    restoration: RestorationRule | None = None,
) -> list[RightStatus]:
    """The office row, then (for a regional patent) one row per state, sorted by state."""
    all_events = list(events)
    counted, unknown = prepare(application, all_events, as_of)
    term = term_end(application.filing_date, application.international_filing_date, application.pta_days,
                    application.terminal_disclaimer)
    base = dict(office=application.office, application_number=application.application_number, as_of=as_of,
                family_id=application.family_id, publication_numbers=application.publication_numbers)
    office_events = [e for e in counted if e.state in (None, application.office)]
    state_events = [e for e in counted if e.state not in (None, application.office)]
    if not all_events:
        return [_no_events(application, as_of, term.expiry, base)]
    row = _office_row(application, office_events, as_of, term.expiry, restoration, base)
    rows = [row]
    if application.office in REGIONAL_VIA and row.status not in (WITHDRAWN, REFUSED, PENDING):
        designated = sorted({state for e in office_events for state in (e.event.designated_states or "").split()
                             if state != application.office})
        states = _state_rows(application, state_events, designated, as_of, term.expiry, row, restoration, base)
        rows.extend(states)
        rows[0] = _regional_summary(row, states, as_of)
    note = _unknown_note(unknown)
    if note:
        rows = [_with_reason(r, r.reason + note) for r in rows]
    return rows


def _with_reason(row: RightStatus, reason: str, **changes: object) -> RightStatus:
    values = {name: getattr(row, name) for name in RightStatus.__dataclass_fields__}
    values.update(changes, reason=reason)
    return RightStatus(**values)  # type: ignore[arg-type]


def _no_events(application: Application, as_of: date, expiry: date | None, base: dict) -> RightStatus:
    if expiry is not None and as_of >= expiry:
        return RightStatus(**base, status=EXPIRED, since=expiry, expiry=expiry,
                           reason=f"no legal events; the 20-year term ended on {expiry.isoformat()}")
    grant = application.grant_date
    if application.office == "US" and grant is not None and grant <= as_of < add_years(grant, 4):
        # Nothing but a maintenance fee unpaid at the end of its grace period (grant + 4 years,
        # 35 U.S.C. 41(b)) lapses a US patent: before that, a grant without events is in force.
        return RightStatus(**base, status=IN_FORCE, since=grant, expiry=expiry,
                           reason=f"granted {grant.isoformat()}; no legal events, and no maintenance fee "
                                  f"can lapse it before {add_years(grant, 4).isoformat()}")
    published = application.last_publication_date
    when = f"; last published {published.year}" if published else ""
    granted = f"; a grant was published {application.grant_date.isoformat()}" if application.grant_date else ""
    return RightStatus(**base, status=UNKNOWN, expiry=expiry, reason=f"no legal events{when}{granted}")


def _office_row(
    application: Application, events: list[_Event], as_of: date, expiry: date | None,
    restoration: RestorationRule | None, base: dict,
) -> RightStatus:
    status, since, reason, deciding = PENDING, application.filing_date, "pending: no grant event", []
    granted_at = application.grant_date if application.grant_date and application.grant_date <= as_of else None
    if granted_at is not None:
        status, since, reason = IN_FORCE, granted_at, f"granted: grant published {granted_at.isoformat()}"
    dead: _Event | None = None
    lapse: _Event | None = None
    for e in events:
        meaning = e.meaning.meaning
        if meaning == "granted":
            if dead is not None:
                return RightStatus(**base, status=UNKNOWN, expiry=expiry, events=_ids([dead, e]),
                                   reason=f"events contradict: {_describe(e)} after {_describe(dead)}")
            if status == PENDING:
                granted_at = granted_at or e.effective
                status, since, reason, deciding = IN_FORCE, granted_at, f"granted: {_describe(e)}", [e]
            elif status == IN_FORCE and not deciding:
                deciding = [e]
        elif meaning in _DEAD_BY_EVENT:
            dead = e
            status, since, reason, deciding = _DEAD_BY_EVENT[meaning], e.effective, _describe(e), [e]
        elif meaning in _LAPSES and status in (IN_FORCE, PENDING):
            lapse = e
            status, since, reason, deciding = LAPSED, e.effective, _describe(e), [e]
        elif meaning == "restored" and status in (LAPSED, WITHDRAWN, REFUSED):
            dead = lapse = None
            status = IN_FORCE if granted_at else PENDING
            since, reason, deciding = e.effective, f"restored: {_describe(e)}", [e]
        elif meaning == "expired":
            status, since, reason, deciding = EXPIRED, e.effective, _describe(e), [e]
    restorable = None
    if status == LAPSED and lapse is not None and restoration is not None:
        restorable = restoration(application.office, lapse.effective, lapse.meaning.meaning)
        if restorable is not None and restorable < as_of:
            restorable = None
    if status in (IN_FORCE, PENDING) and expiry is not None and as_of >= expiry:
        status, since, reason = EXPIRED, expiry, f"term ended {expiry.isoformat()}"
    elif status == IN_FORCE:
        reason += _renewal_note(events, application, as_of)
    return RightStatus(**base, status=status, since=since, expiry=expiry, restorable_until=restorable,
                       reason=reason, events=_ids(deciding))


def _renewal_note(events: list[_Event], application: Application, as_of: date) -> str:
    paid = [e for e in events if e.meaning.meaning == "renewal_paid" and e.event.fee_renewal_year]
    if application.office == "US":
        return _us_maintenance_note(paid, application, as_of)
    if not paid:
        return ""
    last = max(paid, key=lambda e: e.event.fee_renewal_year or 0)
    year = last.event.fee_renewal_year or 0
    note = f"; last renewal seen: year {year} ({last.effective.isoformat()})"
    start = application.international_filing_date or application.filing_date
    if start is not None and as_of >= add_years(start, year):
        note += (f"; no renewal seen for year {year + 1} (from {add_years(start, year).isoformat()}): "
                 "paid late, not yet reported, or lapsing")
    return note


def _state_rows(
    application: Application, events: list[_Event], designated: list[str], as_of: date, expiry: date | None,
    office_row: RightStatus, restoration: RestorationRule | None, base: dict,
) -> list[RightStatus]:
    by_state: dict[str, list[_Event]] = {state: [] for state in designated}
    for e in events:
        by_state.setdefault(e.state or "", []).append(e)
    granted = application.grant_date or office_row.since
    rows = []
    for state in sorted(by_state):
        state_base = dict(base, office=state, via=application.office)
        if not by_state[state]:
            if office_row.status in (REVOKED, EXPIRED):
                rows.append(RightStatus(**state_base, status=office_row.status, since=office_row.since,
                                        expiry=expiry, reason=f"the European patent: {office_row.reason}"))
            else:
                rows.append(RightStatus(**state_base, status=UNKNOWN, expiry=expiry,
                                        reason="designated; no national event (validation, renewal or lapse) "
                                               "in the data"))
            continue
        status, since, reason, deciding = IN_FORCE, granted, f"EP patent granted {granted}" if granted else "", []
        lapse: _Event | None = None
        contradiction = None
        for e in by_state[state]:
            meaning = e.meaning.meaning
            if meaning in _LAPSES:
                if status != LAPSED:
                    status, since, reason, deciding, lapse = LAPSED, e.effective, _describe(e), [e], e
                else:
                    deciding.append(e)
                    if since is None or e.effective < since:
                        since, reason = e.effective, _describe(e)
            elif meaning == "restored":
                status, since, reason, deciding, lapse = IN_FORCE, e.effective, f"reinstated: {_describe(e)}", [e], None
            elif meaning in ("validation", "renewal_paid"):
                paid_after_lapse = lapse is not None and meaning == "renewal_paid" and e.effective > lapse.effective
                if status == LAPSED and lapse is not None and paid_after_lapse:
                    contradiction = f"events contradict: {_describe(e)} after {_describe(lapse)}"
                    deciding = [lapse, e]
                elif status == IN_FORCE:
                    deciding.append(e)
                    if meaning == "validation":
                        reason = f"validated: {_describe(e)}"
        if contradiction:
            rows.append(RightStatus(**state_base, status=UNKNOWN, expiry=expiry, reason=contradiction,
                                    events=_ids(deciding)))
            continue
        if office_row.status in (REVOKED, EXPIRED) and status == IN_FORCE:
            status, since, reason = office_row.status, office_row.since, f"the European patent: {office_row.reason}"
        restorable = None
        if status == LAPSED and lapse is not None and restoration is not None:
            restorable = restoration(state, lapse.effective, lapse.meaning.meaning)
            if restorable is not None and restorable < as_of:
                restorable = None
        if status == IN_FORCE and expiry is not None and as_of >= expiry:
            status, since, reason = EXPIRED, expiry, f"term ended {expiry.isoformat()}"
        elif status == IN_FORCE:
            reason += _renewal_note(by_state[state], application, as_of)
        rows.append(RightStatus(**state_base, status=status, since=since, expiry=expiry,
                                restorable_until=restorable, reason=reason, events=_ids(deciding)))
    return rows


def _regional_summary(row: RightStatus, states: list[RightStatus], as_of: date) -> RightStatus:
    if row.status != IN_FORCE:
        return row
    if not states:
        return _with_reason(row, f"{row.reason}; the data has no designated states or national events: "
                                 "in force at the EPO level only")
    alive = [s.office for s in states if s.alive]
    if alive:
        return _with_reason(row, f"{row.reason}; in force in {len(alive)} of {len(states)} states named by "
                                 f"the events: {', '.join(alive)}")
    lapsed = [s for s in states if s.status == LAPSED]
    if len(lapsed) == len(states):
        last = max(s.since for s in lapsed if s.since) if any(s.since for s in lapsed) else None
        return _with_reason(row, f"lapsed in all {len(states)} states named by the events", status=LAPSED,
                            since=last)
    open_ = [s.office for s in states if s.status != LAPSED]
    return _with_reason(row, f"{row.reason}; no state is known to be in force; not decided for: "
                             f"{', '.join(open_)}", status=UNKNOWN)


def _us_maintenance_note(paid: list[_Event], application: Application, as_of: date) -> str:
    """US maintenance fees fall due 3.5, 7.5 and 11.5 years after the grant, payable with a
    surcharge for six more months (35 U.S.C. 41(b)): a fee whose window closed without a payment
    event is said, not turned into a lapse (the events may be incomplete; an EXP. event is the lapse)."""
    years = sorted({e.event.fee_renewal_year or 0 for e in paid})
    note = f"; maintenance fees seen: year {', '.join(map(str, years))}" if years else ""
    grant = application.grant_date
    if grant is None:
        return note
    missing = [y for y in (4, 8, 12) if add_years(grant, y) <= as_of and y not in years]
    if missing:
        note += (f"; no payment seen for the year-{missing[0]} maintenance fee (window closed "
                 f"{add_years(grant, missing[0]).isoformat()})")
    return note
