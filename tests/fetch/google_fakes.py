"""A stand-in for ``google-cloud-bigquery`` and ``google.auth``, installed into ``sys.modules``,
that answers queries with Arrow batches shaped like the real BigQuery sample rows, and a guard
that fails any attempt to open a network connection."""

from __future__ import annotations

import json
import socket
import sys
import types
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from tests.conftest import shared_path

SAMPLE = ("data", "google-patents-bigquery", "publications_sample_10rows.json")


def sample_result_rows() -> list[dict]:
    """The 10 real sample rows (US grants of 2016) in the shape of the extraction query's result.

    The sample was exported with fewer columns; the query's other columns are filled from the
    rows themselves: country and kind from ``publication_number``, ``grant_date`` = the
    publication date (a US B2 is published on its grant day), ``application_kind`` "A" (patent),
    ``title_localized`` without ``truncated``; columns the sample lacks stay empty."""
    rows = json.loads(shared_path(*SAMPLE).read_text(encoding="utf-8"))
    out = []
    for row in rows:
        office, _, kind = row["publication_number"].split("-")
        out.append({
            "publication_number": row["publication_number"],
            "application_number": None,
            "country_code": office,
            "kind_code": kind,
            "application_kind": "A",
            "pct_number": "",
            "family_id": None,
            "publication_date": int(row["publication_date"]),
            "filing_date": int(row["filing_date"]),
            "grant_date": int(row["publication_date"]),
            "priority_date": None,
            "priority_claim": [],
            "title_localized": [{"text": t["text"], "language": t["language"]} for t in row["title_localized"]],
            "assignee_harmonized": row["assignee_harmonized"],
            "inventor_harmonized": row["inventor_harmonized"],
            "ipc": [],
            "cpc": [],
        })
    return out


RESULT_SCHEMA = pa.schema([
    ("publication_number", pa.string()), ("application_number", pa.string()), ("country_code", pa.string()),
    ("kind_code", pa.string()), ("application_kind", pa.string()), ("pct_number", pa.string()),
    ("family_id", pa.string()), ("publication_date", pa.int64()), ("filing_date", pa.int64()),
    ("grant_date", pa.int64()), ("priority_date", pa.int64()),
    ("priority_claim", pa.list_(pa.struct([("application_number", pa.string()), ("filing_date", pa.int64())]))),
    ("title_localized", pa.list_(pa.struct([("text", pa.string()), ("language", pa.string())]))),
    ("assignee_harmonized", pa.list_(pa.struct([("name", pa.string()), ("country_code", pa.string())]))),
    ("inventor_harmonized", pa.list_(pa.struct([("name", pa.string()), ("country_code", pa.string())]))),
    ("ipc", pa.list_(pa.struct([("code", pa.string()), ("inventive", pa.bool_()), ("first", pa.bool_())]))),
    ("cpc", pa.list_(pa.struct([("code", pa.string()), ("inventive", pa.bool_()), ("first", pa.bool_())]))),
])


def sample_batches(sizes: tuple[int, ...] = (4, 4, 2)) -> list[pa.RecordBatch]:
    table = pa.Table.from_pylist(sample_result_rows(), schema=RESULT_SCHEMA)
    batches, offset = [], 0
    for size in sizes:
        batches.append(table.slice(offset, size).to_batches()[0])
        offset += size
    return batches


@dataclass
class FakeBigQuery:
    """What the fake library was asked, and what it answers."""

    batches: list[pa.RecordBatch]
    bytes_processed: int = 123_456_789
    project: str = "default-project"
    credentials_error: str | None = None
    queries: list[tuple[str, dict]] = field(default_factory=list)
    clients: list[dict] = field(default_factory=list)
    pages_read: int = 0


def install(monkeypatch, fake: FakeBigQuery) -> None:  # type: ignore[no-untyped-def]
    """Put fake ``google.auth`` and ``google.cloud.bigquery`` modules in place of the real ones."""

    class DefaultCredentialsError(Exception):
        pass

    def default(*args: Any, **kwargs: Any) -> tuple[object, str]:
        if fake.credentials_error is not None:
            raise DefaultCredentialsError(fake.credentials_error)
        return object(), fake.project

    class Rows:
        total_rows = sum(b.num_rows for b in fake.batches)

        def to_arrow_iterable(self):  # type: ignore[no-untyped-def]
            for batch in fake.batches:
                fake.pages_read += 1
                yield batch

    class Job:
        def __init__(self, config: dict) -> None:
            self.total_bytes_processed = fake.bytes_processed if config.get("dry_run") else None

        def result(self, page_size: int | None = None) -> Rows:
            return Rows()

    class Client:
        def __init__(self, project: str | None = None, credentials: object = None) -> None:
            fake.clients.append({"project": project})

        def query(self, sql: str, job_config: dict) -> Job:
            fake.queries.append((sql, job_config))
            return Job(job_config)

    bigquery = types.ModuleType("google.cloud.bigquery")
    bigquery.Client = Client  # type: ignore[attr-defined]
    bigquery.QueryJobConfig = lambda **kwargs: dict(kwargs)  # type: ignore[attr-defined]
    bigquery.ArrayQueryParameter = lambda name, kind, values: (name, kind, values)  # type: ignore[attr-defined]
    exceptions = types.ModuleType("google.auth.exceptions")
    exceptions.DefaultCredentialsError = DefaultCredentialsError  # type: ignore[attr-defined]
    auth = types.ModuleType("google.auth")
    auth.default = default  # type: ignore[attr-defined]
    auth.exceptions = exceptions  # type: ignore[attr-defined]
    cloud = types.ModuleType("google.cloud")
    cloud.bigquery = bigquery  # type: ignore[attr-defined]
    google = types.ModuleType("google")
    google.auth = auth  # type: ignore[attr-defined]
    google.cloud = cloud  # type: ignore[attr-defined]
    for name, module in (("google", google), ("google.auth", auth), ("google.auth.exceptions", exceptions),
                         ("google.cloud", cloud), ("google.cloud.bigquery", bigquery)):
        monkeypatch.setitem(sys.modules, name, module)


def forbid_network(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
