"""Coverage: is a product line protected in a market, as of a date?

For each export market (product line x country) and each family that covers the product line,
every filing of the family is asked what it does in that country:

* a national application or patent at the country's own office (routes direct / pct), or the
  country's part of a regional patent (route ep / regional on the country's row);
* an EP application or patent, for a state that was an EPC contracting, extension or validation
  state on the EP filing date, validated there (``validations``) or, with unitary effect, a
  state participating in the Unitary Patent on the grant date;
* an EAPO or OAPI patent, for a state that was a member on the filing date (the title covers
  all of them); an ARIPO patent for the designated states listed; a GCC patent for GCC states.

A grant protects until 20 years from its filing date (the international filing date for a PCT
national phase); without lapse data it is "assumed in force", and the result says so. With legal
status (``Filing.legal``: the status engine's row, or the portfolio file's status columns) only a
right in force protects (until its computed expiry), a pending one is "pending", a lapsed,
expired, withdrawn, refused or revoked one does not protect (``routes`` shows a restoration route
while the window is open) and an unknown one is "unconfirmed", with the reason. The best
answer over the product line's families wins: protected, then pending, then unconfirmed (a
regional grant whose validation in the country is not recorded), then none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from patentreach.legal.status_model import IN_FORCE, PENDING, UNKNOWN, RightStatus
from patentreach.protect.markets import ExportMarkets
from patentreach.protect.month_arithmetic import add_years
from patentreach.protect.portfolio import Family, Filing, Portfolio
from patentreach.protect.regional_reach import ever_reaches, reach, unitary_states
from patentreach.refdata.deadline_rules import deadline_rule

RANK = {"protected": 3, "pending": 2, "unconfirmed": 1, "none": 0}
ASSUMED = "assumed in force (no lapse data)"
NOT_FOUND = "assumed in force (no legal status found for this application)"


@dataclass(frozen=True, slots=True)
class FilingEffect:
    """What one filing does in one country."""

    family: str
    filing: Filing | None
    status: str  # protected | pending | unconfirmed | none
    note: str
    expires: date | None = None
    legal: RightStatus | None = None  # the legal status the effect was decided on, if any


@dataclass(frozen=True, slots=True)
class Coverage:
    product_line: str
    market: str
    status: str
    families: tuple[str, ...]
    basis: tuple[str, ...]  # one line per family: how it covers (or not) the market
    export_value: float | None
    currency: str | None
    hs_code: str | None
    notes: tuple[str, ...] = field(default=())

    @property
    def gap(self) -> bool:
        return self.status != "protected"


def filing_date(filing: Filing, family: Family) -> tuple[date, str]:
    """The date the filing's term runs from, and a note when it had to be assumed."""
    if filing.route == "pct" and family.pct_date is not None:
        return family.pct_date, ""
    if filing.application_date is not None:
        return filing.application_date, ""
    if filing.route in ("ep", "regional"):
        for other in family.filings:
            if other.is_regional and other.application_date is not None:
                return other.application_date, ""
    return family.priority_date, "filing date not given: term counted from the priority date"


