"""Kind code to document type, per office and publication date.

A kind code only means something together with its office, and sometimes with the date: US ``A``
was a grant before 2001 and US ``B1``/``B2`` were re-examination certificates then; CN ``C`` was the
invention grant until the 2010 switch and marks a partial invalidation after it. Counting
invention grants by the letters alone is wrong in both directions, so every reader asks here.

Each document is given the type of what it *first* publishes. Republications, corrections,
search reports and translations (EP B2/B3/A3, US A2/A9, WO A3, DE T2/T5 ...) are ``other``, so that
counting ``invention_grant`` documents counts each grant once. Unknown pairs are ``other`` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from patentreach.model.records import DocType
from patentreach.refdata.loader import cached, load_table, on_reload, parse_date

_VALID_TYPES = frozenset(member.value for member in DocType)


@dataclass(frozen=True, slots=True)
class KindCode:
    """One meaning of one kind code at one office, over a validity period (None: open)."""

    office: str
    kind: str
    doc_type: str
    valid_from: date | None
    valid_to: date | None
    description: str
    source: str
    checked: str
    verified: str
    note: str = ""

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@cached
def kind_codes() -> tuple[KindCode, ...]:
    """Every row of the ``kind_codes`` table; raises on a document type the model does not know."""
    codes = []
    for row in load_table("kind_codes"):
        if row["doc_type"] not in _VALID_TYPES:
            raise ValueError(f"kind_codes: {row['office']} {row['kind']}: bad {row['doc_type']!r}")
        codes.append(
            KindCode(
                office=row["office"].upper(),
                kind=row["kind"].upper(),
                doc_type=row["doc_type"],
                valid_from=parse_date(row["valid_from"]),
                valid_to=parse_date(row["valid_to"]),
                description=row.get("description", ""),
                source=row.get("source", ""),
                checked=row.get("checked", ""),
                verified=row.get("verified", ""),
                note=row.get("note", ""),
            )
        )
    return tuple(codes)


@cached
def _index() -> dict[tuple[str, str], tuple[KindCode, ...]]:
    grouped: dict[tuple[str, str], list[KindCode]] = {}
    for code in kind_codes():
        grouped.setdefault((code.office, code.kind), []).append(code)
    return {
        key: tuple(sorted(rows, key=lambda c: c.valid_from or date.min))
        for key, rows in grouped.items()
    }


@cached
def _current() -> dict[tuple[str, str], KindCode]:
    """The present meaning of each pair: the open-ended row, else the one that started last."""
    current = {}
    for key, rows in _index().items():
        open_ended = [row for row in rows if row.valid_to is None]
        current[key] = (open_ended or list(rows))[-1]
    return current


def kind_code(office: str, kind: str, pub_date: date | None = None) -> KindCode | None:
    """The row that gives ``kind`` its meaning at ``office`` on ``pub_date`` (None: today's)."""
    key = (office.strip().upper(), kind.strip().upper())
    if pub_date is None:
        return _current().get(key)
    if isinstance(pub_date, datetime):
        pub_date = pub_date.date()
    for row in _index().get(key, ()):
        if row.valid_on(pub_date):
            return row
    return None


@lru_cache(maxsize=65536)
def doc_type(office: str, kind: str, pub_date: date | None = None) -> str:
    """A :class:`~patentreach.model.records.DocType` value for a publication.

    ``pub_date`` picks the meaning valid on that day; None gives the current meaning. An unknown
    (office, kind), or a date outside every validity period, gives ``"other"``. Memoised: a
    reader asks the same (office, kind, weekly date) many times.
    """
    row = kind_code(office, kind, pub_date)
    return row.doc_type if row is not None else DocType.OTHER.value


def kind_offices() -> list[str]:
    """The offices the kind-code table covers."""
    return sorted({code.office for code in kind_codes()})


on_reload(doc_type.cache_clear)
