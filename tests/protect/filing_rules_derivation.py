"""How the packaged ``pct_national_phase_limits.csv`` is made from the shared research file.

The packaged table is the shared file row for row, with every value kept as written, plus two
columns the reference-table convention asks for: ``checked`` (the date the research was done) and
``verified`` (``yes`` only for rows the research marked ``verified``; everything else, secondary
sources included, is ``NOT VERIFIED``, as the shared README asks). A test re-derives the file and
fails when the packaged copy differs, so a NOT VERIFIED mark can never be lost on the way.

Time limits change (issue 21): ``valid_from`` / ``valid_to`` date a row, and ``EARLIER`` holds the
rows no longer in force (the shared research lists only today's limits). Today's row of an office
with an earlier row gets its ``valid_from`` and the source of the change added to ``verification``.

Run as a script to rewrite the packaged file: ``python -m tests.protect.filing_rules_derivation``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

CHECKED = "2026-11-25"  # the date the shared filing-rules research was built (its README)
COLUMNS = [
    "office_code", "office_name", "chapter1_months", "chapter2_months", "late_entry_max_months",
    "national_route", "regional_route", "valid_from", "valid_to", "notes", "source", "checked", "verified",
    "verification",
]


CHANGE_SOURCE = (
    "secondary: D Young & Co 'National phase entry - Germany adopts 31-month time limit' citing DPMA "
    "Notice No. 3/2022 (31 months for every PCT application whose 30-month limit had not expired "
    "before 2022-05-01); Page White Farrer (2021-11-04): Second Patent Law Modernisation Act, BGBl. I "
    "p. 3490, Art. III s. 4 IntPatUebkG"
)
# Today's rows that replaced an earlier limit: office -> the day the current limit took effect.
CURRENT_FROM = {"DE": "2022-05-01"}
# Rows no longer in force, placed just before the office's current row.
EARLIER = {
    "DE": {
        "office_code": "DE", "office_name": "Germany", "chapter1_months": "30", "chapter2_months": "30",
        "late_entry_max_months": "", "national_route": "open", "regional_route": "EP", "valid_from": "",
        "valid_to": "2022-04-30",
        "notes": "limit before the Second Patent Law Modernisation Act; 31 months applies to every "
                 "application whose 30-month limit had not expired before 2022-05-01 (DPMA Notice 3/2022)",
        "source": CHANGE_SOURCE, "checked": CHECKED, "verified": "NOT VERIFIED",
        "verification": "NOT VERIFIED - secondary sources; check against DPMA Notice No. 3/2022",
    },
}


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
        code = row["office_code"]
        if code in EARLIER:
            writer.writerow(EARLIER[code])
        derived = {
            **{column: row[column] for column in COLUMNS if column in row},
            "valid_from": CURRENT_FROM.get(code, ""),
            "valid_to": "",
            "checked": CHECKED,
            "verified": verified_value(row["verification"]),
        }
        if code in CURRENT_FROM:
            derived["verification"] += (f"; valid_from {CURRENT_FROM[code]} and the transitional rule NOT "
                                        f"VERIFIED ({CHANGE_SOURCE})")
        writer.writerow(derived)
    return out.getvalue()


if __name__ == "__main__":
    repo = Path(__file__).resolve().parents[2]
    shared = repo.parent / "shared" / "reference" / "filing-rules" / "pct_national_phase_limits.csv"
    target = repo / "patentreach" / "refdata" / "pct_national_phase_limits.csv"
    target.write_text(derive_pct_limits(shared), encoding="utf-8")
    print(f"wrote {target}")
