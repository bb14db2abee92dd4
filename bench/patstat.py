"""PATSTAT delivery ingest against DuckDB's own ``read_csv`` of the same files, same run.

Generates a synthetic delivery in the PATSTAT Global layout (the eight tables the reader reads,
their columns, types, quoting and CRLF line ends, PATSTAT's 9999-12-31 / '' / 0 defaults, the Y/N
flags) with DuckDB, scaled to ``--publications`` tls211 rows (default 50 million; about 0.7
applications per publication and, per application, 2 person links, 3 IPC, 3 CPC, 1.2 technology
fields and 2 legal events). Then measures:

* baseline: DuckDB ``read_csv`` of every table (explicit types) into Parquet, in this process;
* ``patentreach ingest`` of the folder (a subprocess, fresh warehouse): hash, stage, map, commit;

and prints MB/s of both, their ratio (issue 20's target: the ingest at >= 0.5x the baseline's
rate, i.e. within 2x its time), the load average, the CPU time of both (all threads: steadier than
wall time on a loaded machine), and the ingest's peak RSS (whole process tree) at the full size and
at a quarter of it, to show memory flat in input size. ``--repeat N`` interleaves N runs of each
and keeps the best (on a loaded machine other work only ever adds time).
Generated data lives under ``/tmp/patstat-bench`` and is deleted afterwards (``--keep`` keeps it).
Not a timed test: run ``.venv/bin/python bench/patstat.py [--publications 5000000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from patentreach.sources.patstat.tables import TABLES  # noqa: E402

ROOT = Path("/tmp/patstat-bench")
TEXT_TYPES = {"VARCHAR"}


def _text_columns(table: str) -> list[str]:
    spec = next(t for t in TABLES if t.name == table)
    return [c for c, t in spec.columns if t in TEXT_TYPES]


def _queries(publications: int) -> dict[str, str]:
    """One SELECT per table, in CSV column order, generating rows from ``range``."""
    apps = max(1, int(publications * 0.7))
    persons = max(1, apps)
    offices = "['US','EP','JP','CN','KR','DE','WO','CA','AU','FR']"
    office = f"list_extract({offices}, (hash(i) % 10)::INT + 1)"
    return {
        "tls201_appln": f"""
            SELECT i AS appln_id, {office} AS appln_auth, lpad((10000000 + i)::VARCHAR, 8, '0') AS appln_nr,
                   'A' AS appln_kind, DATE '2000-01-01' + (i % 8000)::INT AS appln_filing_date,
                   2000 + (i % 8000) // 366 AS appln_filing_year, '' AS appln_nr_epodoc, '' AS appln_nr_original,
                   'PI' AS ipr_type, '' AS receiving_office, 0 AS internat_appln_id, 'N' AS int_phase,
                   CASE WHEN i % 10 = 1 THEN 'Y' ELSE 'N' END AS reg_phase, 'Y' AS nat_phase,
                   DATE '1999-06-01' + (i % 8000)::INT AS earliest_filing_date, 1999 AS earliest_filing_year,
                   0 AS earliest_filing_id, DATE '9999-12-31' AS earliest_publn_date, 9999 AS earliest_publn_year,
                   0 AS earliest_pat_publn_id, CASE WHEN i % 2 = 0 THEN 'Y' ELSE 'N' END AS granted,
                   i // 3 AS docdb_family_id, i // 3 AS inpadoc_family_id, 3 AS docdb_family_size,
                   0 AS nb_citing_docdb_fam, 1 AS nb_applicants, 1 AS nb_inventors
            FROM range(1, {apps} + 1) t(i)""",
        "tls206_person": f"""
            SELECT i AS person_id, 'Applicant Number ' || i || ' Co., Ltd.' AS person_name, '' AS person_name_orig_lg,
                   i || ' Main Street, Springfield' AS person_address,
                   list_extract(['US','JP','CN','DE','KR','FR','GB',''], (i % 8)::INT + 1) AS person_ctry_code,
                   '' AS nuts, 9 AS nuts_level, 0 AS doc_std_name_id, '' AS doc_std_name, i AS psn_id,
                   'APPLICANT ' || i AS psn_name, 2 AS psn_level,
                   list_extract(['COMPANY','INDIVIDUAL','UNIVERSITY','GOV NON-PROFIT'], (i % 4)::INT + 1) AS psn_sector,
                   i AS han_id, 'APPLICANT ' || i AS han_name, 1 AS han_harmonized
            FROM range(1, {persons} + 1) t(i)""",
        "tls207_pers_appln": f"""
            SELECT (i * 7 + k) % {persons} + 1 AS person_id, i AS appln_id,
                   CASE WHEN k = 0 THEN 1 ELSE 0 END AS applt_seq_nr, CASE WHEN k = 1 THEN 1 ELSE 0 END AS invt_seq_nr
            FROM range(1, {apps} + 1) t(i), range(0, 2) s(k)""",
        "tls209_appln_ipc": f"""
            SELECT i AS appln_id,
                   list_extract(['H04L','G06F','A61K','B60R','C07D','F02C'], ((i + k) % 6)::INT + 1) ||
                     lpad(((i * 3 + k) % 99 + 1)::VARCHAR, 4, ' ') || '/' || lpad(((i + k) % 50)::VARCHAR, 2, '0')
                     AS ipc_class_symbol,
                   'A' AS ipc_class_level, DATE '2006-01-01' AS ipc_version, 'I' AS ipc_value,
                   CASE WHEN k = 0 THEN 'F' ELSE 'L' END AS ipc_position, 'EP' AS ipc_gener_auth
            FROM range(1, {apps} + 1) t(i), range(0, 3) s(k)""",
        "tls211_pat_publn": f"""
            SELECT j AS pat_publn_id, {office.replace('hash(i)', 'hash(a)')} AS publn_auth,
                   lpad((20000000 + j)::VARCHAR, 9, '0') AS publn_nr, '' AS publn_nr_original,
                   CASE WHEN j % 2 = 0 THEN 'B1' ELSE 'A1' END AS publn_kind, a AS appln_id,
                   DATE '2001-01-01' + (j % 8000)::INT AS publn_date, 'EN' AS publn_lg,
                   CASE WHEN j % 2 = 0 THEN 'Y' ELSE 'N' END AS publn_first_grant, 10 AS publn_claims
            FROM (SELECT j, (j - 1) % {apps} + 1 AS a FROM range(1, {publications} + 1) t(j))""",
        "tls224_appln_cpc": f"""
            SELECT i AS appln_id,
                   list_extract(['H04L','G06F','A61K','B60R','C07D','F02C'], ((i + k) % 6)::INT + 1) ||
                     lpad(((i * 5 + k) % 2000 + 1)::VARCHAR, 4, ' ') || '/' || ((i + k) % 300)::VARCHAR
                     AS cpc_class_symbol
            FROM range(1, {apps} + 1) t(i), range(0, 3) s(k)""",
        "tls230_appln_techn_field": f"""
            SELECT i AS appln_id, ((i + k) % 35 + 1)::INT AS techn_field_nr,
                   CASE WHEN i % 5 = 0 THEN 0.5 ELSE 1.0 END AS weight
            FROM range(1, {apps} + 1) t(i), range(0, 2) s(k) WHERE k = 0 OR i % 5 = 0""",
        "tls231_inpadoc_legal_event": f"""
            SELECT (i - 1) * 2 + k + 1 AS event_id, i AS appln_id, k + 1 AS event_seq_nr, '' AS event_type,
                   'EP' AS event_auth, CASE WHEN k = 0 THEN 'AK' ELSE 'PG25' END AS event_code,
                   DATE '9999-12-31' AS event_filing_date, DATE '2010-01-01' + (i % 4000)::INT AS event_publn_date,
                   DATE '9999-12-31' AS event_effective_date, '' AS event_text, '' AS ref_doc_auth, '' AS ref_doc_nr,
                   '' AS ref_doc_kind, DATE '9999-12-31' AS ref_doc_date, '' AS ref_doc_text, '' AS party_type,
                   0 AS party_seq_nr, '' AS party_new, '' AS party_old, '' AS spc_nr,
                   DATE '9999-12-31' AS spc_filing_date, DATE '9999-12-31' AS spc_patent_expiry_date,
                   DATE '9999-12-31' AS spc_extension_date, '' AS spc_text,
                   CASE WHEN k = 0 THEN 'AT BE CH DE FR GB' ELSE '' END AS designated_states,
                   '' AS extension_states, '' AS fee_country, DATE '9999-12-31' AS fee_payment_date,
                   9999 AS fee_renewal_year, '' AS fee_text, CASE WHEN k = 1 THEN 'DE' ELSE '' END AS lapse_country,
                   DATE '9999-12-31' AS lapse_date, '' AS lapse_text, '' AS reinstate_country,
                   DATE '9999-12-31' AS reinstate_date, '' AS reinstate_text, '' AS class_scheme, '' AS class_symbol
            FROM range(1, {apps} + 1) t(i), range(0, 2) s(k)""",
    }


def generate(folder: Path, publications: int) -> int:
    """Write ``<table>_part01.csv`` files; returns their total size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for table, select in _queries(publications).items():
        text = _text_columns(table)
        force = f"FORCE_QUOTE ({', '.join(text)})," if text else ""
        target = str(folder / f"{table}_part01.csv")
        con.execute(
            f"COPY ({select}) TO '{target}' (FORMAT csv, HEADER, QUOTE '\"', {force}"
            " NEW_LINE '\r\n', DATEFORMAT '%Y-%m-%d')"
        )
    con.close()
    return sum(p.stat().st_size for p in folder.glob("*.csv"))


