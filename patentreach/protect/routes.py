"""The routes to protection still open for a family in a market, and the closed ones with why.

For a family that does not protect a market, the routes are:

* ``paris_national`` / ``regional_direct``: file at the country's office, or a regional office
  reaching it, claiming priority within the Paris priority year (12 months from priority);
* ``pct_filing``: file a PCT application within the priority year (when the family has none);
* ``pct_national`` / ``pct_national_late`` / ``pct_regional``: enter the national or regional
  phase of the family's PCT application (months per office from ``pct_national_phase_limits``);
  a country whose national route is closed (FR, NL via EP; OAPI states via OA) has no
  ``pct_national`` route, only the regional one;
* ``ep_validation`` / ``unitary_effect``: validate a granted EP in the state (3 months from grant,
  EPC Art. 65) or request unitary effect (1 month from grant, Rule 6(1) UPR);
* ``in_progress``: an application that already reaches the market and is pending;
* ``restoration``: a right that lapsed (legal status) while its restoration or re-establishment
  window is open: the deadline is the status engine's ``restorable_until``, else the lapse date
  plus the office's window in ``restoration_rules.csv`` (NOT VERIFIED rows say so).

A route past its deadline is ``closed``, says why, and names the remedies that may remain
(restoration of priority, PCT Rule 26bis.3; reinstatement, PCT Rule 49.6; re-establishment for
unitary effect, Rule 22 UPR) without promising them. Every deadline carries its rule, sources
and verification status (see ``deadlines``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from patentreach.legal.status_model import LAPSED, RightStatus
from patentreach.protect.coverage import filing_date, filing_effect
from patentreach.protect.deadlines import Basis, Deadline, make_deadline
from patentreach.protect.fees import FeeEstimate, estimate_fee
from patentreach.protect.month_arithmetic import add_months, add_years
from patentreach.protect.portfolio import Family, Filing
from patentreach.protect.regional_reach import (
    OPEN_FOR_NEW_FILINGS,
    Reach,
    ever_reaches,
    has_national_patents,
    offices_reaching,
    reach,
    unitary_states,
)
from patentreach.protect.working_days import next_working_day
from patentreach.refdata.deadline_rules import deadline_rule
from patentreach.refdata.offices import office as office_info
from patentreach.refdata.official_fees import FeeItem
from patentreach.refdata.pct_limits import PctLimit, pct_limit, pct_limit_for
from patentreach.refdata.restoration_rules import restoration_rule

NOT_ASSURED = "not assured"
ROUTE_NAMES = (
    "paris_national", "regional_direct", "pct_filing", "pct_national", "pct_national_late", "pct_regional",
    "ep_validation", "unitary_effect", "in_progress", "restoration",
)


@dataclass(frozen=True, slots=True)
class Route:
    family: str
    market: str
    route: str
    office: str
    status: str  # open | closed | pending
    deadline: Deadline | None
    reason: str = ""
    remedies: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    fee: FeeEstimate | None = None
    covers: tuple[str, ...] = ()  # other markets the same act reaches (unitary effect)
    product_lines: tuple[str, ...] = field(default=())

    @property
    def verified(self) -> str | None:
        """The deadline's verification status; None for a route without a deadline."""
        return self.deadline.verified if self.deadline else None


def _membership_basis(hit: Reach) -> Basis:
    row = hit.membership
    detail = row.note if row.verified != "yes" else ""
    return Basis(f"membership {row.country} in {row.group}", row.source, row.verified or "NOT VERIFIED", detail)


def _limit_bases(limit: PctLimit) -> list[Basis]:
    """The office's time-limit row, and for a dated row the transitional rule that chose it."""
    detail = limit.verification if limit.verified != "yes" else ""
    bases = [Basis(f"PCT time limit {limit.office}", limit.source, limit.verified, detail)]
    if limit.valid_from or limit.valid_to:
        span = f"{limit.valid_from or '...'} to {limit.valid_to or '...'}"
        bases.append(Basis(
            f"PCT time limit {limit.office} in force {span}", limit.source, "NOT VERIFIED",
            "the row is chosen by the date the earlier limit expires (transitional rule as reported by "
            "secondary sources)",
        ))
    return bases


