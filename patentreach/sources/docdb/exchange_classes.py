"""IPC, CPC and national classifications of an exchange document (DOCDB and OPS).

* IPC: ``classifications-ipcr`` fixed-width text. The pre-2006 ``classification-ipc`` (edition
  1-7: DOCDB ``main-classification`` " 7A 61K   9/16   A", OPS compact ``<text>H04N7/24``) is
  read only when no IPCR is given: DOCDB reclassifies old documents into the IPCR, so reading both
  would list most symbols twice.
* CPC: ``patent-classifications`` with scheme ``CPC*`` (``CPCI``, ``CPCNO``), as text (DOCDB) or
  split into section/class/... (OPS). Offices allocate the same symbol independently (EP and US
  generating offices), so a symbol is kept once. Combination sets (``combination-set``) repeat
  symbols already listed and are not read.
* National: scheme ``UC`` (USPC) as printed. Other national schemes (JP FI/F-terms) are not read.

Position: ``first`` for the symbol flagged first (``F``; when several offices each flag one, the
first of them); where nothing is flagged, the first listed. Others are ``inventive`` (value
``I``) or ``additional``.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from patentreach.model.ipc import from_parts, normalise_ipc
from patentreach.model.records import Classification
from patentreach.sources.docdb.fixed_width_ipc import parse_fixed_width, parse_old_ipc
from patentreach.sources.docdb.paths import all_at
from patentreach.sources.uspto_common.ice_v4 import text

FIRST, INVENTIVE, ADDITIONAL = "first", "inventive", "additional"
# The canonical spelling of a printed CPC symbol, remembered: bulk files repeat the same symbols.
_cpc_symbol = lru_cache(maxsize=1 << 16)(normalise_ipc)


class _Collector:
    def __init__(self, pub_id: str, problems: list[str]):
        self.pub_id = pub_id
        self.problems = problems
        self.rows: list[Classification] = []
        self._seen: set[tuple[str, str]] = set()

    def add(self, scheme: str, symbol: str | None, position: str, raw: str | None, value: str = "") -> None:
        """Keep one row per (scheme, symbol). Several generating offices may each flag their own
        first symbol; only the first of them stays ``first``, the others fall back to ``value``."""
        if symbol is None:
            self.problems.append(f"{scheme} classification: {raw!r} is not a symbol")
            return
        if (scheme, symbol) in self._seen:
            return
        if position == FIRST and any(r.scheme == scheme and r.position == FIRST for r in self.rows):
            position = INVENTIVE if value == "I" else ADDITIONAL
        self._seen.add((scheme, symbol))
        self.rows.append(Classification(self.pub_id, scheme, symbol, position, len(self.rows)))

    def ensure_first(self, scheme: str) -> None:
        rows = [row for row in self.rows if row.scheme == scheme]
        if rows and not any(row.position == FIRST for row in rows):
            rows[0].position = FIRST


def classifications(biblio: etree._Element, pub_id: str, problems: list[str]) -> list[Classification]:
    out = _Collector(pub_id, problems)
    ipcr = all_at(biblio, "classifications-ipcr/classification-ipcr")
    for item in ipcr:
        raw = item.findtext("text")
        parsed = parse_fixed_width(raw)
        if parsed is None:
            out.add("IPC", None, ADDITIONAL, raw)
            continue
        value = "I" if parsed.inventive else ""
        position = FIRST if parsed.first else INVENTIVE if parsed.inventive else ADDITIONAL
        out.add("IPC", parsed.symbol, position, raw, value)
    if not ipcr:
        for old in biblio.findall("classification-ipc"):
            printed = [old.findtext("main-classification")]
            printed += [e.text for e in old.findall("further-classification")]
            printed += [e.text for e in old.findall("text")]
            for raw in (p for p in printed if p and p.strip()):
                out.add("IPC", parse_old_ipc(raw), ADDITIONAL, raw)
    out.ensure_first("IPC")

    for item in all_at(biblio, "patent-classifications/patent-classification"):
        scheme_element = item.find("classification-scheme")
        scheme = (scheme_element.get("scheme") if scheme_element is not None else "") or ""
        printed = text(item, "classification-symbol")
        if scheme.upper().startswith("CPC"):
            if printed:
                symbol = _cpc_symbol(printed)
            else:
                parts = [text(item, p) or "" for p in ("section", "class", "subclass", "main-group", "subgroup")]
                symbol = from_parts(*parts) if all(parts[:4]) else None
                printed = "".join(parts)
            value = text(item, "classification-value") or ""
            position = INVENTIVE if value == "I" else ADDITIONAL
            if text(item, "symbol-position") == "F":
                position = FIRST
            out.add("CPC", symbol, position, printed, value)
        elif scheme.upper() == "UC" and printed:
            out.add("national", printed, ADDITIONAL, printed)
    out.ensure_first("CPC")
    out.ensure_first("national")
    return out.rows
