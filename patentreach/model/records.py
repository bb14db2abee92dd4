"""Canonical record types.

One ``PatentRecord`` is one published patent document (one publication number and kind) with the
parties, classifications and priority claims printed on it. Every reader produces these and
nothing else, so that a capability never needs to know which office format a row came from.
Field meanings are documented in ``docs/model.md``; a test keeps the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class DocType(StrEnum):
    """What a publication is, independent of the office's kind-code letters."""

    INVENTION_GRANT = "invention_grant"
    INVENTION_APPLICATION = "invention_application"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"
    PLANT = "plant"
    REISSUE = "reissue"
    OTHER = "other"


class Route(StrEnum):
    """How the application reached the office: filed there directly, by PCT national phase,
    or through a regional office (EP, EA, AP, OA, GC)."""

    DIRECT = "direct"
    PCT = "pct"
    REGIONAL = "regional"


class Role(StrEnum):
    APPLICANT = "applicant"
    ASSIGNEE = "assignee"
    INVENTOR = "inventor"


class PartyKind(StrEnum):
    ORGANISATION = "organisation"
    PERSON = "person"


class PriorityKind(StrEnum):
    PARIS = "paris"
    PCT = "pct"
    DOMESTIC_CONTINUATION = "domestic_continuation"


@dataclass(slots=True)
class Publication:
    """One published document: one row per ``pub_id`` (office, number, kind)."""

    pub_id: str
    office: str
    number: str
    kind: str
    doc_type: str
    pub_date: date
    application_number: str | None = None
    application_date: date | None = None
    earliest_priority_date: date | None = None
    family_id: str | None = None
    route: str = Route.DIRECT
    title: str | None = None
    language: str | None = None
    source_format: str = ""
    source_file: str = ""
    record_index: int = 0
    reader_version: str = ""
    doc_type_rule: str = "kind_code"


DOC_TYPE_RULES = {
    "kind_code": "office + kind code + date through the kind_codes reference table",
    "source:google": (
        "Google Patents Public Data flags: grant_date non-zero and not after the publication date, with "
        "application_kind A (invention grant), U (utility model) or F (design); the kind-code table keeps "
        "republications, corrections, reissues and plant patents"
    ),
    "source:lens": (
        "Lens document type (CSV 'Type', API publication_type): Granted Patent, Patent Application, "
        "Design Right, Plant Patent decide the type, Amended Patent/Application, Search report and the like make it "
        "other; a kind-code row marking a republication or a more precise right still wins; Limited Patent, Unknown "
        "and Ambiguous fall back to kind_code (docs/kind_codes.md)"
    ),
    "source:patstat": (
        "PATSTAT's own flags: ipr_type UM -> utility_model, DE -> design; ipr_type PI with publn_first_grant"
        " -> invention_grant; a PI publication the kind-code table calls a grant without publn_first_grant"
        " -> other (a later grant publication, so that each grant counts once)"
    ),
}
"""What ``Publication.doc_type_rule`` may say, and what it means. A source that types its own
documents (PATSTAT ``publn_first_grant``, Google ``grant_date``, Lens "Granted Patent") adds its
rule here as ``source:field``; the kind-code table is the fallback for every other document."""


@dataclass(slots=True)
class Party:
    """One applicant, assignee or inventor named on a publication, as printed."""

    pub_id: str
    role: str
    sequence: int
    name: str
    kind: str
    city: str | None = None
    state: str | None = None
    country_raw: str | None = None
    country: str | None = None
    address: str | None = None
    source_entity_id: str | None = None
    source_type_code: str | None = None


@dataclass(slots=True)
class Classification:
    """One classification symbol given to a publication."""

    pub_id: str
    scheme: str
    symbol: str
    position: str
    sequence: int = 0


@dataclass(slots=True)
class Priority:
    """One priority claim (or PCT / domestic parent filing) of a publication."""

    pub_id: str
    office: str | None
    number: str | None
    date: date | None
    kind: str
    sequence: int = 0


class DesignationKind(StrEnum):
    DESIGNATED = "designated"
    EXTENSION = "extension"
    VALIDATION = "validation"


@dataclass(slots=True)
class Designation:
    """One state designated in (or to which an extension or validation is requested for) a regional
    or PCT publication: where the application may take effect, not where it is in force."""

    pub_id: str
    country: str
    kind: str
    sequence: int = 0


@dataclass(slots=True)
class TechnologyField:
    """A WIPO technology field (1-35) of a publication with the weight its source gives it.

    Only sources that publish their own field weights fill this (PATSTAT ``tls230``); for every
    other publication the indicators derive fields from its IPC symbols."""

    pub_id: str
    field: int
    weight: float
    source: str


@dataclass(slots=True)
class PatentRecord:
    """A publication with everything printed on it: the unit a reader yields."""

    publication: Publication
    parties: list[Party] = field(default_factory=list)
    classifications: list[Classification] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    technology_fields: list[TechnologyField] = field(default_factory=list)


_LEADING_ZEROS = re.compile(r"^([A-Z]*)0+(?=\d)")


def strip_leading_zeros(number: str) -> str:
    """``07062920`` -> ``7062920``; ``D0967598`` -> ``D967598``; ``RE046000`` -> ``RE46000``.

    The alphabetic series prefix (design D, plant PP, reissue RE, SIR H) is kept; zeros padding the
    digits after it are dropped so that the same document gets the same id from every source.
    """
    number = number.strip().upper().replace(",", "").replace(" ", "")
    return _LEADING_ZEROS.sub(r"\1", number)


def make_pub_id(office: str, number: str, kind: str) -> str:
    """The canonical publication id ``OFFICE-NUMBER-KIND``, e.g. ``US-11646472-B2``."""
    return f"{office.strip().upper()}-{strip_leading_zeros(number)}-{kind.strip().upper()}"