def baseline(folder: Path, out: Path) -> tuple[float, float]:
    """Seconds (wall, CPU of all threads) for DuckDB to read every table (explicit types) into Parquet."""
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    start, cpu = time.perf_counter(), time.process_time()
    for table in TABLES:
        types = "{" + ", ".join(f"'{c}': '{t}'" for c, t in table.columns) + "}"
        con.execute(
            f"COPY (SELECT * FROM read_csv('{folder / (table.name + '_part01.csv')}', header = true, "
            f"columns = {types}, dateformat = '%Y-%m-%d')) TO '{out / (table.name + '.parquet')}' "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    con.close()
    return elapsed, cpu


def run_ingest(folder: Path, warehouse: Path, repo: Path = REPO) -> tuple[float, float, int]:
    """Wall time, CPU time (all threads) and peak RSS (bytes, whole process tree) of
    ``patentreach ingest`` (of ``repo``'s code)."""
    command = [sys.executable, "-m", "patentreach.cli.main", "ingest", str(folder), "--warehouse", str(warehouse)]
    start, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=repo)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    elapsed, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    if process.returncode != 0:
        sys.exit(f"ingest failed: {process.stderr.read().decode()}")
    return elapsed, cpu, peak


def measure(publications: int, keep: bool, repeat: int, compare: Path | None = None) -> tuple[float, int]:
    """Baseline and ingest interleaved ``repeat`` times; the best time of each (the machine's
    other load only ever adds time) and the ratio of the two bests. A delivery kept by an earlier
    ``--keep`` run of the same size is reused, not generated again."""
    folder = ROOT / f"delivery-{publications}"
    csv = folder / "csv"
    if not (keep and (folder / "complete").exists()):
        shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        generate(csv, publications)
        (folder / "complete").touch()
        print(f"{publications:,} publications: generated in {time.perf_counter() - start:.0f} s")
    mb = sum(p.stat().st_size for p in csv.glob("*.csv")) / 1e6
    bases, ingests, others, peak = [], [], [], 0
    for _ in range(repeat):
        bases.append(baseline(csv, folder / "baseline"))
        shutil.rmtree(folder / "baseline", ignore_errors=True)
        seconds, cpu, rss = run_ingest(csv, folder / "warehouse")
        shutil.rmtree(folder / "warehouse", ignore_errors=True)
        ingests.append((seconds, cpu))
        peak = max(peak, rss)
        if compare is not None:
            others.append(run_ingest(csv, folder / "warehouse", compare)[:2])
            shutil.rmtree(folder / "warehouse", ignore_errors=True)
    (base_s, base_cpu), (seconds, cpu) = _best(bases), _best(ingests)
    print(f"{publications:,} publications, {mb:,.0f} MB of CSV, best of {repeat}, load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"  baseline DuckDB read_csv -> Parquet: {mb / base_s:7.1f} MB/s ({base_s:.1f} s, CPU {base_cpu:.1f} s)"
          f"  [{_runs(bases)}]")
    print(f"  patentreach ingest:                  {mb / seconds:7.1f} MB/s ({seconds:.1f} s, CPU {cpu:.1f} s)"
          f"  [{_runs(ingests)}]")
    print(f"  ingest = {base_s / seconds:4.2f}x the baseline's rate ({seconds / base_s:4.2f}x its time,"
          f" {cpu / base_cpu:4.2f}x its CPU time)  peak RSS {peak / 1e6:,.0f} MB")
    if others:
        other_s, other_cpu = _best(others)
        print(f"  ingest of {compare}: {mb / other_s:7.1f} MB/s ({other_s:.1f} s, CPU {other_cpu:.1f} s)"
              f"  [{_runs(others)}]  this checkout: {seconds / other_s:.2f}x its time, {cpu / other_cpu:.2f}x its CPU")
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return seconds, peak


