"""Counting rules on the real samples: each switch against a plain-SQL count of the same thing."""

from __future__ import annotations

from collections import defaultdict

import pytest

from patentreach.indicators import OutboundSpec, outbound, records
from patentreach.warehouse import connect


@pytest.fixture(scope="module")
def sql(sample_warehouse):
    con = connect(sample_warehouse)
    yield lambda query: con.execute(query).fetchall()
    con.close()


def _by(rows, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r["count"] for r in rows}


def test_fractional_counts_sum_to_documents(sample_engine, sql) -> None:
    for rule in ("applicants", "inventors", "first_applicant"):
        spec = OutboundSpec(origin_rule=rule, counting="fractional", scope="all", offices=("US",),
                            by=("origin", "year"))
        totals: dict[int, float] = defaultdict(float)
        for row in outbound(sample_engine, spec).rows:
            totals[row["year"]] += row["count"]
        documents = dict(sql("SELECT year(pub_date), count(*) FROM publications "
                             "WHERE office = 'US' AND doc_type = 'invention_grant' GROUP BY 1"))
        assert {y: round(n, 6) for y, n in totals.items()} == documents, rule


def test_fractional_splits_a_document_between_origins(sample_engine, sql) -> None:
    """A publication with one applicant from each of two countries adds 0.5 to each country's
    cell under fractional counting, 1 to each under whole counting."""
    mixed = sql("""SELECT o.pub_id, any_value(p.office), any_value(year(p.pub_date)), any_value(p.doc_type)
                   FROM origin_shares o JOIN publications p USING (pub_id) WHERE o.rule = 'applicants'
                   GROUP BY o.pub_id HAVING count(DISTINCT o.country) = 2 AND count(*) = 2 ORDER BY 1 LIMIT 1""")
    assert mixed, "the samples have a publication with applicants from two countries"
    pub_id, office, year, doc_type = mixed[0]
    stage = "grants" if doc_type == "invention_grant" else "applications"
    spec = OutboundSpec(origin_rule="applicants", counting="fractional", scope="all", offices=(office,),
                        years=(year, year), stage=stage, by=("origin",))
    query = f"SELECT country FROM origin_shares WHERE pub_id = '{pub_id}' AND rule = 'applicants'"
    countries = [c for (c,) in sql(query)]
    for country in countries:
        cell = records(sample_engine, spec, {"origin": country}).rows
        assert [r["weight"] for r in cell if r["pub_id"] == pub_id] == [0.5]
        whole = records(sample_engine, spec.replace(counting="whole"), {"origin": country}).rows
        assert [r["weight"] for r in whole if r["pub_id"] == pub_id] == [1.0]


def test_families_collapse_family_members(sample_engine) -> None:
    """FI grants abroad: EP-2400812-B1 and US-9648662-B2 are one DOCDB family (43088294);
    EP-2533477-B1 another; two US grants of the weekly samples have no family id (one each)."""
    documents = OutboundSpec(origin=("FI",), by=("origin",))
    assert _by(outbound(sample_engine, documents).rows, "origin") == {"FI": 5}
    assert _by(outbound(sample_engine, documents.replace(unit="families")).rows, "origin") == {"FI": 4}
    by_office = documents.replace(by=("office",), unit="families")
    assert _by(outbound(sample_engine, by_office).rows, "office") == {"EP": 2, "US": 3}


def test_families_of_applications(sample_engine) -> None:
    """FI applications abroad: EP-2400812-A1, CA-2744162-A1 and US-2012057518-A1 share family
    43088294; EP-2533477-A1 is in 44533794."""
    spec = OutboundSpec(origin=("FI",), stage="applications", by=("origin",))
    assert _by(outbound(sample_engine, spec).rows, "origin") == {"FI": 4}
    assert _by(outbound(sample_engine, spec.replace(unit="families")).rows, "origin") == {"FI": 2}


def test_fractional_families_weigh_one_each(sample_engine, sql) -> None:
    spec = OutboundSpec(origin_rule="applicants", counting="fractional", unit="families", scope="all",
                        stage="applications", by=("origin",))
    total = sum(r["count"] for r in outbound(sample_engine, spec).rows)
    families = sql("SELECT count(DISTINCT coalesce(family_id, office || ':' || application_number, pub_id)) "
                   "FROM publications WHERE doc_type = 'invention_application'")[0][0]
    assert total == pytest.approx(families)


def test_technology_fields_share_each_document(sample_engine, sql) -> None:
    spec = OutboundSpec(scope="all", offices=("US",), counting="fractional", by=("field",))
    rows = outbound(sample_engine, spec).rows
    documents = sql("SELECT count(*) FROM publications WHERE office = 'US' AND doc_type = 'invention_grant'")[0][0]
    assert sum(r["count"] for r in rows) == pytest.approx(documents)
    assert all(r["field_name"] for r in rows if r["field"] is not None)
    whole = outbound(sample_engine, spec.replace(counting="whole")).rows
    assert sum(r["count"] for r in whole) == pytest.approx(documents)  # fields shared under whole counting too
    first = outbound(sample_engine, spec.replace(field_counting="first", counting="whole")).rows
    assert sum(r["count"] for r in first) == documents  # one field (or none) per document
    families = sql("SELECT count(DISTINCT coalesce(family_id, office || ':' || application_number, pub_id)) "
                   "FROM publications WHERE office = 'US' AND doc_type = 'invention_grant'")[0][0]
    for counting in ("whole", "fractional"):
        rows = outbound(sample_engine, spec.replace(unit="families", counting=counting)).rows
        assert sum(r["count"] for r in rows) == pytest.approx(families), counting


