"""Lens.org value forms shared by the CSV export and the API JSON.

* multi-values joined with ``;;``;
* document numbers as ``US 2011/0185700 A1`` (jurisdiction, number with the office's own
  punctuation, kind) and priority entries as ``US 83547206 P 20060804`` (with the filing date);
* "Owners (US)" entries ``NAME (YYYY-MM-DD)``: the US assignment record, newest last or first
  depending on the export, so they are ordered by date here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from patentreach.model.records import PriorityKind
from patentreach.sources.dates import BadDate, parse_iso_date, parse_yyyymmdd

# A corrected document (kind B9, A9 ...) is printed with its date: "EP 1357170 B9 20061018".
_DOC_NUMBER = re.compile(r"^\s*([A-Z]{2})\s+(.+?)\s+([A-Z]\d?)(?:\s+\d{8})?\s*$")
_PRIORITY = re.compile(r"^\s*([A-Z]{2})\s+(\S+(?:\s\S+)*?)\s+([A-Z]\d?)\s+(\d{8})\s*$")
_OWNER = re.compile(r"^(.*?)\s*\((\d{4}-\d{2}-\d{2})\)\s*$")


def split_multi(value: str | None) -> list[str]:
    """``A;;B;; C`` -> [``A``, ``B``, ``C``]; blanks dropped."""
    if not value:
        return []
    return [part.strip() for part in value.split(";;") if part.strip()]


def squeeze_number(number: str) -> str:
    """The number without the office's punctuation: ``2011/0185700`` -> ``20110185700``."""
    return re.sub(r"[\s/,.-]", "", number)


def split_doc_number(text: str) -> tuple[str, str, str] | None:
    """``US 2011/0185700 A1`` -> (``US``, ``20110185700``, ``A1``); None if not that form.
    ``AU 2009 351236 B9 20130627`` -> (``AU``, ``2009351236``, ``B9``): the date is dropped."""
    m = _DOC_NUMBER.match(text or "")
    if not m:
        return None
    return m.group(1), squeeze_number(m.group(2)), m.group(3)


@dataclass(frozen=True, slots=True)
class PriorityEntry:
    office: str
    number: str
    kind: str  # the application kind: A, P (US provisional), W (PCT), U (utility model)
    date: date | None


def parse_priority(text: str) -> PriorityEntry:
    """``US 83547206 P 20060804``; ``BadDate`` or ``ValueError`` (with the text) otherwise."""
    m = _PRIORITY.match(text)
    if not m:
        raise ValueError(f"{text!r} is not 'CC NUMBER KIND YYYYMMDD'")
    return PriorityEntry(m.group(1), squeeze_number(m.group(2)), m.group(3), parse_yyyymmdd(m.group(4)))


def priority_kind(entry_office: str, entry_kind: str, pub_office: str) -> str:
    """A PCT application (kind ``W``) is ``pct``; another office's filing is a Paris priority;
    the same office's earlier filing (provisional, parent) is domestic."""
    if entry_kind == "W" or entry_office == "WO":
        return PriorityKind.PCT
    if entry_office != pub_office:
        return PriorityKind.PARIS
    return PriorityKind.DOMESTIC_CONTINUATION


@dataclass(frozen=True, slots=True)
class Owner:
    name: str
    date: date | None


def parse_owners(value: str | None) -> list[Owner]:
    """"Owners (US)" entries, oldest first; ``BadDate`` names the entry that is not a date."""
    owners = []
    for part in split_multi(value):
        m = _OWNER.match(part)
        if m:
            try:
                owners.append(Owner(m.group(1).strip(), parse_iso_date(m.group(2))))
            except BadDate as exc:
                raise BadDate(f"{part!r}: {exc}") from None
        else:
            owners.append(Owner(part, None))
    return sorted(owners, key=lambda o: o.date or date.min)


def current_owner(owners: list[Owner]) -> Owner | None:
    """The owner recorded last: the one the statistics count as the current assignee. The full
    chain is an ownership-transfer history, which belongs to the transfers tables."""
    return owners[-1] if owners else None