def stages(folder: Path) -> None:
    """Where the ingest's time goes: ``read_delivery`` in this process, every DuckDB statement's
    CPU time (all threads) printed, biggest first (``--stages``, on a delivery kept by ``--keep``)."""
    from patentreach.sources.patstat.delivery import read_delivery
    from patentreach.sources.patstat.staging import TablePart
    from patentreach.sources.patstat.tables import header_columns

    timings: list[tuple[float, str]] = []
    connect = duckdb.connect

    class Timed:
        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self._con = con

        def execute(self, sql: str, *args: object) -> duckdb.DuckDBPyConnection:
            start = time.process_time()
            result = self._con.execute(sql, *args)
            timings.append((time.process_time() - start, " ".join(sql.split())[:80]))
            return result

        def __getattr__(self, name: str) -> object:
            return getattr(self._con, name)

    parts = {}
    for table in TABLES:
        path = folder / "csv" / f"{table.name}_part01.csv"
        with open(path, "rb") as handle:
            parts[table.name] = [TablePart(path, path.name, header_columns(handle.read(65536)) or [])]
    work = folder / "stages"
    shutil.rmtree(work, ignore_errors=True)
    duckdb.connect = lambda *a, **k: Timed(connect(*a, **k))  # type: ignore[assignment]
    start, cpu = time.perf_counter(), time.process_time()
    try:
        read_delivery(parts, work / "work", work / "parts", "bench", "bench")
    finally:
        duckdb.connect = connect
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    shutil.rmtree(work, ignore_errors=True)
    print(f"read_delivery: {wall:.1f} s wall, {cpu:.1f} s CPU; load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    for seconds, sql in sorted(timings, reverse=True)[:20]:
        print(f"  {seconds:6.2f} s CPU  {sql}")


def _best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """Best wall time and best CPU time (of possibly different runs)."""
    return min(r[0] for r in runs), min(r[1] for r in runs)


def _runs(runs: list[tuple[float, float]]) -> str:
    return " ".join(f"{wall:.1f}/{cpu:.1f}" for wall, cpu in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=50_000_000, help="tls211 rows (default 50 million)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated data under /tmp/patstat-bench (and reuse it when kept before)")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved runs of baseline and ingest (best kept)")
    parser.add_argument("--compare", type=Path, help="another checkout whose ingest is timed in the same runs")
    parser.add_argument("--stages", action="store_true",
                        help="only the CPU time of each mapping statement, on the delivery kept by --keep")
    args = parser.parse_args()
    ROOT.mkdir(parents=True, exist_ok=True)
    if args.stages:
        stages(ROOT / f"delivery-{args.publications}")
        return
    _, small_peak = measure(max(1, args.publications // 4), args.keep, args.repeat, args.compare)
    _, peak = measure(args.publications, args.keep, args.repeat, args.compare)
    print(f"peak RSS: {small_peak / 1e6:,.0f} MB at {args.publications // 4:,} publications, "
          f"{peak / 1e6:,.0f} MB at {args.publications:,} (x{peak / max(small_peak, 1):.2f} for x4 the input)")
    if not args.keep:
        shutil.rmtree(ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
