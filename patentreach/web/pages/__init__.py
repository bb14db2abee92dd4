"""The dashboard's pages: one module per page (or family of pages), each an ``APIRouter``
rendering a Jinja2 template from ``templates/``; ``router`` joins them. Pages are not part of the
API's OpenAPI document (``include_in_schema=False``)."""

from fastapi import APIRouter

from patentreach.web.pages import (
    auth,
    coverage,
    dashboard,
    entities,
    protect,
    records,
    reference,
    survey_admin,
    survey_respond,
    transfers,
)

router = APIRouter(include_in_schema=False)
router.include_router(dashboard.router)
router.include_router(records.router)
router.include_router(coverage.router)
router.include_router(transfers.router)
router.include_router(entities.router)
router.include_router(reference.router)
router.include_router(protect.router)
router.include_router(auth.router)
router.include_router(survey_respond.router)
router.include_router(survey_admin.router)
