"""Outbound indicators at scale: Ibis/DuckDB against hand-written DuckDB SQL and pandas.

The full indicator set (``patentreach.indicators.indicator_set``: CN grants abroad by office x
year with year-on-year change, the same in families, the all-origins origin x office x year matrix,
by technology field, top 20 entities, route split), on a synthetic warehouse
(``patentreach.synth.warehouse``) of ``--publications`` publications (default 100 million), on
``--threads`` threads (default 2):

* ``prepare``: ``patentreach stats prepare`` for the first-applicant rule (once per warehouse);
* ``ibis``: ``outbound_set`` on the DuckDB engine, from the prepared facts;
* ``sql``: hand-written DuckDB SQL giving the same rows (checked), from the same prepared facts,
  with its shared base as a temp table and as a view: the faster form is the limit;
* ``pandas``: a straightforward pandas implementation of the same set on the ``--pandas-warehouse``
  (default 10 million publications: what it can hold), same rows checked against Ibis there,
  and its time extrapolated linearly to the large warehouse (stated as extrapolated);
* ``spark``: the Spark engine (local[2]) on the 10-million warehouse, for the record.

Each phase runs in its own process; wall time is the best of ``--repeat`` runs (the median and
the first, cold, are shown too), and peak RSS is sampled over the process tree (Spark's JVM
included).
``--rounds N`` compares only the set with the hand SQL on ``--warehouse`` (issue #20, the ratio at
10 million): N rounds of new processes (Ibis with the query store warm, Ibis with it empty, hand
SQL as a view), the Ibis set's time outside its SQL against the time in it, and the two
alternating on one connection (a ratio that holds on a busy machine).

Not a timed test: ``.venv/bin/python bench/indicators.py [--publications N] [--skip-spark]``, or
``.venv/bin/python bench/indicators.py --rounds 5 --repeat 3 --warehouse /tmp/patentreach-bench-10m
--publications 10000000``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

YEARS = (2015, 2024)
CAPABILITIES_CACHE = False  # DuckDB's cache_shared_base (patentreach/warehouse/engines/capabilities.py)
ORIGIN = "CN"


# --- phases (each runs in a child process: `bench/indicators.py --phase NAME ...`) -------------


def _specs() -> dict[str, Any]:
    from patentreach.indicators import indicator_set

    return indicator_set((ORIGIN,), YEARS)


def phase_generate(args: argparse.Namespace) -> dict[str, Any]:
    from patentreach.synth.warehouse import write_warehouse

    report = write_warehouse(Path(args.warehouse), args.publications, seed=1, threads=args.threads)
    return {"rows": report.rows, "seconds": report.seconds}


def phase_prepare(args: argparse.Namespace) -> dict[str, Any]:
    from patentreach.indicators import prepare
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.engines import connect

    with connect(Warehouse(Path(args.warehouse)), args.engine, **_engine_options(args)) as engine:
        report = prepare(engine, rules=("first_applicant",))
    return {"tables": report.tables}


def _engine_options(args: argparse.Namespace) -> dict[str, Any]:
    if args.engine == "duckdb":
        return {"threads": args.threads, "memory_limit": "14GB"}
    return {"master": f"local[{args.threads}]", "driver_memory": "8g"}


def phase_ibis(args: argparse.Namespace) -> dict[str, Any]:
    from patentreach.indicators import compiled, outbound_set
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.engines import connect

    specs = _specs()
    times, in_queries, results = [], [], {}
    # the time spent running the figures' SQL (as the hand SQL runs its own), to tell the set's
    # own overhead apart from DuckDB's time in the same run, whatever the machine's load
    queries = [0.0]
    execute = compiled.execute

    def timed(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(*a, **k)
        finally:
            queries[0] += time.perf_counter() - start

    compiled.execute = timed
    with connect(Warehouse(Path(args.warehouse)), args.engine, **_engine_options(args)) as engine:
        if args.cache != "default":
            engine.capabilities = dataclasses.replace(engine.capabilities, cache_shared_base=args.cache == "on")
        for _ in range(args.repeat):
            queries[0] = 0.0
            start = time.perf_counter()
            results = outbound_set(engine, specs)
            times.append(time.perf_counter() - start)
            in_queries.append(queries[0])
        facts = results["office_year"].definition["computed"]["facts"]
    rows = {name: r.rows for name, r in results.items()}
    Path(args.result).write_text(json.dumps(rows, default=str))
    return {"times": times, "in_queries": in_queries, "facts": facts, "rows": {n: len(r) for n, r in rows.items()}}


# Hand-written SQL over the prepared facts, in two forms (the faster is the limit): one shared
# base of the grants abroad in the years (and the year before, for the change) materialised as a
# temp table, or the same base as a view that each of the six tables reads with its own filters.
HAND_FILTER = ("doc_type = 'invention_grant' AND origin IS NOT NULL AND origin <> office "
               "AND pub_date BETWEEN DATE '{first}-01-01' AND DATE '{last}-12-31'")
HAND_BASE = {
    kind: f"""
