"""Rate limits, with the ``limits`` library (moving windows, in the worker's memory):

* every request, per client address: ``rate_limit_per_minute`` in any sixty seconds, else 429
  with ``Retry-After``. The address is the connection's, or the forwarded one when uvicorn trusts
  the proxy that sent it (``--forwarded-allow-ips``; ``patentreach serve`` trusts 127.0.0.1);
* failed sign-ins, per user name and address: five in fifteen minutes, then 429 until the
  oldest failure leaves the window (a success clears the count).

Each worker counts on its own (``--workers 4`` allows up to four times the rate): the limits
stop floods and password guessing, they are not a quota.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, RateLimitItemPerMinute, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from patentreach.web.security.refusals import N_, Refusal, send_refusal

TOO_MANY = N_("too many requests: wait %(seconds)s seconds and try again")
LOGIN_ATTEMPTS = "5/15 minutes"


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


class Window:
    """One moving-window limit over keys (addresses, user names)."""

    def __init__(self, item: RateLimitItem) -> None:
        self.item = item
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def allows(self, *key: str) -> bool:
        return self.limiter.test(self.item, *key)

    def hit(self, *key: str) -> bool:
        """Count one event; False when the window was already full."""
        return self.limiter.hit(self.item, *key)

    def clear(self, *key: str) -> None:
        self.limiter.clear(self.item, *key)

    def retry_after(self, *key: str) -> int:
        """Whole seconds until the window has room again (at least 1)."""
        reset = self.limiter.get_window_stats(self.item, *key).reset_time
        return max(1, math.ceil(reset - time.time()))


def login_window() -> Window:
    return Window(parse(LOGIN_ATTEMPTS))


class RateLimit:
    """The per-address limit over every route (0 per minute turns it off)."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.window = Window(RateLimitItemPerMinute(per_minute)) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.window is not None and scope["type"] == "http":
            address = client_address(scope)
            if not self.window.hit(address):
                seconds = self.window.retry_after(address)
                refusal = Refusal(429, TOO_MANY, headers={"Retry-After": str(seconds)}, seconds=seconds)
                return await send_refusal(scope, receive, send, refusal)
        await self.app(scope, receive, send)
