"""The Lens CSV export mapped a batch at a time with Arrow compute (the native path of issue 20).

Each column is handled whole: ``;;`` lists are split and flattened with their rows, patterns run
as RE2 kernels, and the reader's own rules (``parse_iso_date``, ``parse_priority``,
``cpc_symbol``, ``name_key``, ``type_document``, Python's ``strip``) run once per distinct value
of the file (``arrow_text.Memo``), so their answers are the per-row reader's by construction. Where Python's and
RE2's patterns could read a value differently (whitespace or digits outside printable ASCII) the
value goes through the Python function too. The "Owners (US)" entries, on a few rows of an
export, are parsed per row by ``parse_owners``.

A row with a problem (a missing or malformed field, a symbol that is not one) is not decided
here: it is handed back in ``LensBatch.units`` with its record index and line, and the warehouse
runs the reader's own ``parse`` on it, so its quarantine reason and line are the reader's. Unlike
PatentsView's plans, one such row does not send the whole file back: the real export holds a row
without a publication date.

A DuckDB SQL version of this mapping (a temporary table per step, regular expressions in SQL)
spent about 5 s of a 37,790-row batch in its statements on the loaded 2-core machine; these
kernels and rules take about 0.5 s of CPU there. What is left is spread over some thirty kernels
and the rules' Python, none above a fifth of it.

Batches are mapped two at a time on threads (``ThreadedPlan``; most of the time is in kernels,
which release the GIL); each batch's line numbers wait for the batch before it (``_LineCounter``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from patentreach.model.records import PartyKind, PriorityKind, Role, Route, strip_leading_zeros
from patentreach.model.schema import (
    CLASSIFICATIONS,
    PARTIES,
    PRIORITIES,
    PUBLICATIONS,
    TRANSFER_PARTIES,
    TRANSFER_PROPERTIES,
    TRANSFERS,
)
from patentreach.model.transfers import ConveyanceType, TransferScope, TransferSide
from patentreach.sources.base import Unit
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.google_patents.cpc_symbols import cpc_symbol
from patentreach.sources.lens.arrow_text import (
    Memo,
    count_within,
    per_distinct,
    printable_ascii,
    record_lines,
    repeat,
    replace_where,
)
from patentreach.sources.lens.lens_values import (
    current_owner,
    parse_owners,
    parse_priority,
    split_doc_number,
)
from patentreach.sources.lens.owner_history import OFFICE as OWNER_OFFICE
from patentreach.sources.lens.party_kinds import applicant_kind, name_key
from patentreach.sources.lens.publication_type import type_document
from patentreach.sources.native_tables import NativeBatch, NativePlan, NeedsRowReader

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Export column -> short name (an absent column reads as empty, as ``row.get(...) or ""`` does).
COLUMNS = {
    "Jurisdiction": "j", "Kind": "k", "Publication Number": "pn", "Lens ID": "lid", "Publication Date": "pd",
    "Application Number": "an", "Application Date": "ad", "Priority Numbers": "prio",
    "Earliest Priority Date": "epd", "Title": "title", "Applicants": "app", "Inventors": "inv",
    "Owners (US)": "own", "Type": "type", "CPC Classifications": "cpc", "IPCR Classifications": "ipcr",
    "US Classifications": "usc",
}
# The plain form of ``lens_values._DOC_NUMBER`` (``US 8001762 B2``, ``EP 1357170 B9 20061018``).
_EPOCH = date(1970, 1, 1)  # day 0 of Arrow's date32
_SIMPLE_DOC_NUMBER = r"^(?P<cc>[A-Z]{2}) (?P<number>[^ ]+) (?P<kind>[A-Z][0-9]?)(?: [0-9]{8})?$"
# The plain form of a priority entry (``US 83547206 P 20060804``).
_SIMPLE_PRIORITY = r"^(?P<office>[A-Z]{2}) (?P<number>[!-~]+) (?P<kind>[A-Z][0-9]?) (?P<digits>[0-9]{8})$"


@dataclass(slots=True)
class LensBatch(NativeBatch):
    """A batch's mapped tables plus the rows left to the reader's own ``parse``."""

    units: list[Unit] = field(default_factory=list)


# Batches mapped on two threads: the kernels release the GIL, so one batch's kernels run while
# the other's Python holds it, and the warehouse writes the Parquet of a finished batch meanwhile.
# A file is read in about four blocks (enough to overlap), of 4-16 MB (each batch pays for its
# distinct values once, so smaller blocks cost more CPU).
THREADS = 2
BLOCK_BYTES = 16 * 1024 * 1024
MIN_BLOCK_BYTES = 4 * 1024 * 1024


def block_bytes(file_size: int) -> int:
    """The block size for a file of ``file_size`` bytes: about a quarter of it, within 4-16 MB."""
    return max(MIN_BLOCK_BYTES, min(BLOCK_BYTES, file_size // 4))


@dataclass(frozen=True, slots=True)
class ThreadedPlan(NativePlan):
    """A plan whose ``map_batch`` may run on ``threads`` threads at once (``native_ingest``
    submits the batches in file order and stores their results in that order), reading blocks
    of ``block_bytes``."""

    threads: int = THREADS
    block_bytes: int = BLOCK_BYTES


# The rules whose answers a plan keeps for the whole file (``arrow_text.Memo``).
_MEMOS = ("office", "kind", "date", "priority", "strip", "cpc", "us_class", "type", "name")


class _LineCounter:
    """The file line each batch's rows start on, when batches are mapped on several threads:
    a batch's lines follow from the lines of every batch before it, so each waits its turn
    (by its first record index); a batch that fails its count fails the ones after it too."""

    def __init__(self, first_line: int):
        self._turn = threading.Condition()
        self._next_index, self._next_line, self._failed = 0, first_line, False

    def lines(self, batch: pa.RecordBatch, first: int) -> np.ndarray:
        with self._turn:
            self._turn.wait_for(lambda: self._failed or self._next_index == first)
            if self._failed:
                raise NeedsRowReader("an earlier batch's records were handed back")
            try:
                lines, self._next_line = record_lines(batch, self._next_line)
            except BaseException:
                self._failed = True
                raise
            finally:
                self._next_index = first + batch.num_rows
                self._turn.notify_all()
            return lines


def lens_csv_plan(header: list[str], source_format: str, reader_version: str, file_size: int = 0) -> NativePlan:
    """The plan for a Lens export whose header is ``header`` (``file_size``: its bytes)."""
    counter = _LineCounter(2)
    memos = {rule: Memo() for rule in _MEMOS}

    def map_batch(batch: pa.RecordBatch, first: int, source_file: str, ingest_id: str) -> NativeBatch:
        lines = counter.lines(batch, first)
        return _Mapping(batch, first, lines, source_file, ingest_id, source_format, reader_version, memos).run()

    return ThreadedPlan(header, ",", map_batch, threads=THREADS, block_bytes=block_bytes(file_size))


def _priority_entries(text: pa.Array, memo: Memo) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array, np.ndarray]:
    """``parse_priority`` of each entry: (office, squeezed number, kind, date, not an entry).
    An entry of the plain form ``US 83547206 P 20060804`` (single spaces, printable ASCII) is
    split at its spaces, its date read by Arrow and kept where year, month and day read back as
    written (a real date, year from 1); the others go through ``parse_priority`` once per
    distinct text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.extract_regex(text, _SIMPLE_PRIORITY)  # null where it does not match
    simple = pc.is_valid(found).to_numpy(zero_copy_only=False)
    found = found.filter(pa.array(simple))
    office, number, kind, digits = (pc.struct_field(found, f) for f in ("office", "number", "kind", "digits"))
    number = _squeezed(number)  # the simple number holds no space
    read = pc.cast(pc.strptime(digits, format="%Y%m%d", unit="s", error_is_null=True), pa.date32())
    year, month, day = (pc.cast(pc.utf8_slice_codeunits(digits, a, b), pa.int64()) for a, b in ((0, 4), (4, 6), (6, 8)))
    dated = pc.fill_null(pc.and_(pc.and_(pc.equal(pc.year(read), year), pc.greater_equal(year, 1)),
                                 pc.and_(pc.equal(pc.month(read), month), pc.equal(pc.day(read), day))),
                         False).to_numpy(zero_copy_only=False)
    fast = simple.copy()
    fast[simple] = dated
    columns = [pc.replace_with_mask(pa.nulls(len(text), t), pa.array(simple), a)
               for a, t in ((office, pa.string()), (number, pa.string()), (kind, pa.string()), (read, pa.date32()))]
    bad = np.zeros(len(text), dtype=bool)
    if not fast.all():

        def parse(entry: str) -> dict[str, Any]:
            try:
                parsed = parse_priority(entry)
            except ValueError:  # BadDate is a ValueError
                return {"bad": True}
            return {"office": parsed.office, "number": parsed.number, "kind": parsed.kind, "date": parsed.date,
                    "bad": False}

        slow = pa.array(~fast)
        parsed = per_distinct(text.filter(slow), parse, pa.struct([
            ("office", pa.string()), ("number", pa.string()), ("kind", pa.string()), ("date", pa.date32()),
            ("bad", pa.bool_())]), memo)
        columns = [pc.replace_with_mask(c, slow, parsed.field(f))
                   for c, f in zip(columns, ("office", "number", "kind", "date"), strict=True)]
        bad[~fast] = parsed.field("bad").to_numpy(zero_copy_only=False)
    return columns[0], columns[1], columns[2], columns[3], bad


