"""The PATSTAT-layout sample ingests with exact counts, computed here from the zips with Python's
zipfile and csv (``tests.sources.patstat.sample``) and checked against PROVENANCE.md's tables."""

from __future__ import annotations

import hashlib
import zipfile
from collections import Counter

import pytest

from patentreach.model.ipc import normalise_ipc
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.views import connect
from tests.sources.patstat.sample import (
    MISSING_DATE,
    applications_by_id,
    by_application,
    member_sizes,
    persons_by_id,
    rows,
    sample_dir,
    stored_publications,
)


@pytest.fixture(scope="module")
def patstat_warehouse(tmp_path_factory) -> tuple[Warehouse, object]:
    warehouse = Warehouse(tmp_path_factory.mktemp("patstat") / "wh")
    report = ingest([sample_dir()], warehouse)
    return warehouse, report


def _stored_applications() -> set[str]:
    return {p["appln_id"] for p in stored_publications()}


def test_row_counts_match_provenance() -> None:
    counts = {t: len(rows(t)) for t in ("tls201_appln", "tls206_person", "tls207_pers_appln", "tls209_appln_ipc",
                                        "tls211_pat_publn", "tls224_appln_cpc", "tls230_appln_techn_field",
                                        "tls231_inpadoc_legal_event")}
    assert counts == {"tls201_appln": 253, "tls206_person": 770, "tls207_pers_appln": 799, "tls209_appln_ipc": 535,
                      "tls211_pat_publn": 412, "tls224_appln_cpc": 246, "tls230_appln_techn_field": 263,
                      "tls231_inpadoc_legal_event": 139}


def test_one_delivery_with_read_equal_stored_quarantined_skipped(patstat_warehouse) -> None:
    warehouse, report = patstat_warehouse
    (outcome,) = report.files
    assert (outcome.label, outcome.reader, outcome.status) == (str(sample_dir()), "patstat", "ingested")
    undated = [p for p in rows("tls211_pat_publn") if p["publn_date"] == MISSING_DATE]
    assert len(undated) == 16  # the AP family members listed without dates (PROVENANCE section 4)
    assert (outcome.read, outcome.stored, outcome.quarantined, outcome.skipped) == (412, 396, 16, 0)
    assert outcome.read == outcome.stored + outcome.quarantined + outcome.skipped
    assert f"{sample_dir()}: tls209_appln_ipc: 535 rows read from 2 part(s)" in outcome.notes
    assert f"{sample_dir()}: tls231_inpadoc_legal_event: 139 rows read from 2 part(s)" in outcome.notes
    con = connect(warehouse)
    (entry,) = con.execute("SELECT path, size, sha256, reader, read, stored, quarantined, skipped FROM ingest_log"
                           ).fetchall()
    part_shas = []
    for part in sorted(sample_dir().glob("*.zip")):
        with zipfile.ZipFile(part) as archive:
            (member,) = archive.namelist()
            table = part.name.split("_part")[0]
            part_shas.append(f"{table}:{hashlib.sha256(archive.read(member)).hexdigest()}")
    identity = hashlib.sha256("\n".join(sorted(part_shas)).encode()).hexdigest()
    assert entry == (str(sample_dir()), member_sizes(), identity, "patstat", 412, 396, 16, 0)
    reasons = con.execute("SELECT reason FROM quarantine ORDER BY record_index").fetchall()
    assert len(reasons) == 16
    assert reasons[0][0] == ("tls211_pat_publn pat_publn_id 40: publn_date: missing (9999-12-31 is PATSTAT's "
                             "missing date)")


def test_a_second_ingest_stores_nothing(patstat_warehouse) -> None:
    warehouse, _ = patstat_warehouse
    report = ingest([sample_dir()], warehouse)
    assert [(f.status, f.stored) for f in report.files] == [("already-ingested", 0)]
    assert connect(warehouse).execute("SELECT count(*) FROM ingest_log").fetchone()[0] == 1


def test_publications_and_first_grants_by_office_and_year(patstat_warehouse) -> None:
    warehouse, _ = patstat_warehouse
    con = connect(warehouse)
    expected = Counter((p["publn_auth"], int(p["publn_date"][:4])) for p in stored_publications()
                       if p["publn_first_grant"] == "Y")
    got = Counter({(o, y): n for o, y, n in con.execute(
        "SELECT office, year(pub_date), count(*) FROM publications WHERE doc_type = 'invention_grant' GROUP BY ALL"
    ).fetchall()})
    assert got == expected
    assert sum(got.values()) == 209 and got[("US", 2005)] == 26 and got[("EP", 2006)] == 3 and got[("CN", 2002)] == 3
    by_rule = dict(con.execute(
        "SELECT doc_type || '/' || doc_type_rule, count(*) FROM publications GROUP BY ALL").fetchall())
    assert by_rule == {"invention_grant/source:patstat": 209, "invention_application/kind_code": 159,
                       "other/kind_code": 27, "other/source:patstat": 1}
    counts = con.execute("SELECT count(*), count(DISTINCT office || application_number) FROM publications").fetchone()
    assert counts == (396, 244)


