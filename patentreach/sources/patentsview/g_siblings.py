"""Join the current ``g_*`` tables to ``g_patent`` without holding them in Python.

PatentsView publishes one table per subject, linked by ``patent_id``: about 9 M patents,
9 M assignee rows, 25 M inventor rows, 60 M CPC rows. Loading the siblings into dicts would
need tens of GB, and re-scanning them per patent is quadratic. Instead:

1. once per ingest, DuckDB aggregates each sibling file into one row per ``patent_id`` holding
   a list of structs (assignees joined to their ``g_location_disambiguated`` row first), into a
   temporary on-disk database, sorted by ``patent_id`` (so DuckDB spills to disk rather than
   exhausting memory, and its min/max zone maps let a lookup skip most of the table);
2. ``g_patent`` itself is read row by row from the ingest stream (which keeps the content hash,
   the progress bar, record order and line numbers exact), in batches of ``BATCH_ROWS``;
3. each batch is looked up with one join against the aggregated tables, and every unit carries
   its patent row plus its sibling lists, so ``parse`` stays a pure function of the unit.

Siblings are found beside ``g_patent.tsv`` as ``<table>.tsv`` or ``<table>.tsv.gz``; a missing
one leaves its part of the record empty and is reported as a warning on the first record.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from patentreach.sources.patentsview.tables import SIBLINGS

BATCH_ROWS = 20_000

_READ = (
    "read_csv('{path}', delim='\\t', header=true, quote='\"', escape='\"', all_varchar=true, "
    "sample_size=-1)"
)

# One aggregation per sibling: name -> SELECT producing (patent_id, <column>).
_AGGREGATES: dict[str, str] = {
    "g_application": """
        SELECT patent_id, first(application_id) AS application_id,
               first(filing_date) AS filing_date
        FROM {g_application} GROUP BY patent_id""",
    "g_assignee_disambiguated": """
        SELECT a.patent_id, list(struct_pack(
                 seq := a.assignee_sequence, id := a.assignee_id,
                 org := a.disambig_assignee_organization,
                 first_name := a.disambig_assignee_individual_name_first,
                 last_name := a.disambig_assignee_individual_name_last,
                 type := a.assignee_type, city := l.disambig_city, state := l.disambig_state,
                 country := l.disambig_country)
               ORDER BY try_cast(a.assignee_sequence AS INTEGER)) AS assignees
        FROM {g_assignee_disambiguated} a {location_join} GROUP BY a.patent_id""",
    "g_inventor_disambiguated": """
        SELECT a.patent_id, list(struct_pack(
                 seq := a.inventor_sequence, id := a.inventor_id,
                 first_name := a.disambig_inventor_name_first,
                 last_name := a.disambig_inventor_name_last,
                 city := l.disambig_city, state := l.disambig_state,
                 country := l.disambig_country)
               ORDER BY try_cast(a.inventor_sequence AS INTEGER)) AS inventors
        FROM {g_inventor_disambiguated} a {location_join} GROUP BY a.patent_id""",
    "g_ipc_at_issue": """
        SELECT patent_id, list(struct_pack(
                 section := section, klass := ipc_class, subclass := subclass,
                 main_group := main_group, subgroup := subgroup,
                 position := symbol_position, value := classification_value)
               ORDER BY try_cast(ipc_sequence AS INTEGER)) AS ipcs
        FROM {g_ipc_at_issue} GROUP BY patent_id""",
    "g_cpc_current": """
        SELECT patent_id, list(struct_pack(seq := cpc_sequence, code := cpc_group,
                 type := cpc_type)
               ORDER BY try_cast(cpc_sequence AS INTEGER)) AS cpcs
        FROM {g_cpc_current} GROUP BY patent_id""",
    "g_foreign_priority": """
        SELECT patent_id, list(struct_pack(country := foreign_country_filed,
                 number := foreign_application_id, date := filing_date)
               ORDER BY try_cast(priority_claim_sequence AS INTEGER)) AS priorities
        FROM {g_foreign_priority} GROUP BY patent_id""",
}
_COLUMNS: dict[str, tuple[str, ...]] = {
    "g_application": ("application_id", "filing_date"),
    "g_assignee_disambiguated": ("assignees",),
    "g_inventor_disambiguated": ("inventors",),
    "g_ipc_at_issue": ("ipcs",),
    "g_cpc_current": ("cpcs",),
    "g_foreign_priority": ("priorities",),
}


def sibling_files(folder: Path) -> dict[str, Path]:
    """The sibling tables present beside ``g_patent.tsv``."""
    found = {}
    for name in SIBLINGS:
        for suffix in (".tsv", ".tsv.gz"):
            candidate = folder / f"{name}{suffix}"
            if candidate.is_file():
                found[name] = candidate
                break
    return found


class SiblingIndex:
    """The aggregated sibling tables of one folder, looked up a batch of patent ids at a time."""

    def __init__(self, folder: Path):
        import duckdb

        self.files = sibling_files(folder)
        self._tmp = Path(tempfile.mkdtemp(prefix="patentreach-g-join-"))
        self._con = duckdb.connect(str(self._tmp / "join.duckdb"))
        self._con.execute(f"SET temp_directory = '{_quoted(str(self._tmp))}'")
        self._con.execute("SET enable_progress_bar = false")  # the ingest has its own progress display
        sources = {name: _READ.format(path=_quoted(str(path))) for name, path in self.files.items()}
        location = sources.get("g_location_disambiguated")
        location_join = (
            f"LEFT JOIN {location} l ON l.location_id = a.location_id" if location else
            "LEFT JOIN (SELECT NULL::VARCHAR AS location_id, NULL::VARCHAR AS disambig_city, "
            "NULL::VARCHAR AS disambig_state, NULL::VARCHAR AS disambig_country) l "
            "ON l.location_id = a.location_id"
        )
        self.tables = [name for name in _AGGREGATES if name in sources]
        for name in self.tables:
            sql = _AGGREGATES[name].format(location_join=location_join, **sources)
            self._con.execute(f"CREATE TABLE {name} AS SELECT * FROM ({sql}) ORDER BY patent_id")

    @property
    def missing(self) -> list[str]:
        return [name for name in SIBLINGS if name not in self.files]

    def lookup(self, patent_ids: list[str]) -> dict[str, dict]:
        """patent_id -> {column: value} for the ids of one batch (absent ids: no entry)."""
        if not self.tables:
            return {}
        self._con.register("batch_ids", pa.table({"patent_id": pa.array(patent_ids, pa.string())}))
        columns = ", ".join(f"{t}.{c}" for t in self.tables for c in _COLUMNS[t])
        joins = " ".join(f"LEFT JOIN {t} ON {t}.patent_id = b.patent_id" for t in self.tables)
        result = self._con.execute(f"SELECT b.patent_id, {columns} FROM batch_ids b {joins}")
        names = [d[0] for d in result.description]
        found = {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in result.fetchall()}
        self._con.unregister("batch_ids")
        return found

    def close(self) -> None:
        self._con.close()
        shutil.rmtree(self._tmp, ignore_errors=True)


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def batched(rows: Iterator[tuple[int, int, dict]], size: int = BATCH_ROWS) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
