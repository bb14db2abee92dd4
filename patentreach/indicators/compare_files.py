"""``stats compare`` as JSON or CSV text (the screen table is the CLI's).

JSON carries both definitions (``published`` and ``warehouse``), the differences, the coverage and
the verdict beside the rows. CSV, which has no place for them, is preceded by ``#`` comment lines
holding the same sentences (``pandas.read_csv(..., comment="#")`` skips them); every cell goes
through ``model/spreadsheet_cells.py``.
"""

from __future__ import annotations

import csv
import io
import json

from patentreach.indicators.compare import Comparison
from patentreach.model.spreadsheet_cells import neutralise, neutralise_row


def to_json_text(comparison: Comparison) -> str:
    return json.dumps(comparison.as_json(), ensure_ascii=False, indent=1, default=str)


def to_csv_text(comparison: Comparison) -> str:
    buffer = io.StringIO()
    request = comparison.request
    buffer.write(f"# {comparison.published['title']} vs the warehouse ({request['origin']}, {request['year']})\n")
    for note in comparison.notes():
        buffer.write(f"# {neutralise(note)}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(neutralise_row(comparison.columns))
    writer.writerows(neutralise_row(row.get(c) for c in comparison.columns) for row in comparison.rows)
    return buffer.getvalue()