def test_ep_b2_after_the_b1_is_not_a_second_grant(patstat_warehouse) -> None:
    con = connect(patstat_warehouse[0])
    got = con.execute("SELECT pub_id, doc_type, doc_type_rule, pub_date::VARCHAR, route, language, family_id "
                      "FROM publications WHERE pub_id LIKE 'EP-166996-%' ORDER BY pub_id").fetchall()
    assert got == [("EP-166996-B1", "invention_grant", "source:patstat", "1991-01-16", "regional", "en", None),
                   ("EP-166996-B2", "other", "kind_code", "1994-12-21", "regional", "en", None)]


def test_applications_by_first_applicant_country(patstat_warehouse) -> None:
    people = persons_by_id()
    expected = Counter()
    for appln_id, links in by_application("tls207_pers_appln").items():
        if appln_id in _stored_applications():
            for link in links:
                if link["applt_seq_nr"] == "1":
                    expected[people[link["person_id"]]["person_ctry_code"] or None] += 1
    got = Counter(dict(connect(patstat_warehouse[0]).execute(
        "SELECT country_raw, count(DISTINCT p.application_number) FROM parties a JOIN publications p USING (pub_id)"
        " WHERE a.role = 'applicant' AND a.sequence = 1 GROUP BY ALL").fetchall()))
    assert got == expected
    assert (got["US"], got["JP"], got["DE"], got[None]) == (78, 51, 20, 27)


def test_families_and_their_members(patstat_warehouse) -> None:
    applications = applications_by_id()
    expected = Counter(applications[a]["docdb_family_id"] for a in _stored_applications()
                       if applications[a]["docdb_family_id"] != "0")
    got = Counter(dict(connect(patstat_warehouse[0]).execute(
        "SELECT family_id, count(DISTINCT office || application_number) FROM publications"
        " WHERE family_id IS NOT NULL GROUP BY ALL").fetchall()))
    assert got == expected
    assert (got["19768124"], got["43088294"], got["22179393"]) == (5, 3, 1)
    members = connect(patstat_warehouse[0]).execute(
        "SELECT DISTINCT office FROM publications WHERE family_id = '19768124' ORDER BY 1").fetchall()
    assert [m[0] for m in members] == ["AT", "DE", "EP", "NL", "US"]


def test_parties_classifications_fields_and_events(patstat_warehouse) -> None:
    people = persons_by_id()
    links = by_application("tls207_pers_appln")
    ipc, cpc, fields = by_application("tls209_appln_ipc"), by_application("tls224_appln_cpc"), by_application(
        "tls230_appln_techn_field")
    parties = classes = field_rows = 0
    weights = Counter()
    for pub in stored_publications():
        a = pub["appln_id"]
        for link in links.get(a, []):
            named = bool(people[link["person_id"]]["person_name"] or people[link["person_id"]]["person_name_orig_lg"])
            parties += named * ((link["applt_seq_nr"] != "0") + (link["invt_seq_nr"] != "0"))
        classes += len({normalise_ipc(r["ipc_class_symbol"]) for r in ipc.get(a, [])} - {None})
        classes += len({normalise_ipc(r["cpc_class_symbol"]) for r in cpc.get(a, [])} - {None})
        field_rows += len(fields.get(a, []))
        for r in fields.get(a, []):
            weights[int(r["techn_field_nr"])] += float(r["weight"])
    con = connect(patstat_warehouse[0])
    assert con.execute("SELECT count(*) FROM parties").fetchone()[0] == parties == 1376
    assert con.execute("SELECT count(*) FROM classifications").fetchone()[0] == classes == 1107
    assert con.execute("SELECT count(*) FROM technology_fields").fetchone()[0] == field_rows == 427
    got_weights = dict(con.execute("SELECT field, sum(weight) FROM technology_fields GROUP BY ALL").fetchall())
    assert {f: round(w, 6) for f, w in got_weights.items()} == {f: round(w, 6) for f, w in weights.items()}
    assert con.execute("SELECT DISTINCT source FROM technology_fields").fetchall() == [("patstat:tls230",)]
    assert con.execute("SELECT count(*) FROM legal_events").fetchone()[0] == 139
    event = con.execute("SELECT event_id, office, event_authority, event_code, event_publication_date::VARCHAR,"
                        " designated_states IS NOT NULL, fee_renewal_year FROM legal_events"
                        " WHERE event_id = 'patstat:1'").fetchone()
    assert event == ("patstat:1", "EP", "EP", "AK", "2011-12-28", True, None)
    ipc = con.execute("SELECT symbol, position FROM classifications WHERE pub_id = 'EP-588006-B1' AND scheme = 'IPC'"
                      " ORDER BY sequence").fetchall()
    assert ipc == [("H02J 13/00", "first"), ("H04Q 9/14", "inventive")]  # tls209: F/I then L/I
    assert con.execute("SELECT count(*) FROM priorities").fetchone()[0] == 0  # internat_appln_id is 0 throughout
