"""A user's fee table (``--fees``), read through the same guards as every other protect input.

The table replaces the packaged ``official_fees.csv``; its amounts are summed into route fees,
so an amount of ``nan``, ``inf`` or ``1e400`` would turn every total it touches into a
non-number (and the JSON output into invalid JSON), and a negative amount would make a route
look cheaper. Such cells are errors naming the file, row and column, all reported at once
(``InputError``), as for the portfolio and the export markets.
"""

from __future__ import annotations

import math
from pathlib import Path

from patentreach.protect.input_tables import InputError, InputRow, Problems, read_rows
from patentreach.refdata.official_fees import FeeItem, read_fee_file

AMOUNT_COLUMNS = ("amount", "per_claim")


def read_user_fees(path: Path) -> tuple[FeeItem, ...]:
    """The fee items of ``path`` (CSV), or ``InputError`` listing every unreadable or bad cell."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise InputError(path, [f"{path.name}: a fee table is a .csv file with the columns of official_fees.csv"])
    _, rows = read_rows(path)  # empty, binary, non-UTF-8 and header-only files stop here, by name
    problems = Problems(path)
    for row in rows:
        for column in AMOUNT_COLUMNS:
            _check_amount(problems, row, column)
    problems.raise_if_any()
    try:
        return read_fee_file(path)
    except ValueError as error:  # missing columns: the message names the file
        raise InputError(path, [" ".join(str(error).split())]) from None


def _check_amount(problems: Problems, row: InputRow, column: str) -> None:
    """Text that is not a number stays an unknown amount (as in the packaged table); a number must
    be finite and not negative."""
    text = row.get(column).replace(",", "").replace(" ", "")
    try:
        value = float(text)
    except ValueError:
        return
    if not math.isfinite(value):
        problems.add(row.number, column, f"{row.get(column)!r} is not a finite number")
    elif value < 0:
        problems.add(row.number, column, f"{row.get(column)!r} is negative")
