"""``patentreach serve`` as a person runs it: uvicorn in a subprocess on a free loopback port,
configured the way ``patentreach/web/asgi.py`` reads it (``$PATENTREACH_HOME``,
``$PATENTREACH_WEB_STATE``), waited for with a bounded poll, stopped for sure."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 20
"""The bound of every explicit wait: a new selection's first page computes its figure, its chart
and its coverage (0.1 s warm, several seconds cold on a loaded 2-core machine)."""
PAGE_SECONDS = 60
"""The bound of one page load (the first dashboard of a fresh server imports and warms up)."""
START_SECONDS = 60
STOP_SECONDS = 10


@dataclass(frozen=True)
class Site:
    """One running ``uvicorn patentreach.web.asgi:app``."""

    base_url: str
    warehouse: Path
    state_dir: Path
    log: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def status(self, path: str) -> int:
        """The status of a plain GET (no redirects followed): how the tests ask "has this page landed"."""
        return httpx.get(self.url(path), follow_redirects=False, timeout=PAGE_SECONDS).status_code


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _log_tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def serve(warehouse: Path, state_dir: Path, log: Path) -> Iterator[Site]:
    """Start uvicorn on a free loopback port, wait (bounded) until it answers, yield it, stop it
    (terminate, then kill after ``STOP_SECONDS``)."""
    port = _free_port()
    env = {**os.environ, "PATENTREACH_HOME": str(warehouse), "PATENTREACH_WEB_STATE": str(state_dir),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "uvicorn", "patentreach.web.asgi:app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]
    site = Site(f"http://127.0.0.1:{port}", warehouse, state_dir, log)
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, cwd=REPO, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"patentreach.web.asgi:app exited ({process.returncode}) before serving:\n"
                            f"{_log_tail(log)}")
            try:
                if httpx.get(site.url("/static/style.css"), timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"patentreach.web.asgi:app did not answer within {START_SECONDS} s:\n{_log_tail(log)}")
            time.sleep(0.1)  # a poll interval, not a wait for a result
        httpx.get(site.url("/"), timeout=PAGE_SECONDS)  # warm up (imports, first engine) outside any test's waits
        yield site
    finally:
        process.terminate()
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_SECONDS)
