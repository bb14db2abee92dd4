"""Read a user's CSV or XLSX table into numbered rows, and collect every problem with it at once.

Portfolio and export-market files are typed by people, so they are read leniently (column names
in any case, with spaces or underscores; dates as ISO text or as spreadsheet dates; blank lines
ignored) and validated strictly: every problem names the file, the row (as a spreadsheet shows
it: the header is row 1) and the column, and all of them are reported together. No row is
dropped: a file with a problem is refused whole, with the list of what to fix.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from patentreach.sources import limits, user_tables

_LIST_SEPARATORS = re.compile(r"[;,|\s]+")
_FAMILY_SEPARATORS = re.compile(r"\s*[;,|]\s*")


class InputError(ValueError):
    """A user file that cannot be used as it is; ``problems`` lists every reason."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        shown = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{path}: {len(problems)} problem(s):\n{shown}")


@dataclass(frozen=True, slots=True)
class InputRow:
    number: int  # the row number a spreadsheet shows (header = 1)
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Problems:
    """Collects problems as ``file, row N, column C: message``."""

    path: Path
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, row: int | None, column: str | None, message: str) -> None:
        where = [self.path.name]
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column {column}")
        self.messages.append(f"{', '.join(where)}: {message}")

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.path.name}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise InputError(self.path, self.messages)


def normalise_column(name: str) -> str:
    """``"Priority Date"`` -> ``priority_date``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path) -> tuple[list[str], list[InputRow]]:
    """Columns (normalised) and non-blank rows of a ``.csv`` or ``.xlsx`` file (first sheet).

    A file that cannot be a table - missing, empty, binary, not UTF-8, a workbook that is not a
    zip archive, larger than the limits of :mod:`patentreach.sources.limits`, or a header with no
    row under it - is one ``InputError`` naming the file (and the line where it applies)."""
    if not path.is_file():
        raise InputError(path, [f"{path.name}: no such file"])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _xlsx_rows(path)
    elif suffix in (".csv", ".txt", ""):
        raw = _csv_rows(path)
    else:
        raise InputError(path, [f"{path.name}: unsupported file type {suffix!r} (use .csv or .xlsx)"])
    if not raw or not any(_cell_text(cell) for cell in raw[0]):
        raise InputError(path, [f"{path.name}: the file is empty (a header row is needed)"])
    header = [normalise_column(_cell_text(cell)) for cell in raw[0]]
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        values = {column: (texts[i] if i < len(texts) else "") for i, column in enumerate(header) if column}
        if len(texts) > len(header) and any(texts[len(header):]):
            values["__overflow__"] = " | ".join(t for t in texts[len(header):] if t)
        rows.append(InputRow(number, values))
    if not rows:
        raise InputError(path, [f"{path.name}: a header but no rows under it"])
    return [column for column in header if column], rows


def _refuse(path: Path, message: str) -> InputError:
    return InputError(path, [f"{path.name}: {message}"])


def _csv_rows(path: Path) -> list[list[str]]:
    """Every row of a UTF-8 CSV; a binary or non-UTF-8 file, or one over the limits, is refused."""
    bounds = limits.current()
    if path.stat().st_size > bounds.max_document_bytes:
        raise _refuse(path, f"larger than the limit max_document_mb={bounds.max_document_mb} "
                            "(lift it with PATENTREACH_LIMITS)")
    try:
        user_tables.check_text(path)
    except user_tables.UnreadableTable as exc:
        raise _refuse(path, str(exc)) from None
    text = path.read_bytes().decode("utf-8-sig")
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > bounds.max_records_per_file + 1:
                raise _refuse(path, f"more than {bounds.max_records_per_file:,} rows, over the limit "
                                    "max_records_per_file (lift it with PATENTREACH_LIMITS=max_records_per_file=N)")
    except csv.Error as exc:
        raise _refuse(path, f"line {reader.line_num}: not a readable CSV row ({exc})") from None
    return rows


def _xlsx_rows(path: Path) -> list[list[object]]:
    """The first sheet's rows, once the file is known to be a zip archive within the limits."""
    from openpyxl import load_workbook

    bounds = limits.current()
    try:
        user_tables.check_workbook_archive(path)
    except user_tables.UnreadableTable as exc:
        raise _refuse(path, str(exc)) from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl: KeyError, InvalidFileException, ValueError... for a broken part
        raise _refuse(path, f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        rows: list[list[object]] = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > bounds.max_records_per_file + 1:
                raise _refuse(path, f"more than {bounds.max_records_per_file:,} rows, over the limit "
                                    "max_records_per_file (lift it with PATENTREACH_LIMITS=max_records_per_file=N)")
        return rows
    except InputError:
        raise
    except Exception as exc:  # a sheet part that does not parse
        raise _refuse(path, f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    finally:
        workbook.close()


def check_columns(problems: Problems, columns: Iterable[str], required: Iterable[str], known: Iterable[str]) -> None:
    """Missing required columns are problems; unknown columns are kept and warned about."""
    present = set(columns)
    for column in required:
        if column not in present:
            problems.add(None, column, "required column is missing")
    unknown = sorted(present - set(known))
    if unknown:
        problems.warn(f"column(s) {', '.join(unknown)} not used (kept as given)")


def parse_date(problems: Problems, row: InputRow, column: str, required: bool = False) -> date | None:
    text = row.get(column)
    if not text:
        if required:
            problems.add(row.number, column, "a date is required (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(text[:10] if len(text) > 10 and text[10] in " T" else text)
    except ValueError:
        problems.add(row.number, column, f"{text!r} is not a date (YYYY-MM-DD)")
        return None


def parse_choice(
    problems: Problems, row: InputRow, column: str, choices: dict[str, str], default: str | None = None
) -> str | None:
    """The canonical value for a cell from ``choices`` (spelling -> value); empty gives ``default``."""
    text = row.get(column).strip().lower()
    if not text:
        if default is None:
            problems.add(row.number, column, f"a value is required (one of {', '.join(sorted(set(choices.values())))})")
        return default
    if text not in choices:
        allowed = ", ".join(sorted(set(choices.values())))
        problems.add(row.number, column, f"{row.get(column)!r} is not one of {allowed}")
        return default
    return choices[text]


def parse_number(problems: Problems, row: InputRow, column: str) -> float | None:
    text = row.get(column).replace(",", "").replace(" ", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.add(row.number, column, f"{row.get(column)!r} is not a number")
        return None
    if not math.isfinite(value):  # "nan", "inf", "-Infinity", "1e400": would poison every total
        problems.add(row.number, column, f"{row.get(column)!r} is not a finite number")
        return None
    if value < 0:
        problems.add(row.number, column, f"{row.get(column)!r} is negative")
    return value


def split_codes(text: str) -> list[str]:
    """``"DE; FR,GB"`` -> ``["DE", "FR", "GB"]`` (upper case, order kept, no duplicates)."""
    seen: list[str] = []
    for part in _LIST_SEPARATORS.split(text.strip()):
        code = part.strip().upper()
        if code and code not in seen:
            seen.append(code)
    return seen


def split_families(text: str) -> list[str]:
    """Family ids separated by ``;``, ``,`` or ``|`` (ids may contain spaces)."""
    seen: list[str] = []
    for part in _FAMILY_SEPARATORS.split(text.strip()):
        if part and part not in seen:
            seen.append(part)
    return seen
