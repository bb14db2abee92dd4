"""DuckDB views over the Parquet parts: what analysts and every capability query.

* ``ingest_log``, ``quarantine``: as stored (committed ingests only).
* ``ingest_failures``: files (or archive members) that failed and were not committed, until ingested.
* ``publications``: one row per ``pub_id``. When a publication arrives more than once (an ipgb
  then the ipg of the same week, or a repeated document inside one file), the copy from the
  most recently committed ingest wins, and within one ingest the later record.
* ``parties``, ``classifications``, ``priorities``, ``designations``, ``technology_fields``: the rows of exactly that
  winning copy.
* ``ingest_warnings``: what readers repaired or noticed in records they still stored.
* ``all_publications``: every stored copy, for provenance ("which files described this?").
* ``publication_sources``: one row per (publication, contributing record): every source format and
  file that described the publication, and which copy is current. Two sources of one publication
  (EP XML and DOCDB; Google Patents and USPTO XML) thus keep one ``publications`` row; a family id
  missing from the current copy is taken from any other copy that has one.
* ``technology_fields``: WIPO field weights a source gives (PATSTAT tls230), of the winning copy.
* ``legal_events``: every committed legal event (``model.legal_events``), as the source gives it.
* ``all_transfers``: every stored copy of every recorded transfer (``model.transfers``).
* ``transfers``: one row per ``transfer_id``. A copy describing the whole transaction (USPTO bulk
  XML, Assignment Search) is preferred to a one-property view of it (ODP, an OPS legal event, a
  Lens row); among equals, the copy from the most recently committed ingest, then the later record.
* ``transfer_parties``, ``transfer_properties``: the rows of exactly that copy.

The SQL is plain (window functions, semi-joins) so the same definitions can be given to other
engines later.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa

from patentreach.model.schema import (
    CHILD_TABLES,
    INGEST_WARNINGS,
    LEGAL_EVENT_TABLES,
    PATENT_TABLES,
    QUARANTINE,
    TRANSFER_CHILD_TABLES,
    TRANSFER_TABLES,
)
from patentreach.warehouse.ingest_log import FAILURE_LOG, INGEST_LOG
from patentreach.warehouse.layout import Warehouse

_DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("us", tz="UTC"): "TIMESTAMPTZ",
}


def _empty_select(schema: pa.Schema) -> str:
    cols = ", ".join(f"CAST(NULL AS {_DUCKDB_TYPES[f.type]}) AS {f.name}" for f in schema)
    return f"SELECT {cols} WHERE false"


def _parts(warehouse: Warehouse, table: str, schema: pa.Schema) -> str:
    return _folder(warehouse.table_dir(table), schema)


def _folder(directory: Path, schema: pa.Schema) -> str:
    """The Parquet files of ``directory`` as one relation, or an empty one of ``schema``."""
    if directory.is_dir() and any(directory.glob("*.parquet")):
        glob = str(directory / "*.parquet").replace("'", "''")
        return f"SELECT * FROM read_parquet('{glob}', union_by_name = true)"
    return _empty_select(schema)


def view_statements(warehouse: Warehouse, log_snapshot: bool = False) -> list[str]:
    """The statements defining every view. ``log_snapshot``: read the ingest log once into a table
    (see ``connect``) instead of a view that every query re-reads."""
    kind = "TABLE" if log_snapshot else "VIEW"
    statements = [
        f"CREATE OR REPLACE {kind} ingest_log AS {_folder(warehouse.log_dir, INGEST_LOG)}",
        f"CREATE OR REPLACE VIEW ingest_failures AS {_folder(warehouse.failures_dir, FAILURE_LOG)}",
    ]
    committed = "ingest_id IN (SELECT ingest_id FROM ingest_log)"
    statements.append(
        "CREATE OR REPLACE VIEW quarantine AS SELECT * FROM ("
        f"{_parts(warehouse, 'quarantine', QUARANTINE)}) WHERE {committed}"
    )
    statements.append(
        "CREATE OR REPLACE VIEW ingest_warnings AS SELECT * FROM ("
        f"{_parts(warehouse, 'ingest_warnings', INGEST_WARNINGS)}) WHERE {committed}"
    )
    statements.append(
        "CREATE OR REPLACE VIEW all_publications AS SELECT * FROM ("
        f"{_parts(warehouse, 'publications', PATENT_TABLES['publications'])}) WHERE {committed}"
    )
    statements.append(
        "CREATE OR REPLACE VIEW publication_sources AS "
        "SELECT a.pub_id, a.source_format, a.source_file, a.record_index, a.ingest_id, l.finished_at,"
        "  row_number() OVER ("
        "    PARTITION BY a.pub_id ORDER BY l.finished_at DESC, a.ingest_id DESC, a.record_index DESC"
        "  ) = 1 AS current"
        " FROM all_publications a JOIN ingest_log l USING (ingest_id)"
    )
    statements.append(
        "CREATE OR REPLACE VIEW publications AS "
        "SELECT a.* REPLACE (coalesce(a.family_id, f.family_id) AS family_id) "
        "FROM all_publications a "
        "SEMI JOIN publication_sources s ON s.current AND a.pub_id = s.pub_id "
        "  AND a.ingest_id = s.ingest_id AND a.record_index = s.record_index "
        "LEFT JOIN (SELECT pub_id, min(family_id) AS family_id FROM all_publications"
        "  WHERE family_id IS NOT NULL GROUP BY pub_id) f ON a.pub_id = f.pub_id"
    )
    for table in CHILD_TABLES:
        statements.append(
            f"CREATE OR REPLACE VIEW {table} AS SELECT c.* FROM ("
            f"{_parts(warehouse, table, PATENT_TABLES[table])}) c "
            "SEMI JOIN publications p ON c.pub_id = p.pub_id AND c.ingest_id = p.ingest_id "
            "AND c.record_index = p.record_index"
        )
    statements.extend(transfer_view_statements(warehouse, committed))
    for table, schema in LEGAL_EVENT_TABLES.items():
        statements.append(
            f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM ({_parts(warehouse, table, schema)}) WHERE {committed}"
        )
    statements.extend(derived_view_statements(warehouse))
    return statements


def transfer_view_statements(warehouse: Warehouse, committed: str) -> list[str]:
    """The transfer family's views: every copy, the current copy per ``transfer_id``, its rows."""
    statements = [
        "CREATE OR REPLACE VIEW all_transfers AS SELECT * FROM ("
        f"{_parts(warehouse, 'transfers', TRANSFER_TABLES['transfers'])}) WHERE {committed}",
        "CREATE OR REPLACE VIEW transfers AS SELECT * EXCLUDE (copy_rank) FROM ("
        "  SELECT a.*, row_number() OVER ("
        "    PARTITION BY a.transfer_id ORDER BY (a.scope = 'transaction') DESC, l.finished_at DESC,"
        "      a.ingest_id DESC, a.record_index DESC"
        "  ) AS copy_rank"
        "  FROM all_transfers a JOIN ingest_log l USING (ingest_id)"
        ") WHERE copy_rank = 1",
    ]
    for table in TRANSFER_CHILD_TABLES:
        statements.append(
            f"CREATE OR REPLACE VIEW {table} AS SELECT c.* FROM ("
            f"{_parts(warehouse, table, TRANSFER_TABLES[table])}) c "
            "SEMI JOIN transfers t ON c.transfer_id = t.transfer_id AND c.ingest_id = t.ingest_id "
            "AND c.record_index = t.record_index"
        )
    return statements


