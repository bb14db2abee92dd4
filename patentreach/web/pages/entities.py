"""``/entities``: find an applicant by name; ``/entities/{entity_id}``: one entity, its name
variants and publications. The same library calls as ``/api/v1/entities``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from patentreach.harmonize.search import ENTITY_COLUMNS, PUBLICATION_COLUMNS, VARIANT_COLUMNS
from patentreach.web import service_entities
from patentreach.web.errors import error_response
from patentreach.web.templating import render

router = APIRouter()
MAX_QUERY = 300


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request) -> Response:
    query = (request.query_params.get("q") or "").strip()[:MAX_QUERY]
    found = None
    if query:
        try:
            found = service_entities.search(request, query, limit=20, show=0)
        except service_entities.EntitiesUnavailable as exc:
            return error_response(request, 409, str(exc))
    return render(request, "entities.html", query=query, found=found, columns=ENTITY_COLUMNS)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: str) -> Response:
    try:
        found = service_entities.entity(request, entity_id[:200])
    except service_entities.EntitiesUnavailable as exc:
        return error_response(request, 409, str(exc))
    if found is None:
        return error_response(request, 404, f"no entity {entity_id!r} (find one with /api/v1/entities?q=NAME)")
    details = found.as_json()
    return render(request, "entity.html", entity=details["entity"], variants=details["variants"],
                  publications=details["publications"], variant_columns=VARIANT_COLUMNS[1:],
                  publication_columns=PUBLICATION_COLUMNS[1:])
