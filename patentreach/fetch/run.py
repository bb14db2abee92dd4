"""``fetch`` for the bulk feeds: list what a feed has for the period, skip what is already
complete, download the rest, record each file in the manifest.

One bad file (404, checksum mismatch, throttled past the budget) is one failed outcome with its
line; the other files go on. The manifest is saved after every file, so an interrupted run keeps
what it finished and ``.part`` files keep what it half-finished.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from patentreach.fetch import listings
from patentreach.fetch.download import download, is_complete, target_path
from patentreach.fetch.feeds import feed as find_feed
from patentreach.fetch.manifest import Manifest
from patentreach.fetch.periods import Period, PeriodError
from patentreach.fetch.policy import Policy
from patentreach.fetch.remote import FetchFailed, FetchReport, Outcome, RemoteFile


class FetchProgress:
    """Progress of a run; the CLI subclasses it with a Rich bar. The default shows nothing."""

    def start(self, files: int) -> None: ...

    def file(self, name: str, size: int | None) -> None: ...

    def advance(self, n_bytes: int) -> None: ...

    def done(self, outcome: Outcome) -> None: ...


@dataclass
class FetchRequest:
    feed: str
    folder: Path
    period: Period | None = None
    tables: list[str] = field(default_factory=list)
    since_last: bool = False
    base_url: str | None = None
    max_file_bytes: int | None = None
    """Largest file accepted (the command passes ingest's ``max_decompressed_gb``)."""


def fetch(request: FetchRequest, policy: Policy | None = None, progress: FetchProgress | None = None) -> FetchReport:
    """Fetch one feed into ``request.folder/<feed>/``; returns every file's outcome and notes."""
    from patentreach.fetch.bounded_http import new_client

    policy = policy or Policy()
    if request.max_file_bytes:
        policy.max_file_bytes = request.max_file_bytes
    progress = progress or FetchProgress()
    report = FetchReport(request.folder)
    manifest = Manifest.load(request.folder)
    with new_client(policy) as client:
        try:
            remotes = _plan(client, request, manifest, policy, report)
        except FetchFailed as exc:
            report.outcomes.append(Outcome(RemoteFile(request.feed, "(listing)", ""), "failed", error=str(exc)))
            return report
        progress.start(len(remotes))
        for remote in remotes:
            outcome = _one(client, remote, request.folder, manifest, policy, progress)
            if outcome.status == "fetched":
                manifest.record(outcome)
                manifest.save()
            progress.done(outcome)
            report.outcomes.append(outcome)
    return report


def complete_files(report: FetchReport) -> list[Path]:
    """The files of a run that are complete in the folder (fetched now or already there): what
    ``--ingest`` hands to ingest."""
    return [target_path(report.folder, o.remote) for o in report.outcomes if o.status in {"fetched", "skipped"}]


def _one(client, remote: RemoteFile, folder: Path, manifest: Manifest, policy: Policy,
         progress: FetchProgress) -> Outcome:
    try:
        path = target_path(folder, remote)
    except FetchFailed as exc:
        return Outcome(remote, "failed", error=str(exc))
    entry = manifest.get(remote.feed, remote.name)
    if is_complete(path, remote, entry.size if entry else None):
        return Outcome(remote, "skipped", size=path.stat().st_size, sha256=entry.sha256 if entry else "")
    progress.file(remote.name, remote.size)
    return download(client, remote, folder, policy, on_bytes=progress.advance)


def _plan(client, request: FetchRequest, manifest: Manifest, policy: Policy, report: FetchReport) -> list[RemoteFile]:
    feed = find_feed(request.feed)
    if feed.layout == "direct":
        if request.since_last:
            raise PeriodError(
                f"--since-last: {feed.name} tables are whole snapshots without a date; "
                "files already complete are skipped anyway"
            )
        return listings.direct_files(feed, request.tables, request.base_url)
    period, last = _period(request, manifest)
    if feed.layout == "odp":
        if not os.environ.get(listings.ODP_KEY_VARIABLE):
            report.notes.append(
                f"{listings.ODP_KEY_VARIABLE} is not set: the USPTO Open Data Portal refuses requests without "
                "an API key (free from data.uspto.gov, MyODP)"
            )
        remotes = listings.odp_files(client, feed, period, policy, request.base_url)
    elif feed.layout == "bdds":
        remotes = listings.bdds_files(client, feed, period, policy, request.base_url)
    else:
        raise FetchFailed(f"feed {feed.name} ({feed.layout}) is documented only, not fetched")
    if last is not None:
        newer = [r for r in remotes if (r.published or "") > last]
        report.notes.append(
            f"--since-last: {len(remotes) - len(newer)} of {len(remotes)} listed files are not newer than "
            f"{last}, the newest {feed.name} file in the manifest"
        )
        remotes = newer
    if not remotes:
        report.notes.append(f"{feed.name}: no files listed for {period}; nothing to fetch")
    return remotes


def _period(request: FetchRequest, manifest: Manifest) -> tuple[Period, str | None]:
    """The period to list and, with ``--since-last``, the newest date already fetched."""
    if not request.since_last:
        if request.period is None:
            raise PeriodError("give --weeks YYYY-WW..YYYY-WW or --dates YYYY-MM-DD..YYYY-MM-DD")
        return request.period, None
    last = manifest.last_published(request.feed)
    if last is None:
        if request.period is None:
            raise PeriodError(
                f"--since-last: nothing of {request.feed} was fetched into {request.folder} yet; "
                "give --weeks or --dates for the first run"
            )
        return request.period, None
    if request.period is not None:
        return request.period, last
    start = date.fromisoformat(last) + timedelta(days=1)
    return Period(start, max(start, date.today())), last
