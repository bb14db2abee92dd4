"""``kill -9`` in the middle of an ingest leaves a consistent warehouse; re-running completes it
with no loss and no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from patentreach.synth.uspto_grant_xml import write_weekly_file
from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path


def _state(warehouse: Warehouse):
    con = connect(warehouse)
    return con.execute(
        "SELECT (SELECT count(*) FROM ingest_log), (SELECT count(*) FROM all_publications),"
        " (SELECT count(*) FROM publications), (SELECT count(*) FROM parties),"
        " (SELECT coalesce(sum(stored), 0) FROM ingest_log)"
    ).fetchone()


def test_kill_9_mid_ingest_then_rerun_equals_a_clean_ingest(tmp_path: Path):
    small = shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")
    big = write_weekly_file(tmp_path / "big.xml", grants=8_000, seed=3)
    crashed = Warehouse(tmp_path / "crashed")
    command = [sys.executable, "-m", "patentreach.cli.main", "ingest", str(small), str(big),
               "--warehouse", str(crashed.root)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    # Wait until the first file is committed and the second is being parsed, then kill.
    while time.monotonic() < deadline:
        if len(list(crashed.log_dir.glob("*.parquet"))) >= 1 and any(crashed.staging_dir.glob("*")):
            break
        time.sleep(0.01)
    time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    logs, stored_rows, current, _parties, logged_stored = _state(crashed)
    assert logs == 1, "only the small file was committed"
    assert stored_rows == logged_stored == current == 3, "no row of the interrupted file is visible"

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    clean = Warehouse(tmp_path / "clean")
    ingest([small, big], clean)
    assert _state(crashed) == _state(clean)
    assert _state(clean)[:3] == (2, 8_003, 8_003)  # 3 + 8,000 grants (1 malformed, 1 skipped besides)
    assert not any(crashed.staging_dir.iterdir())
