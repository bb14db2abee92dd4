"""What the outbound sections count, and how a reader asks for the same number again.

The four outbound sections (offices, fields, enterprises, routes) count the same thing: invention
grants abroad of enterprises (harmonisation's sector ``company``) from the bulletin's origin, at
its offices (``--offices`` as ``stats outbound`` takes it). ``base_spec`` is that definition;
each section adds its breakdown. ``run`` computes a spec with ``outbound`` (the library function
behind ``stats outbound``), after the same freshness check the command makes; ``Trace`` turns the
spec into the exact ``stats outbound`` command, its ``stats records`` drill-down and the
dashboard path that print the same number, so every ``Figure`` can be reproduced.
"""

from __future__ import annotations

import shlex
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from patentreach.report.bulletin.config import ConfigError
from patentreach.report.bulletin.model import N_, Figure, SectionUnavailable, Text

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult
    from patentreach.indicators.spec import OutboundSpec
    from patentreach.report.bulletin.context import BulletinContext

SECTOR = "company"
"""Enterprises: harmonisation's applicant sector the bulletin's outbound figures count."""

NOT_HARMONISED = N_("The warehouse %(warehouse)s has no harmonised tables, so no origin or enterprise can be "
                    "counted: run `patentreach harmonize --warehouse %(warehouse)s` and build the bulletin again.")
STALE = N_("The warehouse's harmonised tables are older than its last ingest, so new publications would be left "
           "out: run `patentreach harmonize --warehouse %(warehouse)s` and build the bulletin again.")
NO_YEAR = N_("The warehouse holds no granted invention patents of enterprises from %(origin)s at %(where)s for "
             "%(year)s; it holds them for %(years)s. Build the bulletin for one of those years, or ingest the "
             "%(year)s data.")
NO_YEAR_AT_ALL = N_("The warehouse holds no granted invention patents of enterprises from %(origin)s at %(where)s "
                    "for any year: ingest and harmonise data of that origin, or choose other offices.")
DATA_NOTES = N_("Notes on the data behind these figures, as `patentreach stats outbound` prints them: %(notes)s")


# --- options ---------------------------------------------------------------------------------------


def check_options(section: str, options: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse an option the section does not know (a typo would otherwise be silently ignored)."""
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ConfigError(f"section {section}: unknown option {unknown[0]!r}; the section takes "
                          f"{', '.join(allowed) or 'no options'}")


def top_option(section: str, options: dict[str, Any], default: int = 10) -> int:
    """The ``top`` option: a whole number of at least 1."""
    value = options.get("top", default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"section {section}: option top {value!r} must be a whole number of at least 1")
    return value


# --- the definition and its run ----------------------------------------------------------------------


def base_spec(ctx: BulletinContext, **changes: Any) -> OutboundSpec:
    """Invention grants abroad of enterprises from the bulletin's origin at its offices, whole
    counts of documents by grant year, first-named applicant's country (``stats outbound``'s
    defaults), with ``changes`` (the breakdown, the years ...)."""
    from patentreach.indicators.options import outbound_spec

    request = ctx.request
    spec = outbound_spec(origin=request.origin, offices=request.offices, sector=SECTOR, types="invention",
                         stage="grants")
    return spec.replace(**changes)


def require_harmonised(ctx: BulletinContext) -> None:
    """``SectionUnavailable`` when the warehouse has no harmonised tables or stale ones (what
    ``stats outbound`` refuses with one line), with the command to run."""
    from patentreach.warehouse.freshness import check

    verdict = check(ctx.warehouse)
    where = str(ctx.request.warehouse)
    if not verdict.harmonised:
        raise SectionUnavailable(Text(NOT_HARMONISED, {"warehouse": where}))
    if not verdict.current:
        raise SectionUnavailable(Text(STALE, {"warehouse": where}))


_COMPUTED: dict[int, dict[Any, Any]] = {}
"""Results already computed per open bulletin context (by spec): the four sections share the
by-year definition, counted once."""


def _memo(ctx: BulletinContext) -> dict[Any, Any]:
    key = id(ctx)
    if key not in _COMPUTED:
        _COMPUTED[key] = {}
        weakref.finalize(ctx, _COMPUTED.pop, key, None)
    return _COMPUTED[key]


def run(ctx: BulletinContext, specs: dict[str, OutboundSpec]) -> dict[str, IndicatorResult]:
    """``specs`` computed together (``outbound_set``: one shared base), after the freshness check;
    a missing harmonised table is said, not raised. Each spec is counted once per bulletin."""
    from patentreach.indicators import outbound_set
    from patentreach.warehouse.engines import MissingTable

    require_harmonised(ctx)
    memo = _memo(ctx)
    missing = {name: spec for name, spec in specs.items() if spec not in memo}
    if missing:
        try:
            computed = outbound_set(ctx.engine, missing)
        except MissingTable:
            raise SectionUnavailable(Text(NOT_HARMONISED, {"warehouse": str(ctx.request.warehouse)})) from None
        memo.update({missing[name]: result for name, result in computed.items()})
    return {name: memo[spec] for name, spec in specs.items()}


def held_years(result: IndicatorResult) -> list[int]:
    """The years of a by-year result that count anything."""
    return sorted(row["year"] for row in result.rows if row.get("year") is not None and row.get("count"))


def years_text(years: list[int]) -> str:
    """``2005-2010, 2012``: runs of consecutive years (digits only: the same in every language)."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def require_year(ctx: BulletinContext, by_year: IndicatorResult, where: Any) -> None:
    """``SectionUnavailable`` saying which years the warehouse holds when the bulletin's year
    counts nothing (``by_year``: the section's definition by year over all years)."""
    years = held_years(by_year)
    year = ctx.request.year
    if year in years:
        return
    params = {"origin": origin_name(ctx), "where": where, "year": str(year)}
    if not years:
        raise SectionUnavailable(Text(NO_YEAR_AT_ALL, params))
    raise SectionUnavailable(Text(NO_YEAR, params | {"years": years_text(years)}))


