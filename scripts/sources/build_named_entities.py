"""Write ``patentreach/sources/named_entities.csv``: the named character entities that old USPTO
XML (PATDOC 2.5 grants, pap v1.5/v1.6 applications) uses without declaring them.

Those files take ``&ldquo;``, ``&ouml;``, ``&lgr;`` ... from the ISO 8879 entity sets that their
external DTD includes. The readers never load a DTD, so they resolve the names from this table.

Sources, both W3C:
* the HTML5 named character references (Python's ``html.entities.html5``), which carry the
  W3C "XML Entity Definitions for Characters" versions of the ISO 8879 sets ISOlat1/2, ISOnum,
  ISOpub, ISOdia, ISOtech, ISOamsa/b/c/n/o/r, ISObox, ISOcyr1/2 and ISOgrk3;
* ISOgrk1 and ISOgrk2 (``agr``, ``lgr``, ``Dgr``, ``aacgr`` ...), which HTML5 dropped, from the
  same W3C entity-definition files (isogrk1.ent, isogrk2.ent), listed below.

Run: ``.venv/bin/python scripts/sources/build_named_entities.py``
"""

from __future__ import annotations

import csv
import html.entities
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "patentreach" / "sources" / "named_entities.csv"

# W3C isogrk1.ent (ISO 8879 Greek letters).
ISOGRK1 = {
    "agr": 0x03B1, "Agr": 0x0391, "bgr": 0x03B2, "Bgr": 0x0392, "ggr": 0x03B3, "Ggr": 0x0393,
    "dgr": 0x03B4, "Dgr": 0x0394, "egr": 0x03B5, "Egr": 0x0395, "zgr": 0x03B6, "Zgr": 0x0396,
    "eegr": 0x03B7, "EEgr": 0x0397, "thgr": 0x03B8, "THgr": 0x0398, "igr": 0x03B9, "Igr": 0x0399,
    "kgr": 0x03BA, "Kgr": 0x039A, "lgr": 0x03BB, "Lgr": 0x039B, "mgr": 0x03BC, "Mgr": 0x039C,
    "ngr": 0x03BD, "Ngr": 0x039D, "xgr": 0x03BE, "Xgr": 0x039E, "ogr": 0x03BF, "Ogr": 0x039F,
    "pgr": 0x03C0, "Pgr": 0x03A0, "rgr": 0x03C1, "Rgr": 0x03A1, "sgr": 0x03C3, "Sgr": 0x03A3,
    "sfgr": 0x03C2, "tgr": 0x03C4, "Tgr": 0x03A4, "ugr": 0x03C5, "Ugr": 0x03A5, "phgr": 0x03C6,
    "PHgr": 0x03A6, "khgr": 0x03C7, "KHgr": 0x03A7, "psgr": 0x03C8, "PSgr": 0x03A8,
    "ohgr": 0x03C9, "OHgr": 0x03A9,
}
# W3C isogrk2.ent (ISO 8879 monotoniko Greek).
ISOGRK2 = {
    "aacgr": 0x03AC, "Aacgr": 0x0386, "eacgr": 0x03AD, "Eacgr": 0x0388, "eeacgr": 0x03AE,
    "EEacgr": 0x0389, "idigr": 0x03CA, "Idigr": 0x03AA, "iacgr": 0x03AF, "Iacgr": 0x038A,
    "idiagr": 0x0390, "oacgr": 0x03CC, "Oacgr": 0x038C, "udigr": 0x03CB, "Udigr": 0x03AB,
    "uacgr": 0x03CD, "Uacgr": 0x038E, "udiagr": 0x03B0, "ohacgr": 0x03CE, "OHacgr": 0x038F,
}


def rows() -> list[tuple[str, str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for name, value in html.entities.html5.items():
        if not name.endswith(";"):
            continue  # HTML's legacy forms without ';' mean nothing in XML
        table[name[:-1]] = (" ".join(f"{ord(ch):04X}" for ch in value), "W3C HTML5 / ISO 8879")
    for set_name, entities in (("ISOgrk1", ISOGRK1), ("ISOgrk2", ISOGRK2)):
        for name, codepoint in entities.items():
            table.setdefault(name, (f"{codepoint:04X}", f"W3C {set_name.lower()}.ent / ISO 8879 {set_name}"))
    return sorted((name, cps, source) for name, (cps, source) in table.items())


def main() -> None:
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "codepoints", "source"])
        writer.writerows(rows())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
