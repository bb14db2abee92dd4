"""Turn parsed items into Arrow tables, column by column (faster than row dicts).

This runs inside parse workers, so what crosses the process boundary is a few compact Arrow
tables per batch rather than thousands of Python objects. Each record family goes to its own
tables: ``PatentRecord`` to the patent tables, ``TransferRecord`` to the transfer tables.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import sys
from dataclasses import dataclass, field
from operator import attrgetter

import pyarrow as pa

from patentreach.model.ingest import QUARANTINE_RAW_LIMIT, IngestWarning, QuarantineEntry
from patentreach.model.legal_events import LegalEvent
from patentreach.model.records import PatentRecord
from patentreach.model.schema import (
    CHILD_TABLES,
    INGEST_WARNINGS,
    LEGAL_EVENT_TABLES,
    PATENT_TABLES,
    QUARANTINE,
    TRANSFER_CHILD_TABLES,
    TRANSFER_TABLES,
)
from patentreach.model.transfers import TransferRecord
from patentreach.sources.base import Parsed


@dataclass(slots=True)
class BatchResult:
    """Everything one batch of units produced."""

    tables: dict[str, pa.Table]
    quarantine: pa.Table
    warning_rows: pa.Table
    read: int = 0
    stored: int = 0
    quarantined: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


_EMPTY: dict[int, tuple[pa.Schema, pa.Table]] = {}


@dataclass(frozen=True, slots=True)
class _Layout:
    """How a schema's rows become one struct array, worked out once per schema: pyarrow makes a
    new Python object for every ``schema`` field and ``field.name``/``.type`` access, which cost
    more than the conversion itself for a one-record batch."""

    schema: pa.Schema
    getter: attrgetter | None  # the attributes, in schema order, of the fields not in ``extra``
    struct: pa.StructType  # those fields
    extra: tuple[tuple[int, str, pa.DataType], ...]  # (position, name, type) of the others
    whole: pa.StructType | None  # every field, when the ``extra`` ones come last (all schemas now)


_LAYOUTS: dict[tuple[int, tuple[str, ...]], _Layout] = {}


def _empty(schema: pa.Schema) -> pa.Table:
    """The schema's empty table, built once (about 25 µs per column; tables are immutable)."""
    known = _EMPTY.get(id(schema))
    if known is None or known[0] is not schema:  # the id of a schema since collected
        known = _EMPTY[id(schema)] = (schema, schema.empty_table())
    return known[1]


def _layout(schema: pa.Schema, extra: dict[str, list]) -> _Layout:
    key = (id(schema), tuple(extra))
    known = _LAYOUTS.get(key)
    if known is None or known.schema is not schema:  # new, or the id of a schema since collected
        fields = [f for f in schema if f.name not in extra]
        known = _LAYOUTS[key] = _Layout(
            schema,
            attrgetter(*(f.name for f in fields)) if fields else None,
            pa.struct(fields),
            tuple((i, f.name, f.type) for i, f in enumerate(schema) if f.name in extra),
            pa.struct(list(schema)) if fields and schema.names[len(fields):] == list(extra) else None,
        )
    return known


def _table(rows: list, schema: pa.Schema, extra: dict[str, list]) -> pa.Table:
    """Columns of ``schema`` from the rows' attributes (``extra`` supplies whole columns).

    All columns are converted in ONE pyarrow call, as a struct array of the rows' attribute
    tuples (``attrgetter`` of every field, a C pass) with the ``extra`` values appended (when they
    are the schema's last columns, as in every table now; otherwise they are converted apart),
    then viewed as a table without copying. Each ``pa.array`` call costs about 25 µs whatever
    its length, and a batch holds about 60 columns: converted one by one, that fixed cost was
    most of a small file's ingest (a one-document EP or OPS file is one batch). Empty tables are
    built once per schema."""
    if not rows:  # most batches have no quarantine, warning or transfer rows
        return _empty(schema)
    layout = _layout(schema, extra)
    if layout.whole is not None and layout.getter is not None:
        # The extra columns appended to each row's tuple (C passes), one conversion, no copies.
        got = map(layout.getter, rows) if layout.struct.num_fields > 1 else ((v,) for v in map(layout.getter, rows))
        values = list(map(tuple.__add__, got, zip(*extra.values(), strict=True)))
        return pa.Table.from_struct_array(pa.array(values, type=layout.whole))
    columns: list[pa.Array] = []
    if layout.getter is not None:
        getter = layout.getter
        values = list(map(getter, rows)) if layout.struct.num_fields > 1 else [(v,) for v in map(getter, rows)]
        columns = pa.array(values, type=layout.struct).flatten()
    for position, name, kind in layout.extra:
        columns.insert(position, pa.array(extra[name], type=kind))
    return pa.Table.from_arrays(columns, schema=schema)


def records_to_tables(records: list[PatentRecord], ingest_id: str) -> dict[str, pa.Table]:
    pubs = [r.publication for r in records]
    out = {
        "publications": _table(pubs, PATENT_TABLES["publications"], {"ingest_id": [ingest_id] * len(pubs)})
    }
    for name, attribute in CHILD_TABLES.items():
        rows: list = []
        indexes: list[int] = []
        for record in records:
            children = getattr(record, attribute)
            rows.extend(children)
            indexes.extend([record.publication.record_index] * len(children))
        out[name] = _table(rows, PATENT_TABLES[name], {"record_index": indexes, "ingest_id": [ingest_id] * len(rows)})
    return out


