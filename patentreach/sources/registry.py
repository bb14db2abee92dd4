"""The readers of office formats, in one explicit tuple: nothing registers itself at import time.

Kept out of the package ``__init__`` so that importing a small module of this package (``limits``,
which ``patentreach ingest --help`` needs) does not load every reader and Arrow.
"""

from __future__ import annotations

from patentreach.sources.base import Source
from patentreach.sources.cnipa import CnipaCpqueryJson
from patentreach.sources.docdb import DocdbXml
from patentreach.sources.ep_publication import EpPublicationXml
from patentreach.sources.google_patents import GooglePatents
from patentreach.sources.lens import LensCsv, LensJson
from patentreach.sources.ops import OpsXml
from patentreach.sources.patentsview import PatentsViewTsv
from patentreach.sources.patstat import PatstatCsv
from patentreach.sources.uspto_application import UsptoApplicationXml
from patentreach.sources.uspto_assignment import UsptoAssignmentXml
from patentreach.sources.uspto_assignment_api import UsptoAssignmentApiXml
from patentreach.sources.uspto_grant import UsptoGrantXml
from patentreach.sources.uspto_maintenance import UsptoMaintenanceFeeEvents
from patentreach.sources.uspto_odp import UsptoOdpJson

SOURCES: tuple[Source, ...] = (
    PatentsViewTsv(),
    PatstatCsv(),
    GooglePatents(),
    LensCsv(),
    LensJson(),
    CnipaCpqueryJson(),
    UsptoGrantXml(),
    UsptoApplicationXml(),
    UsptoOdpJson(),
    UsptoMaintenanceFeeEvents(),
    UsptoAssignmentXml(),
    UsptoAssignmentApiXml(),
    EpPublicationXml(),
    DocdbXml(),
    OpsXml(),
)


def source_named(name: str) -> Source:
    for source in SOURCES:
        if source.name == name:
            return source
    known = ", ".join(s.name for s in SOURCES)
    raise KeyError(f"no reader named {name!r} (known: {known})")
