"""Google Patents JSON Lines mapped a block at a time with Arrow compute (the native path of issue 20).

Arrow's JSON reader parses a block of lines (``jsonl_blocks``); the columns the sample exports
carry (publication number, dates, title, harmonised assignees and inventors) are mapped whole:
the plain forms by kernels (an ASCII ``OFFICE-NUMBER-KIND``, text without ``&`` or characters
outside printable ASCII), the reader's own rules (``bq_date``, ``doc_type``, ``normalise_country``,
``unescape``) once per distinct value or on the values a kernel might read differently, so the
rows are ``record_from_row``'s by construction.

A row the mapping does not decide is handed back (``GoogleBatch.units``, with its record index,
line and raw text) to the reader's own ``parse``: a publication number or kind not of the plain
form, a missing or bad date, or any of the columns this mapping leaves to the reader
(``JUDGED_COLUMNS``: cross-checks, grant flags, numbers, family, classifications, priority
claims). A block Arrow cannot read goes to ``parse`` whole, so a damaged line is quarantined
with the reader's own reason and line number while the rest of the file stays native.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patentreach.model.records import PartyKind, Role, Route
from patentreach.model.schema import PARTIES, PUBLICATIONS
from patentreach.refdata.countries import normalise_country
from patentreach.refdata.kind_codes import doc_type
from patentreach.sources.base import Unit
from patentreach.sources.dates import BadDate
from patentreach.sources.google_patents.bigquery_values import bq_date, unescape
from patentreach.sources.google_patents.doc_type_flags import KIND_CODE_RULE
from patentreach.sources.google_patents.jsonl_blocks import Block, blocks
from patentreach.sources.lens.arrow_text import count_within, per_distinct, printable_ascii, repeat
from patentreach.sources.native_tables import NativeBatch, NativePlan

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Columns ``record_from_row`` reads that this mapping leaves to the reader: a row holding any
# of them (not null) goes to ``parse``.
JUDGED_COLUMNS = ("country_code", "kind_code", "application_kind", "application_number", "pct_number",
                  "family_id", "grant_date", "ipc", "cpc", "priority_claim")
_EPOCH = date(1970, 1, 1)  # day 0 of Arrow's date32
_PLAIN_NUMBER = r"^[A-Za-z]+-[0-9A-Za-z]+-[A-Za-z][0-9A-Za-z]*$"


def _schema() -> pa.Schema:
    import pyarrow as pa

    entry = pa.list_(pa.struct([("name", pa.string()), ("country_code", pa.string())]))
    return pa.schema([
        ("publication_number", pa.string()), ("publication_date", pa.string()), ("filing_date", pa.string()),
        ("priority_date", pa.string()),
        ("title_localized", pa.list_(pa.struct([("text", pa.string()), ("language", pa.string())]))),
        ("assignee_harmonized", entry), ("inventor_harmonized", entry),
    ])


@dataclass(slots=True)
class GoogleBatch(NativeBatch):
    """A block's mapped tables plus the rows left to the reader's own ``parse``."""

    units: list[Unit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class JsonLinesPlan(NativePlan):
    """A native plan that reads its own batches (``batches(path)``) instead of Arrow's CSV reader."""

    batches: Any = None


