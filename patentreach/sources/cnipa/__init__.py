"""CNIPA patent-status query (cpquery) JSON responses: the "申请信息" (application information)
tab, keyed by pinyin abbreviations (zhuanlisqh = application number, shenqingr = filing date,
zhufenlh = main IPC, shenqingrenList = applicants, shenqingrgb = applicant nationality).

Decision: such a response describes an *application* and its status, not a published document:
it has no publication number, kind or publication date, which every ``publications`` row needs
(``pub_id`` is office-number-kind). A well-formed response is therefore counted as skipped, with
a reason naming the application; a response that is not a success (``code`` other than 200) or
lacks the application number or a valid filing date is quarantined. When CNIPA bulk publication
XML (``cn-patent-document``) or the cpquery publication tab is available, that reader will store
the publications; this one keeps the count honest until then.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Quarantined, Skipped, Sniff, Source, Unit
from patentreach.sources.dates import BadDate, parse_iso_date
from patentreach.sources.json_nesting import loads_record

_MARKERS = (b'"zhuluxmxx"', b'"zhuanlisqh"')


class CnipaCpqueryJson(Source):
    name: ClassVar[str] = "cnipa-cpquery-json"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "CNIPA cpquery application-information JSON (counted, not stored)"

    def sniff(self, head: bytes) -> Sniff | None:
        if all(m in head for m in _MARKERS):
            return Sniff(0.94, "sqxx")
        return None

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        """A response is one small JSON document (one application): read whole, one unit."""
        yield Unit(0, 1, stream.read())

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        raw = unit.data if isinstance(unit.data, bytes | str) else json.dumps(unit.data)
        try:
            response = loads_record(raw, unit.line) if isinstance(unit.data, bytes | str) else unit.data
        except ValueError as exc:
            return _quarantine(unit, raw, [f"response: {exc}"])
        if not isinstance(response, dict):
            return _quarantine(unit, raw, ["response: not a JSON object"])
        problems = []
        if response.get("code") != 200:
            problems.append(f"code: {response.get('code')!r} ({response.get('msg')}), not a success")
        data = response.get("data") or {}
        biblio = ((data.get("zhuluxmxx") or {}).get("zhuluxmxx") or {}) if isinstance(data, dict) else {}
        number = str(biblio.get("zhuanlisqh") or "").strip()
        if not number:
            problems.append("zhuluxmxx.zhuanlisqh (application number): missing")
        try:
            if parse_iso_date(biblio.get("shenqingr")) is None:
                problems.append("zhuluxmxx.shenqingr (filing date): missing")
        except BadDate as exc:
            problems.append(f"zhuluxmxx.shenqingr (filing date): {exc}")
        if problems:
            label = f"CN application {number}" if number else "response"
            return _quarantine(unit, raw, [f"{label}: {p}" for p in problems])
        return Parsed(skipped=Skipped(
            unit.index,
            f"CN application {number}: application-information response without a publication "
            "(no publication number, kind or date); not a publications row",
        ))


def _quarantine(unit: Unit, raw: bytes | str, reasons: list[str]) -> Parsed:
    return Parsed(quarantined=Quarantined(unit.index, unit.line, reasons, raw))