def term_end(filing: Filing, family: Family) -> date:
    """The end of the term: the legal status's computed expiry, else 20 years from filing."""
    if filing.legal is not None and filing.legal.expiry is not None:
        return filing.legal.expiry
    start, _ = filing_date(filing, family)
    return add_years(start, (deadline_rule("patent_term").months or 240) // 12)


def _granted(filing: Filing, family: Family, as_of: date, how: str, legal: RightStatus | None = None) -> FilingEffect:
    _, assumed = filing_date(filing, family)
    legal = legal or filing.legal
    expires = legal.expiry if legal is not None and legal.expiry else term_end(filing, family)
    if as_of >= expires:
        return FilingEffect(family.family, filing, "none", f"{how}: term ended {expires.isoformat()}", expires, legal)
    if legal is not None and legal.status == IN_FORCE:
        basis = "in force (legal status" + (f": {legal.reason})" if legal.reason else ")")
        assumed = ""
    else:
        basis = NOT_FOUND if filing.legal_checked else ASSUMED
    notes = [f"{how}, granted {filing.grant_date.isoformat() if filing.grant_date else '?'}", basis,
             f"term to {expires.isoformat()}"]
    if assumed:
        notes.append(assumed)
    return FilingEffect(family.family, filing, "protected", "; ".join(notes), expires, legal)


def legal_effect(filing: Filing, family: Family, as_of: date, how: str, legal: RightStatus) -> FilingEffect:
    """The effect decided by a legal status: in force protects, pending is pending, unknown is
    unconfirmed (said), anything else does not protect."""
    why = f" ({legal.reason})" if legal.reason else ""
    if legal.status == IN_FORCE:
        return _granted(filing, family, as_of, how, legal)
    if legal.status == PENDING:
        return FilingEffect(family.family, filing, "pending", f"{how}: pending (legal status){why}", legal=legal)
    if legal.status == UNKNOWN:
        return FilingEffect(family.family, filing, "unconfirmed", f"{how}: legal status unknown{why}", legal=legal)
    since = f" since {legal.since.isoformat()}" if legal.since else ""
    note = f"{how}: {legal.status.replace('_', ' ')}{since}{why}"
    if legal.restorable_until is not None:
        note += f"; restorable until {legal.restorable_until.isoformat()}"
    return FilingEffect(family.family, filing, "none", note, legal=legal)


def filing_effect(filing: Filing, family: Family, country: str, as_of: date) -> FilingEffect | None:
    """The filing's effect in ``country``; None when the filing has nothing to do with it."""
    if filing.office == country:
        how = f"{country} {'part of a regional patent' if filing.route in ('ep', 'regional') else 'application'}"
        how += f" {filing.application_number}" if filing.application_number else ""
        return _status(filing, family, as_of, how)
    if not filing.is_regional:
        return None
    start, _ = filing_date(filing, family)
    hit = reach(filing.office, country, start)
    if hit is None:
        known = ever_reaches(filing.office, country)
        if known is None:
            return None
        return FilingEffect(
            family.family, filing, "none",
            f"{filing.office} application filed {start.isoformat()}, before {known.describe()}: "
            f"it cannot cover {country}",
        )
    how = f"{filing.office} {filing.application_number or 'application'} ({hit.role.replace('_', ' ')})"
    state = next((status for status in filing.state_legal if status.office == country), None)
    if state is not None:
        return legal_effect(filing, family, as_of, f"{how}, validated", state)
    if filing.legal is not None and filing.legal.status != IN_FORCE:
        return legal_effect(filing, family, as_of, how, filing.legal)
    if filing.status == "lapsed":
        return FilingEffect(family.family, filing, "none", f"{how}: lapsed")
    if filing.status == "pending":
        note = f"{how}: pending"
        if hit.role in ("validation_state", "extension_state"):
            note += " (covers it only if the validation/extension fee was paid with the designation fee)"
        return FilingEffect(family.family, filing, "pending", note)
    return _regional_grant(filing, family, country, as_of, how)


def _regional_grant(filing: Filing, family: Family, country: str, as_of: date, how: str) -> FilingEffect:
    if country in filing.validations:
        return _granted(filing, family, as_of, f"{how}, validated")
    if filing.office == "EP":
        if filing.unitary_effect and filing.grant_date and country in unitary_states(filing.grant_date):
            return _granted(filing, family, as_of, f"{how}, unitary effect")
        if not filing.validations_known:
            return FilingEffect(family.family, filing, "unconfirmed",
                                f"{how}: granted; validation in {country} not recorded (no designations data)")
        return FilingEffect(family.family, filing, "none", f"{how}: granted, not validated in {country}")
    if filing.office in ("EA", "OA", "GC") and not filing.validations:
        return _granted(filing, family, as_of, f"{how}, regional title")
    if filing.office == "AP" and (not filing.validations or not filing.validations_known):
        return FilingEffect(family.family, filing, "unconfirmed",
                            f"{how}: granted; designation of {country} not recorded")
    return FilingEffect(family.family, filing, "none", f"{how}: granted, not maintained in {country}")


def _status(filing: Filing, family: Family, as_of: date, how: str) -> FilingEffect:
    if filing.legal is not None:
        return legal_effect(filing, family, as_of, how, filing.legal)
    if filing.status == "lapsed":
        return FilingEffect(family.family, filing, "none", f"{how}: lapsed")
    if filing.status == "pending":
        unchecked = "; no legal status found for this application" if filing.legal_checked else ""
        return FilingEffect(family.family, filing, "pending", f"{how}: pending{unchecked}")
    return _granted(filing, family, as_of, how)


def family_effect(family: Family, country: str, as_of: date) -> FilingEffect:
    """The family's best effect in ``country`` over all its filings."""
    effects = [effect for filing in family.filings if (effect := filing_effect(filing, family, country, as_of))]
    if not effects:
        return FilingEffect(family.family, None, "none", f"no filing reaches {country}")
    best = max(effects, key=lambda effect: RANK[effect.status])
    if best.status == "none":
        return FilingEffect(family.family, None, "none", "; ".join(effect.note for effect in effects))
    return best


def coverage_matrix(portfolio: Portfolio, markets: ExportMarkets, as_of: date) -> list[Coverage]:
    """One ``Coverage`` per export market (product line x country), in the file's order."""
    rows = []
    for market in markets.markets:
        names = markets.families.get(market.product_line, ())
        families = [portfolio.families[name] for name in names if name in portfolio.families]
        effects = [family_effect(family, market.country, as_of) for family in families]
        status = max((effect.status for effect in effects), key=RANK.__getitem__, default="none")
        notes = () if families else ("no family of the portfolio covers this product line",)
        rows.append(
            Coverage(
                product_line=market.product_line,
                market=market.country,
                status=status,
                families=tuple(names),
                basis=tuple(f"{effect.family}: {effect.note}" for effect in effects),
                export_value=market.export_value,
                currency=market.currency,
                hs_code=market.hs_code,
                notes=notes,
            )
        )
    return rows