CREATE OR REPLACE TEMP {kind.upper()} base AS
SELECT pub_id, office, year(pub_date)::BIGINT AS year, family, route, origin, entity_id, field_list
FROM outbound_facts_first_applicant WHERE {HAND_FILTER}
""" for kind in ("table", "view")
}
# One origin abroad: "office <> origin" is implied, and lets the scan skip the origin's own office.
CN = "origin = '{o}' AND office <> '{o}'"
HAND_CHANGE = """
SELECT {keys}, count, yoy_abs, yoy_pct, share FROM (
  SELECT *, count::DOUBLE - prev AS yoy_abs, (count::DOUBLE - prev) * 100.0 / nullif(prev, 0) AS yoy_pct
  FROM (
    SELECT *, count::DOUBLE / sum(count) OVER (PARTITION BY {share}) AS share,
      CASE WHEN lag(year) OVER w = year - 1 THEN lag(count) OVER w WHEN year - 1 >= {first} THEN 0 END AS prev
    FROM ({cells}) WINDOW w AS (PARTITION BY {others} ORDER BY year)
  )
) WHERE year >= {shown}
"""
HAND_CELLS = {
    "office_year": f"SELECT office, year, count(*) AS count FROM base WHERE {CN} GROUP BY ALL",
    "office_year_families": f"SELECT office, year, count(DISTINCT family) AS count FROM base WHERE {CN} "
    "GROUP BY ALL",
    "origin_office_year": "SELECT origin, office, year, count(*) AS count FROM base GROUP BY ALL",
    # each fact row carries its document's fields (prepare): unnest those of the rows kept
    "field_year": "SELECT e.field AS field, year, sum(e.weight) AS count FROM (SELECT year, unnest(field_list) AS e "
    f"FROM base WHERE {CN}) GROUP BY ALL",
    "top_entities": f"SELECT entity_id, year, count(*) AS count FROM base WHERE {CN} GROUP BY ALL",
    "route_office_year": f"SELECT office, route, year, count(*) AS count FROM base WHERE {CN} GROUP BY ALL",
}
HAND_KEYS = {
    "office_year": ["office", "year"], "office_year_families": ["office", "year"],
    "origin_office_year": ["origin", "office", "year"], "field_year": ["field", "year"],
    "top_entities": ["entity_id", "year"], "route_office_year": ["office", "route", "year"],
}


def hand_sql(name: str) -> str:
    keys = HAND_KEYS[name]
    others = [k for k in keys if k != "year"]
    share = "year, origin" if name == "origin_office_year" else "year"
    query = HAND_CHANGE.format(keys=", ".join(keys), share=share, others=", ".join(others), first=YEARS[0] - 1,
                               shown=YEARS[0], cells=HAND_CELLS[name].format(o=ORIGIN))
    if name == "field_year":
        query = (f"SELECT t.field, n.field_name, t.year, count, yoy_abs, yoy_pct, share FROM ({query}) t "
                 "LEFT JOIN field_names n ON n.field = t.field")
    if name == "top_entities":
        query = f"""
          WITH t AS ({query}), ranked AS (
            SELECT entity_id, row_number() OVER (ORDER BY sum(count) DESC, entity_id) AS entity_rank
            FROM t WHERE entity_id IS NOT NULL GROUP BY entity_id)
          SELECT t.entity_id, e.name AS entity_name, r.entity_rank, t.year, count, yoy_abs, yoy_pct, share
          FROM t JOIN ranked r USING (entity_id) LEFT JOIN entities e USING (entity_id) WHERE r.entity_rank <= 20"""
    return query


def phase_sql(args: argparse.Namespace) -> dict[str, Any]:
    from patentreach.refdata.technology_fields import technology_fields
    from patentreach.warehouse import Warehouse, connect

    con = connect(Warehouse(Path(args.warehouse)))
    con.execute(f"SET threads = {args.threads}")
    con.execute("SET memory_limit = '14GB'")
    con.execute(f"SET temp_directory = '/tmp/patentreach-duckdb-{os.getpid()}'")
    fields = technology_fields()
    con.execute("CREATE TEMP TABLE field_names (field BIGINT, field_name VARCHAR)")
    con.executemany("INSERT INTO field_names VALUES (?, ?)", [(k, f.name) for k, f in fields.items()])
    kinds = [kind for kind in HAND_BASE if args.bases in ("both", kind)]
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    results: dict[str, dict[str, Any]] = {}
    for _ in range(args.repeat):
        for kind in kinds:
            base = HAND_BASE[kind]
            start = time.perf_counter()
            con.execute(base.format(first=YEARS[0] - 1, last=YEARS[1]))
            results[kind] = {name: con.sql(hand_sql(name)).to_arrow_table() for name in HAND_CELLS}
            times[kind].append(time.perf_counter() - start)
            con.execute(f"DROP {kind.upper()} base")
    fastest = min(times, key=lambda kind: min(times[kind]))
    return {"times": times[fastest], "base": fastest, "times_by_base": times,
            "same_rows_as_ibis": {kind: _same_as_ibis(r, args.result) for kind, r in results.items()}}


def _same_as_ibis(results: dict[str, Any], path: str) -> dict[str, bool]:
    """Compare with the rows the ibis phase wrote, after sorting and rounding them here one value
    at a time (``significant``), not by the vectorised conversion the Ibis set uses."""
    import pyarrow.compute as pc

    from patentreach.indicators.results import FLOAT_COLUMNS, significant
    from patentreach.indicators.run import _sort_keys

    ibis_rows = json.loads(Path(path).read_text())
    specs = _specs()
    out = {}
    for name, table in results.items():
        keys = _sort_keys(specs[name])
        rows = table.take(pc.sort_indices(table, sort_keys=[(k, "ascending", "at_end") for k in keys])).to_pylist()
        for row in rows:
            for column in FLOAT_COLUMNS:
                if isinstance(row.get(column), float):
                    value = significant(row[column], 10)
                    row[column] = int(value) if column in ("count", "yoy_abs") and value == int(value) else value
        out[name] = json.loads(json.dumps(rows, default=str)) == ibis_rows[name]
    return out


def phase_pandas(args: argparse.Namespace) -> dict[str, Any]:
    import pandas as pd

    from patentreach.refdata.technology_fields import technology_fields

    derived = Path(args.warehouse) / "derived"
    start = time.perf_counter()
    facts = pd.read_parquet(_parquet(derived, "outbound_facts_first_applicant"),
                            columns=["pub_id", "office", "doc_type", "pub_date", "family", "route", "origin",
                                     "entity_id"])
    fields = pd.read_parquet(_parquet(derived, "outbound_fields"), columns=["pub_id", "field", "weight"])
    entities = pd.read_parquet(_parquet(derived, "entities"), columns=["entity_id", "name"])
    loaded = time.perf_counter() - start
    times, results = [], {}
    for _ in range(args.repeat):
        start = time.perf_counter()
        results = pandas_set(facts, fields, entities, technology_fields())
        times.append(time.perf_counter() - start)
    return {"load": loaded, "times": times, "rows_in_memory": len(facts) + len(fields),
            "same_rows_as_ibis": _same_as_ibis({n: _to_arrow(df) for n, df in results.items()}, args.result)}


def _parquet(derived: Path, name: str) -> list[str]:
    path = derived / f"{name}.parquet"
    return [str(path)] if path.exists() else sorted(str(p) for p in (derived / name).glob("*.parquet"))


def _to_arrow(frame: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def pandas_set(facts: Any, fields: Any, entities: Any, field_info: dict) -> dict[str, Any]:
    """The indicator set, written as a pandas user would."""
    import pandas as pd

    years = facts.pub_date.dt.year if hasattr(facts.pub_date, "dt") else pd.to_datetime(facts.pub_date).dt.year
    keep = ((facts.doc_type == "invention_grant") & facts.origin.notna() & (facts.origin != facts.office)
            & years.between(YEARS[0] - 1, YEARS[1]))
    base = facts[keep].assign(year=years[keep].astype("int64"))
    cn = base[base.origin == ORIGIN]

    def change(cells: Any, keys: list[str], share_by: list[str]) -> Any:
        cells = cells.sort_values(keys).reset_index(drop=True)
        others = [k for k in keys if k != "year"]
        grouped = cells.groupby(others, dropna=False)
        prev_year, prev_count = grouped.year.shift(), grouped["count"].shift()
        prev = prev_count.where(prev_year == cells.year - 1, 0.0).where(cells.year - 1 >= YEARS[0] - 1)
        cells["yoy_abs"] = cells["count"] - prev
        cells["yoy_pct"] = cells.yoy_abs * 100.0 / prev.where(prev != 0)
        cells["share"] = cells["count"] / cells.groupby(share_by)["count"].transform("sum")
        return cells[cells.year >= YEARS[0]][[*keys, "count", "yoy_abs", "yoy_pct", "share"]]

    def counted(frame: Any, keys: list[str]) -> Any:
        return frame.groupby(keys, dropna=False).size().rename("count").reset_index()

    out = {
        "office_year": change(counted(cn, ["office", "year"]), ["office", "year"], ["year"]),
        "office_year_families": change(cn.groupby(["office", "year"]).family.nunique().rename("count").reset_index(),
                                       ["office", "year"], ["year"]),
        "origin_office_year": change(counted(base, ["origin", "office", "year"]), ["origin", "office", "year"],
                                     ["year", "origin"]),
        "route_office_year": change(counted(cn, ["office", "route", "year"]), ["office", "route", "year"], ["year"]),
    }
    split = cn[["pub_id", "year"]].merge(fields, on="pub_id", how="left")
    split["weight"] = split.weight.fillna(1.0)
    by_field = split.groupby(["field", "year"], dropna=False).weight.sum().rename("count").reset_index()
    by_field = change(by_field, ["field", "year"], ["year"])
    names = pd.DataFrame({"field": list(field_info), "field_name": [f.name for f in field_info.values()]})
    by_field = by_field.merge(names, on="field", how="left")
    out["field_year"] = by_field[["field", "field_name", "year", "count", "yoy_abs", "yoy_pct", "share"]]
    by_entity = change(counted(cn, ["entity_id", "year"]), ["entity_id", "year"], ["year"])
    totals = by_entity.dropna(subset=["entity_id"]).groupby("entity_id")["count"].sum().reset_index()
    totals = totals.sort_values(["count", "entity_id"], ascending=[False, True]).head(20)
    totals["entity_rank"] = range(1, len(totals) + 1)
    top = by_entity.merge(totals[["entity_id", "entity_rank"]], on="entity_id")
    top = top.merge(entities.rename(columns={"name": "entity_name"}), on="entity_id", how="left")
    out["top_entities"] = top[["entity_id", "entity_name", "entity_rank", "year", "count", "yoy_abs", "yoy_pct",
                               "share"]]
    return out


def phase_paired(args: argparse.Namespace) -> dict[str, Any]:
    """The Ibis set and the hand SQL (view form) alternating on one connection, ``--repeat``
    pairs (the order alternating), so that both see the same load: a ratio that holds on a busy
    machine. Before each Ibis set the compiled queries and note counts kept in memory are
    cleared, as in a new process (the store on disk stays: the warm case)."""
    from patentreach.indicators import outbound_set
    from patentreach.indicators.compiled import NOTE_COUNTS, QUERIES
    from patentreach.refdata.technology_fields import technology_fields
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.engines import connect

    specs = _specs()
    times: dict[str, list[float]] = {"ibis": [], "sql": []}
    with connect(Warehouse(Path(args.warehouse)), args.engine, **_engine_options(args)) as engine:
        con = engine.backend.con
        con.execute("CREATE TEMP TABLE field_names (field BIGINT, field_name VARCHAR)")
        con.executemany("INSERT INTO field_names VALUES (?, ?)", [(k, f.name) for k, f in technology_fields().items()])

        def ibis_set() -> None:
            QUERIES.clear()
            NOTE_COUNTS.clear()
            outbound_set(engine, specs)

        def sql_set() -> None:
            con.execute(HAND_BASE["view"].format(first=YEARS[0] - 1, last=YEARS[1]))
            {name: con.sql(hand_sql(name)).to_arrow_table() for name in HAND_CELLS}
            con.execute("DROP VIEW base")

        ibis_set()  # (the first of each in a process is timed by --rounds)
        sql_set()
        for pair in range(args.repeat):
            for name, run in (("ibis", ibis_set), ("sql", sql_set))[:: 1 if pair % 2 else -1]:
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
    ratios = [i / s for i, s in zip(times["ibis"], times["sql"], strict=True)]
    return {"times": times, "ratios": ratios}


PHASES = {"generate": phase_generate, "prepare": phase_prepare, "ibis": phase_ibis, "sql": phase_sql,
          "pandas": phase_pandas, "paired": phase_paired}


# --- driver ---------------------------------------------------------------------------------


def run_phase(name: str, args: argparse.Namespace, env: dict[str, str] | None = None, quiet: bool = False,
              **overrides: Any) -> dict[str, Any]:
    """Run one phase in a child process; its JSON result plus wall time and peak RSS (MB)."""
    options = vars(args) | overrides
    command = [sys.executable, __file__, "--phase", name]
    for key in ("warehouse", "publications", "threads", "repeat", "result", "engine", "cache", "bases"):
        command += [f"--{key}", str(options[key])]
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, text=True,
                           env=os.environ | (env or {}))
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        sys.exit(f"phase {name} failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result |= {"wall": time.perf_counter() - start, "peak_mb": peak / 1e6}
    if not quiet:
        print(f"  {name} ({options['engine']}, {options['warehouse']}): {json.dumps(result, default=str)}", flush=True)
    return result


# --- the set against hand SQL on one warehouse, each run a new process (--rounds) ----------------

STORE_VARIABLE = "PATENTREACH_QUERY_CACHE"  # (patentreach/indicators/query_store.py)


def compare(args: argparse.Namespace) -> None:
    """``--rounds`` rounds, each of three new processes in turn (the order rotating): the Ibis set
    with the compiled queries kept on disk from an earlier process (warm), the Ibis set with an
    empty store (cold: built, compiled and counted afresh), the hand SQL with its base as a view.
    Each process runs its set ``--repeat`` times: the first run is a one-off call's (a CLI
    command), the best of the others a warm process's (the web service)."""
    store = args.store
    result = f"{args.result}.compare"
    run_phase("ibis", args, env={STORE_VARIABLE: store}, repeat=1, result=result, quiet=True)  # (warms the store)
    phases = {"ibis, store warm": ("ibis", False), "ibis, store cold": ("ibis", True),
              "hand SQL (view)": ("sql", False)}
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in phases}
    loads = [os.getloadavg()[0]]
    print(f"{args.rounds} rounds on {args.warehouse} ({args.publications:,} publications), {args.repeat} runs per "
          f"process; load average {loads[0]:.1f}", flush=True)
    for round_ in range(args.rounds):
        order = list(phases)[round_ % 3:] + list(phases)[: round_ % 3]
        for label in order:
            phase, cold = phases[label]
            with tempfile.TemporaryDirectory(prefix="patentreach-bench-store-") as empty:
                env = {STORE_VARIABLE: empty if cold else store}
                runs[label].append(run_phase(phase, args, env=env, result=result, bases="view", quiet=True))
        loads.append(os.getloadavg()[0])
        print(f"  round {round_ + 1}: " + "; ".join(f"{label} {runs[label][-1]['times'][0]:.3f} s"
                                                   for label in phases) + f" (load {loads[-1]:.1f})", flush=True)
    first = {label: [r["times"][0] for r in rs] for label, rs in runs.items()}
    again = {label: [min(r["times"][1:]) for r in rs] for label, rs in runs.items() if args.repeat > 1}
    sql = "hand SQL (view)"
    print(f"\n| {args.publications:,} publications, {args.rounds} new processes each | best | median |\n|---|---|---|")
    for label, times in first.items():
        print(f"| {label}, first run in the process | {min(times):.3f} s | {statistics.median(times):.3f} s |")
    for label, times in again.items():
        print(f"| {label}, again in the process (best of {args.repeat - 1}) | {min(times):.3f} s | "
              f"{statistics.median(times):.3f} s |")
    for label in ("ibis, store warm", "ibis, store cold"):
        print(f"| **{label} / hand SQL**, first run | **{min(first[label]) / min(first[sql]):.3f}x** | "
              f"**{statistics.median(first[label]) / statistics.median(first[sql]):.3f}x** |")
    if again:
        label = "ibis, store warm"
        print(f"| **ibis / hand SQL**, again in the process | **{min(again[label]) / min(again[sql]):.3f}x** | "
              f"**{statistics.median(again[label]) / statistics.median(again[sql]):.3f}x** |")
    for label in ("ibis, store warm", "ibis, store cold"):
        shares = [(r["times"][0] - r["in_queries"][0]) / r["in_queries"][0] for r in runs[label]]
        print(f"| {label}, first run: time outside the figures' SQL / time in it (the overhead's share) | "
              f"{min(shares):.3f} | {statistics.median(shares):.3f} |")
    paired = run_phase("paired", args, env={STORE_VARIABLE: store}, repeat=max(10, args.repeat), quiet=True)
    ratios, times = paired["ratios"], paired["times"]
    print(f"| **ibis (store warm, nothing in memory) / hand SQL, {len(ratios)} pairs on one connection** | "
          f"**{min(times['ibis']) / min(times['sql']):.3f}x** | **{statistics.median(ratios):.3f}x** (median of "
          f"the pairs' ratios) |")
    same = [all(r["same_rows_as_ibis"]["view"].values()) for r in runs[sql]]
    print(f"\nload average {min(loads):.1f}-{max(loads):.1f}; every hand-SQL table equal to the Ibis set's rows: "
          f"{all(same)} ({len(same)} processes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--warehouse", default="/tmp/patentreach-bench-100m")
    parser.add_argument("--publications", type=int, default=100_000_000)
    parser.add_argument("--pandas-warehouse", default="/tmp/patentreach-bench-10m")
    parser.add_argument("--pandas-publications", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--result", default="/tmp/patentreach-bench-ibis-rows.json")
    parser.add_argument("--cache", choices=("default", "on", "off"), default="default",
                        help="override the engine's cache_shared_base capability")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-prepare", action="store_true",
                        help="count from the fact tables an earlier run prepared (they must still be fresh)")
    parser.add_argument("--bases", choices=("both", "table", "view"), default="both",
                        help="the hand SQL's shared base: as a temp table, a view, or both (the faster is the limit)")
    parser.add_argument("--rounds", type=int, default=0,
                        help="only compare the set with the hand SQL on --warehouse, in this many rounds of new "
                             "processes (warm and cold query store, hand SQL as a view)")
    parser.add_argument("--store", default="/tmp/patentreach-bench-query-store",
                        help="the query store of the warm runs (--rounds)")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args), default=str))
        return
    if args.rounds:
        compare(args)
        return
    report: dict[str, Any] = {}
    for label, warehouse, n in (("large", args.warehouse, args.publications),
                                ("sample", args.pandas_warehouse, args.pandas_publications)):
        print(f"{label}: {n:,} publications in {warehouse}", flush=True)
        if not (Path(warehouse) / "ingest_log").is_dir():
            report[f"{label}.generate"] = run_phase("generate", args, warehouse=warehouse, publications=n)
        if not args.skip_prepare:
            report[f"{label}.prepare"] = run_phase("prepare", args, warehouse=warehouse, repeat=1)
        result = f"{args.result}.{label}"
        report[f"{label}.ibis"] = run_phase("ibis", args, warehouse=warehouse, result=result)
        flipped = "off" if CAPABILITIES_CACHE else "on"
        report[f"{label}.ibis_cache_{flipped}"] = run_phase("ibis", args, warehouse=warehouse, cache=flipped,
                                                            result=f"{result}.{flipped}")
        report[f"{label}.sql"] = run_phase("sql", args, warehouse=warehouse, result=result)
        if label == "sample":
            report["sample.pandas"] = run_phase("pandas", args, warehouse=warehouse, result=result, repeat=1)
            if not args.skip_spark:
                report["sample.spark"] = run_phase("ibis", args, warehouse=warehouse, engine="spark", repeat=2,
                                                   result=f"{result}.spark")
                duck, spark = (json.loads(Path(p).read_text()) for p in (result, f"{result}.spark"))
                report["sample.spark"]["same_rows_as_ibis"] = {n: duck[n] == spark[n] for n in duck}
                if not args.skip_prepare:
                    report["sample.spark_prepare"] = run_phase("prepare", args, warehouse=warehouse, engine="spark",
                                                               repeat=1)
    summarise(report, args)


