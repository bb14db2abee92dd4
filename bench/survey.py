"""Survey estimation benchmark: patentreach against the ``svy`` package, four tasks on the same data.

The workload of issue #18 ("Speed"): 100,000 responses to 10 items (5 numeric, 5 yes/no; 3% item
non-response each), a stratified cluster sample (40 strata x 25 PSUs), 80 bootstrap replicate
weights, and four tasks, each timed from the in-memory table to the table of estimates:

1. ``taylor``: the mean of every numeric item and the proportion of every yes/no item (with its
   logit interval, R's ``svyciprop`` default), SEs by Taylor linearisation;
2. ``domains``: the same in each of 5 domains (``by`` a 5-level column), Taylor;
3. ``replicate``: the same as 1 with SEs from the 80 replicate-weight columns;
4. ``rake``: raking of the weights *and of all 80 replicates* to three margins (size 4, region 6,
   sector 10 levels, tolerance 1e-10), then the same as 3.

Both engines get the same data and the same replicate columns (generated once, outside the timing:
a Rao-Wu rescaled bootstrap); ``svy`` gets a Polars frame (conversion not timed). Every task has
one untimed warm-up per engine, then ``--repeat`` interleaved runs, so that load on the machine
hits both; wall time and CPU time (all threads of the process) are printed with the load
average. The script checks that the two engines agree (estimates and SEs to 1e-6 relative) and
exits non-zero if they do not.

    .venv/bin/python bench/survey.py --repeat 7      # needs the bench extra: pip install -e '.[bench]'
    .venv/bin/python bench/survey.py --rows 20000 --repeat 1 --tasks taylor,replicate   # quick
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from patentreach.survey.design import load_design
from patentreach.survey.estimate import estimate
from patentreach.survey.survey_design import SurveyDesign

MARGINS = {
    "size": ["micro", "small", "medium", "large"],
    "region": ["north", "south", "east", "west", "centre", "northeast"],
    "sector": [f"s{i:02d}" for i in range(10)],
}
DOMAINS = ["d1", "d2", "d3", "d4", "d5"]
TASKS = ("taylor", "domains", "replicate", "rake")


class Workload:
    """The synthetic survey round: responses, replicate columns, margins, item names."""

    def __init__(self, rows: int, items: int, replicates: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        n_strata, psus_per_stratum = 40, 25
        stratum = rng.integers(0, n_strata, rows)
        data = pd.DataFrame(
            {
                "stratum": stratum,
                "psu": stratum * psus_per_stratum + rng.integers(0, psus_per_stratum, rows),
                "size": rng.choice(MARGINS["size"], rows, p=[0.4, 0.3, 0.2, 0.1]),
                "region": rng.choice(MARGINS["region"], rows),
                "sector": rng.choice(MARGINS["sector"], rows),
                "domain": rng.choice(DOMAINS, rows),
                "w": rng.uniform(5, 50, rows),
            }
        )
        self.numeric: list[str] = []
        self.binary: list[str] = []
        for j in range(items):
            binary = j % 2 == 1
            x = (rng.random(rows) < 0.2 + 0.03 * j).astype(float) if binary else rng.normal(100 + j, 20, rows)
            x[rng.random(rows) < 0.03] = np.nan
            name = f"q{j:02d}"
            data[name] = x
            (self.binary if binary else self.numeric).append(name)
        spec = load_design(
            {
                "ids": ["psu"],
                "strata": "stratum",
                "weights": "w",
                "replicates": {"type": "subbootstrap", "generate": {"replicates": replicates, "seed": seed}},
            }
        )
        analysis = SurveyDesign.build(data, spec).replicates.analysis
        self.rep_names = [f"bw{r + 1}" for r in range(replicates)]
        self.data = pd.concat([data, pd.DataFrame(analysis, columns=self.rep_names)], axis=1)
        total = data["w"].sum() * 1.08
        rng_pop = np.random.default_rng(seed + 1)
        self.population: dict[str, dict[str, float]] = {}
        for margin, levels in MARGINS.items():
            share = data.groupby(margin)["w"].sum().reindex(levels).to_numpy()
            share = share * rng_pop.uniform(0.9, 1.1, len(levels))
            self.population[margin] = dict(zip(levels, (share / share.sum() * total).tolist(), strict=True))
        self.replicates = replicates

    @property
    def stats(self) -> list[str]:
        return [f"mean:{v}" for v in self.numeric] + [f"prop:{v}" for v in self.binary]


# ---- patentreach ----------------------------------------------------------------------------------


def _spec(work: Workload, replicates: bool, rake: bool) -> dict:
    spec: dict = {"ids": ["psu"], "strata": "stratum", "weights": "w"}
    if replicates:
        spec["replicates"] = {"type": "bootstrap", "columns": work.rep_names}
    if rake:
        spec["calibrate"] = [{"method": "rake", "population": work.population, "epsilon": 1e-10, "maxit": 1000}]
    return spec


def ours(work: Workload, task: str) -> pd.DataFrame:
    """One task with patentreach: build the design from the table, estimate every statistic."""
    replicates = task in ("replicate", "rake")
    spec = load_design(_spec(work, replicates, task == "rake"))
    survey = SurveyDesign.build(work.data, spec)
    table = estimate(work.data, survey, work.stats, by="domain" if task == "domains" else None)
    return table.assign(domain=table["domain"].fillna(""))[["variable", "domain", "estimate", "se"]]


# ---- svy ------------------------------------------------------------------------------------------


def theirs(work: Workload, frame, task: str) -> pd.DataFrame:
    """The same task with svy: ``estimation.mean`` for numeric items, ``estimation.prop`` (logit
    interval) for yes/no items; the proportion of the level 1."""
    import svy

    replicates = task in ("replicate", "rake")
    rep = (
        svy.BootstrapWgts(prefix="bw", n_reps=work.replicates, scale=1 / (work.replicates - 1))
        if replicates
        else None
    )
    design = svy.Design(stratum="stratum", psu="psu", wgt="w", rep_wgts=rep)
    sample = svy.Sample(frame, design)
    if task == "rake":
        sample = sample.weighting.rake(controls=work.population, tol=1e-10, max_iter=1000)
    method = "replication" if replicates else "taylor"
    by = "domain" if task == "domains" else None
    means = sample.estimation.mean(work.numeric, by=by, method=method, drop_nulls=True)
    props = sample.estimation.prop(work.binary, by=by, method=method, ci_method="logit", drop_nulls=True)
    rows = []
    for name, result in zip(work.numeric, means, strict=True):
        rows.extend(_svy_rows(name, result.to_polars(), by))
    for name, result in zip(work.binary, props, strict=True):
        table = result.to_polars()
        rows.extend(_svy_rows(name, table.filter(table[name] == 1.0), by))
    return pd.DataFrame(rows, columns=["variable", "domain", "estimate", "se"])


def _svy_rows(name: str, table, by: str | None) -> list[tuple]:
    domains = table[by].to_list() if by else [""] * table.height
    return list(zip([name] * table.height, domains, table["est"].to_list(), table["se"].to_list(), strict=True))


# ---- timing ---------------------------------------------------------------------------------------


def timed(run: Callable[[], pd.DataFrame]) -> tuple[pd.DataFrame, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    out = run()
    return out, time.perf_counter() - start, time.process_time() - cpu


def agreement(a: pd.DataFrame, b: pd.DataFrame) -> tuple[float, float]:
    """Largest relative difference in the estimates and in the SEs (rows matched by item and domain)."""
    merged = a.merge(b, on=["variable", "domain"], suffixes=("_ours", "_svy"), validate="one_to_one")
    if len(merged) != len(a) or len(merged) != len(b):
        raise SystemExit(f"the engines return different rows: {len(a)} ours, {len(b)} svy, {len(merged)} matched")
    est = np.max(np.abs(merged["estimate_ours"] - merged["estimate_svy"]) / np.abs(merged["estimate_svy"]))
    se = np.max(np.abs(merged["se_ours"] - merged["se_svy"]) / np.abs(merged["se_svy"]))
    return float(est), float(se)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--replicates", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--tasks", default=",".join(TASKS), help=f"comma-separated subset of {', '.join(TASKS)}")
    args = parser.parse_args()
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        sys.exit(f"--tasks: unknown task {unknown[0]!r}; choose from {', '.join(TASKS)}")
    try:
        import polars as pl
        import svy
    except ImportError:
        sys.exit("svy is not installed: .venv/bin/pip install -e '.[bench]'")
    warnings.simplefilter("ignore")

    work = Workload(args.rows, args.items, args.replicates, args.seed)
    frame = pl.from_pandas(work.data)
    print(
        f"{args.rows:,} responses, {len(work.numeric)} numeric + {len(work.binary)} yes/no items, "
        f"{args.replicates} bootstrap replicates; svy {svy.__version__}; best/median of {args.repeat}"
    )
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = f"{'task':<10} {'patentreach best/median':>24} {'svy best/median':>18} {'ratio best (median)':>20} " \
             f"{'CPU ratio':>9}  agreement (est, se)"
    print(header)
    disagree = False
    for task in tasks:
        ours(work, task)  # warm-up, untimed: imports, BLAS threads, caches of the libraries
        theirs(work, frame, task)
        ours_wall, ours_cpu, svy_wall, svy_cpu = [], [], [], []
        for _ in range(args.repeat):
            mine, wall, cpu = timed(lambda t=task: ours(work, t))
            ours_wall.append(wall)
            ours_cpu.append(cpu)
            other, wall, cpu = timed(lambda t=task: theirs(work, frame, t))
            svy_wall.append(wall)
            svy_cpu.append(cpu)
        est_diff, se_diff = agreement(mine, other)
        disagree |= est_diff > 1e-6 or se_diff > 1e-6
        ratio = min(svy_wall) / min(ours_wall)
        median_ratio = statistics.median(svy_wall) / statistics.median(ours_wall)
        cpu_ratio = min(svy_cpu) / min(ours_cpu)
        print(
            f"{task:<10} {min(ours_wall):>11.3f} / {statistics.median(ours_wall):.3f} s "
            f"{min(svy_wall):>7.3f} / {statistics.median(svy_wall):.3f} s "
            f"{ratio:>10.1f}x ({median_ratio:.1f}x) {cpu_ratio:>8.1f}x  {est_diff:.1e}, {se_diff:.1e}",
            flush=True,
        )
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; target >= 5x on every task")
    if disagree:
        sys.exit("the two engines disagree")


if __name__ == "__main__":
    main()
