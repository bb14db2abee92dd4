"""Requests with the run's bounds: retries on throttling and dropped connections, and redirects
that never carry an API key to another host.

httpx is imported inside the functions (the CLI must start without it). Redirects are followed
here rather than by httpx because httpx keeps custom headers such as ``X-API-KEY`` on a redirect to
another host; the USPTO ODP answers a file request with a redirect to a signed CDN URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from patentreach.fetch.policy import RETRY_STATUSES, Policy, retry_after_seconds
from patentreach.fetch.remote import FetchFailed

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5
USER_AGENT = "patentreach-fetch (+https://github.com/patentreach)"


def new_client(policy: Policy) -> httpx.Client:
    import httpx

    return httpx.Client(timeout=policy.timeout(), follow_redirects=False, headers={"User-Agent": USER_AGENT})


def _same_host(a: str, b: str) -> bool:
    return urlsplit(a).netloc == urlsplit(b).netloc


@contextmanager
def open_response(
    client: httpx.Client, method: str, url: str, headers: dict[str, str], what: str, policy: Policy, **kwargs
) -> Iterator[httpx.Response]:
    """A streamed response after redirects and throttling waits (429/502/503/504, ``Retry-After``
    honoured); the caller reads the body and checks the status. Connection errors propagate (the
    caller decides whether to resume)."""
    attempt = 0
    current, current_headers = url, dict(headers)
    redirects = 0
    while True:
        attempt += 1
        request = client.build_request(method, current, headers=current_headers, **kwargs)
        response = client.send(request, stream=True)
        if response.is_redirect and redirects >= MAX_REDIRECTS:
            response.close()
            raise FetchFailed(f"{url} ({what}): more than {MAX_REDIRECTS} redirects")
        if response.is_redirect:
            target = urljoin(current, response.headers["location"])
            response.close()
            redirects += 1
            if not _same_host(current, target):
                current_headers = {k: v for k, v in current_headers.items() if k.lower() == "range"}
            current = target
            attempt -= 1
            continue
        if response.status_code in RETRY_STATUSES and attempt < policy.max_attempts:
            wait = retry_after_seconds(response.headers.get("retry-after"))
            response.close()
            policy.wait(wait if wait is not None else policy.backoff(attempt), f"{url} ({what})")
            continue
        try:
            yield response
        finally:
            response.close()
        return


def get_json(client: httpx.Client, url: str, headers: dict[str, str], what: str, policy: Policy, **kwargs) -> object:
    """A JSON listing, with the same retries; a transport error is retried, then one clear line."""
    import httpx

    for attempt in range(1, policy.max_attempts + 1):
        try:
            with open_response(client, "GET", url, headers, what, policy, **kwargs) as response:
                body = response.read()
                status = response.status_code
                final_url = str(response.url)
        except httpx.TransportError as exc:
            if attempt == policy.max_attempts:
                raise FetchFailed(f"{url}: {what}: {type(exc).__name__}: {exc}") from None
            policy.wait(policy.backoff(attempt), f"{url} ({what})")
            continue
        if status >= 400:
            raise FetchFailed(f"{final_url}: {what}: HTTP {status}{_hint(status)}")
        try:
            import json

            return json.loads(body)
        except ValueError:
            raise FetchFailed(f"{final_url}: {what}: the answer is not JSON") from None
    raise FetchFailed(f"{url}: {what}: gave up after {policy.max_attempts} attempts")


def _hint(status: int) -> str:
    return {
        401: " (credentials missing or wrong)",
        403: " (forbidden: API key missing or not allowed)",
        404: " Not Found",
        429: " Too Many Requests (still throttled after the retries)",
    }.get(status, "")


def status_line(status: int) -> str:
    return f"HTTP {status}{_hint(status)}"
