"""Web service: ``/api/v1/outbound`` under load, beside the library in-process and Datasette.

On a synthetic warehouse (``patentreach synth``; the folders ``bench/indicators.py`` uses, so an
existing one is reused: ``/tmp/patentreach-bench-10m`` by default, generated and prepared when
missing, about 4 minutes on an idle 2-core machine), this runs:

* ``floor``: the same selections through ``patentreach.indicators.outbound`` in this process,
  one after another, on one DuckDB engine (what the service can at best do per selection);
* ``patentreach serve`` (uvicorn in a subprocess on 127.0.0.1, a free port), and against it:
  ``uncached x1`` (distinct selections, one client: latency beside the floor), ``uncached xN``
  (distinct selections, N concurrent clients), ``cached x50`` (selections already answered,
  repeated by 50 concurrent clients), ``single flight`` (50 clients ask one new selection at once);
* the peer: Datasette (``datasette-parquet``, DuckDB) serving the same prepared Parquet facts,
  asked the same selections as hand-written SQL (counts per office x year; the service also
  returns shares, year-on-year change and the definition), with one client and with 50.

Clients are threads with their own ``httpx.Client`` (keep-alive), bounded in count and in total
time (``--budget`` seconds per phase). Latencies are per request, wall-clock at the client.
Reproduce: ``.venv/bin/python bench/serve.py`` (``--warehouse /tmp/patentreach-bench-100m
--publications 100000000`` for the large one, when it exists or there is time to make it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FACTS = "outbound_facts_first_applicant"
ORIGINS = ("CN", "US", "JP", "KR", "DE", "FR", "GB", "CH", "NL", "SE", "IT", "TW", "IN", "RU", "CA", "FI")
YEARS = ("2015-2022", "2018-2020", "2020", "2010-2022", "2016", "2012-2019")
BREAKDOWNS = ("office,year", "office", "year")
UNITS = ("documents", "families")


def selections(seed: int = 7) -> list[dict[str, str]]:
    """Every distinct selection the load draws from (576), in a fixed shuffled order."""
    found = [{"origin": o, "years": y, "by": b, "unit": u}
             for o, y, b, u in itertools.product(ORIGINS, YEARS, BREAKDOWNS, UNITS)]
    random.Random(seed).shuffle(found)
    return found


def spec_of(selection: dict[str, str]) -> Any:
    from patentreach.indicators.options import outbound_spec

    return outbound_spec(origin=selection["origin"], years=selection["years"], by=selection["by"],
                         unit=selection["unit"])


# --- measuring ----------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    wall: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        n = len(ordered)
        if not n:
            return {"phase": self.name, "requests": 0}
        return {"phase": self.name, "clients": self.clients, "requests": n,
                "p50_ms": 1000 * statistics.median(ordered),
                "p99_ms": 1000 * ordered[min(n - 1, int(0.99 * n))],
                "max_ms": 1000 * ordered[-1], "per_second": n / self.wall if self.wall else 0.0,
                "statuses": dict(sorted(self.statuses.items()))}


def run_clients(name: str, base: str, paths: list[str], clients: int, budget: float) -> Phase:
    """``clients`` threads take the paths in order from one queue until it is empty or the
    budget is spent; each request's latency and status are recorded."""
    import httpx

    phase = Phase(name, clients)
    queue = iter(paths)
    lock = threading.Lock()
    deadline = time.perf_counter() + budget
    barrier = threading.Barrier(clients)

    def client() -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            barrier.wait()
            while time.perf_counter() < deadline:
                with lock:
                    path = next(queue, None)
                if path is None:
                    return
                start = time.perf_counter()
                try:
                    status = http.get(path).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = time.perf_counter() - start
                with lock:
                    phase.latencies.append(elapsed)
                    phase.statuses[status] = phase.statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.wall = time.perf_counter() - start
    return phase


