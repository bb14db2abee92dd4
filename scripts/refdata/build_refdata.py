"""Derive the packaged reference tables from the public reference files in ../shared.

Run from the repository root:  .venv/bin/python scripts/refdata/build_refdata.py

Writes, under patentreach/refdata/:
  offices.csv                 WIPO ST.3 (cortext copy) + offices_extra.csv (kinds, historical)
  countries.csv               ISO 3166 (PatentsView copy) + countries_extra.csv (newer, historical)
  ipc_technology_fields.csv   WIPO IPC-technology concordance + ipc_additions.csv (newer groups)
  country_groups.csv          filing-rules regional_systems.csv and bri_countries.csv, the IP5 and
                              the CNIPA yearbook top-15 destinations, + country_group_dates.csv

Every output row names its source and the date it was checked (--checked, default today). The
hand-written kind_codes.csv and country_aliases.csv are not generated: edit them directly.
"""

from __future__ import annotations

import argparse
import csv
import re
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHARED = REPO.parent / "shared"
PACKAGE_DATA = REPO / "patentreach" / "refdata"

ST3 = "data/reference/wipo-st3-office-codes_cortext_nomen_appln_auth.csv"
ISO = "data/reference/iso-3166-country-codes_patentsview-db.csv"
CONCORDANCE = "data/reference/wipo_ipc_technology_concordance_35fields.csv"
REGIONAL = "reference/filing-rules/regional_systems.csv"
BRI = "reference/filing-rules/bri_countries.csv"
CNIPA_TOP = "reference/published/cnipa_yearbook2022_t6-2_overseas_invention_grants_2021.csv"
TOP_N_DESTINATIONS = 15

# (system prefix, membership_type) -> group name in country_groups.csv
GROUP_OF = {
    ("EPC", "contracting_state"): "epc",
    ("EPC", "extension_state"): "epc_extension",
    ("EPC", "validation_state"): "epc_validation",
    ("EPC", "validation_state_signed_not_in_force"): "epc_validation_pending",
    ("Unitary", "participating_state"): "unitary_patent",
    ("Unitary", "signed_not_ratified"): "upca_signed_not_ratified",
    ("EAPC", "contracting_state"): "eapo",
    ("EAPC", "former_contracting_state"): "eapo",
    ("ARIPO", "harare_contracting_state"): "aripo",
    ("ARIPO", "aripo_member_not_harare"): "aripo_non_harare",
    ("OAPI", "member_state"): "oapi",
    ("GCC", "gcc_member_no_regional_patent"): "gcc",
}


def read(path: Path, header: bool = True) -> list[dict[str, str]] | list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle)) if header else list(csv.reader(handle))