def derived_view_statements(warehouse: Warehouse) -> list[str]:
    """One view per derived dataset (``derived/<name>.parquet`` or ``derived/<name>/*.parquet``),
    written by capabilities that compute tables from the patent tables (e.g. harmonisation)."""
    statements = []
    root = warehouse.derived_dir
    if not root.is_dir():
        return statements
    for path in sorted(root.iterdir()):
        name = path.stem if path.suffix == ".parquet" else path.name
        if not name.isidentifier() or name in VIEW_NAMES:
            continue
        if path.is_dir():
            if not any(path.glob("*.parquet")):
                continue
            target = str(path / "*.parquet")
        elif path.suffix == ".parquet":
            target = str(path)
        else:
            continue
        target = target.replace("'", "''")
        statements.append(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{target}')")
    return statements


VIEW_NAMES = (
    "ingest_log",
    "ingest_failures",
    "quarantine",
    "ingest_warnings",
    "all_publications",
    "publication_sources",
    "publications",
    "parties",
    "classifications",
    "priorities",
    "designations",
    "technology_fields",
    "all_transfers",
    "transfers",
    "transfer_parties",
    "transfer_properties",
    "legal_events",
)


def connect(warehouse: Warehouse, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the warehouse views defined (in memory by default, so reading
    never takes the database file's write lock).

    In memory, the ingest log is read once into a table: every current-copy view joins it (one
    query of ``stats transfers flows`` read its one file per ingest 44 times, 2.4x the query's
    time on a 58-file warehouse), and it is small (one row per ingested file). It is then a
    snapshot: an ingest committed while the connection is open stays out of every view, as its
    rows are filtered by the committed ingests, so a session sees one consistent warehouse.
    ``warehouse.duckdb`` (``write_database``) keeps the live view for analysts' own sessions."""
    con = duckdb.connect(database)
    for statement in view_statements(warehouse, log_snapshot=database == ":memory:"):
        con.execute(statement)
    return con


def write_database(warehouse: Warehouse) -> None:
    """(Re)write ``warehouse.duckdb`` with the views, for analysts' own DuckDB sessions.

    Only a view whose definition changed is created again. Creating a view binds it, which reads
    the footer of every Parquet part it names: on a warehouse of 208 parts that was 0.55 s CPU,
    paid by every ingest and growing with the warehouse, while a view over a folder's ``*.parquet``
    already sees the parts added since (DuckDB binds a view again on each query). Each view carries
    its definition's stamp as its comment (``stamp``); a view an analyst replaced or dropped has no
    such stamp and is defined again. Derived views are stamped with their files' sizes and times
    too, so a rewritten derived table is bound again."""
    con = duckdb.connect(str(warehouse.duckdb_path))
    try:
        stamps = dict(con.execute(
            "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'"
        ).fetchall())
        derived = set(derived_view_statements(warehouse))
        files = _derived_files(warehouse)
        for statement in view_statements(warehouse):
            name = view_name(statement)
            mark = stamp(statement, files if statement in derived else "")
            if stamps.get(name) != mark:
                con.execute(statement)
                con.execute(f"COMMENT ON VIEW {name} IS '{mark}'")
    finally:
        con.close()


def view_name(statement: str) -> str:
    """The view a ``CREATE OR REPLACE VIEW name AS ...`` statement defines."""
    return statement.removeprefix("CREATE OR REPLACE VIEW ").split(" ", 1)[0]


def stamp(statement: str, files: str = "") -> str:
    """The comment ``write_database`` gives a view: a digest of its statement (and of ``files``)."""
    digest = hashlib.sha256(f"{statement}\n{files}".encode()).hexdigest()[:20]
    return f"patentreach view {digest}"


def _derived_files(warehouse: Warehouse) -> str:
    """Name, size and modification time of every file under ``derived/``."""
    root = warehouse.derived_dir
    if not root.is_dir():
        return ""
    entries = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            info = path.stat()
            entries.append(f"{path.relative_to(root)} {info.st_size} {info.st_mtime_ns}")
    return "\n".join(entries)