def _restoration(paris: Deadline, as_of: date) -> tuple[str, tuple[str, ...]]:
    end = add_months(paris.date, deadline_rule("priority_restoration").months or 2)
    if as_of <= end:
        return "", (
            f"restoration of the right of priority until {end.isoformat()} (PCT Rule 26bis.3 for a PCT "
            "filing; national law, e.g. PLT Art. 13(2), for a direct filing), where the office provides it and "
            f"finds the failure unintentional or despite due care - {NOT_ASSURED}",
        )
    return f"; the two-month window for restoring priority ended {end.isoformat()}", ()


def _reinstatement(deadline: Deadline, as_of: date) -> tuple[str, tuple[str, ...]]:
    end = add_months(deadline.date, deadline_rule("reinstatement_49_6").months or 12)
    if as_of <= end:
        return "", (
            "reinstatement of rights under PCT Rule 49.6: request within 2 months of the removal of the "
            f"cause of the delay and by {end.isoformat()} at the latest, where the office applies Rule 49.6 "
            f"and finds the delay unintentional or despite due care - {NOT_ASSURED}",
        )
    return f"; the 12-month outer limit for reinstatement (PCT Rule 49.6) ended {end.isoformat()}", ()


def _timed(
    family: Family, market: str, name: str, deadline: Deadline, as_of: date, closed_because: str,
    remedy: str | None, fees: tuple[FeeItem, ...] | None, notes: tuple[str, ...] = (), covers: tuple[str, ...] = (),
) -> Route:
    """A route with a deadline: open until its last day, else closed with the reason and remedies."""
    if as_of <= deadline.last_day():
        fee = estimate_fee(name, deadline.office, market, fees)
        return Route(family.family, market, name, deadline.office, "open", deadline,
                     notes=notes, fee=fee, covers=covers)
    reason, remedies = f"{closed_because} {deadline.date.isoformat()}", ()
    if remedy == "restoration":
        extra, remedies = _restoration(deadline, as_of)
        reason += extra
    elif remedy == "reinstatement":
        extra, remedies = _reinstatement(deadline, as_of)
        reason += extra
    elif remedy == "unitary":
        end = add_months(deadline.date, deadline_rule("unitary_effect_reestablishment").months or 2)
        if as_of <= end:
            remedies = (f"re-establishment of rights (Rule 22 UPR) with the request for unitary effect by "
                        f"{end.isoformat()}, if all due care was taken - {NOT_ASSURED}",)
        else:
            reason += f"; re-establishment (Rule 22 UPR) was possible until {end.isoformat()}"
    elif remedy == "validation":
        remedies = (f"late validation or re-establishment under {market}'s national law, where it exists - "
                    f"{NOT_ASSURED}",)
    return Route(family.family, market, name, deadline.office, "closed", deadline, reason, remedies, notes,
                 covers=covers)


def _closed(family: Family, market: str, name: str, office: str, reason: str) -> Route:
    return Route(family.family, market, name, office, "closed", None, reason)


def routes_for(family: Family, market: str, as_of: date, fees: tuple[FeeItem, ...] | None = None) -> list[Route]:
    """Every route for ``family`` to protect ``market`` as of ``as_of`` (none when already protected)."""
    effects = [(filing, effect) for filing in family.filings
               if (effect := filing_effect(filing, family, market, as_of)) is not None]
    if any(effect.status == "protected" for _, effect in effects):
        return []
    routes: list[Route] = []
    under_way = False
    for filing, effect in effects:
        if effect.status == "none" and effect.legal is not None and effect.legal.status == LAPSED:
            routes.append(_restoration_route(family, market, filing, effect.legal, as_of))
        if effect.status in ("pending", "unconfirmed"):
            under_way = True
            routes.append(_in_progress(family, market, filing, effect.note))
        if filing.office == "EP":
            routes.extend(_ep_after_grant(family, market, filing, effect.status, as_of, fees))
    if under_way:
        return routes
    routes.extend(_priority_routes(family, market, as_of, fees))
    routes.extend(_pct_routes(family, market, as_of, fees))
    return routes


