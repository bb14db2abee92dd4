"""Which PatentsView bulk table a TSV is, from its header line (never its file name).

Legacy tables (before 2023): ``patent`` (id, type, number, country, date, abstract, title, kind,
num_claims, filename, withdrawn; every field double-quoted, and one published copy's header
starts with a stray ``x``), ``assignee`` (id, type, [name_first, name_last,] organization) and
``uspatentcitation``. Current tables: ``g_*`` by the PatentsView data dictionary.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

# The current tables the g_patent reader joins, with the columns that identify each.
G_SIGNATURES: dict[str, frozenset[str]] = {
    "g_patent": frozenset({"patent_id", "patent_type", "patent_date", "wipo_kind"}),
    "g_application": frozenset({"application_id", "patent_id", "filing_date"}),
    "g_assignee_disambiguated": frozenset({"patent_id", "assignee_sequence", "assignee_id"}),
    "g_inventor_disambiguated": frozenset({"patent_id", "inventor_sequence", "inventor_id"}),
    "g_location_disambiguated": frozenset({"location_id", "disambig_city", "disambig_country"}),
    "g_ipc_at_issue": frozenset({"patent_id", "ipc_sequence", "main_group", "subgroup"}),
    "g_cpc_current": frozenset({"patent_id", "cpc_sequence", "cpc_group"}),
    "g_foreign_priority": frozenset({"patent_id", "foreign_country_filed", "filing_date"}),
}
LEGACY_SIGNATURES: dict[str, frozenset[str]] = {
    "patent": frozenset({"id", "type", "number", "country", "date", "kind", "withdrawn"}),
    "uspatentcitation": frozenset({"uuid", "patent_id", "citation_id", "sequence"}),
    "assignee": frozenset({"id", "type", "organization"}),
}
SIBLINGS = tuple(name for name in G_SIGNATURES if name != "g_patent")
OTHER = "other"  # a PatentsView table with a patent_id column that the model does not use


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: list[str]

    @property
    def generation(self) -> str:
        return "legacy" if self.name in LEGACY_SIGNATURES else "g"


def header_columns(line: str) -> list[str]:
    """Column names of a header line: tab-separated, quotes and the stray ``x`` removed."""
    try:
        fields = next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quotechar='"'), [])
    except csv.Error:  # not a TSV line at all (a stray carriage return in binary junk)
        return []
    names = [f.strip().strip('"') for f in fields]
    if names and names[0].startswith('x"'):
        names[0] = names[0][2:].strip('"')
    elif fields and fields[0].startswith('x"'):
        names[0] = fields[0][1:].strip('"')
    return names


def identify(line: str) -> Table | None:
    """The table a header line opens, or None when it is not a PatentsView table."""
    if "\t" not in line:
        return None
    columns = header_columns(line)
    present = set(columns)
    for name, signature in {**G_SIGNATURES, **LEGACY_SIGNATURES}.items():
        if signature <= present:
            return Table(name, columns)
    if columns and columns[0] == "patent_id":
        return Table(OTHER, columns)
    return None
