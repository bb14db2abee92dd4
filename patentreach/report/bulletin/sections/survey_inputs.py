"""What the survey sections read from the survey store, read once per bulletin.

The store holds the responses and the weight runs of ``patentreach survey weight`` (the newest
run per form wins: ``survey/weight_store.py``). ``survey headlines``, the command that reproduces a
survey figure, reads weights from a CSV file; the store keeps only each unit's final weight, so
the bulletin writes the newest run as that CSV into its output folder (``inputs/``), with the
strata and finite population corrections of the sample file the run names, the columns
``survey headlines`` analyses by default. The bulletin's estimates are then computed from that
very file, the way the command computes them (``read_weights``, ``joined``, ``headline_rows``):
the figure and the command's output cannot differ.

Missing inputs raise ``SectionUnavailable`` with what to run.
"""

from __future__ import annotations

import shlex
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, SectionUnavailable, Text

if TYPE_CHECKING:
    import pandas as pd

    from patentreach.survey.headline_definitions import Indicators
    from patentreach.survey.weight_store import WeightRun

NO_STORE = N_("No survey store was given (--survey): the survey figures are left out.")
NO_WEIGHTS = N_(
    "The survey store %(store)s holds no weights: run `patentreach survey weight --store %(store)s --sample "
    "SAMPLE.csv --frame FRAME.csv` (add --patent-sample for the patent indicators), then make the bulletin again.")
NO_SUCH_STORE = N_("There is no survey store at %(store)s (--survey): give the SQLite file or URL that "
                   "`patentreach survey import` and `patentreach survey weight` wrote to.")
NO_RESPONSES = N_("The survey store %(store)s holds no responses: import them with `patentreach survey import`.")
UNREADABLE = N_("The survey inputs cannot be read: %(why)s")
NO_SAMPLE = N_(
    "Weight run %(run)s names the sample file %(path)s, which cannot be read (%(why)s): its strata and finite "
    "population corrections are needed for the standard errors. Run `patentreach survey weight` again with the "
    "sample file where it is now.")
DESIGN_COLUMNS = {"holder": ("stratum", "fpc"), "patent": ("enterprise_id", "stratum")}
"""The sample's columns ``survey headlines`` analyses by default (``headlines.default_design``)."""
SAMPLE_FILES = {"holder": "sample", "patent": "patent_sample"}
LEVEL = 0.95
BREAKDOWNS: tuple[str | None, ...] = (None, "sector", "size")


@dataclass
class SurveyInputs:
    store: str
    """The store as the commands print it (a URL's password hidden)."""
    indicators: Indicators
    runs: dict[str, WeightRun]
    weight_files: dict[str, Path]
    table: pd.DataFrame
    """``headline_rows`` of every indicator whose unit has weights: one row per indicator and group."""
    rates: pd.DataFrame
    level: float = LEVEL
    left_out: list[str] = field(default_factory=list)
    """Units whose indicators are left out (no weights stored for them)."""

    def _weights(self) -> list[str]:
        options = []
        for unit, option in (("holder", "--weights"), ("patent", "--patent-weights")):
            if unit in self.weight_files:
                options += [option, str(self.weight_files[unit])]
        return options

    def command(self) -> str:
        """``patentreach survey headlines ...``: prints every survey figure (estimate, ci_lower, ci_upper)."""
        return shlex.join(["patentreach", "survey", "headlines", "--store", self.store, *self._weights(),
                           "--by", "sector,size", "--format", "json"])

    def records(self, key: str, breakdown: str | None, group: str) -> str:
        """``patentreach survey records ...``: the responses behind one estimate."""
        domain = [] if breakdown is None else ["--domain", f"{breakdown}={group}"]
        return shlex.join(["patentreach", "survey", "records", key, "--store", self.store, *self._weights(), *domain])

    def status_command(self) -> str:
        return shlex.join(["patentreach", "survey", "status", "--store", self.store, "--form", "holder",
                           "--format", "json"])

    def row(self, key: str, breakdown: str | None, group: str) -> dict[str, Any]:
        t = self.table
        found = t[(t["key"] == key) & (t["group"] == group)
                  & (t["breakdown"].isna() if breakdown is None else t["breakdown"] == breakdown)]
        return found.iloc[0].to_dict()


_CACHE: dict[int, SurveyInputs] = {}


