"""Readers of office formats. Each is a ``Source`` (see ``base``); all are listed in one explicit
tuple, ``SOURCES`` (in ``registry``): nothing registers itself at import time.

The names below are imported on first use (``patentreach.model.lazy_exports``), so importing a
small module of this package, such as ``patentreach.sources.limits`` for ``patentreach ingest
--help``, does not load every reader and Arrow."""

from typing import TYPE_CHECKING

from patentreach.model.lazy_exports import export_lazily

if TYPE_CHECKING:
    from patentreach.sources.base import Source
    from patentreach.sources.cnipa import CnipaCpqueryJson
    from patentreach.sources.docdb import DocdbXml
    from patentreach.sources.ep_publication import EpPublicationXml
    from patentreach.sources.google_patents import GooglePatents
    from patentreach.sources.lens import LensCsv, LensJson
    from patentreach.sources.ops import OpsXml
    from patentreach.sources.patentsview import PatentsViewTsv
    from patentreach.sources.registry import SOURCES, source_named
    from patentreach.sources.uspto_application import UsptoApplicationXml
    from patentreach.sources.uspto_assignment import UsptoAssignmentXml
    from patentreach.sources.uspto_assignment_api import UsptoAssignmentApiXml
    from patentreach.sources.uspto_grant import UsptoGrantXml
    from patentreach.sources.uspto_odp import UsptoOdpJson

__getattr__, __dir__ = export_lazily(__name__, {
    "base": ("Source",),
    "cnipa": ("CnipaCpqueryJson",),
    "docdb": ("DocdbXml",),
    "ep_publication": ("EpPublicationXml",),
    "google_patents": ("GooglePatents",),
    "lens": ("LensCsv", "LensJson"),
    "ops": ("OpsXml",),
    "patentsview": ("PatentsViewTsv",),
    "registry": ("SOURCES", "source_named"),
    "uspto_application": ("UsptoApplicationXml",),
    "uspto_assignment": ("UsptoAssignmentXml",),
    "uspto_assignment_api": ("UsptoAssignmentApiXml",),
    "uspto_grant": ("UsptoGrantXml",),
    "uspto_odp": ("UsptoOdpJson",),
})

__all__ = [
    "SOURCES",
    "CnipaCpqueryJson",
    "DocdbXml",
    "EpPublicationXml",
    "GooglePatents",
    "LensCsv",
    "LensJson",
    "OpsXml",
    "PatentsViewTsv",
    "Source",
    "UsptoApplicationXml",
    "UsptoAssignmentApiXml",
    "UsptoAssignmentXml",
    "UsptoGrantXml",
    "UsptoOdpJson",
    "source_named",
]
