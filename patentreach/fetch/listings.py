"""What each feed offers for a period: its listing read into ``RemoteFile`` rows.

* USPTO ODP (``odp``): ``GET {base}/api/v1/datasets/products/{product}?fileDataFromDate=&
  fileDataToDate=&includeFiles=true`` with ``X-API-KEY``; ``bulkDataProductBag[0].productFileBag.
  fileDataBag[]`` gives ``fileName``, ``fileSize`` (exact bytes), ``fileDataFromDate``,
  ``fileTypeText`` ("Data") and ``fileDownloadURI``.
* EPO BDDS (``bdds``): ``GET {base}/bdds/bdds-bff-service/prod/api/products/{product}``;
  ``deliveries[]`` with ``deliveryId``, ``deliveryPublicationDatetime`` and ``files[]`` with
  ``fileId``, ``fileName``, ``fileSize`` (rounded, "216.6 MB") and ``fileChecksum`` (SHA-1).
* PatentsView (``direct``): one URL per table, no listing and no checksum.
"""

from __future__ import annotations

import os
import re
from datetime import date
from typing import TYPE_CHECKING

from patentreach.fetch.bounded_http import get_json
from patentreach.fetch.feeds import Feed
from patentreach.fetch.periods import Period
from patentreach.fetch.policy import Policy
from patentreach.fetch.remote import FetchFailed, RemoteFile, safe_name

if TYPE_CHECKING:
    import httpx

ODP_KEY_VARIABLE = "USPTO_API_KEY"
_TABLE = re.compile(r"^[a-z][a-z0-9_]{0,80}$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")


class ListingError(FetchFailed):
    """A listing that cannot be read or does not have the documented shape; names URL and field."""


class TableNameError(ValueError):
    """A PatentsView table name on the command line that is not a plain lower-case name."""


def odp_files(client: httpx.Client, feed: Feed, period: Period, policy: Policy,
              base_url: str | None = None) -> list[RemoteFile]:
    """The feed's data files whose data date falls in ``period``, oldest first."""
    key = os.environ.get(ODP_KEY_VARIABLE, "")
    headers = {"X-API-KEY": key} if key else {}
    url = feed.listing_url(base_url)
    params = {"fileDataFromDate": period.start.isoformat(), "fileDataToDate": period.end.isoformat(),
              "includeFiles": "true"}
    data = get_json(client, url, headers, f"{feed.product} listing", policy, params=params)
    try:
        products = data["bulkDataProductBag"]  # type: ignore[index]
        product = next(p for p in products if p.get("productIdentifier") == feed.product)
        bag = product["productFileBag"]["fileDataBag"]
    except (KeyError, TypeError, StopIteration):
        raise ListingError(
            f"{url}: the listing has no bulkDataProductBag/productFileBag.fileDataBag for {feed.product}"
        ) from None
    files = []
    for index, item in enumerate(bag):
        where = f"{url}: fileDataBag[{index}]"
        if item.get("fileTypeText", "Data") != "Data":
            continue
        try:
            day = date.fromisoformat(str(item["fileDataFromDate"])[:10])
            name, download_url, size = item["fileName"], item["fileDownloadURI"], int(item["fileSize"])
        except (KeyError, ValueError, TypeError) as exc:
            raise ListingError(f"{where}: field {exc} missing or malformed") from None
        if day not in period:
            continue
        files.append(RemoteFile(
            feed=feed.name, name=safe_name(name, download_url), url=download_url, size=size,
            published=day.isoformat(), headers=headers,
        ))
    return sorted(files, key=lambda f: (f.published or "", f.name))


def bdds_files(client: httpx.Client, feed: Feed, period: Period, policy: Policy,
               base_url: str | None = None) -> list[RemoteFile]:
    """Files of the deliveries published in ``period`` (ISO weeks), with their SHA-1."""
    url = feed.listing_url(base_url)
    data = get_json(client, url, {"Accept": "application/json"}, f"EPO BDDS product {feed.product}", policy)
    deliveries = data.get("deliveries") if isinstance(data, dict) else None
    if not isinstance(deliveries, list):
        raise ListingError(f"{url}: the product has no deliveries list")
    files = []
    for d_index, delivery in enumerate(deliveries):
        where = f"{url}: deliveries[{d_index}]"
        try:
            day = date.fromisoformat(str(delivery["deliveryPublicationDatetime"])[:10])
            delivery_id = int(delivery["deliveryId"])
            items = delivery["files"]
        except (KeyError, ValueError, TypeError) as exc:
            raise ListingError(f"{where}: field {exc} missing or malformed") from None
        if day not in period:
            continue
        for f_index, item in enumerate(items):
            try:
                file_id, name = int(item["fileId"]), str(item["fileName"])
            except (KeyError, ValueError, TypeError) as exc:
                raise ListingError(f"{where}.files[{f_index}]: field {exc} missing or malformed") from None
            download_url = feed.base_url(base_url) + feed.download_path.format(
                product=feed.product, delivery=delivery_id, file=file_id
            )
            checksum = str(item.get("fileChecksum") or "")
            files.append(RemoteFile(
                feed=feed.name, name=safe_name(name, download_url), url=download_url,
                checksum=("sha1", checksum.lower()) if _SHA1.match(checksum) else None,
                published=day.isoformat(),
            ))
    return sorted(files, key=lambda f: (f.published or "", f.name))


def direct_files(feed: Feed, tables: list[str], base_url: str | None = None) -> list[RemoteFile]:
    """One zipped TSV per PatentsView table, e.g. ``g_patent`` -> ``.../download/g_patent.tsv.zip``."""
    files = []
    for table in tables:
        if not _TABLE.match(table):
            raise TableNameError(f"{table!r} is not a PatentsView table name (lower case, e.g. g_patent)")
        url = feed.base_url(base_url) + feed.download_path.format(table=table)
        files.append(RemoteFile(feed=feed.name, name=f"{table}.tsv.zip", url=url))
    return files
