"""Rows of the protection reference tables added for legal status (issue 21).

``restoration_rules`` and ``renewal_fees`` are read through the common loader (so that
``PATENTREACH_REFDATA`` can override them) once they are registered in ``loader.TABLES``; until
then the packaged file is read directly, so the tables work either way.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from patentreach.refdata.loader import Row, load_table, read_csv


def table_rows(name: str) -> tuple[Row, ...]:
    """The rows of table ``name`` (file ``name.csv`` in this package)."""
    try:
        return load_table(name)
    except KeyError:  # not registered in loader.TABLES
        _, rows = read_csv(Path(str(resources.files(__package__).joinpath(f"{name}.csv"))))
        return tuple(rows)
