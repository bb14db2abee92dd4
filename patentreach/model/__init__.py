"""The canonical patent model: the one set of record types every source writes and every
capability reads. The Parquet schemas are derived from these dataclasses (see ``schema``)."""

from patentreach.model.records import (
    Classification,
    Designation,
    DesignationKind,
    DocType,
    Party,
    PartyKind,
    PatentRecord,
    Priority,
    PriorityKind,
    Publication,
    Role,
    Route,
    make_pub_id,
    strip_leading_zeros,
)

__all__ = [
    "Classification",
    "Designation",
    "DesignationKind",
    "DocType",
    "Party",
    "PartyKind",
    "PatentRecord",
    "Priority",
    "PriorityKind",
    "Publication",
    "Role",
    "Route",
    "make_pub_id",
    "strip_leading_zeros",
]