def transfers_to_tables(records: list[TransferRecord], ingest_id: str) -> dict[str, pa.Table]:
    """The transfer family's tables; children carry their transfer's ``record_index``."""
    heads = [r.transfer for r in records]
    out = {"transfers": _table(heads, TRANSFER_TABLES["transfers"], {"ingest_id": [ingest_id] * len(heads)})}
    for name, attribute in TRANSFER_CHILD_TABLES.items():
        rows: list = []
        indexes: list[int] = []
        for record in records:
            children = getattr(record, attribute)
            rows.extend(children)
            indexes.extend([record.transfer.record_index] * len(children))
        out[name] = _table(
            rows, TRANSFER_TABLES[name], {"record_index": indexes, "ingest_id": [ingest_id] * len(rows)}
        )
    return out


def quarantine_table(entries: list[QuarantineEntry], ingest_id: str) -> pa.Table:
    return _table(entries, QUARANTINE, {"ingest_id": [ingest_id] * len(entries)})


def raw_text(raw: bytes | str) -> str:
    """The first 64 KB of a raw record, as text, for the quarantine table."""
    if isinstance(raw, bytes):
        return raw[:QUARANTINE_RAW_LIMIT].decode("utf-8", "replace")
    return str(raw)[:QUARANTINE_RAW_LIMIT]


class _RefusePandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not needed to convert lists")
        return None


class _TellPyarrowWhenPandasArrives(importlib.abc.MetaPathFinder):
    """Once anything imports pandas, let pyarrow look again, so that pandas objects convert as
    usual (categoricals to dictionaries, nullable integers, ...) from then on. It stays in place
    until pandas has actually been executed (a mere ``find_spec("pandas")`` does not remove it)."""

    def __init__(self) -> None:
        self._finding = False

    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name != "pandas" or self._finding:
            return None
        self._finding = True
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._finding = False
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module):  # type: ignore[no-untyped-def]
            run(module)
            with contextlib.suppress(ValueError):
                sys.meta_path.remove(self)
            with contextlib.suppress(ImportError):
                pa.lib._pandas_api.pd  # noqa: B018 - the property makes pyarrow import pandas again

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


_pandas_spared = False


def spare_pandas_import() -> None:
    """Keep pyarrow from importing pandas (0.5-1.5 s, most of a small ingest) on its first list.

    ``pa.array(list)`` imports pandas only to ask whether the list is a pandas object. When pandas
    is not imported yet, that first question is asked with pandas out of reach, so pyarrow notes
    "no pandas" and converts lists directly; should pandas be imported later in the process,
    pyarrow is told at once (``_TellPyarrowWhenPandasArrives``) and treats pandas objects as usual.
    """
    global _pandas_spared
    if _pandas_spared:
        return
    _pandas_spared = True
    if "pandas" in sys.modules:
        return
    refuse = _RefusePandas()
    sys.meta_path.insert(0, refuse)
    try:
        pa.array([], pa.string())
    finally:
        sys.meta_path.remove(refuse)
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _TellPyarrowWhenPandasArrives())


def collect(parsed: list[Parsed], source_file: str, source_format: str, ingest_id: str) -> BatchResult:
    spare_pandas_import()
    records: list[PatentRecord] = []
    transfers: list[TransferRecord] = []
    legal: list[LegalEvent] = []
    quarantined: list[QuarantineEntry] = []
    skipped = 0
    warnings: list[str] = []
    warning_rows: list[IngestWarning] = []
    for item in parsed:
        if item.warnings:
            index = _index_of(item)
            warnings.extend(item.warnings)
            warning_rows.extend(IngestWarning(source_file, index, message) for message in item.warnings)
        if item.stores:
            for record in item.records:
                (transfers if isinstance(record, TransferRecord) else records).append(record)
            legal.extend(item.legal_events)
        elif item.quarantined is not None:
            q = item.quarantined
            quarantined.append(
                QuarantineEntry(source_file, q.index, q.line, q.reason, raw_text(q.raw), source_format)
            )
        else:
            skipped += 1
    tables = records_to_tables(records, ingest_id)
    if transfers:
        tables |= transfers_to_tables(transfers, ingest_id)
    if legal:
        schema = LEGAL_EVENT_TABLES["legal_events"]
        tables["legal_events"] = _table(legal, schema, {"ingest_id": [ingest_id] * len(legal)})
    return BatchResult(
        tables=tables,
        quarantine=quarantine_table(quarantined, ingest_id),
        warning_rows=_table(warning_rows, INGEST_WARNINGS, {"ingest_id": [ingest_id] * len(warning_rows)}),
        read=len(parsed),
        stored=sum(1 for item in parsed if item.stores),
        quarantined=len(quarantined),
        skipped=skipped,
        warnings=warnings,
    )


def _index_of(item: Parsed) -> int:
    if isinstance(item.record, TransferRecord):
        return item.record.transfer.record_index
    if item.record is not None:
        return item.record.publication.record_index
    if item.quarantined is not None:
        return item.quarantined.index
    if item.legal_events:
        return item.legal_events[0].record_index
    return item.skipped.index if item.skipped is not None else -1