def _restoration_route(family: Family, market: str, filing: Filing, legal: RightStatus, as_of: date) -> Route:
    """Restore a lapsed right: open until the window ends, closed after, unknown said out loud."""
    office = legal.office if legal.via else filing.office
    rule = restoration_rule(office)
    notes: list[str] = [f"{filing.office} {filing.application_number or ''} lapsed"
                        + (f" on {legal.since.isoformat()}" if legal.since else " (date not given)")]
    end, bases = legal.restorable_until, []
    if rule is not None:
        bases.append(Basis(f"restoration rule {rule.office}", rule.source, rule.verified, rule.note))
        notes.append(f"{rule.remedy}: {rule.window_text} ({rule.legal_basis})")
    if end is not None:
        bases.append(Basis("legal status restorable_until", legal.reason or "legal-status engine", "NOT VERIFIED",
                           "the date the status engine computed"))
    elif rule is not None and rule.window_months is not None and legal.since is not None:
        end = add_months(legal.since, rule.window_months)
        notes.append(f"window: {rule.window_months} months from {rule.counted_from}")
    fee = FeeEstimate(office, "restoration", market, "unknown" if rule is None or rule.fee_amount is None else "known",
                      rule.fee_amount if rule else None, rule.fee_currency if rule else None, (),
                      f"restoration fee: {rule.fee_text if rule else 'unknown'} (restoration_rules.csv)")
    if end is None:
        if rule is not None and rule.window_months is None:
            return Route(family.family, market, "restoration", office, "open", None,
                         remedies=(f"{rule.remedy}: {rule.window_text} - {NOT_ASSURED}",), notes=tuple(notes), fee=fee)
        why = "the lapse date is not known" if rule is not None else f"no restoration rule for {office} in the table"
        return Route(family.family, market, "restoration", office, "closed", None,
                     f"restoration window not known: {why}",
                     (f"ask the office at once whether the right can still be restored - {NOT_ASSURED}",), tuple(notes))
    working = next_working_day(office, end)
    deadline = Deadline(date=end, office=working.office, expires=working.expires, holidays_known=working.known,
                        holidays_basis=working.basis, rule="restoration",
                        legal_basis=rule.legal_basis if rule else "national law", bases=tuple(bases))
    if as_of <= deadline.last_day():
        return Route(family.family, market, "restoration", office, "open", deadline,
                     remedies=(f"restoration only if the office finds the conditions met - {NOT_ASSURED}",),
                     notes=tuple(notes), fee=fee)
    return Route(family.family, market, "restoration", office, "closed", deadline,
                 f"the restoration window ended {end.isoformat()}", (), tuple(notes))


def _in_progress(family: Family, market: str, filing: Filing, note: str) -> Route:
    notes = [note]
    if filing.office == "EP" and filing.status == "pending":
        notes.append("after grant: validate within 3 months of the mention of grant (EPC Art. 65; each state's "
                     "period may differ) or request unitary effect within 1 month (Rule 6(1) UPR)")
    if filing.status == "granted":
        notes.append(f"check whether the patent was validated or maintained in {market}")
    return Route(family.family, market, "in_progress", filing.office, "pending", None, notes=tuple(notes))


def _ep_after_grant(
    family: Family, market: str, filing: Filing, status: str, as_of: date, fees: tuple[FeeItem, ...] | None
) -> list[Route]:
    start, _ = filing_date(filing, family)
    hit = reach("EP", market, start)
    if hit is None:
        known = ever_reaches("EP", market)
        if known is None or reach("EP", market, as_of) is None:
            return []
        return [_closed(family, market, "ep_validation", "EP",
                        f"EP application filed {start.isoformat()}, before {known.describe()}: "
                        f"it cannot be validated in {market}")]
    if filing.status != "granted" or filing.grant_date is None or status != "none":
        return []
    if as_of >= add_years(start, 20):
        return []
    routes = []
    if hit.role == "contracting_state":
        rule = deadline_rule("ep_validation")
        deadline = make_deadline("ep_validation", filing.grant_date, rule.months or 3, market, [_membership_basis(hit)])
        routes.append(_timed(
            family, market, "ep_validation", deadline, as_of, "the validation period ended", "validation", fees,
            notes=(f"{market} is not listed among the EP validations; where no translation is required "
                   "(London Agreement) the patent takes effect without a filing, kept by paying renewals",),
        ))
    else:
        routes.append(_closed(family, market, "ep_validation", "EP",
                              f"{market} is an EP {hit.role.replace('_', ' ')}: its fee was due with the designation "
                              f"fee, before grant ({deadline_rule('ep_validation_fee').legal_basis}); {market} is "
                              "not listed among the validations"))
    states = unitary_states(as_of)
    if market in states and not filing.unitary_effect:
        months = deadline_rule("unitary_effect").months or 1
        deadline = make_deadline("unitary_effect", filing.grant_date, months, "EP")
        routes.append(_timed(family, market, "unitary_effect", deadline, as_of, "the one-month period ended",
                             "unitary", fees, covers=tuple(sorted(states))))
    return routes


