"""How the packaged ``pct_national_phase_limits.csv`` is made from the shared research file.

The packaged table is the shared file row for row, with every value kept as written, plus two
columns the reference-table convention asks for: ``checked`` (the date the research was done) and
``verified`` (``yes`` only for rows the research marked ``verified``; everything else, secondary
sources included, is ``NOT VERIFIED``, as the shared README asks). A test re-derives the file and
fails when the packaged copy differs, so a NOT VERIFIED mark can never be lost on the way.

Run as a script to rewrite the packaged file: ``python -m tests.protect.filing_rules_derivation``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

CHECKED = "2026-11-25"  # the date the shared filing-rules research was built (its README)
COLUMNS = [
    "office_code", "office_name", "chapter1_months", "chapter2_months", "late_entry_max_months",
    "national_route", "regional_route", "notes", "source", "checked", "verified", "verification",
]


def verified_value(verification: str) -> str:
    """The three-valued ``verified`` of the refdata convention from the research's free text."""
    text = verification.strip()
    if "NOT VERIFIED" in text.upper():
        return "NOT VERIFIED"
    if text.lower().startswith("verified"):
        return "yes"
    return "NOT VERIFIED"  # secondary sources: a placeholder to check (shared README)


def derive_pct_limits(shared_csv: Path) -> str:
    with shared_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                **{column: row[column] for column in COLUMNS if column in row},
                "checked": CHECKED,
                "verified": verified_value(row["verification"]),
            }
        )
    return out.getvalue()


if __name__ == "__main__":
    repo = Path(__file__).resolve().parents[2]
    shared = repo.parent / "shared" / "reference" / "filing-rules" / "pct_national_phase_limits.csv"
    target = repo / "patentreach" / "refdata" / "pct_national_phase_limits.csv"
    target.write_text(derive_pct_limits(shared), encoding="utf-8")
    print(f"wrote {target}")
