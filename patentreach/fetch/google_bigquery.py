"""Run a slice's query on BigQuery and stream the result into export files.

``google-cloud-bigquery`` is an optional extra (``pip install 'patentreach[bigquery]'``) and is
imported only here, when a run is asked for. Credentials are Google's Application Default
Credentials (``google.auth.default()``: ``gcloud auth application-default login``, or
``GOOGLE_APPLICATION_CREDENTIALS`` naming a service-account key file).

Cost first: a dry run asks BigQuery how many bytes the query will process (what on-demand pricing
bills) before anything runs; the figure is reported, and a query over ``max_bytes_billed`` is
refused here and capped again by BigQuery itself (``maximum_bytes_billed``), so a mistake cannot
bill more than the user allowed. The result is read page by page (``to_arrow_iterable``) and
written batch by batch: memory holds one page, whatever the slice's size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patentreach.fetch.google_export_files import ExportFiles
from patentreach.fetch.google_sql import GoogleSlice, query_parameters, query_text

PAGE_SIZE = 10_000
INSTALL_HINT = "pip install 'patentreach[bigquery]' (google-cloud-bigquery)"
CREDENTIALS_HINT = (
    "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file"
)

EstimateHook = Callable[[int], None]
"""Told the dry run's bytes processed, before the query runs."""
RowsHook = Callable[[int, int], None]
"""``(rows written, rows in the result)`` after each page."""


class BigQueryUnavailable(RuntimeError):
    """The library or the credentials are missing: the message says which and how to get it."""


class CostLimitExceeded(RuntimeError):
    """The dry run says the query would process more bytes than allowed."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    files: list[Path]
    rows: int
    bytes_processed: int


def connect(project: str | None) -> tuple[Any, Any]:
    """(client, the ``google.cloud.bigquery`` module), or ``BigQueryUnavailable`` saying what is missing."""
    try:
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError
        from google.cloud import bigquery
    except ImportError as exc:
        raise BigQueryUnavailable(f"google-cloud-bigquery is not installed ({exc}); {INSTALL_HINT}") from None
    try:
        credentials, default_project = google.auth.default()
    except DefaultCredentialsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BigQueryUnavailable(f"no Google credentials ({first}); {CREDENTIALS_HINT}") from None
    billing_project = project or default_project
    if not billing_project:
        raise BigQueryUnavailable("no Google Cloud project to bill the query to: give --project ID "
                                  "(or `gcloud config set project ID`)")
    return bigquery.Client(project=billing_project, credentials=credentials), bigquery


def export_slice(
    slice_: GoogleSlice,
    folder: Path,
    fmt: str,
    project: str | None,
    max_bytes_billed: int,
    on_estimate: EstimateHook | None = None,
    on_rows: RowsHook | None = None,
    rows_per_file: int = 500_000,
) -> ExportResult:
    """Dry-run, check the cost, run, and write the result into ``folder``."""
    client, bigquery = connect(project)
    files = ExportFiles(folder, fmt, rows_per_file)
    sql = query_text(slice_)
    parameters = [bigquery.ArrayQueryParameter(p.name, p.element_type, list(p.values))
                  for p in query_parameters(slice_)]
    dry = client.query(sql, job_config=bigquery.QueryJobConfig(
        dry_run=True, use_query_cache=False, query_parameters=parameters))
    estimate = int(dry.total_bytes_processed or 0)
    if on_estimate is not None:
        on_estimate(estimate)
    if estimate > max_bytes_billed:
        raise CostLimitExceeded(
            f"the query would process {format_bytes(estimate)}, over --max-bytes-billed "
            f"{format_bytes(max_bytes_billed)}; raise the limit or narrow the slice")
    job = client.query(sql, job_config=bigquery.QueryJobConfig(
        query_parameters=parameters, maximum_bytes_billed=max_bytes_billed))
    rows = job.result(page_size=PAGE_SIZE)
    total = int(rows.total_rows or 0)
    try:
        for batch in rows.to_arrow_iterable():
            files.write(batch)
            if on_rows is not None:
                on_rows(files.rows, total)
        written = files.close()
    except BaseException:
        files.abandon()
        raise
    return ExportResult(written, files.rows, estimate)


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_bytes(text: str) -> int:
    """``200G`` -> 200 GiB; ``1T``, ``500M``, ``123`` bytes (binary units: BigQuery bills per TiB)."""
    value = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = value[-1:] if value[-1:] in _UNITS and value[-1:] else ""
    number = value[: len(value) - len(unit)]
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(f"{text!r} is not a size (e.g. 200G, 1T, 500M)") from None
    if amount <= 0:
        raise ValueError(f"{text!r}: a size must be positive")
    return int(amount * _UNITS[unit])


def format_bytes(count: int) -> str:
    """``214748364800`` -> ``200.0 GiB``."""
    for unit in ("TiB", "GiB", "MiB", "KiB"):
        size = 1 << (10 * ("KMGT".index(unit[0]) + 1))
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} bytes"
