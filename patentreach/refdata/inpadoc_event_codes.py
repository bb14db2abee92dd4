"""What a legal-event code means: INPADOC (and USPTO maintenance-fee, ODP, register) codes -> meaning.

Rows of ``inpadoc_event_codes.csv`` name the event code, the authority that uses it (``*`` for
any), an optional regular expression on the event's text (for codes whose meaning depends on the
text: a PG25 lapse "because of non-payment" or "because of failure to submit a translation", an
STAA status "the patent has been granted"), the normalised meaning (one of
``legal.status_model.MEANINGS``), the state the code is about when the event itself names none
(``GBPC`` is a GB lapse), English and Chinese labels, the source, the date checked and whether the
row is verified. Rows are matched in file order: text rows before the code's plain row.

A code with no row means ``other`` and is *unknown*: the status engine says so in the reason of
any status that depends on it, never treating it as harmless in silence. A user file of the same
name under ``PATENTREACH_REFDATA`` replaces the packaged table (it is a whole table, not merged,
because the row order matters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from patentreach.refdata.loader import cached, override_dir, read_csv

FILENAME = "inpadoc_event_codes.csv"
OTHER = "other"


@dataclass(frozen=True, slots=True)
class EventMeaning:
    code: str
    authority: str  # "*" for any authority
    text_pattern: re.Pattern[str] | None
    meaning: str
    state: str  # the state the event is about when the event names none ("" if none)
    label_en: str
    label_zh: str
    source: str
    checked: str
    verified: str  # yes | NOT VERIFIED
    verification: str
    known: bool = True  # False: no row for the code (meaning "other", said out loud)

    def label(self, lang: str = "en") -> str:
        return self.label_zh if lang.startswith("zh") and self.label_zh else self.label_en


def table_path() -> Path:
    """The user's table when ``PATENTREACH_REFDATA`` holds one, else the packaged table."""
    folder = override_dir()
    if folder is not None and (folder / FILENAME).is_file():
        return folder / FILENAME
    return Path(str(resources.files(__package__).joinpath(FILENAME)))


@cached
def event_meanings() -> tuple[EventMeaning, ...]:
    """Every row, in file order."""
    path = table_path()
    _, rows = read_csv(path)
    out = []
    for n, row in enumerate(rows, start=2):
        try:
            pattern = re.compile(row["text_pattern"], re.IGNORECASE) if row.get("text_pattern") else None
        except re.error as exc:
            raise ValueError(f"{path}: line {n}: text_pattern {row['text_pattern']!r}: {exc}") from None
        out.append(EventMeaning(
            code=row["code"].upper(), authority=(row.get("authority") or "*").upper(), text_pattern=pattern,
            meaning=row["meaning"], state=row.get("state", "").upper(), label_en=row.get("label_en", ""),
            label_zh=row.get("label_zh", ""), source=row.get("source", ""), checked=row.get("checked", ""),
            verified=row.get("verified", ""), verification=row.get("verification", ""),
        ))
    return tuple(out)


@cached
def _by_code() -> dict[str, tuple[EventMeaning, ...]]:
    index: dict[str, list[EventMeaning]] = {}
    for row in event_meanings():
        index.setdefault(row.code, []).append(row)
    return {code: tuple(rows) for code, rows in index.items()}


def meaning_of(authority: str, code: str, text: str | None = None) -> EventMeaning:
    """The first row for ``code`` whose authority and text pattern match; an unknown code is
    ``other`` with ``known=False``."""
    authority, code = (authority or "").strip().upper(), (code or "").strip().upper()
    for row in _by_code().get(code, ()):
        if row.authority not in ("*", authority):
            continue
        if row.text_pattern is not None and not row.text_pattern.search(text or ""):
            continue
        return row
    return EventMeaning(code, authority, None, OTHER, "", f"unknown event code {authority} {code}",
                        f"未知事件代码 {authority} {code}", "", "", "NOT VERIFIED",
                        "no row in inpadoc_event_codes.csv", known=False)


def meaning_rows() -> list[tuple[str, str, str, str, str, bool]]:
    """(code, authority, text_pattern, meaning, state, known) rows, for a SQL join: DuckDB
    matches the text patterns with ``regexp_matches`` and keeps the first match per event."""
    return [(r.code, r.authority, r.text_pattern.pattern if r.text_pattern else "", r.meaning, r.state, True)
            for r in event_meanings()]
