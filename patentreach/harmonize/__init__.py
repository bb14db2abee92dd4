"""Applicant harmonisation: party names -> entities (Splink), sectors and countries of origin.

``harmonize(warehouse)`` reads the ``publications`` and ``parties`` views and writes
``entities``, ``party_entity``, ``origin_shares`` and ``entity_variants`` into
``<warehouse>/derived/`` (each a DuckDB view of the same name). See docs/harmonize.md.
"""

from patentreach.harmonize.engines import ENGINES, EngineUnavailable, unknown_engine
from patentreach.harmonize.harmonize import (
    HarmonizeError,
    HarmonizeProgress,
    HarmonizeReport,
    harmonize,
)
from patentreach.harmonize.name_normalisation import NormalisedName, normalise_name
from patentreach.harmonize.search import EntitySearch, search

__all__ = [
    "ENGINES",
    "EngineUnavailable",
    "EntitySearch",
    "HarmonizeError",
    "HarmonizeProgress",
    "HarmonizeReport",
    "NormalisedName",
    "harmonize",
    "normalise_name",
    "search",
    "unknown_engine",
]