def _squeezed(number: pa.Array) -> pa.Array:
    """``squeeze_number`` of numbers without spaces: ``/ , . -`` dropped (four literal passes
    cost less than one regular expression)."""
    import pyarrow.compute as pc

    for char in "/,.-":
        number = pc.replace_substring(number, char, "")
    return number


def _upper(value: str) -> str:
    return value.strip().upper()


def _collapse(value: str) -> str:
    return " ".join(value.split())


def _read_date(text: str) -> dict[str, Any]:
    """``parse_iso_date`` of a text: its date, or ``bad`` where it is not one."""
    try:
        return {"date": parse_iso_date(text), "bad": False}
    except BadDate:
        return {"date": None, "bad": True}


def _type_of_key(key: str) -> Any:
    """``type_document`` of a (Type, office, kind, day number) key joined by NUL."""
    t, o, k, d = key.split("\x00")
    return type_document(t, o, k, _EPOCH + timedelta(days=int(d)), "")


class _Plain(dict):
    """``printable_ascii`` of a column, worked out for the columns asked about only."""

    def __init__(self, columns: dict[str, pa.Array]):
        super().__init__()
        self.columns = columns

    def __missing__(self, column: str) -> np.ndarray:
        return self.setdefault(column, printable_ascii(self.columns[column]))