def origin_name(ctx: BulletinContext) -> Any:
    from patentreach.report.bulletin.model import Name

    return Name("country", ctx.request.origin.upper())


def data_notes(*results: IndicatorResult) -> list[Text]:
    """The indicator's own notes on its data (coverage, documents without origin ...), once each:
    a caveat is never dropped. They are the library's sentences (English), quoted."""
    seen: list[str] = []
    for result in results:
        for note in result.definition.get("notes", []):
            if note not in seen:
                seen.append(note)
    return [Text(DATA_NOTES, {"notes": " ".join(seen)})] if seen else []


# --- tracing: the command, the records, the dashboard -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trace:
    """How a reader gets the numbers of one spec again: ``command`` prints every cell of it,
    ``records(cell)`` lists the publications behind one cell, ``dashboard`` shows it on the web."""

    ctx: BulletinContext
    spec: OutboundSpec

    def options(self) -> list[tuple[str, str]]:
        """The ``stats outbound`` options of the spec, in the command's spelling; the dashboard's
        query parameters are the same names (``--type`` is ``type``)."""
        spec = self.spec
        pairs = [("origin", ",".join(spec.origin)), ("offices", self.ctx.request.offices),
                 ("sector", ",".join(spec.sector)), ("type", ",".join(spec.types)), ("stage", spec.stage)]
        if spec.years is not None:
            first, last = spec.years
            pairs.append(("years", str(first) if first == last else f"{first}-{last}"))
        pairs.append(("by", ",".join(spec.by)))
        if spec.top is not None:
            pairs.append(("top", str(spec.top)))
        return pairs

    def _argv(self, command: str) -> list[str]:
        argv = ["patentreach", "stats", command, "--warehouse", str(self.ctx.request.warehouse)]
        for name, value in self.options():
            argv += [f"--{name}", value]
        return argv

    @property
    def command(self) -> str:
        """``patentreach stats outbound ...``: prints the cells of this spec."""
        return shlex.join(self._argv("outbound"))

    def records(self, cell: dict[str, Any]) -> str:
        """``patentreach stats records ... --cell KEY=VALUE``: the publications behind ``cell``."""
        argv = self._argv("records")
        for key, value in cell.items():
            argv += ["--cell", f"{key}={'' if value is None else value}"]
        return shlex.join(argv)

    @property
    def dashboard(self) -> str:
        """The dashboard page (``/``) showing this spec: its query parameters are the options'."""
        # the dashboard's own defaults differ from the command's (it opens on CN enterprises at
        # the major offices by office and year), so every option is written out
        return "/?" + urlencode(self.options(), safe="=,")

    def figure(self, key: str, section: str, value: Any, unit: str, label: str, result: IndicatorResult,
               cell: dict[str, Any]) -> Figure:
        """A figure of this spec: its definition is the result's, its trace this spec's."""
        return Figure(key=key, section=section, value=value, unit=unit, label=label,
                      definition=result.definition, command=self.command, records=self.records(cell),
                      dashboard=self.dashboard)


def percent(share: float | None) -> float | None:
    """A share (0.125) as the percentage a ``percent`` figure holds (12.5), without float noise."""
    return None if share is None else round(share * 100.0, 7)
