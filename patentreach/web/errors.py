"""The library's refusals, answered as the CLI answers them: one line, and a 4xx status.

``SpecError`` (an unknown office, a bad year) is 400 with exactly the CLI's message; a missing
or stale table is 409 (the warehouse needs a command run first: the message says which); no
warehouse at all is 503. ``/api/`` gets ``{"error": message, "status": code}``; a page gets the
error page in the request's language (the message itself stays as the library wrote it).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response


class NoWarehouse(LookupError):
    """The service was started on a folder that holds no warehouse (yet)."""


def status_of(exc: Exception) -> int:
    from patentreach.indicators.choices import SpecError
    from patentreach.indicators.result_files import FormatError
    from patentreach.transfers.spec import SpecError as TransferSpecError

    if isinstance(exc, SpecError | TransferSpecError | FormatError):
        return 400
    if isinstance(exc, NoWarehouse):
        return 503
    return 409  # MissingTable, StaleDerivedTables: the warehouse needs a command run first


def refused_types() -> tuple[type[Exception], ...]:
    """Every exception that is a refusal of the request (not a bug)."""
    from patentreach.indicators.choices import SpecError
    from patentreach.indicators.result_files import FormatError
    from patentreach.transfers.spec import SpecError as TransferSpecError
    from patentreach.warehouse.engines import MissingTable
    from patentreach.warehouse.freshness import StaleDerivedTables

    return SpecError, TransferSpecError, FormatError, MissingTable, StaleDerivedTables, NoWarehouse


def message_of(exc: Exception) -> str:
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    return str(exc)


def error_response(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    from patentreach.web.templating import render

    return render(request, "error.html", status_code=status, status=status, message=message)


def install(app: FastAPI) -> None:
    async def refused(request: Request, exc: Exception) -> Response:
        return error_response(request, status_of(exc), message_of(exc))

    for kind in refused_types():
        app.add_exception_handler(kind, refused)
