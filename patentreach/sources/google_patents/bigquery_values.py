"""Scalar values as the BigQuery ``patents-public-data.patents.publications`` exports print them.

Dates are INT64 ``YYYYMMDD`` with ``0`` for "none" (BigQuery's JSON export writes every INT64 as a
JSON string, "to preserve 64-bit precision", per Google's "Export table data" page: ``"20161025"``;
Parquet and the client library give integers),
booleans may arrive as the strings ``"true"``/``"false"``, and text carries HTML entities that the
export escaped once more (``\\u0026#39;`` decodes to ``&#39;``, which is an apostrophe).
Publication and application numbers are ``OFFICE-NUMBER-KIND`` (``US-9480000-B2``).
"""

from __future__ import annotations

import html
from datetime import date

from patentreach.sources.dates import BadDate, parse_yyyymmdd


def bq_date(value: object) -> date | None:
    """``20161025`` / ``"20161025"`` / a date -> date; ``0``, ``"0"``, ``""``, None -> None."""
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    if isinstance(value, bool):
        raise BadDate(f"{value!r} is not a YYYYMMDD date")
    text = str(value).strip()
    if text in ("", "0"):
        return None
    return parse_yyyymmdd(text)


def bq_bool(value: object) -> bool:
    """True for ``True``, ``"true"``, ``"1"``; anything else is False."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1") if value is not None else False


def unescape(text: object) -> str | None:
    """Text with HTML entities decoded and blanks squeezed; None for empty."""
    if text is None:
        return None
    value = " ".join(html.unescape(str(text)).split())
    return value or None


def split_number(value: object) -> tuple[str, str, str] | None:
    """``US-9480000-B2`` -> (``US``, ``9480000``, ``B2``); ``US-201414157937-A`` likewise.

    A kind may be missing (``US-9480000``): it comes back as ``""``. None when the text has no
    office and number.
    """
    if not value:
        return None
    parts = str(value).strip().split("-")
    if len(parts) < 2 or not parts[0].isalpha() or not parts[1]:
        return None
    office, number = parts[0].upper(), parts[1]
    kind = parts[2].upper() if len(parts) > 2 else ""
    return office, number, kind


def localized(items: object, prefer: str = "en") -> tuple[str | None, str | None]:
    """(text, language) from a ``*_localized`` list: the ``prefer`` language, else the first."""
    if not isinstance(items, list) or not items:
        return None, None
    entries = [i for i in items if isinstance(i, dict) and i.get("text")]
    if not entries:
        return None, None
    chosen = next((e for e in entries if e.get("language") == prefer), entries[0])
    language = chosen.get("language")
    return unescape(chosen.get("text")), (str(language).lower() if language else None)
