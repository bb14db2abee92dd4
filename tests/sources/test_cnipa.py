"""The CNIPA cpquery reader: the one real application-information response is counted as
skipped (it has no publication number, kind or date), bad responses are quarantined."""

from __future__ import annotations

import json

from patentreach.sources.cnipa import CnipaCpqueryJson
from tests.conftest import shared_path
from tests.sources.vendor_helpers import counts, read_bytes, read_file

READER = CnipaCpqueryJson()
SAMPLE = ("data", "cnipa", "cpquery_sqxx_application_info_response.json")


def test_real_response_is_skipped_with_reason() -> None:
    path = shared_path(*SAMPLE)
    assert READER.sniff(path.read_bytes()).version == "sqxx"
    parsed = read_file(READER, path)
    assert counts(parsed) == {"skipped": 1}
    assert parsed[0].skipped.reason.startswith(
        "CN application 2026104796018: application-information response without a publication")


def test_bad_responses_are_quarantined() -> None:
    response = json.loads(shared_path(*SAMPLE).read_text(encoding="utf-8"))
    response["data"]["zhuluxmxx"]["zhuluxmxx"]["shenqingr"] = "2026-13-13"
    parsed = read_bytes(READER, json.dumps(response, ensure_ascii=False).encode())
    assert parsed[0].quarantined.reason == (
        "CN application 2026104796018: zhuluxmxx.shenqingr (filing date): "
        "'2026-13-13' is not a YYYY-MM-DD date")
    failed = read_bytes(READER, b'{"code": 500, "msg": "busy", "data": {"zhuluxmxx": {}}, "zhuanlisqh": 1}')
    assert failed[0].quarantined.reasons == [
        "response: code: 500 (busy), not a success",
        "response: zhuluxmxx.zhuanlisqh (application number): missing",
        "response: zhuluxmxx.shenqingr (filing date): missing",
    ]