def summarise(report: dict[str, Any], args: argparse.Namespace) -> None:
    large, sample = args.publications, args.pandas_publications
    ibis_t, sql_t = min(report["large.ibis"]["times"]), min(report["large.sql"]["times"])
    pandas = report["sample.pandas"]
    pandas_t = min(pandas["times"])
    scale = large / sample
    print("\n| measure | value |\n|---|---|")
    if "large.prepare" in report:
        print(f"| prepare facts, {large:,} publications (once) | {report['large.prepare']['wall']:.0f} s, peak "
              f"{report['large.prepare']['peak_mb']:,.0f} MB |")
    ibis_m, sql_m = (statistics.median(report[k]["times"]) for k in ("large.ibis", "large.sql"))
    print(f"| Ibis/DuckDB, whole set, {large:,} (best of {args.repeat}; median; cold) | {ibis_t:.2f} s; "
          f"{ibis_m:.2f} s; {report['large.ibis']['times'][0]:.2f} s, peak {report['large.ibis']['peak_mb']:,.0f} MB |")
    sql = report["large.sql"]
    print(f"| hand-written DuckDB SQL, same rows (base as a {sql['base']}; best; median) | "
          f"{sql_t:.2f} s; {sql_m:.2f} s, "
          f"peak {sql['peak_mb']:,.0f} MB; "
          + "; ".join(f"base as a {k}: {min(v):.2f} s" for k, v in sql["times_by_base"].items()) + " |")
    print(f"| Ibis / hand SQL (best; median) | {ibis_t / sql_t:.2f}x; {ibis_m / sql_m:.2f}x |")
    for key in [k for k in report if k.startswith("large.ibis_cache_")]:
        print(f"| Ibis/DuckDB with shared-base cache {key.rsplit('_', 1)[1]} | {min(report[key]['times']):.2f} s |")
    print(f"| pandas on {sample:,} (compute; load) | {pandas_t:.2f} s; {pandas['load']:.1f} s, peak "
          f"{pandas['peak_mb']:,.0f} MB |")
    print(f"| pandas extrapolated to {large:,} (compute only; with load) | {pandas_t * scale:.1f} s; "
          f"{(pandas_t + pandas['load']) * scale:.1f} s |")
    print(f"| pandas (extrapolated, compute only) / Ibis | {pandas_t * scale / ibis_t:.1f}x |")
    small = [report[f"sample.{k}"]["times"] for k in ("ibis", "sql")]
    print(f"| Ibis/DuckDB at {sample:,}; hand SQL; Ibis / hand SQL (best; median) | {min(small[0]):.2f} s; "
          f"{min(small[1]):.2f} s; {min(small[0]) / min(small[1]):.2f}x; "
          f"{statistics.median(small[0]) / statistics.median(small[1]):.2f}x |")
    if "sample.spark" in report:
        spark = report["sample.spark"]
        print(f"| Spark local[{args.threads}] at {sample:,}, whole set from prepared facts (warm; cold incl. JVM) | "
              f"{min(spark['times']):.1f} s; {spark['wall']:.1f} s, peak {spark['peak_mb']:,.0f} MB |")
    if "sample.spark_prepare" in report:
        prepared = report["sample.spark_prepare"]
        print(f"| Spark local[{args.threads}] prepare at {sample:,} (views, dedup, joins) | {prepared['wall']:.0f} s, "
              f"peak {prepared['peak_mb']:,.0f} MB |")
    checks = {k: v["same_rows_as_ibis"] for k, v in report.items() if "same_rows_as_ibis" in v}
    print("\nsame rows as Ibis:", checks)


if __name__ == "__main__":
    main()
