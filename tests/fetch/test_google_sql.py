"""The extraction SQL of ``fetch google``, word for word, for two slices; office groups resolved
from the reference table over the years asked for; impossible slices refused in one line."""

from __future__ import annotations

import pytest

from patentreach.fetch.google_slice import SliceError, make_slice, resolve_offices
from patentreach.fetch.google_sql import QueryParameter, console_script, query_parameters, query_text

SELECT_AND_FROM = """\
SELECT
  publication_number,
  application_number,
  country_code,
  kind_code,
  application_kind,
  pct_number,
  family_id,
  publication_date,
  filing_date,
  grant_date,
  priority_date,
  ARRAY(
    SELECT AS STRUCT p.application_number, p.filing_date
    FROM UNNEST(priority_claim) AS p WITH OFFSET AS n ORDER BY n
  ) AS priority_claim,
  ARRAY(
    SELECT AS STRUCT t.text, t.language
    FROM UNNEST(title_localized) AS t WITH OFFSET AS n ORDER BY n
  ) AS title_localized,
  assignee_harmonized,
  inventor_harmonized,
  ARRAY(
    SELECT AS STRUCT c.code, c.inventive, c.first
    FROM UNNEST(ipc) AS c WITH OFFSET AS n ORDER BY n
  ) AS ipc,
  ARRAY(
    SELECT AS STRUCT c.code, c.inventive, c.first
    FROM UNNEST(cpc) AS c WITH OFFSET AS n ORDER BY n
  ) AS cpc
FROM `patents-public-data.patents.publications`
"""

CN_MAJOR_2020_2021_CONSOLE = """\
-- patentreach fetch google: Google Patents Public Data extraction
-- grants with grant_date in 2020-2021 at offices major_offices
-- origin CN: at least one harmonised assignee (assignee_harmonized.country_code) or harmonised inventor \
(inventor_harmonized.country_code) of an origin country
-- Run it in the BigQuery console, save or export the result as JSONL or Parquet, then: patentreach ingest FILES
-- note: CN is both origin and office: domestic grants there are extracted too (stats outbound --scope abroad \
leaves them out); leave CN out of --offices to extract less

DECLARE years ARRAY<INT64> DEFAULT [2020, 2021];
DECLARE offices ARRAY<STRING> DEFAULT ['AU', 'BR', 'CA', 'CN', 'EP', 'GB', 'HK', 'ID', 'IN', 'JP', 'KR', 'LU', \
'RU', 'SG', 'US', 'ZA'];
DECLARE origin ARRAY<STRING> DEFAULT ['CN'];

""" + SELECT_AND_FROM + """\
WHERE grant_date > 0
  AND DIV(grant_date, 10000) IN UNNEST(years)
  AND country_code IN UNNEST(offices)
  AND (
    EXISTS (SELECT 1 FROM UNNEST(assignee_harmonized) AS a WHERE a.country_code IN UNNEST(origin))
    OR EXISTS (SELECT 1 FROM UNNEST(inventor_harmonized) AS i WHERE i.country_code IN UNNEST(origin))
  )
"""

IP5_SG_2021_PUBLICATION_QUERY = SELECT_AND_FROM + """\
WHERE grant_date > 0
  AND DIV(publication_date, 10000) IN UNNEST(@years)
  AND country_code IN UNNEST(@offices)
  AND (
    EXISTS (SELECT 1 FROM UNNEST(assignee_harmonized) AS a WHERE a.country_code IN UNNEST(@origin))
    OR EXISTS (SELECT 1 FROM UNNEST(inventor_harmonized) AS i WHERE i.country_code IN UNNEST(@origin))
  )
"""


def test_console_script_for_cn_grants_at_major_offices_2020_2021() -> None:
    slice_ = make_slice(["CN"], (2020, 2021), ["major_offices"])
    assert console_script(slice_) == CN_MAJOR_2020_2021_CONSOLE


def test_parameterised_query_for_cn_and_hk_at_ip5_and_sg_by_publication_year() -> None:
    slice_ = make_slice(["HK", "CN"], (2021, 2021), ["ip5", "SG"], date_basis="publication")
    assert query_text(slice_) == IP5_SG_2021_PUBLICATION_QUERY
    assert query_parameters(slice_) == [
        QueryParameter("years", "INT64", (2021,)),
        QueryParameter("offices", "STRING", ("CN", "EP", "JP", "KR", "SG", "US")),
        QueryParameter("origin", "STRING", ("CN", "HK")),
    ]
    # The values never enter the parameterised text: only @names do.
    assert "'SG'" not in query_text(slice_) and "2021" not in query_text(slice_)


def test_console_script_reads_the_same_query_with_variables() -> None:
    slice_ = make_slice(["CN"], (2020, 2021), ["US"])
    script = console_script(slice_)
    assert script.endswith(query_text(slice_).replace("@years", "years").replace("@offices", "offices")
                           .replace("@origin", "origin"))
    assert "@" not in script


def test_group_members_are_those_of_any_day_in_the_years() -> None:
    # Montenegro joined the EPC on 2022-10-01 (country_groups.csv).
    assert "ME" not in resolve_offices(["epc"], 2021, 2021)
    assert "ME" in resolve_offices(["epc"], 2021, 2022)
    assert len(resolve_offices(["epc"], 2021, 2021)) == 38
    assert resolve_offices(["US", "ip5", "HK"], 2021, 2021) == ("CN", "EP", "HK", "JP", "KR", "US")


@pytest.mark.parametrize(("args", "message"), [
    ((["CN"], (2021, 2020), ["US"]), "years 2021-2020: the first year is after the last"),
    ((["CN"], (1700, 2020), ["US"]), "years 1700-2020: expected years from 1790 to "),
    ((["CN"], (2021, 2021), ["nowhere"]),
     "office 'nowhere' is neither an office code nor a group of the country_groups table"),
    (([], (2021, 2021), ["US"]), "no origin country: give --origin (e.g. CN)"),
])
def test_impossible_slices_are_refused_in_one_line(args, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SliceError) as caught:
        make_slice(*args)
    assert str(caught.value).startswith(message)


def test_unknown_date_basis_names_the_choices() -> None:
    with pytest.raises(SliceError, match=r"date basis 'filing' is not known; choose from grant, publication"):
        make_slice(["CN"], (2021, 2021), ["US"], date_basis="filing")


def test_both_texts_parse_as_bigquery_sql() -> None:
    """A syntax check offline: sqlglot (the SQL parser ibis uses) reads them in its BigQuery dialect."""
    import sqlglot

    slice_ = make_slice(["CN"], (2020, 2021), ["major_offices"])
    query = sqlglot.parse_one(query_text(slice_), dialect="bigquery", error_level=sqlglot.ErrorLevel.RAISE)
    assert isinstance(query, sqlglot.exp.Select)
    assert " ".join(query_text(slice_).split()).replace("( ", "(").replace(" )", ")") == query.sql(
        dialect="bigquery").replace("EXISTS(", "EXISTS (")
    statements = sqlglot.parse(console_script(slice_), dialect="bigquery", error_level=sqlglot.ErrorLevel.RAISE)
    assert len(statements) == 4 and isinstance(statements[-1], sqlglot.exp.Select)
