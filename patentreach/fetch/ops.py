"""``fetch ops QUERY``: the result pages of an EPO OPS bibliographic search (CQL), saved as the XML
OPS returns, through ``python-epo-ops-client`` (module ``epo_ops``).

OAuth client credentials come from ``OPS_KEY`` / ``OPS_SECRET``; the client library fetches and
renews the token. Throttling: OPS sends ``X-Throttling-Control`` on every answer ("idle (images=
green:200, ..., search=green:30)": the colour and requests per minute allowed per service); the
library's ``Throttler`` turns it into a delay before the next request, and this module routes that
delay through the run's ``Policy`` so it is bounded and visible. A 429/503 is retried after its
``Retry-After`` (seconds); a fair-use quota refusal (403 with ``X-Rejection-Reason``
IndividualQuotaPerHour / RegisteredQuotaPerWeek) ends the run with one line. Search pages hold at
most 100 results and OPS answers at most 2000 results per query.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

from patentreach.fetch.feeds import feed as find_feed
from patentreach.fetch.manifest import Manifest
from patentreach.fetch.policy import RETRY_STATUSES, Policy, WaitBudgetExceeded, retry_after_seconds
from patentreach.fetch.remote import FetchFailed, FetchReport, Outcome, RemoteFile

KEY_VARIABLE = "OPS_KEY"
SECRET_VARIABLE = "OPS_SECRET"
PAGE_SIZE = 100
OPS_RESULT_CEILING = 2000
_TOTAL = re.compile(rb'total-result-count="(\d+)"')


class OpsCredentialsMissing(FetchFailed):
    """OPS_KEY / OPS_SECRET not set."""


@dataclass(frozen=True, slots=True)
class OpsRequest:
    query: str
    folder: Path
    max_results: int = OPS_RESULT_CEILING
    constituents: tuple[str, ...] = ()
    base_url: str | None = None


def _client(base: str, policy: Policy, folder: Path):
    """An ``epo_ops.Client`` aimed at ``base`` whose throttle waits go through ``policy``; the
    throttle history lives in the download folder (not the library's default under /var/tmp)."""
    import epo_ops
    from epo_ops.middlewares import Throttler
    from epo_ops.middlewares.throttle.storages import SQLite
    from epo_ops.middlewares.throttle.utils import service_for_url

    key, secret = os.environ.get(KEY_VARIABLE), os.environ.get(SECRET_VARIABLE)
    if not key or not secret:
        raise OpsCredentialsMissing(
            f"OPS needs OAuth client credentials: set {KEY_VARIABLE} and {SECRET_VARIABLE} "
            "(register an app at developers.epo.org)"
        )

    class BoundedThrottler(Throttler):
        def process_request(self, env, url, data, **kwargs):
            if not env["from-cache"]:
                policy.wait(self.history.delay_for(service_for_url(url)), f"OPS throttling ({service_for_url(url)})")
            return url, data, kwargs

    class Client(epo_ops.Client):
        __auth_url__ = f"{base}/3.2/auth/accesstoken"
        __service_url_prefix__ = f"{base}/3.2/rest-services"

    folder.mkdir(parents=True, exist_ok=True)
    storage = SQLite(db_path=str(folder / ".ops-throttle-history.db"))
    return Client(key, secret, middlewares=[BoundedThrottler(storage)], timeout=policy.read_timeout,
                  raise_for_status=False)


def fetch_search(request: OpsRequest, policy: Policy | None = None) -> FetchReport:
    """Save the search result pages as ``<folder>/ops/<query-slug>-<begin>-<end>.xml``."""
    import requests

    policy = policy or Policy()
    report = FetchReport(request.folder)
    feed = find_feed("ops")
    target = request.folder / "ops"
    cap = min(request.max_results, OPS_RESULT_CEILING)
    manifest = Manifest.load(request.folder)
    slug = _slug(request.query)
    begin, total = 1, None
    client = _client(feed.base_url(request.base_url), policy, target)
    try:
        while begin <= cap and (total is None or begin <= total):
            end = min(begin + PAGE_SIZE - 1, cap)
            name = f"{slug}-{begin}-{end}.xml"
            remote = RemoteFile("ops", name, f"{feed.base_url(request.base_url)}{feed.listing_path}",
                                published=datetime.now(UTC).date().isoformat())
            try:
                response = _search(client, request, begin, end, policy)
            except requests.RequestException as exc:
                raise FetchFailed(f"{remote.url}: {type(exc).__name__}: {exc}") from None
            _note_throttling(report, response.headers.get("X-Throttling-Control"))
            if response.status_code == 404 and begin == 1:
                report.notes.append(f"OPS: no results for {request.query!r}")
                break
            _raise_for(response, remote.url)
            body = response.content
            found = _TOTAL.search(body)
            total = int(found.group(1)) if found else 0
            path = target / name
            path.write_bytes(body)
            outcome = Outcome(remote, "fetched", size=len(body), sha256=hashlib.sha256(body).hexdigest())
            manifest.record(outcome)
            manifest.save()
            report.outcomes.append(outcome)
            begin = end + 1
        if total is not None and total > cap:
            report.notes.append(
                f"OPS: {total} results, fetched the first {cap} (OPS serves at most {OPS_RESULT_CEILING} per query; "
                "narrow the query, e.g. by publication date pd=2021)"
            )
    except (FetchFailed, WaitBudgetExceeded) as exc:
        report.outcomes.append(Outcome(RemoteFile("ops", f"{slug}.xml", feed.base_url(request.base_url)),
                                       "failed", error=str(exc)))
    return report


def _search(client, request: OpsRequest, begin: int, end: int, policy: Policy):
    import requests

    for attempt in range(1, policy.max_attempts + 1):
        try:
            response = client.published_data_search(request.query, begin, end, list(request.constituents) or None)
        except requests.HTTPError as exc:  # the client raises its quota and token errors itself
            if exc.response is None:
                raise
            return exc.response
        except ElementTree.ParseError:  # the client parses every 400 answer as XML
            raise FetchFailed(f"OPS search {request.query!r}: HTTP 400 with an answer that is not XML") from None
        if response.status_code not in RETRY_STATUSES or attempt == policy.max_attempts:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        policy.wait(wait if wait is not None else policy.backoff(attempt), f"OPS search {request.query!r}")
    raise AssertionError("unreachable")


def _raise_for(response, url: str) -> None:
    if response.status_code < 400:
        return
    reason = response.headers.get("X-Rejection-Reason", "")
    if response.status_code == 403 and reason:
        raise FetchFailed(f"{url}: OPS refused the request: fair-use quota {reason} reached; try again later")
    if response.status_code == 401 or "accesstoken" in str(response.url):
        raise FetchFailed(f"{response.url}: HTTP {response.status_code}: OPS refused the credentials "
                          f"(check {KEY_VARIABLE} and {SECRET_VARIABLE})")
    detail = re.search(rb"<message>([^<]{1,200})</message>", response.content or b"")
    message = f": {detail.group(1).decode('utf-8', 'replace')}" if detail else ""
    raise FetchFailed(f"{url}: HTTP {response.status_code}{message}")


def _note_throttling(report: FetchReport, header: str | None) -> None:
    """Say the throttling state out loud when OPS is not idle (yellow/red/black services)."""
    if not header:
        return
    note = f"OPS throttling: {header}"
    busy = not header.startswith("idle") or re.search(r"=(yellow|red|black):", header)
    if busy and note not in report.notes:
        report.notes.append(note)


def _slug(query: str) -> str:
    text = re.sub(r"[^A-Za-z0-9]+", "-", query).strip("-").lower()[:60] or "query"
    return f"search-{text}-{hashlib.sha256(query.encode()).hexdigest()[:8]}"
