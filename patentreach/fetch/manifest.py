"""``manifest.json`` in the download folder: what was fetched, from where, when, its size and
SHA-256. ``--since-last`` reads it to fetch only files newer than the newest one already fetched,
and skip-if-present trusts a file whose size and hash it recorded.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from patentreach.fetch.remote import Outcome

MANIFEST_NAME = "manifest.json"
VERSION = 1


class ManifestError(ValueError):
    """A manifest.json that is not the manifest this version writes."""


@dataclass(frozen=True, slots=True)
class Entry:
    feed: str
    name: str
    url: str
    size: int
    sha256: str
    published_checksum: str
    published: str
    fetched_at: str


def _key(feed: str, name: str) -> str:
    return f"{feed}/{name}"


def _without_query(url: str) -> str:
    """Signed download URLs carry credentials in the query string: keep them out of the manifest."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class Manifest:
    def __init__(self, folder: Path, entries: dict[str, Entry] | None = None):
        self.folder = folder
        self.entries: dict[str, Entry] = entries or {}

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        if not path.exists():
            return cls(folder)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                raise ManifestError(f"{path}: version {data.get('version')!r}, this release reads {VERSION}")
            entries = {key: Entry(**value) for key, value in data["files"].items()}
        except (ValueError, KeyError, TypeError) as exc:
            raise ManifestError(f"{path}: not a fetch manifest ({exc}); move it away to start afresh") from None
        return cls(folder, entries)

    def get(self, feed: str, name: str) -> Entry | None:
        return self.entries.get(_key(feed, name))

    def record(self, outcome: Outcome, when: datetime | None = None) -> None:
        remote = outcome.remote
        checksum = f"{remote.checksum[0]}:{remote.checksum[1]}" if remote.checksum else ""
        self.entries[_key(remote.feed, remote.name)] = Entry(
            feed=remote.feed, name=remote.name, url=_without_query(remote.url), size=outcome.size,
            sha256=outcome.sha256, published_checksum=checksum, published=remote.published or "",
            fetched_at=(when or datetime.now(UTC)).isoformat(timespec="seconds"),
        )

    def last_published(self, feed: str) -> str | None:
        """The newest ``published`` date fetched for ``feed`` (``--since-last`` starts after it)."""
        dates = [e.published for e in self.entries.values() if e.feed == feed and e.published]
        return max(dates) if dates else None

    def save(self) -> None:
        """Write atomically: an interrupted run never leaves half a manifest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "files": {k: asdict(v) for k, v in sorted(self.entries.items())}}
        tmp = self.path.with_name(MANIFEST_NAME + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
