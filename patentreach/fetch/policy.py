"""The bounds of every request ``fetch`` makes: timeouts, retries, waits and file sizes.

A download of a year of weekly files runs unattended, so a server that throttles (429, 503 with
``Retry-After``) is waited for, a dropped connection is resumed, and all of it is bounded: a
number of attempts per file and a total wait per run, after which the file fails with one line
and the others go on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 502, 503, 504})
DEFAULT_MAX_FILE_BYTES = 64 * 1024**3
"""64 GiB, the default ``max_decompressed_gb`` of ``ingest``."""


@dataclass
class Policy:
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    max_attempts: int = 6
    """Attempts per request (the first try included) before the file fails."""
    backoff_seconds: float = 2.0
    """First wait after a dropped connection or a throttle without Retry-After; doubles each time."""
    max_backoff_seconds: float = 120.0
    max_total_wait_seconds: float = 1800.0
    """All waits of one run together; a Retry-After beyond what is left fails the file instead."""
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    """Largest file accepted; the command sets it to the largest input ``ingest`` would read
    (``max_decompressed_gb`` of patentreach/sources/limits.py, which this layer cannot import)."""
    sleep: Callable[[float], None] = time.sleep
    waited: float = 0.0

    def timeout(self):
        import httpx

        return httpx.Timeout(self.read_timeout, connect=self.connect_timeout)

    def backoff(self, attempt: int) -> float:
        return min(self.backoff_seconds * (2 ** max(attempt - 1, 0)), self.max_backoff_seconds)

    def wait(self, seconds: float, what: str) -> None:
        """Sleep ``seconds`` if the run's wait budget allows it, else raise ``WaitBudgetExceeded``."""
        if self.waited + seconds > self.max_total_wait_seconds:
            raise WaitBudgetExceeded(
                f"{what}: the server asks to wait {seconds:.0f} s, more than the "
                f"{self.max_total_wait_seconds - self.waited:.0f} s left of this run's wait budget; try later"
            )
        self.waited += seconds
        self.sleep(seconds)


class WaitBudgetExceeded(Exception):
    """Waiting any longer would break the run's bound on total waiting."""


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date (RFC 9110); None if absent or odd."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)
