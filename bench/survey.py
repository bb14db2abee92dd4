"""Survey estimation benchmark: patentreach against the ``svy`` package on the same data.

The workload of a national enterprise survey round: 100,000 responses to 50 items (half numeric,
half yes/no, 3% item non-response), a stratified two-stage-like sample (strata x PSUs), 80
bootstrap replicate weights, a raking of the weights and all replicates to three margins (size,
region, sector), then the mean of every item with its replicate SE and confidence interval.

Both engines get the same data, the same replicate weights (generated once, outside the timing:
a Rao-Wu rescaled bootstrap) and the same margins; each run is timed from the in-memory table to the
table of estimates, best of ``--repeat`` runs, interleaved so that load on the machine hits both;
CPU time (all threads of the process) is printed too, as it is less sensitive to other load.
The script checks that the two agree (estimates and SEs to 1e-6 relative) and prints the ratio.

    .venv/bin/python bench/survey.py                 # needs the bench extra: pip install -e '.[bench]'
    .venv/bin/python bench/survey.py --rows 20000 --repeat 1      # quick
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
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


def synthesise(rows: int, items: int, replicates: int, seed: int) -> tuple[pd.DataFrame, dict, list[str], list[str]]:
    """Responses, replicate weight columns, margins (population totals) and item names."""
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
            "w": rng.uniform(5, 50, rows),
        }
    )
    names = []
    for j in range(items):
        x = (rng.random(rows) < 0.2 + 0.01 * j).astype(float) if j % 2 else rng.normal(100 + j, 20, rows)
        x[rng.random(rows) < 0.03] = np.nan
        names.append(f"q{j:02d}")
        data[names[-1]] = x
    spec = load_design(
        {
            "ids": ["psu"],
            "strata": "stratum",
            "weights": "w",
            "replicates": {"type": "subbootstrap", "generate": {"replicates": replicates, "seed": seed}},
        }
    )
    analysis = SurveyDesign.build(data, spec).replicates.analysis
    rep_names = [f"bw{r + 1}" for r in range(replicates)]
    data = pd.concat([data, pd.DataFrame(analysis, columns=rep_names)], axis=1)
    total = data["w"].sum() * 1.08
    rng_pop = np.random.default_rng(seed + 1)
    population = {}
    for margin, levels in MARGINS.items():
        share = data.groupby(margin)["w"].sum().reindex(levels).to_numpy()
        share = share * rng_pop.uniform(0.9, 1.1, len(levels))
        population[margin] = dict(zip(levels, (share / share.sum() * total).tolist(), strict=True))
    return data, population, names, rep_names


def run_ours(data: pd.DataFrame, population: dict, items: list[str], rep_names: list[str]) -> pd.DataFrame:
    spec = load_design(
        {
            "ids": ["psu"],
            "strata": "stratum",
            "weights": "w",
            "replicates": {"type": "bootstrap", "columns": rep_names},
            "calibrate": [{"method": "rake", "population": population, "epsilon": 1e-10, "maxit": 1000}],
        }
    )
    survey = SurveyDesign.build(data, spec)
    return estimate(data, survey, [f"mean:{item}" for item in items])


def run_svy(frame, population: dict, items: list[str], replicates: int) -> pd.DataFrame:
    import svy

    design = svy.Design(
        stratum="stratum",
        psu="psu",
        wgt="w",
        rep_wgts=svy.BootstrapWgts(prefix="bw", n_reps=replicates, scale=1 / (replicates - 1)),
    )
    sample = svy.Sample(frame, design).weighting.rake(controls=population, tol=1e-10, max_iter=1000)
    results = sample.estimation.mean(items, method="replication", drop_nulls=True)
    return pd.DataFrame(
        {
            "estimate": [float(r.to_polars()["est"][0]) for r in results],
            "se": [float(r.to_polars()["se"][0]) for r in results],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--replicates", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    try:
        import polars as pl
        import svy
    except ImportError:
        sys.exit("svy is not installed: .venv/bin/pip install -e '.[bench]'")
    warnings.simplefilter("ignore")

    data, population, items, rep_names = synthesise(args.rows, args.items, args.replicates, args.seed)
    frame = pl.from_pandas(data)
    print(
        f"{args.rows:,} responses, {args.items} items, {args.replicates} bootstrap replicates, "
        f"rake to 3 margins; svy {svy.__version__}"
    )

    ours = run_ours(data, population, items, rep_names)  # warm-up, untimed: imports, BLAS threads
    theirs = run_svy(frame, population, items, args.replicates)
    ours_times, svy_times, ours_cpu, svy_cpu = [], [], [], []
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        ours = run_ours(data, population, items, rep_names)
        ours_times.append(time.perf_counter() - start)
        ours_cpu.append(time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        theirs = run_svy(frame, population, items, args.replicates)
        svy_times.append(time.perf_counter() - start)
        svy_cpu.append(time.process_time() - cpu)

    est_diff = np.max(np.abs(ours["estimate"].to_numpy() - theirs["estimate"]) / np.abs(theirs["estimate"]))
    se_diff = np.max(np.abs(ours["se"].to_numpy() - theirs["se"]) / np.abs(theirs["se"]))
    print(f"agreement: max relative difference estimates {est_diff:.1e}, SEs {se_diff:.1e}")
    print(
        f"patentreach: best {min(ours_times):.3f} s, median {statistics.median(ours_times):.3f} s "
        f"({', '.join(f'{t:.3f}' for t in ours_times)})"
    )
    print(
        f"svy:         best {min(svy_times):.3f} s, median {statistics.median(svy_times):.3f} s "
        f"({', '.join(f'{t:.3f}' for t in svy_times)})"
    )
    print(
        f"CPU time (all threads), best: patentreach {min(ours_cpu):.3f} s, svy {min(svy_cpu):.3f} s, "
        f"ratio {min(svy_cpu) / min(ours_cpu):.1f}x"
    )
    ratio = min(svy_times) / min(ours_times)
    print(
        f"ratio (svy / patentreach, best of {args.repeat}): {ratio:.1f}x "
        f"(median {statistics.median(svy_times) / statistics.median(ours_times):.1f}x); target >= 5x"
    )
    if est_diff > 1e-6 or se_diff > 1e-6:
        sys.exit("the two engines disagree")


if __name__ == "__main__":
    main()