def test_first_field_counts_each_document_once_in_every_office(sample_engine, sql) -> None:
    """Whatever a source marks as first (several symbols may share the first place), a document
    has one first field or none, from the views and from the prepared field lists alike."""
    spec = OutboundSpec(scope="all", by=("office", "field"), field_counting="first")
    documents = dict(sql("SELECT office, count(*) FROM publications WHERE doc_type = 'invention_grant' "
                         "GROUP BY office"))
    counted: dict[str, int] = defaultdict(int)
    for row in outbound(sample_engine, spec).rows:
        counted[row["office"]] += row["count"]
    assert counted == documents


def test_top_entities(sample_engine) -> None:
    spec = OutboundSpec(scope="all", offices=("US",), by=("entity",), top=3)
    rows = outbound(sample_engine, spec).rows
    assert [r["entity_rank"] for r in rows] == [1, 2, 3]
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    assert all(r["entity_name"] for r in rows)


def test_top_entities_are_the_largest_first_applicants_ties_by_id(sample_engine, sql) -> None:
    """Ranks from plain SQL: US invention grants per entity of the first applicant, largest
    first, ties broken by entity id; the top N keeps exactly those, with their counts."""
    expected = sql("""
        SELECT o.entity_id, count(*) AS n FROM origin_shares o JOIN publications p USING (pub_id)
        WHERE o.rule = 'first_applicant' AND p.office = 'US' AND p.doc_type = 'invention_grant'
          AND o.entity_id IS NOT NULL
        GROUP BY 1 ORDER BY n DESC, o.entity_id LIMIT 5""")
    spec = OutboundSpec(scope="all", offices=("US",), by=("entity",), top=5)
    rows = outbound(sample_engine, spec).rows
    assert [(r["entity_id"], r["count"], r["entity_rank"]) for r in rows] == [
        (entity, n, rank) for rank, (entity, n) in enumerate(expected, start=1)
    ]


def test_without_top_every_entity_is_ranked_and_unnamed_rows_are_not(sample_engine) -> None:
    spec = OutboundSpec(scope="all", offices=("US",), by=("entity",))
    rows = outbound(sample_engine, spec).rows
    named = sorted((r for r in rows if r["entity_id"] is not None), key=lambda r: r["entity_rank"])
    assert [r["entity_rank"] for r in named] == list(range(1, len(named) + 1))
    assert [(r["count"], r["entity_id"]) for r in named] == sorted(
        ((r["count"], r["entity_id"]) for r in named), key=lambda t: (-t[0], t[1]))
    assert all(r["entity_rank"] is None for r in rows if r["entity_id"] is None)


def test_route_split(sample_engine, sql) -> None:
    spec = OutboundSpec(scope="all", offices=("US", "EP"), by=("office", "route"))
    got = _by(outbound(sample_engine, spec).rows, "office", "route")
    us = dict(sql("SELECT route, count(*) FROM publications WHERE office = 'US' AND doc_type = 'invention_grant' "
                  "GROUP BY 1"))
    assert got[("US", "pct")] == us["pct"] and got[("US", "direct")] == us["direct"]
    euro_pct = sql("SELECT count(DISTINCT p.pub_id) FROM publications p JOIN priorities q USING (pub_id) "
                   "WHERE p.office = 'EP' AND p.doc_type = 'invention_grant' AND q.kind = 'pct'")[0][0]
    assert got.get(("EP", "pct"), 0) == euro_pct


def test_residence_and_destination(sample_engine) -> None:
    spec = OutboundSpec(scope="all", offices=("US", "EP"), by=("office", "residence", "destination"),
                        destination_group="ip5")
    rows = outbound(sample_engine, spec).rows
    assert {r["destination"] for r in rows} == {"ip5"}
    got = {(r["office"], r["residence"]): r["count"] for r in rows}
    us_resident = sum(n for (o, _), n in {k: v for k, v in got.items()}.items() if o == "US" and _ == "resident")
    resident_only = OutboundSpec(scope="resident", offices=("US",), by=("office",))
    assert _by(outbound(sample_engine, resident_only).rows, "office") == {"US": us_resident}
    # EP-1000000-B1 (2003): a Dutch applicant at the EPO, a member state since 1977, is resident.
    assert got[("EP", "resident")] >= 1


def test_sector_filter(sample_engine, sql) -> None:
    spec = OutboundSpec(offices=("US",), scope="all", sector=("company",), by=("office",))
    expected = sql("SELECT count(*) FROM publications p JOIN origin_shares o USING (pub_id) WHERE o.rule = "
                   "'first_applicant' AND o.sector = 'company' AND p.office = 'US' AND p.doc_type = 'invention_grant'")
    assert _by(outbound(sample_engine, spec).rows, "office") == {"US": expected[0][0]}


def test_date_basis(sample_engine, sql) -> None:
    for basis, column in (("filing", "application_date"), ("priority", "earliest_priority_date")):
        spec = OutboundSpec(offices=("US",), scope="all", basis=basis, by=("year",))
        expected = dict(sql(f"SELECT year({column}), count(*) FROM publications WHERE office = 'US' "
                            f"AND doc_type = 'invention_grant' AND {column} IS NOT NULL GROUP BY 1"))
        assert _by(outbound(sample_engine, spec).rows, "year") == expected, basis


def test_designs_on_request(sample_engine, sql) -> None:
    spec = OutboundSpec(offices=("US",), scope="all", types=("design",), by=("office",))
    expected = sql("SELECT count(*) FROM publications WHERE office = 'US' AND doc_type = 'design'")[0][0]
    assert _by(outbound(sample_engine, spec).rows, "office") == {"US": expected}
