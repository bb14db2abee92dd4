"""Date fields as offices print them."""

from __future__ import annotations

from datetime import date


class BadDate(ValueError):
    pass


def parse_yyyymmdd(text: str | None) -> date | None:
    """``20050104`` -> 2005-01-04; empty -> None; anything else (``20050100``) -> ``BadDate``."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    if len(text) != 8 or not text.isdigit():
        raise BadDate(f"{text!r} is not a YYYYMMDD date")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise BadDate(f"{text!r} is not a valid date ({exc})") from None


def parse_iso_date(text: str | None) -> date | None:
    """``2018-06-19`` (or ``2018-06-19T...``) -> date; empty -> None."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise BadDate(f"{text!r} is not a YYYY-MM-DD date") from None
