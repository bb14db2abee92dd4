"""The ASGI application for uvicorn (and any other ASGI server), configured from the environment:
``$PATENTREACH_HOME`` (the warehouse) and ``$PATENTREACH_WEB_STATE`` (the service's own files).

    uvicorn patentreach.web.asgi:app --workers 4
"""

from patentreach.warehouse.layout import Warehouse
from patentreach.web.app import create_app
from patentreach.web.config import ServeConfig

app = create_app(ServeConfig.for_warehouse(Warehouse.locate()))
