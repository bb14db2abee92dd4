"""One loader for every reference table.

Reference tables are CSV files shipped in this package. Each row says where it came from
(``source``) and when it was last checked (``checked``); dated rows carry ``valid_from`` /
``valid_to``. A user can override or extend any table without editing the package: point the
environment variable ``PATENTREACH_REFDATA`` at a folder holding files with the same names. A user
row whose key matches a package row replaces it; any other user row is added.

The typed lookups (``kind_codes``, ``countries``, ``country_groups``, ``technology_fields``,
``offices``) build their indexes from :func:`load_table` once and cache them; :func:`reload`
drops every cache, e.g. after ``PATENTREACH_REFDATA`` changed.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

ENV_VAR = "PATENTREACH_REFDATA"

Row = dict[str, str]
F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True, slots=True)
class TableSpec:
    """What a reference table is: its file, the columns that identify a row, and its purpose."""

    name: str
    filename: str
    key: tuple[str, ...]
    description: str


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "offices",
        "offices.csv",
        ("code",),
        "WIPO ST.3 office codes: national, regional, international, historical",
    ),
    TableSpec(
        "kind_codes",
        "kind_codes.csv",
        ("office", "kind", "valid_from"),
        "Kind code to document type per office, with validity dates",
    ),
    TableSpec(
        "countries",
        "countries.csv",
        ("code",),
        "ISO 3166-1 alpha-2 countries plus historical ST.3 codes (SU, DD, CS, YU, AN)",
    ),
    TableSpec(
        "country_aliases",
        "country_aliases.csv",
        ("alias",),
        "Country strings seen in patent data (names, odd codes, US states, empty markers)",
    ),
    TableSpec(
        "country_groups",
        "country_groups.csv",
        ("group", "country", "valid_from"),
        "Dated group memberships: major offices, IP5, BRI, EPC, Unitary Patent, EAPO, ARIPO, "
        "OAPI, GCC",
    ),
    TableSpec(
        "ipc_technology_fields",
        "ipc_technology_fields.csv",
        ("ipc_subclass", "main_group"),
        "IPC subclass (or subclass + main group) to WIPO's 35 technology fields",
    ),
    # --- export protection gaps (patentreach.protect): see docs/protect.md ---
    TableSpec(
        "pct_national_phase_limits",
        "pct_national_phase_limits.csv",
        ("office_code", "valid_from"),
        "PCT national/regional phase months per office (Chapter I/II, late entry), national route open/closed",
    ),
    TableSpec(
        "filing_deadline_rules",
        "filing_deadline_rules.csv",
        ("rule",),
        "Filing deadline rules: Paris priority year, PCT, restoration, reinstatement, EP validation, unitary effect",
    ),
    TableSpec(
        "official_fees",
        "official_fees.csv",
        ("office_code", "item"),
        "Dated official fees per office (official fees only), with the filing routes they apply to",
    ),
    # --- published figures (patentreach stats compare): see docs/compare.md ---
    TableSpec(
        "published_tables",
        "published/tables.csv",
        ("table",),
        "Published statistical tables (CNIPA yearbook, EPO Patent Index, NCSES) with their definitions",
    ),
    TableSpec(
        "published_figures",
        "published/figures.csv",
        ("table", "year", "office", "origin"),
        "The published values of those tables, one row per table, year, office and origin",
    ),
    # --- names of codes in Chinese (and English labels of patentreach's own codes): docs/i18n.md ---
    TableSpec(
        "names",
        "names.csv",
        ("kind", "code", "lang"),
        "Display names of codes per language: offices, countries (Unicode CLDR), technology fields "
        "and sectors, country groups, applicant sectors",
    ),
)

_BY_NAME = {spec.name: spec for spec in TABLES}
_CACHES: list[Callable[[], None]] = []


def cached(func: F) -> F:
    """``lru_cache`` whose cache :func:`reload` clears: used for every index built from a table."""
    wrapped = lru_cache(maxsize=None)(func)
    _CACHES.append(wrapped.cache_clear)
    return wrapped  # type: ignore[return-value]


def on_reload(clear: Callable[[], None]) -> None:
    """Have :func:`reload` also call ``clear`` (for caches that are not built by ``cached``)."""
    _CACHES.append(clear)


def reload() -> None:
    """Forget every loaded table and index, so that the next lookup reads the files again."""
    for clear in _CACHES:
        clear()


def table_names() -> list[str]:
    return [spec.name for spec in TABLES]


def table_spec(name: str) -> TableSpec:
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(table_names())
        raise KeyError(f"unknown reference table {name!r}; known tables: {known}") from None


def package_path(name: str) -> Path:
    """The packaged CSV of a table."""
    return Path(str(resources.files(__package__).joinpath(table_spec(name).filename)))


def override_dir() -> Path | None:
    """The user folder named by ``PATENTREACH_REFDATA``, or None when the variable is unset."""
    value = os.environ.get(ENV_VAR, "").strip()
    return Path(value).expanduser() if value else None


def override_path(name: str) -> Path | None:
    """The user's file for a table, if the override folder holds one."""
    folder = override_dir()
    if folder is None:
        return None
    path = folder / table_spec(name).filename
    return path if path.is_file() else None


def read_csv(path: Path) -> tuple[list[str], list[Row]]:
    """Header and rows of a CSV (UTF-8, BOM tolerated); cells are stripped, missing cells are ''."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [column.strip() for column in reader.fieldnames or []]
        rows = [
            {
                column: (raw.get(original) or "").strip()
                for column, original in zip(header, reader.fieldnames or [], strict=True)
            }
            for raw in reader
        ]
    return header, rows


@cached
def table_columns(name: str) -> tuple[str, ...]:
    """Columns of a table: the packaged header, then any extra columns the user file adds."""
    header, _ = read_csv(package_path(name))
    user = override_path(name)
    if user is not None:
        user_header, _ = read_csv(user)
        header += [column for column in user_header if column not in header]
    return tuple(header)


@cached
def load_table(name: str) -> tuple[Row, ...]:
    """All rows of a table: package rows, overridden by key and extended by the user's file.

    Raises ``ValueError`` when the user's file lacks a key column: a silently ignored override
    would be worse than an error.
    """
    spec = table_spec(name)
    _, rows = read_csv(package_path(name))
    user = override_path(name)
    if user is None:
        return tuple(rows)
    user_header, user_rows = read_csv(user)
    missing = [column for column in spec.key if column not in user_header]
    if missing:
        raise ValueError(f"{user}: override for {name!r} lacks key column(s) {missing}")
    columns = table_columns(name)
    merged: dict[tuple[str, ...], Row] = {_key(spec, row): row for row in rows}
    for row in user_rows:
        complete = {column: row.get(column, "") for column in columns}
        merged[_key(spec, complete)] = complete
    return tuple(merged.values())


def _key(spec: TableSpec, row: Row) -> tuple[str, ...]:
    return tuple(row.get(column, "").upper() for column in spec.key)


def parse_date(text: str) -> date | None:
    """ISO ``YYYY-MM-DD`` or empty (None: open-ended)."""
    return date.fromisoformat(text) if text else None


def table_origin(name: str) -> list[Path]:
    """The files a table was read from: the package file, then the user's file if any."""
    paths = [package_path(name)]
    user = override_path(name)
    if user is not None:
        paths.append(user)
    return paths