def floor(warehouse: Path, chosen: list[dict[str, str]], threads: int) -> Phase:
    """The library in-process, one selection after another on one engine (after one warm-up)."""
    from patentreach.indicators import outbound
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.engines import connect

    phase = Phase("floor (library in-process)", 1)
    with connect(Warehouse(warehouse), "duckdb", threads=threads) as engine:
        outbound(engine, spec_of(selections()[-1]))
        start = time.perf_counter()
        for selection in chosen:
            began = time.perf_counter()
            outbound(engine, spec_of(selection))
            phase.latencies.append(time.perf_counter() - began)
        phase.wall = time.perf_counter() - start
    phase.statuses = {200: len(chosen)}
    return phase


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(command: list[str], ready: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start a server, wait (bounded) until ``ready`` answers 200, yield its base URL, stop it."""
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("w+", prefix="bench-serve-", suffix=".log", delete=False) as log:
        process = subprocess.Popen([part.replace("{port}", str(port)) for part in command], cwd=REPO, stdout=log,
                                   stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        try:
            for _ in range(600):
                if process.poll() is not None:
                    sys.exit(f"{command[:4]} exited: see {log.name}")
                try:
                    if httpx.get(base + ready, timeout=30).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            else:
                sys.exit(f"{command[:4]} did not answer in time: see {log.name}")
            yield base
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def api_path(selection: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return "/api/v1/outbound?" + urlencode(selection)


def peer_sql(selection: dict[str, str]) -> str:
    """The selection as hand-written SQL over the prepared facts (counts only)."""
    years = selection["years"].split("-")
    first, last = years[0], years[-1]
    keys = {"office,year": ("office", "year(pub_date)"), "office": ("office",), "year": ("year(pub_date)",)}
    chosen = keys[selection["by"]]
    named = ", ".join(f"{k} AS year" if k.startswith("year") else k for k in chosen)
    count = "count(DISTINCT family)" if selection["unit"] == "families" else "count(*)"
    origin = selection["origin"]
    # Spelled-out GROUP BY / ORDER BY: datasette-parquet's SQL rewriting refuses DuckDB's ``ALL``.
    return (f"SELECT {named}, {count} AS count FROM facts "
            f"WHERE doc_type = 'invention_grant' AND origin = '{origin}' AND office <> '{origin}' "
            f"AND pub_date BETWEEN DATE '{first}-01-01' AND DATE '{last}-12-31' "
            f"GROUP BY {', '.join(chosen)} ORDER BY {', '.join(chosen)}")


def peer_path(selection: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return "/peer.json?" + urlencode({"sql": peer_sql(selection), "_shape": "array"})


def peer_files(warehouse: Path, folder: Path) -> tuple[Path, Path]:
    """A DuckDB file holding one view over the prepared facts, and Datasette's configuration."""
    import duckdb

    database = folder / "peer.duckdb"
    database.unlink(missing_ok=True)
    with duckdb.connect(str(database)) as con:
        glob = str(warehouse / "derived" / FACTS / "*.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW facts AS SELECT * FROM read_parquet('{glob}')")
    config = folder / "datasette.json"
    config.write_text(json.dumps({"plugins": {"datasette-parquet": {"peer": {"file": str(database)}}}}))
    return database, config


def same_counts(base: str, peer: str, selection: dict[str, str]) -> bool:
    """Whether the service's counts equal Datasette's for one selection."""
    import httpx

    ours = httpx.get(base + api_path(selection), timeout=120).json()["rows"]
    theirs = httpx.get(peer + peer_path(selection), timeout=120).json()
    keys = [k for k in ("office", "year") if k in selection["by"].split(",")]
    return ({tuple(r[k] for k in keys): r["count"] for r in ours}
            == {tuple(r[k] for k in keys): r["count"] for r in theirs})


# --- driver -------------------------------------------------------------------------------------


def ensure_warehouse(warehouse: Path, publications: int, threads: int) -> None:
    """Generate and prepare the warehouse with bench/indicators.py's phases when missing."""
    script = str(REPO / "bench" / "indicators.py")
    common = ["--warehouse", str(warehouse), "--publications", str(publications), "--threads", str(threads)]
    if not (warehouse / "ingest_log").is_dir():
        print(f"generating {publications:,} publications in {warehouse}", flush=True)
        subprocess.run([sys.executable, script, "--phase", "generate", *common], check=True, cwd=REPO)
    if not (warehouse / "derived" / FACTS).is_dir():
        print(f"preparing {warehouse}", flush=True)
        subprocess.run([sys.executable, script, "--phase", "prepare", *common], check=True, cwd=REPO)


def show(phase: Phase, floor_phase: Phase | None = None) -> dict[str, Any]:
    summary = phase.summary()
    line = (f"  {summary['phase']:<34} clients {phase.clients:>3}  requests {summary['requests']:>5}  "
            f"p50 {summary.get('p50_ms', 0):8.1f} ms  p99 {summary.get('p99_ms', 0):8.1f} ms  "
            f"{summary.get('per_second', 0):8.1f}/s  {summary.get('statuses')}")
    if floor_phase is not None and floor_phase.latencies and phase.latencies:
        base = floor_phase.summary()
        summary["p50_vs_floor"] = summary["p50_ms"] / base["p50_ms"]
        summary["per_second_vs_floor"] = summary["per_second"] / base["per_second"]
        line += f"  (p50 {summary['p50_vs_floor']:.2f}x floor, rate {summary['per_second_vs_floor']:.2f}x)"
    print(line, flush=True)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, default=Path("/tmp/patentreach-bench-10m"))
    parser.add_argument("--publications", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (generation, the floor)")
    parser.add_argument("--uncached", type=int, default=40, help="distinct selections per uncached phase")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of the uncached phase")
    parser.add_argument("--cached-clients", type=int, default=50)
    parser.add_argument("--cached-requests", type=int, default=2000)
    parser.add_argument("--budget", type=float, default=180.0, help="seconds at most per phase")
    parser.add_argument("--workers", type=int, default=1, help="patentreach serve --workers")
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args()

    ensure_warehouse(args.warehouse, args.publications, args.threads)
    everything = selections()
    first, second, lone = (everything[:args.uncached], everything[args.uncached:2 * args.uncached],
                           everything[2 * args.uncached])
    report: dict[str, Any] = {"warehouse": str(args.warehouse), "load_before": os.getloadavg()}
    print(f"{args.warehouse}: load average {report['load_before']}", flush=True)

    base_floor = floor(args.warehouse, first, args.threads)
    report["floor"] = show(base_floor)

    state = Path(tempfile.mkdtemp(prefix="bench-serve-state-"))
    serve = [sys.executable, "-c", "from patentreach.cli.main import main; main()", "serve", "--host", "127.0.0.1",
             "--port", "{port}", "--warehouse", str(args.warehouse), "--state", str(state),
             "--workers", str(args.workers)]
    env = {"PYTHONPATH": str(REPO), "PATENTREACH_WEB_RATE_LIMIT": "0"}  # 50 loopback clients are one address
    with running(serve, "/api/v1/outbound?origin=CN&years=2019&by=year", env) as base:
        phases = [
            run_clients("uncached x1", base, [api_path(s) for s in first], 1, args.budget),
            run_clients(f"uncached x{args.clients}", base, [api_path(s) for s in second], args.clients, args.budget),
            run_clients(f"cached x{args.cached_clients}", base,
                        [api_path(first[i % len(first)]) for i in range(args.cached_requests)],
                        args.cached_clients, args.budget),
            run_clients(f"single flight x{args.cached_clients}", base, [api_path(lone)] * args.cached_clients,
                        args.cached_clients, args.budget),
        ]
        report["serve"] = [show(phase, base_floor) for phase in phases]
        if not args.skip_peer:
            report["peer"] = peer(args, base, first, base_floor)
    shutil.rmtree(state, ignore_errors=True)
    report["load_after"] = os.getloadavg()
    print(f"load average after: {report['load_after']}", flush=True)
    print(json.dumps(report, default=str))


def peer(args: argparse.Namespace, base: str, first: list[dict[str, str]], base_floor: Phase) -> dict[str, Any]:
    """Datasette over the same prepared Parquet: the same selections, one client then 50."""
    folder = Path(tempfile.mkdtemp(prefix="bench-serve-peer-"))
    _, config = peer_files(args.warehouse, folder)
    command = [sys.executable, "-m", "datasette", "serve", "--host", "127.0.0.1", "--port", "{port}",
               "--metadata", str(config), "--setting", "sql_time_limit_ms", "120000",
               "--setting", "num_sql_threads", "8"]
    out: dict[str, Any] = {}
    with running(command, "/peer.json?sql=select+1") as peer_base:
        out["same_counts"] = all(same_counts(base, peer_base, s) for s in first[:5])
        print(f"  Datasette counts equal the service's on 5 selections: {out['same_counts']}", flush=True)
        phases = [
            run_clients("datasette x1", peer_base, [peer_path(s) for s in first], 1, args.budget),
            run_clients(f"datasette x{args.cached_clients}", peer_base,
                        [peer_path(first[i % len(first)]) for i in range(args.cached_requests // 4)],
                        args.cached_clients, args.budget),
        ]
        out["phases"] = [show(phase, base_floor) for phase in phases]
    shutil.rmtree(folder, ignore_errors=True)
    return out



if __name__ == "__main__":
    main()
