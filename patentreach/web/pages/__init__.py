"""The dashboard's pages: one module per page (or family of pages), each an ``APIRouter``
rendering a Jinja2 template from ``templates/``; ``router`` joins them. Pages are not part of the
API's OpenAPI document (``include_in_schema=False``)."""

from fastapi import APIRouter

from patentreach.web.pages import coverage, dashboard, records

router = APIRouter(include_in_schema=False)
router.include_router(dashboard.router)
router.include_router(records.router)
router.include_router(coverage.router)