def _priority_routes(family: Family, market: str, as_of: date, fees: tuple[FeeItem, ...] | None) -> list[Route]:
    priority = family.priority_date
    months = deadline_rule("paris_priority").months or 12
    routes = []
    info = office_info(market)
    if info is not None and info.kind == "national" and has_national_patents(market, as_of):
        deadline = make_deadline("paris_priority", priority, months, market)
        routes.append(_timed(family, market, "paris_national", deadline, as_of, "the priority year ended",
                             "restoration", fees))
    held = {filing.office for filing in family.filings}
    for hit in offices_reaching(market, as_of):
        if hit.office in held:
            continue
        deadline = make_deadline("paris_priority", priority, months, hit.office, [_membership_basis(hit)])
        routes.append(_timed(family, market, "regional_direct", deadline, as_of, "the priority year ended",
                             "restoration", fees, notes=(hit.describe(),)))
    if family.pct_date is None and _pct_reachable(market, as_of):
        office = family.home_office or "WO"
        deadline = make_deadline("pct_filing", priority, deadline_rule("pct_filing").months or 12, office)
        notes = ("then enter the national or regional phase for " + market + " (30/31 months from priority)",)
        if family.home_office is None:
            notes += ("receiving office not known (no priority_office): the International Bureau (WO) is assumed",)
        routes.append(_timed(family, market, "pct_filing", deadline, as_of, "the priority year ended",
                             "restoration", fees, notes=notes))
    return routes


def _pct_reachable(market: str, on: date) -> bool:
    if pct_limit(market) is not None:
        return True
    return any(pct_limit(hit.office) is not None for hit in offices_reaching(market, on))


def _pct_routes(family: Family, market: str, as_of: date, fees: tuple[FeeItem, ...] | None) -> list[Route]:
    if family.pct_date is None:
        return []
    priority, chapter = family.priority_date, family.pct_chapter
    routes = []
    limit = pct_limit_for(market, priority, chapter)
    national_held = any(filing.office == market for filing in family.filings)
    if limit is None and not offices_reaching(market, as_of):
        return [_closed(family, market, "pct_national", market,
                        f"{market} is not a PCT contracting state (not in the WIPO time-limit table)")]
    if limit is not None and limit.national_open and not national_held:
        months = limit.months(chapter)
        if months is None:
            routes.append(_closed(family, market, "pct_national", market,
                                  f"the Chapter {chapter} time limit for {market} is not a number in the table"))
        else:
            unclear_late = limit.late_entry_text and not limit.late_entry_months
            notes = (f"late entry: {limit.late_entry_text}",) if unclear_late else ()
            deadline = make_deadline("pct_national_phase", priority, months, market, _limit_bases(limit))
            routes.append(_timed(family, market, "pct_national", deadline, as_of,
                                 f"the {months}-month national phase time limit ended", "reinstatement", fees,
                                 notes=notes))
            if limit.late_entry_months:
                late = make_deadline("pct_late_entry", priority, limit.late_entry_months, market,
                                     _limit_bases(limit))
                routes.append(_timed(family, market, "pct_national_late", late, as_of,
                                     f"the {limit.late_entry_months}-month late-entry limit ended", None, fees,
                                     notes=("on payment of a late-entry (extension) fee",)))
    held = {filing.office for filing in family.filings}
    for office in OPEN_FOR_NEW_FILINGS:
        if office in held:
            continue
        at_filing = reach(office, market, family.pct_date)
        regional = pct_limit_for(office, priority, chapter)
        if at_filing is None:
            known, now = ever_reaches(office, market), reach(office, market, as_of)
            if known is not None and now is not None:
                routes.append(_closed(family, market, "pct_regional", office,
                                      f"international filing date {family.pct_date.isoformat()} is before "
                                      f"{now.describe()}: the {office} route cannot reach {market}"))
            continue
        if regional is None or regional.months(chapter) is None:
            continue
        months = regional.months(chapter) or 0
        deadline = make_deadline("pct_national_phase", priority, months, office,
                                 [*_limit_bases(regional), _membership_basis(at_filing)])
        note = at_filing.describe()
        if limit is not None and not limit.national_open:
            note += f"; the national PCT route of {market} is closed: {office} is the only PCT route"
        routes.append(_timed(family, market, "pct_regional", deadline, as_of,
                             f"the {months}-month {office} regional phase time limit ended", "reinstatement", fees,
                             notes=(note,)))
    return routes


def with_product_lines(route: Route, lines: tuple[str, ...]) -> Route:
    return replace(route, product_lines=lines)
