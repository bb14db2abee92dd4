"""The PATSTAT Global tables this reader reads: their columns in CSV order, DuckDB types, and
which columns a file must have.

Column names, order and types are those of the EPO's CREATE TABLE scripts (see
``../shared/data/patstat-layout/PROVENANCE.md`` section 1.3 and docs/patstat.md). Flags
(``granted``, ``publn_first_grant``, ``int_phase`` ...) are read as text because their domain
changed from ``0``/``1`` to ``Y``/``N`` in 2018 Autumn; the mapping reads both. A file's own header
decides which columns it has: a trailing column the scripts do not list (tls206 ``reg_code`` of
the EPO's BigQuery copy) is read as text and ignored, and a column that editions dropped for a
while (``appln_nr_epodoc``) may be absent. ``mapped`` names the columns the mapping reads: only
those are staged (the others are type-checked and dropped).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

INT = "BIGINT"
TEXT = "VARCHAR"
DATE = "DATE"
REAL = "DOUBLE"
FLAG = "VARCHAR"


@dataclass(frozen=True, slots=True)
class PatstatTable:
    name: str  # tls201_appln
    columns: tuple[tuple[str, str], ...]  # (column, DuckDB type), CSV order
    required: tuple[str, ...]  # columns the mapping needs; a file without one is refused
    needed: bool  # the delivery cannot be read without this table
    mapped: tuple[str, ...] = ()  # columns the mapping reads (empty: all); the others are only type-checked

    @property
    def number(self) -> str:
        """``tls201``: the prefix that both file namings (≤2024 and 2025) start with."""
        return self.name.split("_", 1)[0]

    def types(self) -> dict[str, str]:
        return dict(self.columns)

    def kept(self) -> list[str]:
        """The columns staged for the mapping, in CSV order."""
        return [c for c, _ in self.columns if not self.mapped or c in self.mapped]


def _table(name: str, needed: bool, columns: str, required: str, mapped: str = "") -> PatstatTable:
    pairs = tuple((c.split(":")[0], c.split(":")[1]) for c in columns.split())
    return PatstatTable(name, pairs, tuple(required.split()), needed, tuple(mapped.split()))


TLS201 = _table(
    "tls201_appln",
    True,
    f"appln_id:{INT} appln_auth:{TEXT} appln_nr:{TEXT} appln_kind:{TEXT} appln_filing_date:{DATE} "
    f"appln_filing_year:{INT} appln_nr_epodoc:{TEXT} appln_nr_original:{TEXT} ipr_type:{TEXT} "
    f"receiving_office:{TEXT} internat_appln_id:{INT} int_phase:{FLAG} reg_phase:{FLAG} nat_phase:{FLAG} "
    f"earliest_filing_date:{DATE} earliest_filing_year:{INT} earliest_filing_id:{INT} earliest_publn_date:{DATE} "
    f"earliest_publn_year:{INT} earliest_pat_publn_id:{INT} granted:{FLAG} docdb_family_id:{INT} "
    f"inpadoc_family_id:{INT} docdb_family_size:{INT} nb_citing_docdb_fam:{INT} nb_applicants:{INT} "
    f"nb_inventors:{INT}",
    "appln_id appln_auth appln_nr appln_filing_date ipr_type internat_appln_id int_phase reg_phase nat_phase "
    "earliest_filing_date docdb_family_id",
    "appln_id appln_auth appln_nr appln_nr_original appln_filing_date ipr_type internat_appln_id int_phase "
    "reg_phase nat_phase earliest_filing_date docdb_family_id",
)
TLS206 = _table(
    "tls206_person",
    False,
    f"person_id:{INT} person_name:{TEXT} person_name_orig_lg:{TEXT} person_address:{TEXT} person_ctry_code:{TEXT} "
    f"nuts:{TEXT} nuts_level:{INT} doc_std_name_id:{INT} doc_std_name:{TEXT} psn_id:{INT} psn_name:{TEXT} "
    f"psn_level:{INT} psn_sector:{TEXT} han_id:{INT} han_name:{TEXT} han_harmonized:{INT}",
    "person_id person_name person_name_orig_lg person_address person_ctry_code psn_sector han_id",
    "person_id person_name person_name_orig_lg person_address person_ctry_code psn_sector han_id",
)
TLS207 = _table(
    "tls207_pers_appln",
    False,
    f"person_id:{INT} appln_id:{INT} applt_seq_nr:{INT} invt_seq_nr:{INT}",
    "person_id appln_id applt_seq_nr invt_seq_nr",
)
TLS209 = _table(
    "tls209_appln_ipc",
    False,
    f"appln_id:{INT} ipc_class_symbol:{TEXT} ipc_class_level:{TEXT} ipc_version:{DATE} ipc_value:{TEXT} "
    f"ipc_position:{TEXT} ipc_gener_auth:{TEXT}",
    "appln_id ipc_class_symbol ipc_value ipc_position",
    "appln_id ipc_class_symbol ipc_value ipc_position",
)
TLS211 = _table(
    "tls211_pat_publn",
    True,
    f"pat_publn_id:{INT} publn_auth:{TEXT} publn_nr:{TEXT} publn_nr_original:{TEXT} publn_kind:{TEXT} "
    f"appln_id:{INT} publn_date:{DATE} publn_lg:{TEXT} publn_first_grant:{FLAG} publn_claims:{INT}",
    "pat_publn_id publn_auth publn_nr publn_kind appln_id publn_date publn_lg publn_first_grant",
)
TLS224 = _table(
    "tls224_appln_cpc", False, f"appln_id:{INT} cpc_class_symbol:{TEXT}", "appln_id cpc_class_symbol"
)
TLS230 = _table(
    "tls230_appln_techn_field",
    False,
    f"appln_id:{INT} techn_field_nr:{INT} weight:{REAL}",
    "appln_id techn_field_nr weight",
)
_DATE_COLUMNS_231 = {
    "event_filing_date", "event_publn_date", "event_effective_date", "ref_doc_date", "spc_filing_date",
    "spc_patent_expiry_date", "spc_extension_date", "fee_payment_date", "lapse_date", "reinstate_date",
}
_INT_COLUMNS_231 = {"event_id", "appln_id", "event_seq_nr", "party_seq_nr", "fee_renewal_year"}
_COLUMNS_231 = (
    "event_id appln_id event_seq_nr event_type event_auth event_code event_filing_date event_publn_date "
    "event_effective_date event_text ref_doc_auth ref_doc_nr ref_doc_kind ref_doc_date ref_doc_text party_type "
    "party_seq_nr party_new party_old spc_nr spc_filing_date spc_patent_expiry_date spc_extension_date spc_text "
    "designated_states extension_states fee_country fee_payment_date fee_renewal_year fee_text lapse_country "
    "lapse_date lapse_text reinstate_country reinstate_date reinstate_text class_scheme class_symbol"
)
_MAPPED_231 = (  # the legal_events columns; ref_doc_*, class_*, *_text (but event_text) are not mapped
    "event_id appln_id event_seq_nr event_type event_auth event_code event_filing_date event_publn_date "
    "event_effective_date event_text party_type party_new party_old designated_states extension_states "
    "fee_country fee_payment_date fee_renewal_year lapse_country lapse_date reinstate_country reinstate_date "
    "spc_nr spc_patent_expiry_date"
)
TLS231 = PatstatTable(
    "tls231_inpadoc_legal_event",
    tuple(
        (c, DATE if c in _DATE_COLUMNS_231 else INT if c in _INT_COLUMNS_231 else TEXT) for c in _COLUMNS_231.split()
    ),
    ("event_id", "appln_id", "event_seq_nr", "event_auth", "event_code"),
    False,
    tuple(_MAPPED_231.split()),
)

TABLES: tuple[PatstatTable, ...] = (TLS201, TLS206, TLS207, TLS209, TLS211, TLS224, TLS230, TLS231)
BY_NAME = {t.name: t for t in TABLES}
FIRST_COLUMNS = {t.columns[0][0]: [] for t in TABLES}  # filled below: first column -> candidate tables
for _t in TABLES:
    FIRST_COLUMNS[_t.columns[0][0]].append(_t)


def header_columns(head: bytes) -> list[str] | None:
    """The column names of the first line of ``head`` (BOM and CR tolerated), or None."""
    line = head.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r")
    try:
        columns = next(csv.reader([line]), [])
    except csv.Error:
        return None
    return [c.strip().lower() for c in columns] if columns else None


def table_of_header(columns: list[str]) -> PatstatTable | None:
    """The table whose columns start this header: every known column in order, at most one
    column less (an edition without ``appln_nr_epodoc``) and any trailing extra columns."""
    for table in FIRST_COLUMNS.get(columns[0] if columns else "", []):
        known = [c for c, _ in table.columns]
        present = [c for c in columns if c in known]
        if present != [c for c in known if c in columns]:  # out of order
            continue
        if all(r in columns for r in table.required) and len(present) >= len(known) - 1 and (
            columns[: len(present)] == present
        ):
            return table
    return None
