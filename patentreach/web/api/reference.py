"""``/api/v1/reference``: the reference tables (``patentreach refdata list`` and ``refdata show NAME``),
as the CLI prints them with ``--format json``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse

from patentreach.web import service_reference
from patentreach.web.errors import error_response

router = APIRouter(prefix="/reference", tags=["reference"])


LIST_EXAMPLE = [{"name": "offices", "rows": 231, "key": "code",
                 "description": "Patent offices by WIPO ST.3 code (national, regional, international)"}]


@router.get("", summary="The reference tables (refdata list)",
            responses={200: {"content": {"application/json": {"example": LIST_EXAMPLE}}}})
def tables() -> Response:
    """One record per table: name, rows, key, description and the files it is read from."""
    return JSONResponse(service_reference.tables())


@router.get("/{name}", summary="Every row of one reference table (refdata show)")
def table(request: Request,
          name: Annotated[str, Path(max_length=100, description="A table name, as /api/v1/reference lists it.",
                                    examples=["countries"])]) -> Response:
    """The rows with their source and checked date; 404 with the CLI's message for an unknown name."""
    try:
        _, rows = service_reference.table(name)
    except service_reference.UnknownTable as exc:
        return error_response(request, 404, str(exc))
    return JSONResponse(rows)