def survey_inputs(ctx: BulletinContext) -> SurveyInputs:
    """The survey inputs of this bulletin (read on first use, then kept for the other sections)."""
    if id(ctx) not in _CACHE:
        _CACHE[id(ctx)] = _read(ctx)
        weakref.finalize(ctx, _CACHE.pop, id(ctx), None)
    return _CACHE[id(ctx)]


def shown_store(store: str) -> str:
    """The store as it may be printed: a URL's password hidden."""
    if "://" not in store:
        return store
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(store).render_as_string(hide_password=True)
    except ArgumentError:
        return store.split("://", 1)[0] + "://..."


def _weights_file(run: WeightRun, unit: str, folder: Path) -> Path:
    """The run's weights as the CSV ``survey headlines`` reads: id, design columns, final weight."""
    import pandas as pd

    from patentreach.model.spreadsheet_cells import neutralise_frame
    from patentreach.survey.headline_definitions import UNITS

    id_column = UNITS[unit]
    sample_path = (run.specification.get("files") or {}).get(SAMPLE_FILES[unit])
    try:
        sample = pd.read_csv(sample_path, dtype=str, keep_default_na=False)
        missing = [c for c in (id_column, *DESIGN_COLUMNS[unit]) if c not in sample.columns]
        if missing:
            raise ValueError(f"no column {missing[0]!r}")
    except (OSError, ValueError, TypeError) as exc:
        why = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        note = Text(NO_SAMPLE, {"run": str(run.run_id), "path": str(sample_path), "why": why})
        raise SectionUnavailable(note) from None
    weights = run.weights[["unit_key", "final_weight"]].rename(columns={"unit_key": id_column})
    design = sample[[id_column, *DESIGN_COLUMNS[unit]]].drop_duplicates(id_column)
    table = weights.merge(design, on=id_column, how="left", validate="1:1")
    table = table[[id_column, *DESIGN_COLUMNS[unit], "final_weight"]]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"survey-weights-{unit}-run{run.run_id}.csv"
    neutralise_frame(table).to_csv(path, index=False)
    return path


def _read(ctx: BulletinContext) -> SurveyInputs:
    from sqlalchemy.exc import SQLAlchemyError

    from patentreach.survey import fieldwork
    from patentreach.survey.design import DesignError
    from patentreach.survey.estimate import StatisticError
    from patentreach.survey.headlines import HeadlineError, headline_rows, joined, load_indicators, read_weights
    from patentreach.survey.linearisation import LonelyPSUError
    from patentreach.survey.store import StoreError, load_responses
    from patentreach.survey.weight_store import latest_weights

    if not ctx.request.survey:
        raise SectionUnavailable(Text(NO_STORE))
    store = shown_store(ctx.request.survey)
    if "://" not in ctx.request.survey and not Path(ctx.request.survey).is_file():
        raise SectionUnavailable(Text(NO_SUCH_STORE, {"store": store}))  # opening it would create an empty one
    try:
        engine = ctx.survey_store
        runs = {unit: run for unit in ("holder", "patent") if (run := latest_weights(engine, unit)) is not None}
        if not runs:
            raise SectionUnavailable(Text(NO_WEIGHTS, {"store": store}))
        responses = {unit: load_responses(engine, unit) for unit in runs}
        if all(frame.empty for frame in responses.values()):
            raise SectionUnavailable(Text(NO_RESPONSES, {"store": store}))
        folder = Path(ctx.request.out) / "inputs"
        files = {unit: _weights_file(run, unit, folder) for unit, run in runs.items()}
        indicators = load_indicators()
        data = joined(responses, {unit: read_weights(path, unit) for unit, path in files.items()})
        keys = [i.key for i in indicators.indicators if i.unit in data]
        table = headline_rows(data, {}, indicators, by=BREAKDOWNS, level=LEVEL, keys=keys)
        rates = fieldwork.response_rates(engine, "holder")
    except (StoreError, SQLAlchemyError, HeadlineError, DesignError, StatisticError, LonelyPSUError, OSError) as exc:
        why = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise SectionUnavailable(Text(UNREADABLE, {"why": why})) from None
    left_out = sorted({i.unit for i in indicators.indicators} - set(data))
    return SurveyInputs(store, indicators, runs, files, table, rates, LEVEL, left_out)
