"""Google Patents JSON Lines mapped a block at a time with Arrow compute (the native path of issue 20).

Arrow's JSON reader parses a block of lines (``jsonl_blocks``) with every column the reader
reads (``arrow_schema``); the columns are mapped whole: the plain forms by kernels (an ASCII
``OFFICE-NUMBER-KIND``, text without ``&`` or characters outside printable ASCII), the list
columns by list kernels (``native_lists``: ``ipc``, ``cpc``, ``priority_claim``), the reader's own
rules (``bq_date``, ``typed_by_flags``, ``split_number``, ``normalise_country``, ``unescape`` ...)
once per distinct value or combination, or on the values a kernel might read differently, so the
rows are ``record_from_row``'s by construction.

A row the mapping does not decide is handed back (``GoogleBatch.units``, with its record index,
line and raw text) to the reader's own ``parse``: a publication number or kind not of the plain
form, a missing or bad date, a ``country_code`` or ``kind_code`` that disagrees with the number,
a classification that is null or not a symbol, a priority claim with a bad filing date: the rows
the reader quarantines. A block Arrow cannot read goes to ``parse`` whole, so a damaged line is
quarantined with the reader's own reason and line number while the rest of the file stays native.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patentreach.model.records import PartyKind, Role, Route
from patentreach.model.schema import CLASSIFICATIONS, PARTIES, PRIORITIES, PUBLICATIONS
from patentreach.refdata.countries import normalise_country
from patentreach.sources.base import Unit
from patentreach.sources.google_patents import jsonl_blocks, native_lists
from patentreach.sources.google_patents.arrow_schema import read_block
from patentreach.sources.google_patents.bigquery_values import unescape
from patentreach.sources.google_patents.distinct_rules import per_distinct_rows
from patentreach.sources.google_patents.doc_type_flags import typed_by_flags
from patentreach.sources.google_patents.jsonl_blocks import Block, blocks
from patentreach.sources.google_patents.native_lists import Children
from patentreach.sources.google_patents.record import NO_FAMILY
from patentreach.sources.lens.arrow_text import count_within, per_distinct, printable_ascii, repeat
from patentreach.sources.native_tables import NativeBatch, NativePlan

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

_PLAIN_NUMBER = r"^[A-Za-z]+-[0-9A-Za-z]+-[A-Za-z][0-9A-Za-z]*$"


@dataclass(slots=True)
class GoogleBatch(NativeBatch):
    """A block's mapped tables plus the rows left to the reader's own ``parse``."""

    units: list[Unit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class JsonLinesPlan(NativePlan):
    """A native plan that reads its own batches (``batches(path)``) instead of Arrow's CSV reader.
    Its blocks are mapped two at a time (Arrow's kernels release the GIL; DuckDB's ``read_json``,
    the baseline, uses both cores too): each batch finds its own block, nothing else is shared."""

    threads: int = 2


def google_jsonl_plan(source_format: str, reader_version: str) -> JsonLinesPlan:
    """The plan for a Google Patents JSON Lines file: blocks of lines, each mapped here."""
    import pyarrow as pa

    # each batch's block, by the batch's identity: the batches are mapped on threads while the
    # next blocks are read (a batch stays alive until it is mapped, so its id is not reused)
    current: dict[int, Block] = {}

    def batches(path: Path) -> Iterator[pa.RecordBatch]:
        for block in blocks(path, read_block, jsonl_blocks.BLOCK_BYTES):
            if block.table is None:  # stands for the block's records: their count is what is read
                batch = pa.record_batch([pa.nulls(block.count)], names=["record"])
            else:
                batch = block.table.combine_chunks().to_batches()[0] if block.count else pa.record_batch(
                    [pa.nulls(0)], names=["record"])
            current[id(batch)] = block
            yield batch

    def map_batch(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
        import numpy as np

        block = current.pop(id(batch))
        if block.table is None:
            return GoogleBatch(units=block.units(np.arange(block.count)))
        return _Mapping(batch, block, source_file, ingest_id, source_format, reader_version).run()

    return JsonLinesPlan(["record"], "\n", map_batch, batches=batches)


class _Mapping:
    """One block through the mapping; ``judge`` marks rows left to the reader."""

    def __init__(self, batch: pa.RecordBatch, block: Block, source_file: str, ingest_id: str,
                 source_format: str, reader_version: str):
        import numpy as np

        self.batch, self.block, self.first = batch, block, block.first_index
        self.source_file, self.ingest_id = source_file, ingest_id
        self.source_format, self.reader_version = source_format, reader_version
        self.n = batch.num_rows
        self.judge = np.zeros(self.n, dtype=bool)

    def col(self, name: str) -> pa.Array:
        return self.batch.column(self.batch.schema.get_field_index(name))

    def run(self) -> GoogleBatch:
        import numpy as np

        pub = self._keys()
        self._cross_checks(pub)
        application = per_distinct(self.col("application_number"), native_lists.number_parts,
                                   native_lists.arrow_types()[0])
        claims = native_lists.priorities(self.col("priority_claim"), application, pub["office"])
        classes = native_lists.classifications(self.batch)
        self.judge[claims.bad] = True
        self.judge[classes.bad] = True
        keep = ~self.judge
        tables = {
            "publications": self._publications(pub, application, claims, keep),
            "parties": self._parties(pub, keep),
            "classifications": self._children(classes, pub, keep, CLASSIFICATIONS),
            "priorities": self._children(claims, pub, keep, PRIORITIES),
        }
        units = self.block.units(np.flatnonzero(self.judge)) if self.judge.any() else []
        return GoogleBatch(tables, stored=tables["publications"].num_rows, units=units)

    def _keys(self) -> dict[str, Any]:
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
        for column in ("publication_date", "filing_date", "priority_date", "grant_date"):
            dates[column], bad = self._dates(column)
            self.judge |= bad
        self.judge |= pc.is_null(dates["publication_date"]).to_numpy(zero_copy_only=False)
        pub_id = pc.binary_join_element_wise(office, stripped, kind, "-")
        return {"office": office, "kind": kind, "number": stripped, "pub_id": pub_id, **dates}

    def _cross_checks(self, pub: dict[str, Any]) -> None:
        """``country_code`` and ``kind_code`` (stripped, upper case) must agree with the number
        where given: a row where one does not is the reader's to quarantine."""
        import pyarrow as pa
        import pyarrow.compute as pc

        for column, own in (("country_code", pub["office"]), ("kind_code", pub["kind"])):
            if self.col(column).null_count == self.n:
                continue
            given = per_distinct(self.col(column), lambda v: (v or "").strip().upper(), pa.string())
            differs = pc.and_(pc.not_equal(given, ""), pc.not_equal(given, own))
            self.judge |= pc.fill_null(differs, False).to_numpy(zero_copy_only=False)

    def _dates(self, column: str) -> tuple[pa.Array, np.ndarray]:
        """``bq_date`` once per distinct value: (dates, rows where it is not a date)."""
        import pyarrow.compute as pc

        parsed = per_distinct(self.col(column), native_lists.read_date, native_lists.arrow_types()[1])
        return pc.struct_field(parsed, "d"), pc.struct_field(parsed, "bad").to_numpy(zero_copy_only=False)

    def _publications(self, pub: dict[str, Any], application: pa.Array, claims: Children,
                      keep: np.ndarray) -> pa.Table:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        rows = pa.array(np.flatnonzero(keep))
        n = len(rows)
        title, language = self._titles()
        earliest = pc.min_element_wise(pub["filing_date"], pub["priority_date"],
                                       native_lists.earliest_claims(claims, self.n), skip_nulls=True)
        typed = per_distinct_rows(
            [pub["office"], pub["kind"], pub["publication_date"], pub["grant_date"], self.col("application_kind")],
            _typed, pa.struct([("doc_type", pa.string()), ("rule", pa.string())]))
        family = per_distinct(self.col("family_id"), _family, pa.string())
        pct = pc.and_(pc.fill_null(pc.not_equal(self.col("pct_number"), ""), False), pc.not_equal(pub["office"], "WO"))
        route = pc.if_else(pct, Route.PCT.value, Route.DIRECT.value)
        columns = {
            "pub_id": pub["pub_id"], "office": pub["office"], "number": pub["number"], "kind": pub["kind"],
            "doc_type": pc.struct_field(typed, "doc_type"), "pub_date": pub["publication_date"],
            "application_number": pc.struct_field(application, "number"), "application_date": pub["filing_date"],
            "earliest_priority_date": earliest, "family_id": family, "route": route, "title": title,
            "language": language, "doc_type_rule": pc.struct_field(typed, "rule"),
        }
        columns = {name: values.take(rows) for name, values in columns.items()}
        columns |= {
            "source_format": repeat(self.source_format, n), "source_file": repeat(self.source_file, n),
            "record_index": pa.array(self.first + np.flatnonzero(keep), pa.int64()),
            "reader_version": repeat(self.reader_version, n), "ingest_id": repeat(self.ingest_id, n),
        }
        return pa.Table.from_arrays([columns[f.name].cast(f.type) for f in PUBLICATIONS], schema=PUBLICATIONS)

    def _children(self, children: Children, pub: dict[str, Any], keep: np.ndarray, schema: pa.Schema) -> pa.Table:
        """A child table of the rows kept: the entries' columns, the publication id, the place
        among the row's entries (from 0), the record index."""
        import pyarrow as pa

        kept = keep[children.rows]
        rows = children.rows[kept]
        mask = pa.array(kept)
        n = len(rows)
        columns = {name: values.filter(mask) for name, values in children.columns.items()}
        columns |= {
            "pub_id": pub["pub_id"].take(pa.array(rows, pa.int64())),
            "sequence": pa.array(count_within(rows), pa.int64()),
            "record_index": pa.array(self.first + rows, pa.int64()), "ingest_id": repeat(self.ingest_id, n),
        }
        return pa.Table.from_arrays([columns[f.name].cast(f.type) for f in schema], schema=schema)

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


def _typed(office: str | None, kind: str | None, day: Any, grant: Any, application_kind: str | None) -> Any:
    """``typed_by_flags`` as a struct (no publication date: the row is not stored)."""
    if office is None or kind is None or day is None:
        return None
    return dict(zip(("doc_type", "rule"), typed_by_flags(office, kind, day, grant, application_kind), strict=True))


def _family(value: str | None) -> str | None:
    """``family_id`` as the reader keeps it (none for empty, 0 and -1)."""
    family = str(value or "").strip()
    return None if family in NO_FAMILY else family


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
