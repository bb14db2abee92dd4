"""Applicant harmonisation: party names -> entities (Splink), sectors and countries of origin.

``harmonize(warehouse)`` reads the ``publications`` and ``parties`` views and writes
``entities``, ``party_entity``, ``origin_shares`` and ``entity_variants`` into
``<warehouse>/derived/`` (each a DuckDB view of the same name). See docs/harmonize.md.

The names below are imported on first use (``patentreach.model.lazy_exports``): importing this
package does not load Splink or DuckDB.
"""

from typing import TYPE_CHECKING

from patentreach.model.lazy_exports import export_lazily

if TYPE_CHECKING:
    from patentreach.harmonize.engines import ENGINES, EngineUnavailable, unknown_engine
    from patentreach.harmonize.harmonize import HarmonizeError, HarmonizeProgress, HarmonizeReport, harmonize
    from patentreach.harmonize.name_normalisation import NormalisedName, normalise_name
    from patentreach.harmonize.search import EntitySearch, search

__getattr__, __dir__ = export_lazily(__name__, {
    "engines": ("ENGINES", "EngineUnavailable", "unknown_engine"),
    "harmonize": ("HarmonizeError", "HarmonizeProgress", "HarmonizeReport", "harmonize"),
    "name_normalisation": ("NormalisedName", "normalise_name"),
    "search": ("EntitySearch", "search"),
})

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
