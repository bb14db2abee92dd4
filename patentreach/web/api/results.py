"""A library result as an HTTP response: JSON (the CLI's ``--format json``) or a download."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse

DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
}


def as_json(result: Any) -> dict[str, Any]:
    """Exactly what the CLI prints for ``--format json`` (dates as ISO text)."""
    from patentreach.indicators.result_files import to_json_text

    return json.loads(to_json_text(result))


def respond(result: Any, fmt: str, filename: str) -> Response:
    """``fmt`` json: the JSON body; csv/xlsx/parquet: a file written by the CLI's own writer."""
    from patentreach.indicators.result_files import FILE_FORMATS, FormatError, write_result

    if fmt == "json":
        return JSONResponse(as_json(result))
    if fmt not in FILE_FORMATS:
        raise FormatError(f"format {fmt!r} is not known; choose from {', '.join(FILE_FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="patentreach-web-") as folder:
        path = write_result(result, fmt, Path(folder) / f"{filename}.{fmt}")
        body = path.read_bytes()
    return Response(body, media_type=DOWNLOADS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})
