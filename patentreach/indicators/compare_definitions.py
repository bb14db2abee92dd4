"""The warehouse definition closest to a published table's, and the differences left, as sentences.

The published table's definition is data (``refdata/published/tables.csv``) written in the
indicators' vocabulary, so the closest ``OutboundSpec`` follows from it: the same stage (grants or
applications), origin rule, counting and date basis; origin ``CN`` plus ``HK`` where the table counts
Hong Kong as part of China; scope ``abroad`` where the table counts grants overseas. What cannot be
matched (a filing counted at its European-phase entry, a ``China`` of unknown extent, offices the
warehouse holds nothing for) is stated, one sentence per aspect, each marked same or different.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from patentreach.indicators.compare_request import CompareRequest
from patentreach.indicators.spec import BASES, COUNTINGS, ORIGIN_RULES, OutboundSpec

DOCUMENTS_COUNTED = {
    "grants": "documents typed invention_grant (the first grant publication of each patent, by office, kind code "
              "and date)",
    "applications": "published documents typed invention_application (A1/A2-type publications, by kind code)",
}


@dataclass(frozen=True, slots=True)
class Difference:
    """One aspect of the definitions: what each side counts, and whether they agree."""

    aspect: str
    published: str
    warehouse: str
    same: bool

    @property
    def sentence(self) -> str:
        verdict = "same definition" if self.same else "different definitions"
        return f"{self.aspect} ({verdict}): published: {self.published}; warehouse: {self.warehouse}."

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"sentence": self.sentence}


def warehouse_origins(request: CompareRequest) -> tuple[str, ...]:
    """The origin codes standing for the published origin: CN and HK where the table's China
    includes Hong Kong."""
    if request.origin == "CN" and request.table.hk == "in_china":
        return ("CN", "HK")
    return (request.origin,)


def closest_spec(request: CompareRequest) -> OutboundSpec:
    """The ``stats outbound`` switches closest to the published definition, by office (and route,
    where the table splits direct filings from PCT national phase entries)."""
    table = request.table
    return OutboundSpec(
        origin=warehouse_origins(request), origin_rule=table.origin_rule, counting=table.counting,
        basis=table.date_basis, unit="documents", stage=table.measure, types=("invention",), scope=table.scope,
        offices=request.offices, years=(request.year, request.year),
        by=("office", "route") if table.route_split else ("office",),
    )


def coverage_spec(spec: OutboundSpec) -> OutboundSpec:
    """The same documents of every origin, by office and origin: what the warehouse holds for the
    slice at all, and how much of it has no origin (fractional, so each document counts once)."""
    return spec.replace(origin=(), scope="all", counting="fractional", by=("office", "origin"))


def _hong_kong(request: CompareRequest, spec: OutboundSpec) -> Difference:
    table = request.table
    origins = "+".join(spec.origin)
    if table.hk == "office_overseas":
        held = "HK is among the compared offices" if "HK" in request.offices else "HK is not among the compared offices"
        return Difference("Hong Kong", f"{table.hk_text}",
                          f"grants at HK as abroad for {origins} origin too (scope abroad: any office other than the "
                          f"origin's own); {held}", True)
    if table.hk == "in_china":
        return Difference("Hong Kong", table.hk_text, f"origin {origins}, so Hong Kong parties count as China too",
                          True)
    return Difference("Hong Kong", table.hk_text, f"origin {origins} only (HK, MO and TW parties are not China)", False)


def _offices(request: CompareRequest, with_data: list[str]) -> Difference:
    year, measure = request.year, request.table.measure
    compared = len(request.offices)
    held = f"{len(with_data)} of them ({', '.join(with_data)})" if with_data else "none of them"
    scope = "every office of the table" if request.all_offices else "the offices chosen with --offices"
    dropped = (f"; not in the table, so not compared: {', '.join(request.dropped)}" if request.dropped else "")
    return Difference("Offices", request.table.offices_covered,
                      f"{scope}: {compared} office{'s' if compared != 1 else ''}, and holds {measure} of {year} for "
                      f"{held}{dropped}", request.all_offices and len(with_data) == compared)


def differences(request: CompareRequest, spec: OutboundSpec, with_data: list[str]) -> list[Difference]:
    """Every aspect of the two definitions, in the order a reader checks them."""
    table = request.table
    grants = table.measure == "grants"
    basis_same = table.date_basis == spec.basis and grants
    basis_note = "" if grants else (" (for a Euro-PCT application that is the international filing date, not the "
                                    "date of entry into the European phase)")
    route = ("direct and PCT national phase separately (a PCT claim or a stored PCT route makes a document 'pct')"
             if "route" in spec.by else "every route together")
    return [
        Difference("What is counted", f"{table.types} {table.measure} ({table.unit})", DOCUMENTS_COUNTED[table.measure],
                   grants),
        Difference("Origin rule", table.origin_text, ORIGIN_RULES[spec.origin_rule],
                   table.origin_rule == spec.origin_rule),
        Difference("Counting", f"{table.counting} counts", f"{spec.counting} counts: {COUNTINGS[spec.counting]}",
                   table.counting == spec.counting),
        _hong_kong(request, spec),
        Difference("Applicant types", f"{table.applicant_types} applicants",
                   "all applicants (no sector filter; --sector company would count enterprises only)"
                   if not spec.sector else f"sectors {', '.join(spec.sector)}",
                   table.applicant_types == "all" and not spec.sector),
        _offices(request, with_data),
        Difference("Date basis", table.date_text, f"{BASES[spec.basis]}{basis_note}", basis_same),
        Difference("Route", table.route_text, route, table.route_split == ("route" in spec.by)),
    ]
