"""``figures.csv`` and ``figures.json``: one row per figure the bulletin prints.

Each row has the figure's key and section, its value and unit (and a confidence interval's bounds
for survey estimates), its label in each language, its definition (as JSON in the CSV), the
command that reproduces it, the command listing its records and, when the bulletin was given the
dashboard's address, the dashboard link. Text cells are neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from patentreach.model.spreadsheet_cells import neutralise
from patentreach.report.bulletin.model import Figure

COLUMNS = ("key", "section", "value", "unit", "low", "high", "label_en", "label_zh", "definition", "command",
           "records", "dashboard")
Translate = Callable[[str, str], str]
"""``translate(lang, msgid)``: a label in a language."""


def _link(base_url: str | None, path: str | None) -> str | None:
    if not base_url or not path:
        return None
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def figure_rows(figures: Sequence[Figure], translate: Translate, base_url: str | None = None) -> list[dict[str, Any]]:
    """The rows of ``figures.csv``/``figures.json`` (definitions as dicts)."""
    return [{
        "key": f.key, "section": f.section, "value": f.value, "unit": f.unit, "low": f.low, "high": f.high,
        "label_en": translate("en", f.label), "label_zh": translate("zh", f.label), "definition": f.definition,
        "command": f.command, "records": f.records, "dashboard": _link(base_url, f.dashboard),
    } for f in figures]


def to_json_text(rows: list[dict[str, Any]]) -> str:
    return json.dumps({"figures": rows}, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n"


def to_csv_text(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row[column]
            if column == "definition":
                value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
            cells.append("" if value is None else neutralise(value))
        writer.writerow(cells)
    return buffer.getvalue()


def write_figures(out: Path, rows: list[dict[str, Any]]) -> list[Path]:
    """Write ``figures.csv`` (UTF-8 with BOM, for Excel) and ``figures.json`` into ``out``."""
    csv_path, json_path = out / "figures.csv", out / "figures.json"
    csv_path.write_text(to_csv_text(rows), encoding="utf-8-sig")
    json_path.write_text(to_json_text(rows), encoding="utf-8")
    return [csv_path, json_path]
