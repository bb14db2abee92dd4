"""The real flow on a PATSTAT warehouse: ingest, harmonize, stats outbound; and one document read
from DOCDB/OPS XML and from PATSTAT is one publication."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.harmonize.sector import type_group
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.views import connect
from tests.conftest import shared_path
from tests.sources.patstat.sample import (
    applications_by_id,
    by_application,
    persons_by_id,
    sample_dir,
    stored_publications,
)

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def harmonised(tmp_path_factory) -> Warehouse:
    warehouse = Warehouse(tmp_path_factory.mktemp("flow") / "wh")
    _run("ingest", str(sample_dir()), "-w", str(warehouse.root))
    _run("harmonize", "-w", str(warehouse.root))
    return warehouse


def _jp_first_grant_families(office: str, year: str = "") -> int:
    """Independently: DOCDB families (else the application) of first grants at ``office`` whose
    first applicant's person_ctry_code is JP."""
    applications, people, links = applications_by_id(), persons_by_id(), by_application("tls207_pers_appln")
    families = set()
    for pub in stored_publications():
        if pub["publn_auth"] != office or pub["publn_first_grant"] != "Y" or not pub["publn_date"].startswith(year):
            continue
        first = [people[x["person_id"]]["person_ctry_code"] for x in links.get(pub["appln_id"], [])
                 if x["applt_seq_nr"] == "1"]
        if first == ["JP"]:
            application = applications[pub["appln_id"]]
            family = application["docdb_family_id"]
            families.add(family if family != "0" else (office, application["appln_nr"]))
    return len(families)


def test_outbound_families_fractional_by_office(harmonised: Warehouse) -> None:
    out = _run("stats", "outbound", "-w", str(harmonised.root), "--origin", "JP", "--unit", "families",
               "--counting", "fractional", "--by", "office", "-f", "json")
    cells = {row["office"]: row["count"] for row in json.loads(out)["rows"]}
    assert cells == {"EP": _jp_first_grant_families("EP"), "US": _jp_first_grant_families("US")}
    assert cells == {"EP": 4.0, "US": 41.0}


def test_outbound_documents_by_office_and_year(harmonised: Warehouse) -> None:
    out = _run("stats", "outbound", "-w", str(harmonised.root), "--origin", "JP", "--offices", "US",
               "--years", "2005-2006", "-f", "json")
    rows = {(r["office"], r["year"]): r["count"] for r in json.loads(out)["rows"]}
    # every US grant here is its own application, so documents = applications = families
    assert rows == {("US", 2005): _jp_first_grant_families("US", "2005"), ("US", 2006): _jp_first_grant_families(
        "US", "2006")}
    assert rows == {("US", 2005): 10, ("US", 2006): 2}


def test_harmonize_reads_psn_sector_as_type_code_evidence() -> None:
    assert [type_group(c) for c in ("COMPANY", "INDIVIDUAL", "GOV NON-PROFIT", "UNIVERSITY", "COMPANY UNIVERSITY",
                                    "UNKNOWN")] == ["company", "individual", "government", "government", None, None]


def test_psn_sector_and_han_id_reach_the_parties(tmp_path) -> None:
    """The sample leaves psn/han at their defaults; a derived delivery fills them for one person."""
    import zipfile

    folder = tmp_path / "d"
    folder.mkdir()
    for part in sorted(sample_dir().glob("*.zip")):
        with zipfile.ZipFile(part) as archive:
            (member,) = archive.namelist()
            text = archive.read(member).decode("utf-8")
        if part.name.startswith("tls206"):
            text = text.replace('\r\n1,"Asahi Kasei Kogyo Kabushiki Kaisha","","2-6, Dojimahama 1-chome Kita-ku, '
                                'Osaka-shi Osaka 530","JP","",9,0,"",0,"",0,"",0,"",0\r\n',
                                '\r\n1,"Asahi Kasei Kogyo Kabushiki Kaisha","","2-6, Dojimahama 1-chome Kita-ku, '
                                'Osaka-shi Osaka 530","JP","",9,0,"",0,"",0,"COMPANY",123,"ASAHI KASEI",1\r\n')
        with zipfile.ZipFile(folder / part.name, "w") as archive:
            archive.writestr(member, text)
    warehouse = Warehouse(tmp_path / "wh")
    ingest([folder], warehouse)
    got = connect(warehouse).execute(
        "SELECT DISTINCT name, kind, country, source_entity_id, source_type_code FROM parties"
        " WHERE source_type_code IS NOT NULL").fetchall()
    assert got == [("Asahi Kasei Kogyo Kabushiki Kaisha", "organisation", "JP", "han:123", "COMPANY")]
    _run("harmonize", "-w", str(warehouse.root))
    sector = connect(warehouse).execute(
        "SELECT DISTINCT e.sector, e.sector_rule FROM party_entity e JOIN parties p USING (pub_id, role, sequence)"
        " WHERE p.source_entity_id = 'han:123'").fetchall()
    assert sector == [("company", "type_code")]


