"""``/api/v1/entities``: applicants as harmonised entities (``patentreach entities search``) and one
entity by id. The search JSON equals ``entities search --format json``:
``{"query", "normalised", "entities": [...], "variants": [...], "publications": [...]}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from patentreach.web import service_entities
from patentreach.web.errors import error_response

router = APIRouter(prefix="/entities", tags=["entities"])


@router.get("", summary="Find entities by name (entities search)")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=300, description="An applicant name, in any spelling.",
                            examples=["robert bosch"])],
    limit: Annotated[int, Query(ge=1, le=1000, description="Entities to list.")] = 10,
    show: Annotated[int, Query(ge=0, le=100, description="Entities to show variants and publications of.")] = 1,
) -> Response:
    """Entities whose names match ``q``, the best ones' name variants and publications. No match
    is an empty ``entities`` list (the CLI exits 1 instead, with a message)."""
    try:
        result = service_entities.search(request, q, limit, show)
    except service_entities.EntitiesUnavailable as exc:
        return error_response(request, 409, str(exc))
    return JSONResponse(result.as_json())


@router.get("/{entity_id}", summary="One entity: its name variants and publications")
def entity(
    request: Request,
    entity_id: Annotated[str, Path(
        max_length=200, description="An entity id, as `entities search` lists it.", examples=["E694902bb43d4"])],
) -> Response:
    """``{"entity": {...}, "variants": [...], "publications": [...]}``; 404 for an unknown id."""
    try:
        found = service_entities.entity(request, entity_id)
    except service_entities.EntitiesUnavailable as exc:
        return error_response(request, 409, str(exc))
    if found is None:
        return error_response(request, 404, f"no entity {entity_id!r} (find one with /api/v1/entities?q=NAME)")
    return JSONResponse(found.as_json())
