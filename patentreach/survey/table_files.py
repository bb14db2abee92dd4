"""Open the user's survey tables (CSV, XLSX, Parquet) safely, or say in one line why not.

Frames, samples, responses and estimation data arrive as files that people save from Excel,
statistics packages or Kobo: a CSV saved as "ANSI", a workbook renamed to .csv, a truncated
download, an empty export. Each of those must end in one sentence that names the file (and the
line where it applies), never in a decoder's traceback or a pandas message without the file.

The checks are cheap, shared with ``protect`` (:mod:`patentreach.sources.user_tables`), and done
before any parser sees the file:

* a text file is read once as a stream: empty, binary (a NUL byte) or not UTF-8 (with the line
  of the first bad byte) are refused;
* a workbook is opened only when it is a zip archive whose declared unpacked size and
  compression ratio stay within :mod:`patentreach.sources.limits` (a zip bomb is refused before
  openpyxl inflates it);
* a table with more rows than ``max_records_per_file`` is refused, naming the limit and how to
  lift it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from patentreach.sources import limits, user_tables

if TYPE_CHECKING:
    import pandas as pd

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class TableFileError(ValueError):
    """A survey input file that cannot be read; the message names the file (and line)."""


def check_text_file(path: Path) -> None:
    """Refuse a missing, empty, binary or non-UTF-8 text file (a UTF-8 BOM is fine)."""
    path = Path(path)
    if not path.is_file():
        raise TableFileError(f"{path}: no such file")
    try:
        blank = user_tables.check_text(path)
    except user_tables.UnreadableTable as exc:
        raise TableFileError(f"{path}: {exc}") from None
    if blank:
        raise TableFileError(f"{path}: the file is empty (no header row)")


def check_workbook(path: Path) -> None:
    """Refuse a file that is not a zip archive, or whose unpacked size breaks the limits."""
    path = Path(path)
    if not path.is_file():
        raise TableFileError(f"{path}: no such file")
    try:
        user_tables.check_workbook_archive(path)
    except user_tables.UnreadableTable as exc:
        raise TableFileError(f"{path}: {exc}") from None


def workbook_rows(path: Path) -> list[list[Any]]:
    """The first sheet's rows as value lists, after :func:`check_workbook`."""
    return workbook_sheets(path)[0][1]


def workbook_sheets(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet as (title, rows), after :func:`check_workbook`; row count bounded by the limits."""
    from openpyxl import load_workbook

    check_workbook(path)
    most = limits.current().max_records_per_file
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, InvalidFileException... for broken parts
        raise TableFileError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheets = []
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > most + 1:
                    raise TableFileError(_too_many(path, most))
            sheets.append((sheet.title, rows))
    except TableFileError:
        raise
    except Exception as exc:  # a sheet part that does not parse
        raise TableFileError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()
    if not sheets:
        raise TableFileError(f"{path}: the workbook has no sheet")
    return sheets


def read_table(path: Path, *, dtype: Any = None, keep_default_na: bool = True, rows_needed: bool = True,
               what: str = "rows") -> pd.DataFrame:
    """A CSV, XLSX (first sheet) or Parquet file as a DataFrame, or one :class:`TableFileError`.

    ``rows_needed``: a file with a header but no row is refused ("a header but no {what}")."""
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    most = limits.current().max_records_per_file
    if suffix == ".parquet":
        frame = _read_parquet(path)
    elif suffix in WORKBOOK_SUFFIXES:
        rows = workbook_rows(path)
        if not rows or not any(cell is not None for cell in rows[0]):
            raise TableFileError(f"{path}: the first sheet is empty (no header row)")
        header = ["" if cell is None else str(cell).strip() for cell in rows[0]]
        frame = pd.DataFrame([row[: len(header)] for row in rows[1:]], columns=header)
        frame = frame.dropna(how="all").reset_index(drop=True)
        if dtype is str:
            frame = frame.astype(object).where(frame.notna(), None)
            frame = frame.apply(lambda column: column.map(lambda v: v if v is None else str(v)))
    else:
        check_text_file(path)
        try:
            frame = pd.read_csv(path, dtype=dtype, keep_default_na=keep_default_na, encoding="utf-8-sig",
                                nrows=most + 1)
        except pd.errors.EmptyDataError:
            raise TableFileError(f"{path}: the file is empty (no header row)") from None
        except (pd.errors.ParserError, ValueError) as exc:
            raise TableFileError(f"{path}: not a readable CSV file: {_first_line(exc)}") from None
    if len(frame) > most:
        raise TableFileError(_too_many(path, most))
    if rows_needed and frame.empty:
        raise TableFileError(f"{path}: a header but no {what}")
    return frame


def _read_parquet(path: Path) -> pd.DataFrame:
    import pandas as pd

    if not path.is_file():
        raise TableFileError(f"{path}: no such file")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, ArrowIOError, OSError for a broken file
        raise TableFileError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from None


def _too_many(path: Path, most: int) -> str:
    return (f"{path}: more than {most:,} rows, over the limit max_records_per_file "
            f"(lift it with PATENTREACH_LIMITS=max_records_per_file=N)")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
