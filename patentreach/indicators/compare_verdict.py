"""The verdict of a comparison, in one plain sentence, from documented thresholds.

A warehouse of samples counting 0 beside a national total of 53,770 is not a finding about China:
it is a warehouse that lacks the data. The verdict says which of the two it is:

* ``cannot reproduce``: the offices for which the warehouse holds any document of the year carry
  less than ``CANNOT_BELOW`` (50%) of the published total, or the warehouse counts less than 50% of
  it. The sentence names the offices held, the share of the published total they carry, the
  figures of those offices, and why (fewer documents of *any* origin than the published count of
  this origin alone: partial data, a sample; else many documents without an origin; else the
  definitions);
* ``reproduces``: within ``REPRODUCED_WITHIN`` (5%) of the published total;
* ``close``: within ``CLOSE_WITHIN`` (25%): the differences of definition listed can explain a gap
  of that size (e.g. first-named applicant vs. all applicants, grant-date conventions);
* ``differs``: anything else, with the gap in percent.
"""

from __future__ import annotations

from dataclasses import dataclass

CANNOT_BELOW = 0.50
REPRODUCED_WITHIN = 0.05
CLOSE_WITHIN = 0.25
MANY_WITHOUT_ORIGIN = 0.50
SHOWN_OFFICES = 5

THRESHOLDS = {
    "cannot_reproduce_below": CANNOT_BELOW,
    "reproduces_within": REPRODUCED_WITHIN,
    "close_within": CLOSE_WITHIN,
    "many_without_origin": MANY_WITHOUT_ORIGIN,
}


@dataclass(frozen=True, slots=True)
class Slice:
    """The totals the verdict is made from (counts over the compared offices)."""

    what: str  # e.g. "CN-origin invention grants of 2021"
    year: int
    measure: str
    offices: int
    with_data: list[tuple[str, float, int]]  # (office, warehouse count, published count) of offices holding data
    published: int
    warehouse: float
    held: float  # documents of the year at the offices with data, of any origin
    without_origin: float


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str  # cannot_reproduce | reproduces | close | differs
    sentence: str


def number(value: float) -> str:
    """``53,770``; a fractional count with one decimal (``12.5``)."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.1f}"


def counted(value: float, noun: str) -> str:
    """``1 grant``, ``3 grants``, ``2.5 grants``."""
    return f"{number(value)} {noun[:-1] if noun.endswith('s') and value == 1 else noun}"


def _why(s: Slice, covered: int) -> str:
    if s.held < covered:
        return (f"at those offices it holds {counted(s.held, s.measure)} of {s.year} of any origin, fewer than the "
                f"published count of this origin alone ({number(covered)}): its {s.year} data is partial (a sample), "
                "not full data")
    if s.held and s.without_origin / s.held >= MANY_WITHOUT_ORIGIN:
        return (f"{number(s.without_origin)} of the {number(s.held)} {s.measure} of {s.year} it holds there "
                f"({s.without_origin / s.held:.0%}) have no origin country, so they count for no origin")
    return "the definitions differ as stated above"


def verdict(s: Slice) -> Verdict:
    covered = sum(published for _, _, published in s.with_data)
    ratio = s.warehouse / s.published if s.published else 1.0
    share = covered / s.published if s.published else 1.0
    if share < CANNOT_BELOW or ratio < CANNOT_BELOW:
        if s.with_data:
            codes = ", ".join(office for office, _, _ in s.with_data)
            held = (f"it holds {s.measure} of {s.year} for {len(s.with_data)} of the {s.offices} offices ({codes}), "
                    f"which carry {number(covered)} of the {number(s.published)} published ({share:.1%})")
            shown = "; ".join(f"{office}: {number(count)} vs {number(published)} published"
                              for office, count, published in s.with_data[:SHOWN_OFFICES])
            rest = f" (and {len(s.with_data) - SHOWN_OFFICES} more offices)" if len(s.with_data) > SHOWN_OFFICES else ""
            detail = f" {shown}{rest}."
        else:
            held = f"it holds no {s.measure} of {s.year} for any of the {s.offices} offices"
            detail = ""
        reason = _why(s, covered) if s.with_data else "this is not the full data for that year"
        return Verdict("cannot_reproduce",
                       f"The warehouse cannot reproduce the published figure: {held}; it counts "
                       f"{number(s.warehouse)} {s.what} against {number(s.published)} published ({ratio:.1%}).{detail} "
                       f"Why: {reason}.")
    gap = ratio - 1
    if abs(gap) <= REPRODUCED_WITHIN:
        return Verdict("reproduces", f"The warehouse reproduces the published figure within {REPRODUCED_WITHIN:.0%}: "
                                     f"{number(s.warehouse)} vs {number(s.published)} {s.what} ({gap:+.1%}).")
    if abs(gap) <= CLOSE_WITHIN:
        return Verdict("close", f"The warehouse is close to the published figure: {number(s.warehouse)} vs "
                                f"{number(s.published)} {s.what} ({gap:+.1%}); the differences of definition above can "
                                "explain a gap of this size.")
    return Verdict("differs", f"The warehouse differs from the published figure: {number(s.warehouse)} vs "
                              f"{number(s.published)} {s.what} ({gap:+.1%}); {_why(s, covered)}.")
