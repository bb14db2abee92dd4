"""The PATSTAT-layout sample read independently of the reader: Python's zipfile and csv, no DuckDB.

Test expectations are computed from these rows (and cross-checked against PROVENANCE.md's
generated tables), so that a mistake in the reader's SQL cannot also be in the expectation.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from functools import cache
from pathlib import Path

from tests.conftest import shared_path

MISSING_DATE = "9999-12-31"


def sample_dir() -> Path:
    return shared_path("data", "patstat-layout")


@cache
def rows(table: str) -> tuple[dict[str, str], ...]:
    """Every row of a table over its part zips, in part order."""
    out: list[dict[str, str]] = []
    for part in sorted(sample_dir().glob(f"{table}_part*.zip")):
        with zipfile.ZipFile(part) as archive:
            (member,) = archive.namelist()
            text = archive.read(member).decode("utf-8")
        out.extend(csv.DictReader(io.StringIO(text, newline="")))
    return tuple(out)


def stored_publications() -> list[dict[str, str]]:
    """tls211 rows a publication is made of: a number and a real date."""
    return [p for p in rows("tls211_pat_publn") if p["publn_nr"] and p["publn_date"] != MISSING_DATE]


def applications_by_id() -> dict[str, dict[str, str]]:
    return {a["appln_id"]: a for a in rows("tls201_appln")}


def persons_by_id() -> dict[str, dict[str, str]]:
    return {p["person_id"]: p for p in rows("tls206_person")}


def by_application(table: str) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows(table):
        grouped[row["appln_id"]].append(row)
    return grouped


def member_sizes() -> int:
    total = 0
    for part in sample_dir().glob("*.zip"):
        with zipfile.ZipFile(part) as archive:
            total += sum(i.file_size for i in archive.infolist())
    return total
