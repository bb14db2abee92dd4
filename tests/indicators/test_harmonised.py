"""End to end on the real pipeline: samples -> ingest -> ``patentreach.harmonize`` -> indicators."""

from __future__ import annotations

from collections import defaultdict

import pytest

from patentreach.indicators import OutboundSpec, indicator_set, outbound, outbound_set
from patentreach.warehouse import connect as connect_views
from patentreach.warehouse.engines import connect
from tests.indicators.test_sample_values import US_GRANTS


def test_indicator_set_on_harmonised_warehouse(harmonised_warehouse) -> None:
    with connect(harmonised_warehouse) as engine:
        results = outbound_set(engine, indicator_set(("JP",), (2005, 2012)))
        assert results["office_year"].rows
        # Every JP first assignee in the weekly samples prints its country: no fallback changes them.
        got = {(r["office"], r["year"]): r["count"] for r in results["office_year"].rows if r["office"] == "US"}
        assert got == {("US", y): n for (o, y), n in US_GRANTS.items() if o == "JP"}


@pytest.mark.parametrize("rule", ["first_applicant", "applicants", "inventors"])
def test_fractional_counts_sum_to_documents(harmonised_warehouse, rule) -> None:
    spec = OutboundSpec(origin_rule=rule, counting="fractional", scope="all", by=("office", "year"))
    with connect(harmonised_warehouse) as engine:
        rows = outbound(engine, spec).rows
    totals: dict[tuple, float] = defaultdict(float)
    for row in rows:
        totals[(row["office"], row["year"])] += row["count"]
    con = connect_views(harmonised_warehouse)
    documents = {(o, y): n for o, y, n in con.execute(
        "SELECT office, year(pub_date), count(*) FROM publications WHERE doc_type = 'invention_grant' GROUP BY ALL"
    ).fetchall()}
    con.close()
    assert {k: round(v, 6) for k, v in totals.items()} == documents
