"""Write query results, one Arrow record batch at a time, as numbered JSONL or Parquet files.

Each file is written under a ``.part`` name and renamed when complete, so a folder never holds a
half-written file under a name that ``ingest`` would read. A file is closed after
``rows_per_file`` rows (BigQuery's own exports cut files at about 1 GB for the same reason: a
file that fails is re-read alone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FORMATS = ("parquet", "jsonl")
PREFIX = "publications-"


class ExportFolderError(ValueError):
    """The output folder cannot take the files (one line naming it)."""


class ExportFiles:
    """Numbered files ``publications-00001.parquet`` ... in ``folder``."""

    def __init__(self, folder: Path, fmt: str, rows_per_file: int = 500_000) -> None:
        if fmt not in FORMATS:
            raise ExportFolderError(f"format {fmt!r} is not an export format; choose from {', '.join(FORMATS)}")
        if folder.exists() and not folder.is_dir():
            raise ExportFolderError(f"{folder}: not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        earlier = sorted(p.name for p in folder.glob(f"{PREFIX}*"))
        if earlier:
            raise ExportFolderError(f"{folder} already holds {earlier[0]} from an earlier extraction; "
                                    "choose an empty folder (or move those files)")
        self.folder, self.fmt, self.rows_per_file = folder, fmt, rows_per_file
        self.files: list[Path] = []
        self.rows = 0
        self._handle: Any = None
        self._rows_in_file = 0

    def write(self, batch: Any) -> None:
        """Append one ``pyarrow.RecordBatch``, starting new files as they fill."""
        offset = 0
        while offset < batch.num_rows:
            if self._handle is None:
                self._open(batch.schema)
            take = min(batch.num_rows - offset, self.rows_per_file - self._rows_in_file)
            self._write_slice(batch.slice(offset, take))
            offset += take
            self._rows_in_file += take
            self.rows += take
            if self._rows_in_file >= self.rows_per_file:
                self._close_file()

    def close(self) -> list[Path]:
        """Finish the last file; the list of complete files."""
        self._close_file()
        return self.files

    def abandon(self) -> None:
        """After a failure: remove the half-written file (complete files stay, named and whole)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._part().unlink(missing_ok=True)

    def _path(self) -> Path:
        return self.folder / f"{PREFIX}{len(self.files) + 1:05d}.{self.fmt}"

    def _part(self) -> Path:
        return self._path().with_name(self._path().name + ".part")

    def _open(self, schema: Any) -> None:
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            self._handle = pq.ParquetWriter(self._part(), schema, compression="zstd")
        else:
            self._handle = open(self._part(), "w", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed in _close_file)
        self._rows_in_file = 0

    def _write_slice(self, batch: Any) -> None:
        if self.fmt == "parquet":
            self._handle.write_batch(batch)
            return
        for row in batch.to_pylist():
            self._handle.write(json.dumps(row, ensure_ascii=False, default=str))
            self._handle.write("\n")

    def _close_file(self) -> None:
        if self._handle is None:
            return
        self._handle.close()
        self._handle = None
        final = self._path()
        self._part().replace(final)
        self.files.append(final)