def write(out: Path, name: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    with (out / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    print(f"wrote {out / name}: {len(rows)} rows")


def build_offices(out: Path, checked: str) -> None:
    source = f"WIPO ST.3 via cortext/patstat nomen_appln_auth.csv (../shared/{ST3})"
    rows: dict[str, dict[str, str]] = {}
    for cells in read(SHARED / ST3, header=False):
        code, name, third = [*cells, "", ""][:3]
        name = re.sub(r"\s*\(\d+\)\s*$", "", name)  # footnote markers: "Germany (3)"
        name = " ".join(name.replace(" - ", ", ").split())  # "Taiwan -  Province of China"
        acronym = ""
        if re.fullmatch(r"[A-Z][A-Z-]+", third):
            acronym = third
        elif third and not third.isdigit():  # tail of a split name: "Iran,Islamic Republic of"
            name = f"{name}, {third}"
        rows[code] = {
            "code": code, "name": name, "acronym": acronym, "kind": "national",
            "historical": "no", "source": source, "checked": checked, "verified": "yes",
        }
    for extra in read(HERE / "offices_extra.csv"):
        row = rows.setdefault(extra["code"], {"code": extra["code"], "checked": checked})
        for column, value in extra.items():
            if value:
                row[column] = value
    columns = ["code", "name", "acronym", "kind", "historical", "source", "checked", "verified",
               "note"]
    write(out, "offices.csv", columns, sorted(rows.values(), key=lambda r: r["code"]))


def build_countries(out: Path, checked: str) -> None:
    source = f"ISO 3166-1 via PatentsView-DB iso-country-codes.csv (../shared/{ISO})"
    rows: dict[str, dict[str, str]] = {}
    for iso in read(SHARED / ISO):
        code = iso["Alpha-2 code"]
        rows[code] = {
            "code": code, "alpha3": iso["Alpha-3 code"], "numeric": iso["Numeric code"],
            "name": iso["English short name lower case"], "status": "iso_3166",
            "source": source, "checked": checked, "verified": "yes",
        }
    for extra in read(HERE / "countries_extra.csv"):
        rows[extra["code"]] = {**extra, "checked": checked}
    columns = ["code", "alpha3", "numeric", "name", "status", "valid_to", "source", "checked",
               "verified", "note"]
    write(out, "countries.csv", columns, sorted(rows.values(), key=lambda r: r["code"]))


def build_technology_fields(out: Path, checked: str) -> None:
    source = (
        "WIPO IPC-technology concordance via PatentsView-DB ipc_technology.csv "
        f"(../shared/{CONCORDANCE})"
    )
    rows, names = [], {}
    for item in read(SHARED / CONCORDANCE):
        match = re.fullmatch(r"([A-H]\d\d[A-Z])(?:\s*(\d+)/)?%", item["IPC_code"])
        if match is None:
            raise ValueError(f"unexpected concordance pattern {item['IPC_code']!r}")
        updated = item["Updated_on"]
        field = item["Field_number"]
        names[field] = (item["Sector_en"], item["Field_en"])
        rows.append({
            "field": field, "sector": item["Sector_en"], "field_name": item["Field_en"],
            "ipc_subclass": match.group(1), "main_group": match.group(2) or "",
            "updated_on": datetime.strptime(updated, "%B %d, %Y").date().isoformat()
            if updated else "",
            "source": source, "checked": checked, "verified": "yes",
            "note": item["Remark"],
        })
    for extra in read(HERE / "ipc_additions.csv"):
        sector, field_name = names[extra["field"]]
        rows.append({**extra, "sector": sector, "field_name": field_name, "checked": checked})
    columns = ["field", "sector", "field_name", "ipc_subclass", "main_group", "updated_on",
               "source", "checked", "verified", "note"]
    write(out, "ipc_technology_fields.csv", columns, rows)


def build_country_groups(out: Path, checked: str) -> None:
    rows: list[dict[str, str]] = []
    for item in read(SHARED / REGIONAL):
        prefix = next(p for p, _ in GROUP_OF if item["system"].startswith(p))
        group = GROUP_OF[(prefix, item["membership_type"])]
        start = item["effective_from"]
        exact = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", start))
        unverified = "not verified" in (item["notes"] + item["source"]).lower()
        rows.append({
            "group": group, "country": item["member_code"], "role": item["membership_type"],
            "valid_from": start if exact else "", "valid_to": "",
            "source": f"{item['source']} (../shared/{REGIONAL})", "checked": checked,
            "verified": "NOT VERIFIED" if unverified else ("yes" if exact else "partly"),
            "note": item["notes"] if exact else f"start date not in source ({start or 'none'}); "
            + item["notes"],
        })
    for item in read(SHARED / BRI):
        flagged = "not verified" in item["note"].lower()
        rows.append({
            "group": "bri", "country": item["iso2"], "role": "cooperation_document_signed",
            "valid_from": item["date_signed"], "valid_to": "",
            "source": "yidaiyilu.gov.cn country list, snapshot 2023-10-18/19 via GitHub "
            f"imlishiyuan/the-belt-and-road@0a53740 (../shared/{BRI})",
            "checked": checked, "verified": "NOT VERIFIED" if flagged else "partly",
            "note": item["note"] or "signature date not in source",
        })
    extras = read(HERE / "country_groups_extra.csv")
    rows += [{**extra, "checked": checked} for extra in extras]
    ip5 = [extra["country"] for extra in extras if extra["group"] == "ip5"]
    top = sorted(read(SHARED / CNIPA_TOP), key=lambda r: -int(r["grants_total"]))
    destinations = [r["office"] for r in top[:TOP_N_DESTINATIONS]]
    for office in dict.fromkeys(ip5 + destinations):
        why = "IP5" if office in ip5 else ""
        if office in destinations:
            rank = destinations.index(office) + 1
            why = f"{why}; " if why else ""
            why += f"rank {rank} destination of mainland-China invention grants in 2021"
        rows.append({
            "group": "major_offices", "country": office, "role": "office",
            "source": "IP5 + top 15 offices of CNIPA Statistical Yearbook 2022 table 6-2 "
            f"(../shared/{CNIPA_TOP})", "checked": checked, "verified": "yes", "note": why,
        })
    dates = {(d["group"], d["country"]): d for d in read(HERE / "country_group_dates.csv")}
    for row in rows:
        fix = dates.get((row["group"], row["country"]))
        if fix is not None:
            note = row.get("note", "")
            row.update({k: v for k, v in fix.items() if k not in ("group", "country", "note")})
            note = re.sub(r"^start date not in source \([^)]*\); ", "", note)
            row["note"] = "; ".join(part for part in (fix["note"], note) if part)
    columns = ["group", "country", "role", "valid_from", "valid_to", "source", "checked",
               "verified", "note"]
    write(out, "country_groups.csv", columns, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checked", default=date.today().isoformat(),
                        help="date the derived rows were checked (YYYY-MM-DD)")
    parser.add_argument("--out", type=Path, default=PACKAGE_DATA, help="output folder")
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} is missing: the shared reference files sit beside the repo")
    build_offices(args.out, args.checked)
    build_countries(args.out, args.checked)
    build_technology_fields(args.out, args.checked)
    build_country_groups(args.out, args.checked)


if __name__ == "__main__":
    main()
