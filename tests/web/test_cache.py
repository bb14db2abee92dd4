"""The result cache: a selection is counted once per warehouse version, never served stale.

The LRU itself is tested alone (bound, exceptions, single flight); through the service, a
cached answer is served twice with one computation, and after an ingest into the same folder
the next answer is refused as stale (409: the harmonised tables predate the ingest), then, once
harmonised, recomputed with the new publications counted.
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import patentreach.indicators
from patentreach.warehouse import Warehouse
from patentreach.web.cache import ResultCache
from patentreach.web.warehouse_access import warehouse_version
from tests.conftest import shared_path


class Counted:
    """A computation that counts its calls and returns the call number."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def test_a_key_is_computed_once_per_version() -> None:
    cache, compute = ResultCache(4), Counted()
    assert [cache.get_or_compute("v1", "k", compute) for _ in range(3)] == [1, 1, 1]
    assert cache.get_or_compute("v2", "k", compute) == 2  # a new version: computed again
    assert (compute.calls, cache.hits, cache.misses) == (2, 2, 2)


def test_the_lru_keeps_at_most_its_bound_and_drops_the_least_recently_used() -> None:
    cache, compute = ResultCache(2), Counted()
    cache.get_or_compute("v", "a", compute)  # 1
    cache.get_or_compute("v", "b", compute)  # 2
    cache.get_or_compute("v", "a", compute)  # hit: a is now the most recent
    cache.get_or_compute("v", "c", compute)  # 3: evicts b
    assert len(cache) == 2
    assert cache.get_or_compute("v", "a", compute) == 1
    assert cache.get_or_compute("v", "b", compute) == 4  # evicted: computed again (evicts c)
    assert cache.get_or_compute("v", "c", compute) == 5
    assert compute.calls == 5


def test_no_entries_means_no_caching() -> None:
    cache, compute = ResultCache(0), Counted()
    assert [cache.get_or_compute("v", "k", compute) for _ in range(2)] == [1, 2]
    assert len(cache) == 0


def test_an_exception_is_not_cached() -> None:
    cache, calls = ResultCache(4), []

    def flaky() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("the first attempt fails")
        return "second"

    with pytest.raises(ValueError, match="the first attempt fails"):
        cache.get_or_compute("v", "k", flaky)
    assert cache.get_or_compute("v", "k", flaky) == "second"
    assert cache.get_or_compute("v", "k", flaky) == "second"
    assert len(calls) == 2


def _wait_for(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    """Wait (bounded) for another thread to reach a point; fails rather than hangs."""
    tick = threading.Event()
    for _ in range(6000):
        if condition():
            return
        tick.wait(0.005)
    raise AssertionError(f"timed out waiting for {what}")


def test_concurrent_identical_requests_compute_once_and_share_the_answer() -> None:
    cache, calls = ResultCache(4), []

    def slow() -> str:
        calls.append(1)
        _wait_for(lambda: cache.joined == 7, "seven requests to join the computation")
        return "answer"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: cache.get_or_compute("v", "k", slow), range(8)))
    assert answers == ["answer"] * 8
    assert (len(calls), cache.misses, cache.joined, cache.hits) == (1, 1, 7, 0)


def test_requests_waiting_on_a_failed_computation_get_its_error_and_nothing_is_cached() -> None:
    cache = ResultCache(4)

    def failing() -> str:
        _wait_for(lambda: cache.joined == 3, "three requests to join the computation")
        raise ValueError("no such table")

    def ask(_: int) -> str:
        try:
            return cache.get_or_compute("v", "k", failing)
        except ValueError as exc:
            return str(exc)

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(ask, range(4))) == ["no such table"] * 4
    assert len(cache) == 0
    assert cache.get_or_compute("v", "k", lambda: "computed again") == "computed again"


