"""Estimates out: CSV, XLSX and JSON files, and plain-language headline sentences.

JSON is a list of ``{stat, variable, domain, category, estimate, se, ci_lower, ci_upper, df, deff,
n, n_missing}`` with ``null`` for anything not finite (an infinite df means a normal-quantile
interval). Headlines state the estimate with its interval the way a report would print it:
"38.2% (95% CI 36.9-39.5%) of enterprises licensed a patent abroad".
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from patentreach.model.spreadsheet_cells import neutralise_frame

FILE_FORMATS = ("csv", "xlsx", "json")


def to_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN and infinities become None, counts stay integers."""
    records = []
    for row in table.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, float) and not math.isfinite(value):
                value = None
            elif value is not None and not isinstance(value, str | int | float | bool):
                value = None if pd.isna(value) else value.item() if hasattr(value, "item") else value
            clean[key] = value
        records.append(clean)
    return records


def render(table: pd.DataFrame, fmt: str) -> str:
    """The table as CSV or JSON text."""
    if fmt == "json":
        return json.dumps(to_records(table), indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        neutralise_frame(table).to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    raise ValueError(f"unknown text format {fmt!r} (csv or json)")


def write_estimates(table: pd.DataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write the table; the format is ``fmt`` or the file's extension (csv, xlsx, json)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FILE_FORMATS:
        raise ValueError(f"unknown output format {fmt!r}: use one of {', '.join(FILE_FORMATS)}")
    if fmt == "xlsx":
        neutralise_frame(table).to_excel(path, index=False, sheet_name="estimates")
    else:
        path.write_text(render(table, fmt), encoding="utf-8")
    return path


def headline(
    row: Mapping[str, Any] | pd.Series,
    subject: str,
    template: str | None = None,
    level: float = 0.95,
) -> str:
    """A sentence for one estimate row.

    Proportions (``prop`` rows and the categories of a ``mean`` of a text column) read
    "38.2% (95% CI 36.9-39.5%) of {subject}"; means, totals and ratios read
    "{subject}: mean api00 662.3 (95% CI 643.7-680.8)". A ``template`` may use {estimate},
    {ci_lower}, {ci_upper}, {ci} (the "36.9-39.5%" range), {level}, {subject}, {variable},
    {category}, {domain}, {n}, {se} and {df}; the domain, when present, is appended in brackets
    to the default sentences. A row without an estimate (``note`` says why, e.g. nobody in the
    domain answered) reads "{subject}: {note}", never "n/a% of ..."."""
    stat = str(row["stat"])
    if _present(row.get("note")) and not math.isfinite(float(row["estimate"])):
        domain = f" [{row['domain']}]" if _present(row.get("domain")) else ""
        return f"{subject}: {row['note']}{domain}"
    percent = stat == "prop" or (stat == "mean" and _present(row.get("category")))
    estimate, lower, upper = (float(row[k]) for k in ("estimate", "ci_lower", "ci_upper"))
    fmt = _percent if percent else _number
    level_text = f"{level * 100:g}%"
    ci = _range(lower, upper, fmt, percent)
    fields = {
        "estimate": fmt(estimate) + ("%" if percent else ""),
        "ci_lower": fmt(lower),
        "ci_upper": fmt(upper),
        "ci": ci,
        "level": level_text,
        "subject": subject,
        "variable": row.get("variable") or "",
        "category": row.get("category") or "",
        "domain": row.get("domain") or "",
        "n": row.get("n"),
        "se": _number(float(row["se"])) if _present(row.get("se")) else "",
        "df": row.get("df"),
    }
    if template is not None:
        return template.format(**fields)
    if percent:
        text = f"{fields['estimate']} ({level_text} CI {ci}) of {subject}"
    else:
        label = {"mean": "mean", "total": "total", "ratio": "ratio"}.get(stat, stat)
        text = f"{subject}: {label} {fields['variable']} {fields['estimate']} ({level_text} CI {ci})"
    if _present(row.get("domain")):
        text += f" [{row['domain']}]"
    return text


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != ""


def _percent(value: float) -> str:
    return "n/a" if not math.isfinite(value) else f"{value * 100:.1f}"


def _number(value: float) -> str:
    if not math.isfinite(value):
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _range(lower: float, upper: float, fmt, percent: bool) -> str:
    separator = "-" if not (math.isfinite(lower) and lower < 0) else " to "
    return f"{fmt(lower)}{separator}{fmt(upper)}" + ("%" if percent else "")
