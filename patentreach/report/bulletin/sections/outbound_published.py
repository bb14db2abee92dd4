"""The published CNIPA/WIPO figure beside the warehouse's, in the offices section.

The published values come from ``refdata/published`` through ``stats compare``'s library
(``comparison_request`` and ``compare``), so the bulletin's published column is what
``patentreach stats compare`` prints. The two counts differ by definition: the published table
counts every applicant type, the bulletin enterprises only, and the table says how it treats
Hong Kong, origin and dates. ``compare_definitions.differences`` lists each aspect against the
bulletin's own spec; every aspect that differs becomes a footnote (a catalog message, so it is
written in both languages), and the comparison's verdict (under the published definition) says
whether the warehouse holds enough data to reproduce the published level at all.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from patentreach.report.bulletin.config import ConfigError
from patentreach.report.bulletin.model import N_, Figure, Name, Ref, Text
from patentreach.report.bulletin.sections.outbound_words import joined

if TYPE_CHECKING:
    from patentreach.indicators.spec import OutboundSpec
    from patentreach.report.bulletin.context import BulletinContext

NONE = "none"

LABEL = N_("Published figure (CNIPA/WIPO)")
LABEL_TOTAL = N_("Published figure (CNIPA/WIPO), total of the offices compared")
SOURCE = N_("Published column: table %(table)s (%(url)s), as `patentreach stats compare` prints it. It is not "
            "defined as this bulletin's count; the differences follow.")
SENTENCE = N_("The published figure for the same offices is %(published)s (all applicant types; see the notes on "
              "definitions).")
NO_FIGURE = N_("The published table %(table)s has no figure for %(origin)s in %(year)s at these offices, so no "
               "published figure is shown.")
NOT_LISTED = N_("The published table lists no figure for %(offices)s.")

RULES = {
    "first_applicant": N_("the country of the first-named applicant"),
    "applicants": N_("the countries of all applicants"),
    "inventors": N_("the countries of the inventors"),
}
COUNTINGS = {"whole": N_("whole counts"), "fractional": N_("fractional counts")}
BASES = {"grant": N_("the grant date"), "filing": N_("the filing date"), "priority": N_("the priority date")}

DIFFERENT = {
    "Applicant types": N_("Applicant types: the published figure counts the grants of every applicant type "
                          "(enterprises, universities, research institutes, individuals); this bulletin counts "
                          "enterprises only, so its counts are lower by definition."),
    "Origin rule": N_("Origin: the published figure assigns a grant by %(published)s; this bulletin by "
                      "%(ours)s."),
    "Counting": N_("Counting: the published figure uses %(published)s; this bulletin %(ours)s."),
    "Date basis": N_("Date: the published figure dates a grant by %(published)s; this bulletin by %(ours)s."),
    "Hong Kong": N_("Hong Kong: the published figure counts Hong Kong applicants as China; this bulletin counts "
                    "origin %(origin)s only."),
    "What is counted": N_("What is counted: the published table does not count granted invention patents as "
                          "this bulletin does."),
}
SUBSET = N_("Offices: the published total here is the sum of the published figures of the %(compared)s offices "
            "of this selection that the table lists, not the table's total over all offices.")
HELD = N_("Coverage: the warehouse holds grants of %(year)s for %(held)s of the %(compared)s offices compared.")
VERDICTS = {
    "reproduces": N_("Counted under the published definition (all applicant types), the warehouse reproduces the "
                     "published total within %(within)s."),
    "close": N_("Counted under the published definition (all applicant types), the warehouse is within "
                "%(within)s of the published total; the differences of definition can explain the gap."),
    "differs": N_("Counted under the published definition (all applicant types), the warehouse differs from the "
                  "published total by more than %(within)s."),
    "cannot_reproduce": N_("Counted under the published definition (all applicant types), the warehouse cannot "
                           "reproduce the published total: it holds only part of the %(year)s data for these "
                           "offices (a sample or a partial ingest), so the published column is the guide to the "
                           "level, the warehouse's to the definitions."),
}


@dataclass
class Published:
    """The published side: a figure per office the table lists, the total, and the footnotes."""

    by_office: dict[str, Figure] = field(default_factory=dict)
    total: Figure | None = None
    notes: list[Text] = field(default_factory=list)

    def sentence(self) -> Text | None:
        return Text(SENTENCE, {"published": Ref(self.total.key)}) if self.total else None


def _candidates(origin: str) -> list[str]:
    from patentreach.refdata.published import published_tables

    return [t.name for t in published_tables().values()
            if t.measure == "grants" and t.scope == "abroad" and t.types == "invention" and origin in t.origins]


def _request(ctx: BulletinContext, name: str) -> Any:
    from patentreach.indicators.choices import SpecError
    from patentreach.indicators.compare_request import comparison_request

    try:
        return comparison_request(name, ctx.request.origin, ctx.request.year, ctx.request.offices)
    except SpecError:
        return None


def check_option(option: Any) -> None:
    """``ConfigError`` for a ``published`` option that names no published table (checked before
    anything is counted)."""
    from patentreach.refdata.published import table_names

    if option is None or (isinstance(option, str) and option.lower() == NONE):
        return
    if option not in table_names():
        raise ConfigError(f"section offices: option published {option!r} is not a published table; choose "
                          f"from {', '.join(table_names())} or {NONE}")


def published(ctx: BulletinContext, spec: OutboundSpec, option: Any) -> Published | None:
    """The published figures for the bulletin's origin, year and offices (``option``: a table
    name, ``none``, or None for the first published table that has them); None when there is
    none to show and none was asked for."""
    check_option(option)
    if isinstance(option, str) and option.lower() == NONE:
        return None
    if option is not None:
        request = _request(ctx, option)
        if request is None:
            return Published(notes=[Text(NO_FIGURE, {"table": option, "origin": Name("country", ctx.request.origin),
                                                     "year": str(ctx.request.year)})])
    else:
        request = next((r for r in map(lambda n: _request(ctx, n), _candidates(ctx.request.origin)) if r), None)
        if request is None:
            return None
    return _compared(ctx, spec, request)


def _command(ctx: BulletinContext, request: Any) -> str:
    return shlex.join(["patentreach", "stats", "compare", "--warehouse", str(ctx.request.warehouse),
                       "--published", request.table.name, "--origin", request.origin, "--year", str(request.year),
                       "--offices", ctx.request.offices])


def _compared(ctx: BulletinContext, spec: OutboundSpec, request: Any) -> Published:
    from patentreach.indicators.compare import compare
    from patentreach.indicators.compare_definitions import differences

    comparison = compare(ctx.engine, ctx.warehouse, request)
    table, year = request.table, request.year
    command = _command(ctx, request)
    definition = table.definition() | {"compared": comparison.request, "verdict_kind": comparison.verdict_kind}
    out = Published()
    for row in comparison.rows[:-1]:
        out.by_office[row["office"]] = Figure(
            key=f"offices.{row['office']}.published.{year}", section="offices", value=row["published"],
            unit="documents", label=LABEL, definition=definition, command=command)
    total = comparison.rows[-1]
    out.total = Figure(key=f"offices.total.published.{year}", section="offices", value=total["published"],
                       unit="documents", label=LABEL_TOTAL, definition=definition, command=command)
    out.notes.append(Text(SOURCE, {"table": table.name, "url": table.source_url}))
    with_data = comparison.coverage["offices_with_data"]
    for difference in differences(request, spec, with_data):
        if not difference.same and difference.aspect in DIFFERENT:
            out.notes.append(Text(DIFFERENT[difference.aspect], _params(difference.aspect, table, spec)))
    compared = len(request.offices)
    if not request.all_offices:
        out.notes.append(Text(SUBSET, {"compared": compared}))
    out.notes.append(Text(HELD, {"year": str(year), "held": len(with_data), "compared": compared}))
    dropped = [code for code in request.dropped if code != request.origin]
    if dropped:
        out.notes.append(Text(NOT_LISTED, {"offices": joined([Name("office", code) for code in dropped])}))
    verdict = VERDICTS.get(comparison.verdict_kind)
    if verdict:
        out.notes.append(Text(verdict, _verdict_params(comparison, year)))
    return out


def _verdict_params(comparison: Any, year: int) -> dict[str, Any]:
    """The threshold the verdict applied, as a percentage (the catalog holds no literal ``%``)."""
    thresholds = comparison.thresholds
    within = {"reproduces": thresholds["reproduces_within"], "close": thresholds["close_within"],
              "differs": thresholds["close_within"]}.get(comparison.verdict_kind)
    return {"year": str(year)} if within is None else {"within": f"{within:.0%}"}


def _params(aspect: str, table: Any, spec: OutboundSpec) -> dict[str, Any]:
    if aspect == "Origin rule":
        return {"published": Text(RULES[table.origin_rule]), "ours": Text(RULES[spec.origin_rule])}
    if aspect == "Counting":
        return {"published": Text(COUNTINGS[table.counting]), "ours": Text(COUNTINGS[spec.counting])}
    if aspect == "Date basis":
        return {"published": Text(BASES[table.date_basis]), "ours": Text(BASES[spec.basis])}
    if aspect == "Hong Kong":
        return {"origin": joined([Name("country", code) for code in spec.origin])}
    return {}
