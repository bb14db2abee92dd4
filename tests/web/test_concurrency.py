"""Requests run side by side, read-only, on one database per process.

A real server (uvicorn on a loopback port, in a thread) answers concurrent clients. Distinct
selections are computed at the same time: the computation waits at a barrier that only opens
when every request has reached it, so a service that ran requests one by one fails the test
instead of passing it slowly. Identical selections are computed once (single flight).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

import patentreach.indicators
from patentreach.warehouse import Warehouse
from patentreach.web.warehouse_access import ReadOnlyService, default_threads

BARRIER_SECONDS = 120  # generous for a loaded 2-core machine; normally passed in well under a second


@pytest.fixture(scope="module")
def server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The session's app behind uvicorn on 127.0.0.1 (a free port); its base URL."""
    import uvicorn

    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=running.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    tick = threading.Event()
    for _ in range(2000):
        if running.started:
            break
        tick.wait(0.01)
    assert running.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(30)
    listening.close()


@pytest.fixture
def wrapped_outbound(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Install ``before(spec)`` to run in each computation of the library's ``outbound``; the
    specs computed are recorded."""
    real = patentreach.indicators.outbound
    computed: list[object] = []

    def install(before):  # type: ignore[no-untyped-def]
        def wrapper(engine, spec, **options):  # type: ignore[no-untyped-def]
            computed.append(spec)
            before(spec)
            return real(engine, spec, **options)

        monkeypatch.setattr(patentreach.indicators, "outbound", wrapper)
        return computed

    return install


def _get_all(base: str, selections: list[dict[str, str]]) -> list[httpx.Response]:
    def ask(params: dict[str, str]) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=BARRIER_SECONDS + 60) as http:
            return http.get("/api/v1/outbound", params=params)

    with ThreadPoolExecutor(len(selections)) as pool:
        return list(pool.map(ask, selections))


def test_distinct_selections_are_computed_at_the_same_time(server, app, wrapped_outbound) -> None:
    selections = [{"origin": origin, "offices": "US", "years": "2005-2012", "by": "year"}
                  for origin in ("JP", "DE", "KR", "CN")]
    together = threading.Barrier(len(selections), timeout=BARRIER_SECONDS)
    computed = wrapped_outbound(lambda spec: together.wait())
    opened = app.state.access.opened

    answers = _get_all(server, selections)

    assert [a.status_code for a in answers] == [200] * 4
    assert len(computed) == 4
    assert [a.json()["definition"]["origin"] for a in answers] == [["JP"], ["DE"], ["KR"], ["CN"]]
    japan = {row["year"]: row["count"] for row in answers[0].json()["rows"]}
    assert (japan[2005], japan[2007]) == (10, 7)  # as tests/web/test_foundation.py by office x year
    # Four requests, four cursors, one database (opened at most once, by the first request ever).
    assert app.state.access.opened == max(opened, 1)


def test_identical_concurrent_selections_are_computed_once(server, app, wrapped_outbound) -> None:
    cache = app.state.cache
    joined = cache.joined
    tick = threading.Event()

    def wait_for_the_others(spec: object) -> None:
        for _ in range(BARRIER_SECONDS * 100):
            if cache.joined - joined >= 5:
                return
            tick.wait(0.01)

    computed = wrapped_outbound(wait_for_the_others)
    answers = _get_all(server, [{"origin": "US", "offices": "EP,JP", "years": "2004-2012", "by": "office"}] * 6)

    assert [a.status_code for a in answers] == [200] * 6
    assert len(computed) == 1
    assert cache.joined - joined == 5
    assert all(a.json() == answers[0].json() for a in answers)


def _files(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_the_service_reads_only(server, app, web_warehouse: Warehouse) -> None:
    before = _files(web_warehouse.root)
    answers = _get_all(server, [{"origin": "JP", "years": year, "by": "office"} for year in ("2006", "2008", "2010")])
    assert [a.status_code for a in answers] == [200] * 3
    assert _files(web_warehouse.root) == before

    access = app.state.access
    with access.engine() as engine:
        cursor = engine.backend.con
        # In memory: the analysts' warehouse.duckdb is never opened (nor locked) by the service.
        assert cursor.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchall() == [(None,)]
        # DuckDB's workers belong to the database: every concurrent request shares this many.
        assert cursor.execute("SELECT current_setting('threads')").fetchall() == [(access.threads,)]
        assert access.threads == default_threads()
        with pytest.raises(ReadOnlyService, match="never writes"):
            engine.write_derived("entities", [engine.table("entities")])
        with access.engine() as another:
            # Each request has its own cursor, but the views' columns are looked up once per version.
            assert another.backend.con is not cursor
            assert another.table("entities").schema() is engine.table("entities").schema()
    assert _files(web_warehouse.root) == before