def google_jsonl_plan(source_format: str, reader_version: str) -> JsonLinesPlan:
    """The plan for a Google Patents JSON Lines file: blocks of lines, each mapped here."""
    import pyarrow as pa

    current: dict[str, Block] = {}

    def batches(path: Path) -> Iterator[pa.RecordBatch]:
        for block in blocks(path, _schema(), tuple(c.encode() for c in JUDGED_COLUMNS)):
            current["block"] = block
            if block.table is None:  # stands for the block's records: their count is what is read
                yield pa.record_batch([pa.nulls(block.count)], names=["record"])
            else:
                yield block.table.combine_chunks().to_batches()[0] if block.count else pa.record_batch(
                    [pa.nulls(0)], names=["record"])

    def map_batch(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
        import numpy as np

        block = current["block"]
        if block.table is None:
            return GoogleBatch(units=block.units(np.arange(block.count)))
        return _Mapping(batch, block, source_file, ingest_id, source_format, reader_version).run()

    return JsonLinesPlan(["record"], "\n", map_batch, batches=batches)


class _Mapping:
    """One block through the mapping; ``judge`` marks rows left to the reader."""

    def __init__(self, batch: pa.RecordBatch, block: Block, source_file: str, ingest_id: str,
                 source_format: str, reader_version: str):
        import numpy as np
        import pyarrow.compute as pc

        self.batch, self.block, self.first = batch, block, block.first_index
        self.source_file, self.ingest_id = source_file, ingest_id
        self.source_format, self.reader_version = source_format, reader_version
        self.n = batch.num_rows
        self.judge = np.zeros(self.n, dtype=bool)
        for name in JUDGED_COLUMNS:
            if name in batch.schema.names:
                self.judge |= pc.is_valid(batch.column(name)).to_numpy(zero_copy_only=False)

    def col(self, name: str) -> pa.Array:
        return self.batch.column(self.batch.schema.get_field_index(name))

    def run(self) -> GoogleBatch:
        import numpy as np

        pub = self._keys()
        keep = ~self.judge
        publications = self._publications(pub, keep)
        parties = self._parties(pub, keep)
        units = self.block.units(np.flatnonzero(self.judge)) if self.judge.any() else []
        return GoogleBatch({"publications": publications, "parties": parties}, stored=publications.num_rows,
                           units=units)

    def _keys(self) -> dict[str, Any]:
        import pyarrow as pa
        import pyarrow.compute as pc

        number = self.col("publication_number")
        plain = pc.fill_null(pc.match_substring_regex(number, _PLAIN_NUMBER), False)
        self.judge |= ~plain.to_numpy(zero_copy_only=False)
        parts = pc.split_pattern(pc.if_else(plain, number, "X-0-X"), "-")
        office = pc.utf8_upper(pc.list_element(parts, 0))
        digits = pc.utf8_upper(pc.list_element(parts, 1))
        kind = pc.utf8_upper(pc.list_element(parts, 2))
        stripped = pc.replace_substring_regex(digits, r"^([A-Z]*)0+([0-9])", r"\1\2")  # strip_leading_zeros
        dates = {}
        for column in ("publication_date", "filing_date", "priority_date"):
            dates[column], bad = self._dates(column)
            self.judge |= bad
        self.judge |= pc.is_null(dates["publication_date"]).to_numpy(zero_copy_only=False)
        pub_id = pc.binary_join_element_wise(office, stripped, kind, "-")
        day = pc.fill_null(pc.cast(pc.cast(dates["publication_date"], pa.int32()), pa.string()), "")
        types = per_distinct(pc.binary_join_element_wise(office, kind, day, "|"), _doc_type, pa.string())
        return {"office": office, "kind": kind, "number": stripped, "pub_id": pub_id, "types": types, **dates}

    def _dates(self, column: str) -> tuple[pa.Array, np.ndarray]:
        """``bq_date`` once per distinct text: (dates, rows where it is not a date)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if column not in self.batch.schema.names:
            return pa.nulls(self.n, pa.date32()), self.judge & False

        def read(text: str | None) -> dict[str, Any]:
            try:
                return {"d": bq_date(text), "bad": False}
            except BadDate:
                return {"d": None, "bad": True}

        parsed = per_distinct(self.col(column), read, pa.struct([("d", pa.date32()), ("bad", pa.bool_())]))
        return pc.struct_field(parsed, "d"), pc.struct_field(parsed, "bad").to_numpy(zero_copy_only=False)

    def _publications(self, pub: dict[str, Any], keep: np.ndarray) -> pa.Table:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        rows = pa.array(np.flatnonzero(keep))
        n = len(rows)
        title, language = self._titles()
        earliest = pc.min_element_wise(pub["filing_date"], pub["priority_date"], skip_nulls=True)
        columns = {
            "pub_id": pub["pub_id"].take(rows), "office": pub["office"].take(rows),
            "number": pub["number"].take(rows), "kind": pub["kind"].take(rows), "doc_type": pub["types"].take(rows),
            "pub_date": pub["publication_date"].take(rows), "application_number": pa.nulls(n, pa.string()),
            "application_date": pub["filing_date"].take(rows), "earliest_priority_date": earliest.take(rows),
            "family_id": pa.nulls(n, pa.string()), "route": repeat(Route.DIRECT.value, n),
            "title": title.take(rows), "language": language.take(rows),
            "source_format": repeat(self.source_format, n), "source_file": repeat(self.source_file, n),
            "record_index": pa.array(self.first + np.flatnonzero(keep), pa.int64()),
            "reader_version": repeat(self.reader_version, n), "doc_type_rule": repeat(KIND_CODE_RULE, n),
            "ingest_id": repeat(self.ingest_id, n),
        }
        return pa.Table.from_arrays([columns[f.name].cast(f.type) for f in PUBLICATIONS], schema=PUBLICATIONS)

    def _titles(self) -> tuple[pa.Array, pa.Array]:
        """``localized``: the first entry with text in English, else the first with text."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if "title_localized" not in self.batch.schema.names:
            return pa.nulls(self.n, pa.string()), pa.nulls(self.n, pa.string())
        lists = self.col("title_localized")
        items = pc.list_flatten(lists)
        parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        text = pc.struct_field(items, "text")
        language = pc.struct_field(items, "language")
        valid = pc.fill_null(pc.and_(pc.is_valid(items), pc.not_equal(text, "")), False).to_numpy(
            zero_copy_only=False)
        english = valid & pc.fill_null(pc.equal(language, "en"), False).to_numpy(zero_copy_only=False)
        chosen = np.full(self.n, -1, dtype=np.int64)
        for mask in (valid, english):  # the English entry wins over the first
            at = np.flatnonzero(mask)
            found, first = np.unique(parent[at], return_index=True)
            chosen[found] = at[first]
        picked = pa.array(chosen, mask=chosen < 0)
        texts = _unescaped(text.take(picked))
        languages = per_distinct(language.take(picked), lambda v: str(v).lower() if v else None, pa.string())
        return texts, languages

    def _entries(self, column: str) -> tuple[np.ndarray, np.ndarray, pa.Array, pa.Array]:
        """(row, 1-based place among the row's entries, unescaped name, raw country) of every
        entry that is an object."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if column not in self.batch.schema.names:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), pa.array([], pa.string()), pa.array([], pa.string())
        lists = self.col(column)
        items = pc.list_flatten(lists)
        parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
        objects = pc.is_valid(items)
        items = items.filter(objects)
        row = parent[objects.to_numpy(zero_copy_only=False)]
        return (row, count_within(row) + 1, _unescaped(pc.struct_field(items, "name")),
                pc.struct_field(items, "country_code"))

    def _parties(self, pub: dict[str, Any], keep: np.ndarray) -> pa.Table:
        """Assignees (a person when also among the row's inventors, by unescaped name), then
        inventors, in the reader's order; entries without a name are left out, keeping their place."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        a_row, a_n, a_name, a_country = self._entries("assignee_harmonized")
        i_row, i_n, i_name, i_country = self._entries("inventor_harmonized")
        known = pc.unique(i_name.drop_null())
        width = len(known) + 1
        a_id = pc.fill_null(pc.index_in(a_name, value_set=known), -1).to_numpy(zero_copy_only=False).astype(np.int64)
        i_id = pc.fill_null(pc.index_in(i_name, value_set=known), -1).to_numpy(zero_copy_only=False).astype(np.int64)
        person = pc.is_in(pa.array(a_row * width + a_id), value_set=pa.array(i_row * width + i_id)).to_numpy(
            zero_copy_only=False) & (a_id >= 0)
        a_kind = pa.array([PartyKind.ORGANISATION.value, PartyKind.PERSON.value]).take(pa.array(person.astype(np.int8)))
        us = pc.equal(pub["office"], "US").to_numpy(zero_copy_only=False)
        a_role = pa.array([Role.APPLICANT.value, Role.ASSIGNEE.value]).take(pa.array(us[a_row].astype(np.int8)))
        row = np.concatenate([a_row, i_row])
        name = pa.concat_arrays([a_name, i_name])
        raw = per_distinct(pa.concat_arrays([a_country, i_country]),
                           lambda v: (str(v).strip() or None) if v else None, pa.string())
        country = per_distinct(raw, lambda v: normalise_country(v) if v else None, pa.string())
        role = pa.concat_arrays([a_role, repeat(Role.INVENTOR.value, len(i_row))])
        kind = pa.concat_arrays([a_kind, repeat(PartyKind.PERSON.value, len(i_row))])
        sequence = np.concatenate([a_n, i_n])
        named = pc.fill_null(pc.is_valid(name), False).to_numpy(zero_copy_only=False)
        order = np.argsort(row, kind="stable")
        order = order[keep[row[order]] & named[order]]
        at = pa.array(row[order], pa.int64())
        take = pa.array(order, pa.int64())
        n = len(order)
        columns = {
            "pub_id": pub["pub_id"].take(at), "role": role.take(take),
            "sequence": pa.array(sequence[order], pa.int64()), "name": name.take(take), "kind": kind.take(take),
            "country_raw": raw.take(take),
            "country": country.take(take), "record_index": pa.array(self.first + row[order], pa.int64()),
            "ingest_id": repeat(self.ingest_id, n),
        }
        return pa.Table.from_arrays([columns[f.name].cast(f.type) if f.name in columns else pa.nulls(n, f.type)
                                     for f in PARTIES], schema=PARTIES)


def _doc_type(key: str) -> str:
    """``doc_type`` of an ``OFFICE|KIND|DAYS`` key, DAYS since 1970-01-01 (no date: no
    publication, never stored)."""
    office, kind, days = key.split("|")
    return doc_type(office, kind, _EPOCH + timedelta(days=int(days))) if days else ""


def _unescaped(text: pa.Array) -> pa.Array:
    """``unescape``: printable ASCII text without ``&`` has its spaces squeezed by kernels, the
    rest goes through ``unescape`` itself; empty -> null."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = printable_ascii(text) & ~pc.fill_null(pc.match_substring(text, "&"), False).to_numpy(
        zero_copy_only=False)
    # only the values with two spaces in a row or one at an end need the pattern (the substring
    # tests are several times cheaper than running it on every value)
    spaced = pc.fill_null(pc.or_(pc.match_substring(text, "  "), pc.or_(pc.starts_with(text, " "),
                                                                         pc.ends_with(text, " "))), False)
    squeezed = text
    if pc.any(spaced).as_py():
        fixed = pc.utf8_trim(pc.replace_substring_regex(text.filter(spaced), " {2,}", " "), " ")
        squeezed = pc.replace_with_mask(text, spaced, fixed)
    squeezed = pc.if_else(pc.equal(squeezed, ""), pa.scalar(None, pa.string()), squeezed)
    others = np.flatnonzero(~plain)
    if len(others):
        values = text.take(pa.array(others)).to_pylist()
        squeezed = pc.replace_with_mask(squeezed, pa.array(~plain), pa.array([unescape(v) for v in values],
                                                                             pa.string()))
    return squeezed
