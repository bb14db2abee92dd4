"""``/``: the outbound dashboard (foundation version: the table of the selection)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from patentreach.indicators.options import DEFAULTS, outbound_spec
from patentreach.web import service
from patentreach.web.security import csrf_token
from patentreach.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    options = {name: request.query_params.get(name, default) for name, default in DEFAULTS.items()
               if name != "types"}
    options["types"] = request.query_params.get("type", DEFAULTS["types"])
    if options.get("top"):
        options["top"] = int(options["top"])
    spec = outbound_spec(**{k: (v or None) if DEFAULTS[k] is None else v for k, v in options.items()})
    result = service.outbound(request, spec)
    request.state.csrf_token = csrf_token(request)
    return render(request, "dashboard.html", result=result, options=options)
