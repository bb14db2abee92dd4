"""Reference tables as dated data files: offices, kind codes, countries, country groups and
IPC technology fields. Each table is a CSV in this package whose rows carry their source and
checked date; ``PATENTREACH_REFDATA`` names a folder of same-named files that override or extend
them. See ``docs/refdata.md``.

Lookups used per record (``doc_type``, ``normalise_country``, ``technology_field``) load their
table once and answer from dictionaries.
"""

from patentreach.refdata.countries import (
    CountryMatch,
    CountryStatus,
    is_unknown_country,
    match_country,
    normalise_country,
)
from patentreach.refdata.country_groups import group_names, is_member, members
from patentreach.refdata.kind_codes import doc_type
from patentreach.refdata.loader import load_table, reload, table_names
from patentreach.refdata.offices import Office, office
from patentreach.refdata.technology_fields import field_name, sector_name, technology_field

__all__ = [
    "CountryMatch",
    "CountryStatus",
    "Office",
    "doc_type",
    "field_name",
    "group_names",
    "is_member",
    "is_unknown_country",
    "load_table",
    "match_country",
    "members",
    "normalise_country",
    "office",
    "reload",
    "sector_name",
    "table_names",
    "technology_field",
]