def test_a_document_from_docdb_ops_and_patstat_is_one_publication(tmp_path) -> None:
    warehouse = Warehouse(tmp_path / "wh")
    data = shared_path("data")
    ingest([sample_dir(), data / "epo-docdb-xml" / "AP-1206-A_302101161.xml",
            data / "epo-ops-xml" / "epo-ops-go" / "get_family_with_biblio.response.xml"], warehouse)
    con = connect(warehouse)
    shared = dict(con.execute(
        "SELECT pub_id, string_agg(DISTINCT source_format, ',' ORDER BY source_format) FROM publication_sources"
        " GROUP BY pub_id HAVING count(DISTINCT source_format) > 1").fetchall())
    assert shared["AP-1206-A"] == "epo-docdb-xml,patstat"  # member of family 22179393
    assert shared["US-2012057518-A1"] == "epo-ops-xml,patstat"  # US pre-grant number without its zero
    assert shared["CA-2744162-A1"] == "epo-ops-xml,patstat"
    assert con.execute("SELECT count(*) FROM publications WHERE pub_id = 'AP-1206-A'").fetchone()[0] == 1
    numbers = Counter(con.execute("SELECT source_format, application_number FROM all_publications"
                                  " WHERE pub_id = 'AP-1206-A'").fetchall())
    assert numbers == Counter({("epo-docdb-xml", "AP/P/2000/001988"): 1, ("patstat", "AP/P/2000/001988"): 1})


def _jp_us_grants_by_tls230_field(years: tuple[str, ...]) -> dict[int | None, float]:
    """Independently: JP-origin (first applicant) first grants at US in ``years``, each split over
    the fields of its application's tls230 rows by their weights; one without tls230 rows counts 1
    under no field (the sample's US grants carry no IPC rows tls230 could have come from)."""
    applications, people, links = applications_by_id(), persons_by_id(), by_application("tls207_pers_appln")
    fields = by_application("tls230_appln_techn_field")
    cells: Counter[int | None] = Counter()
    for pub in stored_publications():
        if pub["publn_auth"] != "US" or pub["publn_first_grant"] != "Y" or pub["publn_date"][:4] not in years:
            continue
        first = [people[x["person_id"]]["person_ctry_code"] for x in links.get(pub["appln_id"], [])
                 if x["applt_seq_nr"] == "1"]
        if first != ["JP"]:
            continue
        assert pub["appln_id"] in applications
        weights = fields.get(pub["appln_id"], [])
        if not weights:
            cells[None] += 1
        total = sum(float(w["weight"]) for w in weights)
        for w in weights:
            cells[int(w["techn_field_nr"])] += float(w["weight"]) / total
    return dict(cells)


def test_outbound_by_field_uses_the_tls230_weights(harmonised: Warehouse) -> None:
    out = json.loads(_run("stats", "outbound", "-w", str(harmonised.root), "--origin", "JP", "--offices", "US",
                          "--years", "2005-2006", "--by", "field", "-f", "json"))
    cells = {row["field"]: row["count"] for row in out["rows"]}
    expected = _jp_us_grants_by_tls230_field(("2005", "2006"))
    assert cells.keys() == expected.keys()
    assert all(cells[f] == pytest.approx(expected[f]) for f in expected)
    assert cells == {1: 1, 8: 1, None: 10}
    assert out["definition"]["field_weights"] == {"ipc": 26, "patstat:tls230": 23}
    assert out["definition"]["doc_type_rules"] == {"source:patstat": 49}
