"""Regenerate the CLDR rows of patentreach/refdata/names.csv (Chinese names of codes).

Run from the repository root:  .venv/bin/python scripts/refdata/build_names.py

names.csv is the data: the rows written by hand (regional offices, technology fields, groups,
applicant sectors, historical countries, corrections of CLDR) are edited there directly and kept
as they are. This script only replaces the rows whose source starts with "Unicode CLDR":

  country  every code of countries.csv without a hand row: Babel's ``Locale("zh").territories``
  office   every national office of offices.csv without a hand row: its country's CLDR name
           (CNIPA's statistical tables name a national office by its country or region)

so that a new Babel (a new CLDR) or a new code in countries.csv / offices.csv is one command away.
Rows are written sorted by kind, code and language; ``--checked`` dates the regenerated rows
(default: the date already on them, else today), so a rerun without changes is byte-identical.
"""

from __future__ import annotations

import argparse
import csv
from datetime import date
from pathlib import Path

import babel
from babel import Locale
from babel.core import get_cldr_version

HERE = Path(__file__).resolve().parent
PACKAGE_DATA = HERE.parent.parent / "patentreach" / "refdata"
COLUMNS = ["kind", "code", "lang", "name", "source", "checked", "verified", "note"]
KIND_ORDER = ["office", "country", "field", "sector", "group", "applicant_sector"]
CLDR_PREFIX = "Unicode CLDR"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def sort_key(row: dict[str, str]) -> tuple[int, str, str]:
    kind = KIND_ORDER.index(row["kind"]) if row["kind"] in KIND_ORDER else len(KIND_ORDER)
    code = row["code"].zfill(3) if row["code"].isdigit() else row["code"]
    return kind, code, row["lang"]


def build(current: list[dict[str, str]], checked: str | None) -> list[dict[str, str]]:
    """``current`` with its CLDR rows regenerated from the installed Babel."""
    source = f"{CLDR_PREFIX} {get_cldr_version()} via Babel {babel.__version__}"
    old_dates = {row["checked"] for row in current if row["source"].startswith(CLDR_PREFIX)}
    day = checked or (old_dates.pop() if len(old_dates) == 1 else date.today().isoformat())
    hand = [row for row in current if not row["source"].startswith(CLDR_PREFIX)]
    by_hand = {(row["kind"], row["code"], row["lang"]) for row in hand}
    territories = Locale("zh").territories
    generated: list[dict[str, str]] = []

    def add(kind: str, code: str, verified: str, note: str) -> None:
        if (kind, code, "zh") in by_hand:
            return
        if code not in territories:
            raise SystemExit(f"{kind} {code}: CLDR has no Chinese name; add a hand row to names.csv")
        generated.append({"kind": kind, "code": code, "lang": "zh", "name": territories[code],
                          "source": source, "checked": day, "verified": verified, "note": note})

    for row in read(PACKAGE_DATA / "countries.csv"):
        add("country", row["code"], "yes", "")
    for row in read(PACKAGE_DATA / "offices.csv"):
        if row["kind"] == "national":
            add("office", row["code"], "partly", "the country's CLDR name: CNIPA's statistical tables name a "
                "national office by its country (convention not checked against a cited table)")
    return sorted(hand + generated, key=sort_key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checked", help="date for the regenerated rows (YYYY-MM-DD)")
    parser.add_argument("--out", type=Path, default=PACKAGE_DATA, help="folder to write names.csv into")
    args = parser.parse_args()
    rows = build(read(PACKAGE_DATA / "names.csv"), args.checked)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "names.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out / 'names.csv'}")


if __name__ == "__main__":
    main()
