"""What is in a warehouse: counts by office, document type and year, per source format,
quarantine, the ingest log, the coverage of origin, sector and document type
(``coverage.py``) and the documents typed ``other`` per office and why (``typed_other.py``).
Backs ``patentreach info``."""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.warehouse.coverage import coverage
from patentreach.warehouse.freshness import check
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.typed_other import typed_other
from patentreach.warehouse.views import connect


@dataclass(slots=True)
class Section:
    title: str
    columns: list[str]
    rows: list[tuple]


def summary(warehouse: Warehouse) -> list[Section]:
    con = connect(warehouse)

    def section(title: str, sql: str) -> Section:
        cursor = con.execute(sql)
        return Section(title, [d[0] for d in cursor.description], cursor.fetchall())

    return [
        section(
            "totals",
            "SELECT (SELECT count(*) FROM publications) AS publications,"
            " (SELECT count(*) FROM parties) AS parties,"
            " (SELECT count(*) FROM classifications) AS classifications,"
            " (SELECT count(*) FROM priorities) AS priorities,"
            " (SELECT count(*) FROM quarantine) AS quarantined,"
            " (SELECT count(*) FROM ingest_warnings) AS warnings,"
            " (SELECT count(*) FROM transfers) AS transfers,"
            " (SELECT count(*) FROM ingest_log) AS files",
        ),
        section(
            "publications by office and document type",
            "SELECT office, doc_type, count(*) AS publications FROM publications"
            " GROUP BY ALL ORDER BY office, publications DESC",
        ),
        section(
            "publications by year of publication",
            "SELECT year(pub_date) AS year, count(*) AS publications FROM publications"
            " GROUP BY ALL ORDER BY year",
        ),
        section(
            "publications by source format",
            "SELECT source_format, count(*) AS publications FROM publications"
            " GROUP BY ALL ORDER BY publications DESC",
        ),
        section(
            "parties whose country is not recognised",
            "SELECT country_raw, count(*) AS parties FROM parties"
            " WHERE country IS NULL AND country_raw IS NOT NULL GROUP BY ALL ORDER BY parties DESC",
        ),
        Section(
            "coverage: publications without origin country, without sector (first applicant), typed other",
            *coverage(con),
        ),
        Section(
            "documents typed other, per office and reason (in no count of grants or applications)",
            *typed_other(con),
        ),
        Section("harmonised tables", ["status"], [(check(warehouse).message(warehouse),)]),
        section(
            "ingest log",
            "SELECT path, reader, read, stored, quarantined, skipped, warnings,"
            " strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished FROM ingest_log"
            " ORDER BY finished_at",
        ),
        section(
            "files that failed (nothing of them is in the warehouse; re-run ingest to retry)",
            "SELECT path, reader, read_before_failure, error,"
            " strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS failed FROM ingest_failures ORDER BY finished_at",
        ),
    ]

