"""A library result as an HTTP response: JSON (the CLI's ``--format json``) or a download."""

from __future__ import annotations

import json
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import Response

DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
}


JSON_MEMO_ENTRIES = 256
_json_memo: OrderedDict[int, tuple[Any, bytes]] = OrderedDict()
_json_memo_lock = threading.Lock()


def as_json(result: Any) -> dict[str, Any]:
    """Exactly what the CLI prints for ``--format json`` (dates as ISO text)."""
    return json.loads(json_bytes(result))


def json_bytes(result: Any) -> bytes:
    """The CLI's ``--format json`` text of ``result``, encoded once per result object: results
    come from the version-keyed cache, so a cached selection is serialised once, not per request
    (the memo holds the result itself, so its id cannot be reused while the entry lives)."""
    from patentreach.indicators.result_files import to_json_text

    with _json_memo_lock:
        found = _json_memo.get(id(result))
        if found is not None and found[0] is result:
            _json_memo.move_to_end(id(result))
            return found[1]
    body = to_json_text(result).encode()
    with _json_memo_lock:
        _json_memo[id(result)] = (result, body)
        while len(_json_memo) > JSON_MEMO_ENTRIES:
            _json_memo.popitem(last=False)
    return body


def respond(result: Any, fmt: str, filename: str) -> Response:
    """``fmt`` json: the JSON body; csv/xlsx/parquet: a file written by the CLI's own writer."""
    from patentreach.indicators.result_files import FILE_FORMATS, FormatError, write_result

    if fmt == "json":
        return Response(json_bytes(result), media_type="application/json")
    if fmt not in FILE_FORMATS:
        raise FormatError(f"format {fmt!r} is not known; choose from {', '.join(FILE_FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="patentreach-web-") as folder:
        path = write_result(result, fmt, Path(folder) / f"{filename}.{fmt}")
        body = path.read_bytes()
    return Response(body, media_type=DOWNLOADS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})
