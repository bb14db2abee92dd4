"""``/api/v1``: the HTTP API. One module per area, each an ``APIRouter``; ``router`` joins them.

Query parameters have the CLI options' names (``--origin-rule`` is ``origin_rule``; ``--type``
is ``types``); the JSON body equals the CLI's ``--format json`` for the same arguments,
definition included; ``format=csv|xlsx|parquet`` downloads the same result through the CLI's
writers (cells neutralised).
"""

from fastapi import APIRouter

from patentreach.web.api import coverage, entities, outbound, protect, reference, transfers

router = APIRouter(prefix="/api/v1")
router.include_router(outbound.router)
router.include_router(coverage.router)
router.include_router(transfers.router)
router.include_router(entities.router)
router.include_router(reference.router)
router.include_router(protect.router)
