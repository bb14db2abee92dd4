"""The feeds ``fetch`` knows, read from ``feeds.csv``: where each one lives, its URL layout, product
id, credentials and what checksum it publishes.

The URLs are reference data, not constants in code, because the offices move them (the USPTO moved
bulk data to its Open Data Portal in 2025, PatentsView is moving there too): a user fixes a moved
host by setting the feed's ``base_url_env`` variable (or ``--base-url``), without a new release.
Each row says where the layout was read (``source``), when (``checked``) and how far it is
``verified``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FEEDS_FILE = "feeds.csv"


class UnknownFeed(KeyError):
    """A feed name that is not in feeds.csv."""


@dataclass(frozen=True, slots=True)
class Feed:
    name: str
    layout: str
    """How files are listed: ``odp`` (USPTO ODP JSON), ``bdds`` (EPO BDDS JSON), ``direct`` (a URL
    per table), ``ops`` (EPO OPS), ``legacy`` (documented only, not fetched)."""
    default_base_url: str
    base_url_env: str
    listing_path: str
    download_path: str
    product: str
    credentials: str
    checksum: str
    source: str
    checked: str
    verified: str
    note: str

    def base_url(self, override: str | None = None) -> str:
        """``override`` (``--base-url``), else the feed's environment variable, else the CSV value."""
        chosen = override or (os.environ.get(self.base_url_env) if self.base_url_env else None)
        return (chosen or self.default_base_url).rstrip("/")

    def listing_url(self, override: str | None = None) -> str:
        return self.base_url(override) + self.listing_path.format(product=self.product)


@lru_cache(maxsize=1)
def all_feeds() -> dict[str, Feed]:
    """Every row of feeds.csv by feed name."""
    text = resources.files(__package__).joinpath(FEEDS_FILE).read_text(encoding="utf-8")
    feeds = {}
    for row in csv.DictReader(text.splitlines()):
        feeds[row["feed"]] = Feed(
            name=row["feed"], layout=row["layout"], default_base_url=row["base_url"],
            base_url_env=row["base_url_env"], listing_path=row["listing_path"],
            download_path=row["download_path"], product=row["product"], credentials=row["credentials"],
            checksum=row["checksum"], source=row["source"], checked=row["checked"], verified=row["verified"],
            note=row["note"],
        )
    return feeds


def feed(name: str) -> Feed:
    """The feed called ``name``; an unknown name lists the known ones."""
    feeds = all_feeds()
    if name not in feeds:
        raise UnknownFeed(f"unknown feed {name!r} (feeds: {', '.join(sorted(feeds))})")
    return feeds[name]
