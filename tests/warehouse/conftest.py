"""Fixtures of the warehouse tests: limits put back after each test, and a memory probe."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import psutil
import pytest

from patentreach.sources import limits

T = TypeVar("T")


@pytest.fixture(autouse=True)
def default_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``--limit`` and ``limits.configure`` change process state (and the environment, for worker
    processes); every test starts from the defaults and leaves them so."""
    monkeypatch.delenv(limits.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setattr(limits, "_current", None)
    yield


def peak_rss_increase(action: Callable[[], T]) -> tuple[T, int, float]:
    """Run ``action``; return its result, the largest growth of this process's resident memory
    seen while it ran (sampled every 5 ms) in bytes, and the seconds it took."""
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        result = action()
    finally:
        seconds = time.monotonic() - started
        done.set()
        sampler.join()
    return result, max(peak, process.memory_info().rss) - baseline, seconds