@dataclass
class _Parts:
    """The ``split_multi`` parts of one column: text, the row each came from, its 1-based place."""

    text: pa.Array
    row: np.ndarray
    n: np.ndarray


class _Mapping:
    """One batch through the mapping; ``judge`` marks rows left to the reader."""

    def __init__(self, batch: pa.RecordBatch, first: int, lines: np.ndarray, source_file: str, ingest_id: str,
                 source_format: str, reader_version: str, memos: dict[str, Memo]):
        import numpy as np
        import pyarrow as pa

        self.batch, self.first, self.lines = batch, first, lines
        self.source_file, self.ingest_id = source_file, ingest_id
        self.source_format, self.reader_version = source_format, reader_version
        self.memo = memos
        names = batch.schema.names
        empty = pa.array([""] * batch.num_rows, pa.string())
        self.col = {short: batch.column(names.index(c)) if c in names else empty for c, short in COLUMNS.items()}
        self.plain = _Plain(self.col)
        self.judge = np.zeros(batch.num_rows, dtype=bool)
        self.inventor_keys: dict[int, set[str]] = {}  # rows with owners (set by _parties, read by _transfers)

    def run(self) -> LensBatch:
        import numpy as np

        pub = self._publication_keys()
        priorities = self._priorities(pub)
        owners = self._owners()
        classes = self._classifications(pub)
        keep = ~self.judge
        publications, warnings = self._publications(pub, priorities, keep)
        tables = {
            "publications": publications,
            "parties": self._parties(pub, owners, keep),
            "classifications": classes(keep),
            "priorities": priorities["table"](keep),
            **self._transfers(owners, pub, keep),
        }
        units = []
        judged = np.flatnonzero(self.judge)
        if len(judged):
            rows = self.batch.take(judged).to_pylist()
            units = [Unit(self.first + int(i), int(self.lines[i]), row) for i, row in zip(judged, rows, strict=True)]
        return LensBatch(tables, stored=publications.num_rows, warnings=warnings, units=units)

    # -- the publication's own fields -------------------------------------------------------

    def _publication_keys(self) -> dict[str, Any]:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        office = per_distinct(self.col["j"], _upper, pa.string(), self.memo["office"])
        kind = per_distinct(self.col["k"], _upper, pa.string(), self.memo["kind"])
        cc, number, printed_kind = self._doc_numbers("pn")
        pub_number = self._pub_numbers(number)
        app_cc, app_number, app_kind = self._doc_numbers("an")
        dates = {c: self._dates(c) for c in ("pd", "ad", "epd")}
        pub_date, bad_pd = dates["pd"]
        self.judge |= (
            pc.equal(office, "").to_numpy(zero_copy_only=False) | pc.equal(kind, "").to_numpy(zero_copy_only=False)
            | pc.is_null(cc).to_numpy(zero_copy_only=False)
            | pc.fill_null(pc.or_(pc.not_equal(cc, office), pc.not_equal(printed_kind, kind)), True).to_numpy(
                zero_copy_only=False)
            | pc.is_null(pub_date).to_numpy(zero_copy_only=False) | bad_pd | dates["ad"][1] | dates["epd"][1])
        pub_id = pc.binary_join_element_wise(office, pub_number, kind, "-")
        return {"office": office, "kind": kind, "number": pub_number, "pub_id": pub_id, "pub_date": pub_date,
                "application_date": dates["ad"][0], "earliest": dates["epd"][0], "app_cc": app_cc,
                "app_number": app_number, "app_kind": app_kind,
                "row": np.arange(self.batch.num_rows)}

    def _doc_numbers(self, column: str) -> tuple[pa.Array, pa.Array, pa.Array]:
        """``split_doc_number``: (office, squeezed number, kind), null where it is not that form.
        Values of the plain form ``CC NUMBER KIND [YYYYMMDD]`` (single spaces, printable ASCII,
        a number without spaces: the pattern can only read them one way) are split at the
        spaces; the others go through ``split_doc_number`` itself."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        values = self.col[column]
        found = pc.extract_regex(values, _SIMPLE_DOC_NUMBER)  # null where it does not match
        simple = self.plain[column] & pc.is_valid(found).to_numpy(zero_copy_only=False)
        # squeeze_number (the simple number holds no space)
        out = [pc.struct_field(found, "cc"), _squeezed(pc.struct_field(found, "number")),
               pc.struct_field(found, "kind")]
        others = np.flatnonzero(~simple)
        if len(others):
            python = [split_doc_number(v) for v in values.take(pa.array(others)).to_pylist()]
            mask = pa.array(~simple)
            out = [pc.replace_with_mask(part, mask, pa.array([p[i] if p else None for p in python], pa.string()))
                   for i, part in enumerate(out)]
        return out[0], out[1], out[2]

    @staticmethod
    def _pub_numbers(number: pa.Array) -> pa.Array:
        """``strip_leading_zeros`` of the squeezed number: its pattern (the lookahead as a
        captured digit) as an RE2 kernel on ASCII numbers starting with a letter or zero, upper
        case alone on those starting with 1-9, the function itself on the others."""
        import pyarrow as pa
        import pyarrow.compute as pc

        upper = pc.utf8_upper(number)
        first = pc.utf8_slice_codeunits(number, 0, 1)
        digit = pc.fill_null(pc.and_(pc.greater_equal(first, "1"), pc.less_equal(first, "9")), True)
        ascii_ = pc.fill_null(pc.string_is_ascii(number), True).to_numpy(zero_copy_only=False)
        zeros = ~digit.to_numpy(zero_copy_only=False) & ascii_
        if zeros.any():
            stripped = pc.replace_substring_regex(upper.filter(pa.array(zeros)), r"^([A-Z]*)0+([0-9])", r"\1\2")
            upper = pc.replace_with_mask(upper, pa.array(zeros), stripped)
        return replace_where(upper, number, ~ascii_, strip_leading_zeros, pa.string())

    def _dates(self, column: str) -> tuple[pa.Array, np.ndarray]:
        """``parse_iso_date`` once per distinct text of the file: (dates, rows where it is not a
        date)."""
        import pyarrow as pa

        kind = pa.struct([("date", pa.date32()), ("bad", pa.bool_())])
        parsed = per_distinct(self.col[column], _read_date, kind, self.memo["date"])
        return parsed.field("date"), parsed.field("bad").to_numpy(zero_copy_only=False)

    # -- lists ----------------------------------------------------------------------------------

    def _parts(self, column: str) -> _Parts:
        """``split_multi``: parts split at ``;;``, stripped as Python strips, blanks dropped."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        lists = pc.split_pattern(self.col[column], ";;")
        raw = lists.flatten()
        row = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        text = pc.utf8_trim(raw, " ")  # printable ASCII: the only whitespace is the space
        text = replace_where(text, raw, ~self.plain[column][row], str.strip, pa.string(), self.memo["strip"])
        kept = pc.not_equal(text, "").to_numpy(zero_copy_only=False)
        text, row = text.filter(pa.array(kept)), row[kept]
        return _Parts(text, row, count_within(row) + 1 if len(row) else np.zeros(0, dtype=np.int64))

    def _priorities(self, pub: dict[str, Any]) -> dict[str, Any]:
        """``parse_priority`` per distinct entry; the application itself is left out."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        parts = self._parts("prio")
        office, number, kind, date, bad = _priority_entries(parts.text, self.memo["priority"])
        self.judge[parts.row[bad]] = True
        row = pa.array(parts.row, pa.int64())
        itself = pc.and_(pc.equal(office, pub["app_cc"].take(row)), pc.equal(number, pub["app_number"].take(row)))
        claim = ~pc.fill_null(itself, False).to_numpy(zero_copy_only=False) & ~bad
        # priority_kind: a PCT filing; another office's (Paris); the same office's (domestic)
        pct = pc.or_(pc.equal(kind, "W"), pc.equal(office, "WO"))
        paris = pc.not_equal(office, pub["office"].take(row))
        kinds = pc.if_else(pct, PriorityKind.PCT.value, pc.if_else(
            paris, PriorityKind.PARIS.value, PriorityKind.DOMESTIC_CONTINUATION.value))

        def table(keep: np.ndarray) -> pa.Table:
            rows = claim & keep[parts.row]
            picked = np.flatnonzero(rows)
            at = parts.row[picked]
            return pa.Table.from_arrays([
                pub["pub_id"].take(at), office.take(picked), number.take(picked), date.take(picked),
                kinds.take(picked), pa.array(count_within(at), pa.int64()), pa.array(self.first + at, pa.int64()),
                repeat(self.ingest_id, len(at))], schema=PRIORITIES)

        earliest = pa.table({"row": parts.row[claim], "date": date.filter(pa.array(claim))}).group_by("row").aggregate(
            [("date", "min")])
        claim_min = np.full(self.batch.num_rows, -1, dtype=np.int64)
        days = earliest.column("date_min").cast(pa.int32()).to_numpy(zero_copy_only=False)
        has = ~np.isnan(days.astype(float)) if days.dtype.kind == "f" else np.ones(len(days), dtype=bool)
        rows_with = earliest.column("row").to_numpy()[has]
        claim_min[rows_with] = days[has].astype(np.int64)
        claims_date = pa.array(np.where(claim_min >= 0, claim_min, 0).astype(np.int32), pa.int32(),
                               mask=claim_min < 0).cast(pa.date32())
        return {"table": table, "earliest": claims_date}

    def _owners(self) -> dict[int, list]:
        """"Owners (US)" of the rows that have them, oldest first (``parse_owners``, per row: few rows)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        present = np.flatnonzero(pc.not_equal(pc.utf8_trim_whitespace(self.col["own"]), "").to_numpy(
            zero_copy_only=False) | ~self.plain["own"])
        out = {}
        for i, value in zip(present, self.col["own"].take(pa.array(present)).to_pylist(), strict=True):
            try:
                owners = parse_owners(value)
            except BadDate:
                self.judge[i] = True
                continue
            if owners:
                out[int(i)] = owners
        return out

    def _classifications(self, pub: dict[str, Any]) -> Callable[[np.ndarray], pa.Table]:
        """IPC and CPC through ``cpc_symbol`` per distinct code (the first of a repeated symbol
        kept), US classes with their whitespace collapsed; sequence counts what is kept."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        pieces = []
        for order, (column, scheme) in enumerate((("ipcr", "IPC"), ("cpc", "CPC"), ("usc", "national"))):
            parts = self._parts(column)
            if scheme == "national":
                symbol = per_distinct(parts.text, _collapse, pa.string(), self.memo["us_class"])
                first_seen = np.ones(len(parts.row), dtype=bool)
            else:
                symbol = per_distinct(parts.text, cpc_symbol, pa.string(), self.memo["cpc"])
                bad = pc.is_null(symbol).to_numpy(zero_copy_only=False)
                self.judge[parts.row[bad]] = True
                codes = pc.dictionary_encode(pc.fill_null(symbol, "")).indices.to_numpy(zero_copy_only=False)
                combined = parts.row.astype(np.int64) * (int(codes.max(initial=0)) + 1) + codes
                first_seen = np.zeros(len(parts.row), dtype=bool)
                first_seen[np.unique(combined, return_index=True)[1]] = True
            pieces.append((parts.row[first_seen], parts.n[first_seen], symbol.filter(pa.array(first_seen)),
                           np.full(int(first_seen.sum()), order, dtype=np.int8), scheme))

        def table(keep: np.ndarray) -> pa.Table:
            row = np.concatenate([p[0] for p in pieces])
            n = np.concatenate([p[1] for p in pieces])
            order = np.concatenate([p[3] for p in pieces])
            symbol = pa.concat_arrays([p[2] for p in pieces])
            sort = np.argsort(row, kind="stable")  # within a row: IPC, CPC, US, each in printed order
            sort = sort[keep[row[sort]]]
            row, n, order = row[sort], n[sort], order[sort]
            schemes = pa.array([p[4] for p in pieces], pa.string()).take(pa.array(order))
            return pa.Table.from_arrays([
                pub["pub_id"].take(row), schemes, symbol.take(sort),
                pa.array(["additional", "first"], pa.string()).take(pa.array((n == 1).astype(np.int8))),
                pa.array(count_within(row), pa.int64()), pa.array(self.first + row, pa.int64()),
                repeat(self.ingest_id, len(row))], schema=CLASSIFICATIONS)

        return table

    # -- the tables ---------------------------------------------------------------------------

    def _publications(self, pub: dict[str, Any], priorities: dict[str, Any],
                      keep: np.ndarray) -> tuple[pa.Table, list[tuple[int, str]]]:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        rows = pa.array(np.flatnonzero(keep))
        every = len(rows) == len(keep)  # most batches: no row left to the reader, nothing to take

        def kept(values: pa.Array) -> pa.Array:
            return values if every else values.take(rows)

        office, kind, pub_date, pub_id = (kept(pub[k]) for k in ("office", "kind", "pub_date", "pub_id"))
        # type_document once per distinct (Type, office, kind, date): the four joined by NUL (which
        # no value holds: the byte scan sends such a file back) and dictionary-encoded.
        lens_type = kept(self.col["type"])
        combined = pc.dictionary_encode(pc.binary_join_element_wise(
            lens_type, office, kind, pc.cast(pc.cast(pub_date, pa.int32()), pa.string()), "\x00"))
        typed = self.memo["type"].answers(combined.dictionary.to_pylist(), _type_of_key)
        which = combined.indices
        doc_type = pa.array([t.doc_type for t in typed], pa.string()).take(which)
        rule = pa.array([t.rule for t in typed], pa.string()).take(which)
        warns = pa.array([t.warning is not None for t in typed], pa.bool_()).take(which).to_numpy(zero_copy_only=False)
        warnings = []
        for i in np.flatnonzero(warns):  # the warning names the pub_id: made again for the few rows
            t, o, k, d = (a[int(i)].as_py() for a in (lens_type, office, kind, pub_date))
            warning = type_document(t, o, k, d, pub_id[int(i)].as_py()).warning
            warnings.append((self.first + int(rows[int(i)].as_py()), warning))
        earliest = pc.min_element_wise(kept(pub["application_date"]), kept(pub["earliest"]),
                                       kept(priorities["earliest"]), skip_nulls=True)
        app_kind = kept(pub["app_kind"])
        pct = pc.fill_null(pc.and_(pc.equal(app_kind, "W"), pc.not_equal(office, "WO")), False)
        title = kept(self._titles())
        n = len(rows)
        columns = {
            "pub_id": pub_id, "office": office, "number": kept(pub["number"]), "kind": kind,
            "doc_type": doc_type, "pub_date": pub_date,
            "application_number": kept(pub["app_number"]), "application_date": kept(pub["application_date"]),
            "earliest_priority_date": earliest, "family_id": pa.nulls(n, pa.string()),
            "route": pc.if_else(pct, Route.PCT.value, Route.DIRECT.value), "title": title,
            "language": pa.nulls(n, pa.string()), "source_format": repeat(self.source_format, n),
            "source_file": repeat(self.source_file, n),
            "record_index": pa.array(self.first + np.asarray(rows), pa.int64()),
            "reader_version": repeat(self.reader_version, n),
            "doc_type_rule": rule,
            "ingest_id": repeat(self.ingest_id, n),
        }
        return pa.Table.from_arrays([columns[f.name].cast(f.type) for f in PUBLICATIONS], schema=PUBLICATIONS), warnings

    def _titles(self) -> pa.Array:
        """``" ".join(title.split()) or None``."""
        import pyarrow as pa
        import pyarrow.compute as pc

        raw = self.col["title"]
        doubled = pc.match_substring(raw, "  ")  # the few titles with a run of spaces to squeeze
        if pc.any(doubled).as_py():
            raw = pc.replace_with_mask(raw, doubled, pc.replace_substring_regex(raw.filter(doubled), " {2,}", " "))
        title = pc.utf8_trim(raw, " ")
        title = replace_where(title, self.col["title"], ~self.plain["title"], _collapse, pa.string())
        return pc.if_else(pc.equal(title, ""), pa.scalar(None, pa.string()), title)

    def _name_keys(self, parts: _Parts) -> pa.Array:
        """``name_key`` once per distinct name: an ASCII name whose upper case is words of A-Z
        and 0-9 between single spaces is its own key; ``name_key`` itself gives the others'."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        names = pc.unique(parts.text)
        upper = pc.utf8_upper(names)
        simple = pc.and_(pc.string_is_ascii(names), pc.match_substring_regex(upper, r"^[A-Z0-9]+( [A-Z0-9]+)*$"))
        keys = replace_where(upper, names, ~np.asarray(simple), name_key, pa.string(), self.memo["name"])
        return keys.take(pc.index_in(parts.text, value_set=names))

    def _parties(self, pub: dict[str, Any], owners: dict[int, list], keep: np.ndarray) -> pa.Table:
        """Applicants (a person when their name key is among the row's inventors'), inventors and
        the current owner as the assignee, in the reader's order."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        applicants, inventors = self._parts("app"), self._parts("inv")
        app_keys, inv_keys = self._name_keys(applicants), self._name_keys(inventors)

        # (row, key) pairs as integers: a key's number among the inventors' keys (-1: none).
        known = pc.unique(inv_keys)
        app_key_id = pc.fill_null(pc.index_in(app_keys, value_set=known), -1).to_numpy(zero_copy_only=False)
        inv_key_id = pc.index_in(inv_keys, value_set=known).to_numpy(zero_copy_only=False)
        width = len(known) + 1
        person = pc.is_in(pa.array(applicants.row.astype(np.int64) * width + app_key_id),
                          value_set=pa.array(inventors.row.astype(np.int64) * width + inv_key_id)).to_numpy(
            zero_copy_only=False)
        person &= (app_key_id >= 0) & pc.not_equal(app_keys, "").to_numpy(zero_copy_only=False)
        app_kind = pa.array([PartyKind.ORGANISATION.value, PartyKind.PERSON.value]).take(
            pa.array(person.astype(np.int8)))
        owner_rows = np.array(sorted(i for i in owners if keep[i]), dtype=np.int64)
        # the inventors' keys of the rows with owners, for ``applicant_kind`` of each owner
        on_owner_row = np.isin(inventors.row, owner_rows)
        self.inventor_keys = {int(i): set() for i in owner_rows}
        for i, key in zip(inventors.row[on_owner_row], inv_keys.filter(pa.array(on_owner_row)).to_pylist(),
                          strict=True):
            self.inventor_keys[int(i)].add(key)
        owner_names, owner_kinds = [], []
        for i in owner_rows:
            owner = current_owner(owners[int(i)])
            assert owner is not None
            owner_names.append(owner.name)
            owner_kinds.append(applicant_kind(owner.name, self.inventor_keys[int(i)]))
        row = np.concatenate([applicants.row, inventors.row, owner_rows])
        role = np.concatenate([np.zeros(len(applicants.row), np.int8), np.ones(len(inventors.row), np.int8),
                               np.full(len(owner_rows), 2, np.int8)])
        sequence = np.concatenate([applicants.n, inventors.n, np.ones(len(owner_rows), np.int64)])
        name = pa.concat_arrays([applicants.text, inventors.text, pa.array(owner_names, pa.string())])
        kind = pa.concat_arrays([app_kind, repeat(PartyKind.PERSON.value, len(inventors.row)),
                                 pa.array(owner_kinds, pa.string())])
        sort = np.argsort(row, kind="stable")
        sort = sort[keep[row[sort]]]
        at = row[sort]
        roles = pa.array([Role.APPLICANT.value, Role.INVENTOR.value, Role.ASSIGNEE.value]).take(pa.array(role[sort]))
        n = len(sort)
        nulls = pa.nulls(n, pa.string())
        return pa.Table.from_arrays([
            pub["pub_id"].take(at), roles, pa.array(sequence[sort], pa.int64()),
            name.take(sort), kind.take(sort), nulls, nulls, nulls, nulls, nulls, nulls, nulls,
            pa.array(self.first + at, pa.int64()), repeat(self.ingest_id, n)], schema=PARTIES)

    def _transfers(self, owners: dict[int, list], pub: dict[str, Any], keep: np.ndarray) -> dict[str, pa.Table]:
        """``owner_transfers``: one transfer per owner entry, ids ``LENS-<Lens ID>-OWNER-<n>``."""
        import numpy as np
        import pyarrow as pa

        flat = [(i, n, owner) for i in sorted(owners) if keep[i] for n, owner in enumerate(owners[i], start=1)]
        rows = np.array([f[0] for f in flat], dtype=np.int64)
        at = pa.array(rows, pa.int64())
        lens_ids = self.col["lid"].take(at).to_pylist()
        ids = pa.array([f"LENS-{lens_id or f'row{self.first + i + 1}'}-OWNER-{n}"
                        for lens_id, (i, n, _) in zip(lens_ids, flat, strict=True)], pa.string())
        names = pa.array([f[2].name for f in flat], pa.string())
        kinds = pa.array([applicant_kind(f[2].name, self.inventor_keys[f[0]]) for f in flat], pa.string())
        n = len(flat)
        record_index = pa.array(self.first + rows, pa.int64())
        ingest_id, nulls, ones = repeat(self.ingest_id, n), pa.nulls(n, pa.string()), pa.repeat(pa.scalar(1), n)
        heads = {
            "transfer_id": ids, "office": repeat(OWNER_OFFICE, n),
            "conveyance_type": repeat(ConveyanceType.OTHER.value, n), "conveyance_text": nulls, "event_code": nulls,
            "reel_frame": nulls, "execution_date": pa.nulls(n, pa.date32()),
            "record_date": pa.array([f[2].date for f in flat], pa.date32()),
            "scope": repeat(TransferScope.PROPERTY.value, n), "source_format": repeat(self.source_format, n),
            "source_file": repeat(self.source_file, n), "record_index": record_index,
            "reader_version": repeat(self.reader_version, n), "ingest_id": ingest_id}
        sides = {
            "transfer_id": ids, "side": repeat(TransferSide.ASSIGNEE.value, n), "sequence": ones, "name": names,
            "kind": kinds, "city": nulls, "state": nulls, "country_raw": nulls, "country": nulls, "address": nulls,
            "execution_date": pa.nulls(n, pa.date32()), "record_index": record_index, "ingest_id": ingest_id}
        props = {
            "transfer_id": ids, "sequence": ones, "office": pub["office"].take(at), "pub_id": pub["pub_id"].take(at),
            "application_number": pub["app_number"].take(at), "kind": pub["kind"].take(at), "title": nulls,
            "record_index": record_index, "ingest_id": ingest_id}
        families = (("transfers", heads, TRANSFERS), ("transfer_parties", sides, TRANSFER_PARTIES),
                    ("transfer_properties", props, TRANSFER_PROPERTIES))
        return {name: pa.Table.from_arrays([columns[f.name].cast(f.type) for f in schema], schema=schema)
                for name, columns, schema in families}