def test_the_version_follows_ingests_and_replaced_derived_tables(tmp_path: Path) -> None:
    """What ``ingest``, ``harmonize`` and ``stats prepare`` do to the folders, done by hand: a
    new log file; a derived table written beside under a dot-name and renamed into place
    (``Engine.write_derived``), then replaced whole; a stamp rewritten. Each changes the version;
    looking again without a change does not."""
    warehouse = Warehouse(tmp_path / "wh")
    warehouse.create()
    seen = [warehouse_version(warehouse)]

    def changed() -> bool:
        seen.append(warehouse_version(warehouse))
        return seen[-1] not in seen[:-1]

    assert not changed()  # nothing happened
    (warehouse.log_dir / "ingest-0001.parquet").write_bytes(b"one ingest")
    assert changed()
    for attempt in range(2):
        staged = warehouse.derived_dir / ".staging-outbound_facts"
        staged.mkdir(parents=True)
        (staged / "part-00000.parquet").write_bytes(b"facts %d" % attempt)
        if attempt:
            for old in (warehouse.derived_dir / "outbound_facts").iterdir():
                old.unlink()
            (warehouse.derived_dir / "outbound_facts").rmdir()
        staged.rename(warehouse.derived_dir / "outbound_facts")
        assert changed()
    (warehouse.derived_dir / "harmonised_from.json").write_text('{"ingests": 1}')
    assert changed()
    assert not changed()


@pytest.fixture
def counted_outbound(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every call of the library's ``outbound`` the service makes, recorded."""
    calls: list[object] = []
    real = patentreach.indicators.outbound

    def recording(engine, spec, **options):  # type: ignore[no-untyped-def]
        calls.append(spec)
        return real(engine, spec, **options)

    monkeypatch.setattr(patentreach.indicators, "outbound", recording)
    return calls


def test_a_cached_answer_is_served_twice_without_recomputing(client, counted_outbound) -> None:
    params = {"origin": "DE", "years": "2000-2020", "by": "office", "offices": "US,JP"}
    first = client.get("/api/v1/outbound", params=params)
    second = client.get("/api/v1/outbound", params=params)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert [(row["office"], row["count"]) for row in first.json()["rows"]] == [("US", 13)]
    assert len(counted_outbound) == 1


def _counts(answer) -> dict[tuple[str, int], int]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.text
    return {(row["origin"], row["year"]): row["count"] for row in answer.json()["rows"]}


def test_after_an_ingest_into_the_same_folder_the_answer_is_recomputed(
    web_warehouse: Warehouse, tmp_path: Path, counted_outbound,
) -> None:
    from patentreach.harmonize import harmonize
    from patentreach.warehouse.ingest import ingest
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    root = tmp_path / "wh"
    shutil.copytree(web_warehouse.root, root)
    warehouse = Warehouse(root)
    app = create_app(ServeConfig.for_warehouse(warehouse, tmp_path / "state"))
    app.state.access.ttl = 0  # look at the folders on every request (the service: once a second)
    params = {"offices": "US", "years": "2020-2024", "by": "origin,year", "scope": "all",
              "type": "invention,design,utility_model"}
    with TestClient(app) as web:
        before = web.get("/api/v1/outbound", params=params)
        assert _counts(web.get("/api/v1/outbound", params=params)) == _counts(before) == {}  # samples end in 2012
        assert len(counted_outbound) == 1
        version = warehouse_version(warehouse)

        report = ingest([shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")], warehouse)
        assert not report.nothing_ingested
        assert warehouse_version(warehouse) != version
        stale = web.get("/api/v1/outbound", params=params)
        assert stale.status_code == 409
        assert "patentreach harmonize" in stale.json()["error"]

        harmonize(warehouse)
        after = web.get("/api/v1/outbound", params=params)
        assert _counts(after) == {("US", 2023): 3}  # the weekly file's three US grants to US applicants
        assert len(counted_outbound) == 2
        assert app.state.access.opened == 2  # the views were defined again for the new version
