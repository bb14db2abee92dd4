"""``protect national`` as rows and files: the shares (national.csv), the unmatched exporters
(unmatched.csv), everything (national.json). Cells are neutralised against spreadsheet formulas;
headers and labels come from the catalog (``national_words``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from patentreach.model.spreadsheet_cells import neutralise_rows
from patentreach.protect.national import NationalReport
from patentreach.protect.national_words import words

SHARE_COLUMNS = ("breakdown", "group", "exporters", "matched", "matching rate", "none (all exporters)",
                 "not all (all exporters)", "none (matched only)", "not all (matched only)")
UNMATCHED_COLUMNS = ("exporter", "name", "sector", "size", "market", "why")
NOTES = ("Unmatched exporters are counted as holding no patent: the register shows none for them.",
         "A pending application is not a patent in force; a market counts as protected only where a patent is in "
         "force on the date.")


def share_rows(report: NationalReport, lang: str = "en") -> list[tuple]:
    _ = words(lang)
    rows = []
    for row in report.rows:
        data = row.as_dict()
        group = _(row.group) if row.breakdown == "all" else row.group
        rows.append((_(row.breakdown), group, row.exporters, row.matched, data["matching_rate"], data["share_none"],
                     data["share_not_all"], data["share_none_matched"], data["share_not_all_matched"]))
    return rows


def unmatched_rows(report: NationalReport) -> list[tuple]:
    return [(exporter.exporter_id, exporter.name, exporter.sector, exporter.size, "; ".join(exporter.markets), why)
            for exporter, why in report.unmatched]


def report_json(report: NationalReport) -> dict[str, object]:
    return {
        "as_of": report.as_of.isoformat(),
        "exporters": report.exporters_source,
        "matching_rate": report.matching_rate,
        "shares": [row.as_dict() for row in report.rows],
        "unmatched": [dict(zip(UNMATCHED_COLUMNS, row, strict=True)) for row in unmatched_rows(report)],
        "exporter_results": [
            {"exporter": r.exporter.exporter_id, "matched": r.matched, "markets": list(r.exporter.markets),
             "in_force_in": list(r.protected_markets),
             "entities": list(report.matches[r.exporter.exporter_id].entity_ids)
             if r.exporter.exporter_id in report.matches else []}
            for r in report.results
        ],
        "survey": report.survey,
        "notes": [*NOTES, *report.notes],
    }


def write_national(report: NationalReport, folder: Path, lang: str = "en") -> list[Path]:
    """national.csv, unmatched.csv and national.json in ``folder``."""
    _ = words(lang)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns, rows in (("national.csv", SHARE_COLUMNS, share_rows(report, lang)),
                                ("unmatched.csv", UNMATCHED_COLUMNS, unmatched_rows(report))):
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([_(column) for column in columns])
            writer.writerows(neutralise_rows(["" if v is None else v for v in row] for row in rows))
        written.append(path)
    path = folder / "national.json"
    path.write_text(json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(path)
    return written
