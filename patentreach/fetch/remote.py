"""What a feed listing says about one file, and the outcome of fetching it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$")


class FetchFailed(Exception):
    """One file could not be fetched; the message is the one line the user sees (URL and file)."""


class UnsafeName(FetchFailed):
    """A file name from a listing that would write outside the download folder (``../x``, ``/etc``)."""


def safe_name(name: str, url: str) -> str:
    """``name`` if it is a plain file name; a listing is remote input and could name ``../x``."""
    if not _SAFE_NAME.match(name) or ".." in name:
        raise UnsafeName(f"{url}: refused the file name {name!r} from the listing (not a plain file name)")
    return name


@dataclass(frozen=True, slots=True)
class RemoteFile:
    feed: str
    name: str
    url: str
    size: int | None = None
    """Exact size in bytes when the listing publishes one (ODP ``fileSize``), else None."""
    checksum: tuple[str, str] | None = None
    """``(algorithm, lowercase hex)`` when the feed publishes one, e.g. ``("sha1", "f303...")``."""
    published: str | None = None
    """ISO date the file's data belongs to (``fileDataFromDate``, delivery date): ``--since-last``."""
    headers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Request headers for this file's host only (the API key); never written to the manifest."""


@dataclass(frozen=True, slots=True)
class Outcome:
    remote: RemoteFile
    status: str
    """``fetched``, ``skipped`` (already complete) or ``failed``."""
    size: int = 0
    sha256: str = ""
    error: str = ""
    resumed_from: int = 0
    """Bytes already on disk (a ``.part`` file) when this fetch started; 0 for a fresh download."""


@dataclass
class FetchReport:
    folder: Path
    """The download folder; files are in ``folder/<feed>/``."""
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def complete(self) -> bool:
        return not self.failed

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)
