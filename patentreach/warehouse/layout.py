"""Where a warehouse lives and what is inside it.

    <root>/
      tables/<table>/<ingest_id>[.range-NNNNNN].parquet   patent tables and quarantine, one part per
                                           ingest (one per worker's piece of a file with --jobs)
      ingest_log/<ingest_id>.parquet       one row per committed ingest (written last)
      ingest_failures/<ingest_id>.parquet  one row per file that failed and was not ingested since
      derived/<name>.parquet               tables computed from the patent tables (harmonisation, ...)
      staging/<ingest_id>/                 parts being written; never read by queries
      warehouse.duckdb                     views over the above, for analysts' own DuckDB sessions
      .lock                                held while an ingest runs
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIRNAME = "patentreach-data"
HOME_VARIABLE = "PATENTREACH_HOME"


@dataclass(frozen=True, slots=True)
class Warehouse:
    root: Path

    @classmethod
    def locate(cls, explicit: Path | str | None = None) -> Warehouse:
        """``--warehouse`` if given, else ``$PATENTREACH_HOME``, else ``./patentreach-data``."""
        if explicit:
            return cls(Path(explicit).expanduser().resolve())
        env = os.environ.get(HOME_VARIABLE)
        if env:
            return cls(Path(env).expanduser().resolve())
        return cls((Path.cwd() / DEFAULT_DIRNAME).resolve())

    def table_dir(self, table: str) -> Path:
        return self.root / "tables" / table

    @property
    def log_dir(self) -> Path:
        return self.root / "ingest_log"

    @property
    def failures_dir(self) -> Path:
        """Files that failed (never committed content): see ``ingest_log.write_failure``."""
        return self.root / "ingest_failures"

    @property
    def derived_dir(self) -> Path:
        """Tables computed from the patent tables (entities, origins, ...), replaced whole."""
        return self.root / "derived"

    @property
    def staging_dir(self) -> Path:
        return self.root / "staging"

    @property
    def duckdb_path(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def lock_path(self) -> Path:
        return self.root / ".lock"

    def exists(self) -> bool:
        return self.log_dir.is_dir()

    def create(self) -> None:
        for path in (self.log_dir, self.staging_dir, self.root / "tables"):
            path.mkdir(parents=True, exist_ok=True)
