"""The Google reader on the shapes ``fetch google`` and BigQuery export write: the real sample
re-exported as BigQuery's JSON Lines (INT64 as strings, ``& < >`` as ``\\u00XX``) and as Parquet
(written by pyarrow, and by DuckDB) gives the same publications as the original JSON array; a
Parquet file is read from a non-seekable stream in bounded chunks."""

from __future__ import annotations

import io
import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from patentreach.sources import google_patents
from patentreach.sources.google_patents import GooglePatents
from tests.conftest import shared_path
from tests.sources.vendor_helpers import counts, read_bytes, read_file

READER = GooglePatents()
SAMPLE = ("data", "google-patents-bigquery", "publications_sample_10rows.json")
INT64_COLUMNS = ("filing_date", "publication_date")


def _publications(parsed) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Everything a record says, but the file it came from."""
    out = []
    for p in parsed:
        record = p.record
        pub = record.publication
        out.append((
            pub.pub_id, pub.office, pub.number, pub.kind, pub.doc_type, pub.doc_type_rule, pub.pub_date,
            pub.application_number, pub.application_date, pub.earliest_priority_date, pub.family_id,
            pub.route, pub.title, pub.language, pub.record_index,
            tuple((x.role, x.sequence, x.name, x.kind, x.country) for x in record.parties),
            tuple((c.scheme, c.symbol, c.position) for c in record.classifications),
        ))
    return out


def _original() -> list[tuple]:
    parsed = read_file(READER, shared_path(*SAMPLE))
    assert counts(parsed) == {"stored": 10}
    return _publications(parsed)


def _sample_rows() -> list[dict]:
    return json.loads(shared_path(*SAMPLE).read_text(encoding="utf-8"))


def _bigquery_json_line(row: dict) -> str:
    """A row as BigQuery's JSON export writes it: INT64 as strings, ``&``, ``<``, ``>`` escaped."""
    text = json.dumps({k: str(v) if isinstance(v, int) else v for k, v in row.items()}, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _with_int_dates(row: dict) -> dict:
    """A row as BigQuery's Parquet export types it: the date columns are INT64."""
    return {k: int(v) if k in INT64_COLUMNS else v for k, v in row.items()}


def test_json_lines_export_gives_the_same_publications() -> None:
    data = "\n".join(_bigquery_json_line(_with_int_dates(r)) for r in _sample_rows()) + "\n"
    assert '"filing_date": "20141022"' in data and '"publication_date": "20161025"' in data
    assert READER.sniff(data.encode()[:65536]).version == "jsonl"
    parsed = read_bytes(READER, data.encode())
    assert _publications(parsed) == _original()


def test_json_lines_escapes_decode_to_the_same_text() -> None:
    rows = _sample_rows()
    rows[0]["title_localized"][0]["text"] = "Nerve & muscle <interface>"
    parsed = read_bytes(READER, (_bigquery_json_line(rows[0]) + "\n").encode())
    assert parsed[0].record.publication.title == "Nerve & muscle <interface>"


def test_parquet_written_by_pyarrow_gives_the_same_publications(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "publications-00001.parquet"
    pq.write_table(pa.Table.from_pylist([_with_int_dates(r) for r in _sample_rows()]), path, row_group_size=3)
    assert pq.ParquetFile(path).metadata.num_row_groups == 4
    assert READER.sniff(path.read_bytes()[:65536]).version == "parquet"
    assert _publications(read_file(READER, path)) == _original()


def test_parquet_written_by_duckdb_gives_the_same_publications(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = tmp_path / "sample.jsonl"
    lines.write_text("\n".join(json.dumps(_with_int_dates(r)) for r in _sample_rows()) + "\n", encoding="utf-8")
    path = tmp_path / "sample.parquet"
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM read_json('{lines}', format='newline_delimited')) "
                    f"TO '{path}' (FORMAT parquet)")
    assert pq.read_schema(path).field("publication_date").type == pa.int64()
    assert _publications(read_file(READER, path)) == _original()


class _OneWayStream(io.RawIOBase):
    """A non-seekable stream (like an ingest's hashing reader) that records each read's size."""

    def __init__(self, data: bytes) -> None:
        self._data, self._at, self.reads = data, 0, []  # type: ignore[var-annotated]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        size = min(len(buffer), len(self._data) - self._at)
        buffer[:size] = self._data[self._at:self._at + size]
        self._at += size
        self.reads.append(len(buffer))
        return size


def test_parquet_from_a_one_way_stream_is_spooled_in_chunks(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(google_patents, "SPOOL_CHUNK", 4096)
    monkeypatch.setattr(google_patents, "PARQUET_BATCH", 4)
    rows = [_with_int_dates(r) for r in _sample_rows()] * 50
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buffer, row_group_size=100, compression="none")
    stream = _OneWayStream(buffer.getvalue())
    units = list(READER.units(io.BufferedReader(stream)))
    assert [u.index for u in units] == list(range(500))
    assert units[499].data["publication_number"] == "US-9528354-B2"
    assert len(buffer.getvalue()) > 50_000 and max(stream.reads) <= 8192


def test_a_truncated_parquet_file_fails_alone_naming_itself(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from patentreach.warehouse.ingest import ingest
    from patentreach.warehouse.layout import Warehouse

    folder = tmp_path / "in"
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist([_with_int_dates(r) for r in _sample_rows()]), folder / "good.parquet")
    data = (folder / "good.parquet").read_bytes()
    (folder / "cut.parquet").write_bytes(data[: len(data) // 2])
    report = ingest([folder], Warehouse(tmp_path / "wh"))
    outcomes = {Path(f.label).name: f for f in report.files}
    assert (outcomes["good.parquet"].status, outcomes["good.parquet"].stored) == ("ingested", 10)
    cut = outcomes["cut.parquet"]
    assert (cut.status, cut.read, cut.stored) == ("error", 0, 0)
    assert cut.error.startswith(f"{folder / 'cut.parquet'}: ")
    assert "Parquet magic bytes not found in footer" in cut.error and "\n" not in cut.error
