"""Results cached per warehouse version: a selection asked twice is counted once, and a
selection asked by many clients at once is counted once too (single flight).

The key is the warehouse's version plus what was asked (the endpoint and its canonical
arguments); when the warehouse changes (an ingest, harmonize or prepare), the version changes
and old entries are simply never looked up again (they age out of the LRU). A computation that
raises is not cached: the clients waiting for it get the same exception, and the next request
computes again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any


class ResultCache:
    """A thread-safe LRU of computed results, with one computation in flight per key."""

    def __init__(self, entries: int = 256) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()
        self.hits = 0  # answered from the cache
        self.misses = 0  # computed
        self.joined = 0  # waited for the same computation another request had started

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get_or_compute(self, version: str, key: Hashable, compute: Callable[[], Any]) -> Any:
        full = (version, key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                self.hits += 1
                return self._items[full]
            running = self._running.get(full)
            if running is None:
                running = self._running[full] = Future()
                owner = True
                self.misses += 1
            else:
                owner = False
                self.joined += 1
        if not owner:
            return running.result()  # re-raises the owner's exception
        try:
            value = compute()  # outside the lock: other keys are not held up by this one
        except BaseException as exc:
            with self._lock:
                del self._running[full]
            running.set_exception(exc)
            raise
        with self._lock:
            del self._running[full]
            if self.entries > 0:
                self._items[full] = value
                self._items.move_to_end(full)
                while len(self._items) > self.entries:
                    self._items.popitem(last=False)
        running.set_result(value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
