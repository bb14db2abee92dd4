"""``patentreach serve``: the web dashboard and HTTP API over a warehouse (uvicorn + FastAPI)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from patentreach.cli.consoles import lazy_console
from patentreach.cli.options import WarehouseOption
from patentreach.cli.output import fail

errors = lazy_console(stderr=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    warehouse: WarehouseOption = None,
    state: Annotated[Path | None, typer.Option(
        "--state", metavar="DIR", help="The service's own files: users, session key (default: <warehouse>-web).",
        show_default=False)] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes (see docs/deployment.md).")] = 1,
    forwarded_allow_ips: Annotated[str, typer.Option(
        help="Proxies whose X-Forwarded-For/-Proto are trusted (comma-separated addresses).")] = "127.0.0.1",
    survey_store: Annotated[str | None, typer.Option(
        "--survey-store", metavar="URL",
        help="The survey's store (SQLite file or postgresql://...; default: survey.sqlite in --state).",
        show_default=False)] = None,
    https_only: Annotated[bool, typer.Option(
        "--https-only", help="Behind a TLS proxy: Secure cookies and HSTS (see docs/deployment.md).")] = False,
) -> None:
    """Serve the bilingual dashboard and the /api/v1 HTTP API over the warehouse (read-only)."""
    import uvicorn

    from patentreach.warehouse.layout import Warehouse
    from patentreach.web.config import SETTING_VARIABLES, STATE_VARIABLE, ServeConfig

    target = Warehouse.locate(warehouse)
    if not target.exists():
        fail(f"{target.root}: no warehouse here (run `patentreach demo` or `patentreach ingest` first)")
    import os

    if https_only:  # through the environment, so that every worker process gets it
        os.environ[SETTING_VARIABLES["https_only_cookies"]] = "1"
    if survey_store:  # through the environment, so that every worker process gets it
        os.environ[SETTING_VARIABLES["survey_store"]] = survey_store
    config = ServeConfig.for_warehouse(target, state)
    try:
        config.secret_key()
    except OSError as exc:
        fail(f"{config.state_dir}: cannot keep the service's files there ({exc.strerror or exc}); give --state DIR")
    errors.print(f"serving {target.root} on http://{host}:{port}/ (API: /api/v1, documentation: /api/docs); "
                 "Ctrl-C stops", soft_wrap=True, highlight=False)
    os.environ["PATENTREACH_HOME"] = str(target.root)  # the workers (separate processes) find the same folders
    os.environ[STATE_VARIABLE] = str(config.state_dir)
    os.environ["WEB_CONCURRENCY"] = str(workers)  # each worker takes its share of the cores for DuckDB
    uvicorn.run("patentreach.web.asgi:app", host=host, port=port, workers=workers, log_level="info",
                proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips, server_header=False)
