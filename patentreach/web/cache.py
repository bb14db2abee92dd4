"""Results cached per warehouse version: a selection asked twice is counted once.

The key is the warehouse's version plus what was asked (the endpoint and its canonical
arguments); when the warehouse changes (an ingest, harmonize or prepare), the version changes
and old entries are simply never looked up again (they age out of the LRU).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class ResultCache:
    """A thread-safe LRU of computed results."""

    def __init__(self, entries: int = 256) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, version: str, key: Hashable, compute: Callable[[], Any]) -> Any:
        full = (version, key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                self.hits += 1
                return self._items[full]
        value = compute()  # outside the lock: other requests are not held up by this one
        with self._lock:
            self.misses += 1
            if self.entries > 0:
                self._items[full] = value
                self._items.move_to_end(full)
                while len(self._items) > self.entries:
                    self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
