"""``create_app(config)``: the one FastAPI application behind ``patentreach serve``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from patentreach.web import errors, security
from patentreach.web.cache import ResultCache
from patentreach.web.config import ServeConfig
from patentreach.web.i18n import LANGUAGE_COOKIE, choose_language, supported
from patentreach.web.warehouse_access import WarehouseAccess

STATIC_DIR = Path(__file__).parent / "static"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("patentreach")
    except PackageNotFoundError:
        return "0"


def create_app(config: ServeConfig) -> FastAPI:
    from patentreach.web import api, pages

    app = FastAPI(
        title="patentreach",
        version=_version(),
        description="Overseas patent intelligence: outbound patent statistics, transfers, entities and "
                    "protection gaps, from the warehouse the `patentreach` command builds. Every JSON result "
                    "equals the CLI's `--format json` for the same arguments, its definition included.",
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.config = config
    app.state.access = WarehouseAccess(config.warehouse)
    app.state.cache = ResultCache(config.cache_entries)

    @app.middleware("http")
    async def language(request: Request, call_next):  # type: ignore[no-untyped-def]
        asked = request.query_params.get("lang")
        request.state.lang = choose_language(asked, request.cookies.get(LANGUAGE_COOKIE),
                                             request.headers.get("accept-language"))
        response = await call_next(request)
        if asked and supported(asked) == request.state.lang:
            response.set_cookie(LANGUAGE_COOKIE, request.state.lang, max_age=365 * 24 * 3600, samesite="lax")
        return response

    security.install(app, config)  # after the language middleware: sessions wrap it
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
