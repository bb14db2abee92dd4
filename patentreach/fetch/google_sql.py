"""The extraction SQL for a slice of Google Patents Public Data, from one template.

The query reads ``patents-public-data.patents.publications`` and selects exactly the columns the
``google-patents`` reader maps, and of the nested ones only the fields it reads: BigQuery bills
the bytes of every column (and nested field) a query touches, so leaving out ``cpc.tree``,
``title_localized.truncated`` or the abstracts makes the extraction cheaper, not only smaller.

The slice's values travel as query parameters (``@years``, ``@offices``, ``@origin``, arrays), never
pasted into the text; only the date column (``grant_date`` or ``publication_date``, one of two fixed
names) is filled into the template. For the BigQuery console, which has no parameter form,
:func:`console_script` declares the same values as script variables above the same query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from string import Template

TABLE = "patents-public-data.patents.publications"

ORIGIN_RULE = (
    "at least one harmonised assignee (assignee_harmonized.country_code) or harmonised inventor "
    "(inventor_harmonized.country_code) of an origin country"
)
"""Who is "of the origin" in the extraction. Wider than WIPO's first-named applicant on purpose:
the slice must hold every document ``stats outbound`` may count under any of its origin rules
(first applicant, all applicants, inventors), which then picks its own rule from the parties."""

DATE_COLUMNS = {
    "grant": "grant_date",
    "publication": "publication_date",
}
"""``--date-basis``: the year of the grant date, or of the publication date (the figure's basis)."""

_TEMPLATE = Template("""\
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
FROM `$table`
WHERE grant_date > 0
  AND DIV($date_column, 10000) IN UNNEST(@years)
  AND country_code IN UNNEST(@offices)
  AND (
    EXISTS (SELECT 1 FROM UNNEST(assignee_harmonized) AS a WHERE a.country_code IN UNNEST(@origin))
    OR EXISTS (SELECT 1 FROM UNNEST(inventor_harmonized) AS i WHERE i.country_code IN UNNEST(@origin))
  )
""")

_PARAMETER = re.compile(r"@(years|offices|origin)\b")


@dataclass(frozen=True, slots=True)
class QueryParameter:
    """One array parameter: its name, BigQuery element type and values."""

    name: str
    element_type: str
    values: tuple


@dataclass(frozen=True, slots=True)
class GoogleSlice:
    """What to extract: grants in ``years`` at ``offices`` (resolved codes) with a party of ``origin``.

    ``requested_offices`` keeps the names as given (``major``, ``US``) for the query's header."""

    origin: tuple[str, ...]
    years: tuple[int, ...]
    offices: tuple[str, ...]
    requested_offices: tuple[str, ...]
    date_basis: str = "grant"

    @property
    def date_column(self) -> str:
        return DATE_COLUMNS[self.date_basis]


def query_text(slice_: GoogleSlice) -> str:
    """The parameterised query (``@years``, ``@offices``, ``@origin``) the client runs."""
    return _TEMPLATE.substitute(table=TABLE, date_column=slice_.date_column)


def query_parameters(slice_: GoogleSlice) -> list[QueryParameter]:
    return [
        QueryParameter("years", "INT64", slice_.years),
        QueryParameter("offices", "STRING", slice_.offices),
        QueryParameter("origin", "STRING", slice_.origin),
    ]


def console_script(slice_: GoogleSlice) -> str:
    """The same query for the BigQuery console: a header saying what the slice is, the parameter
    values as ``DECLARE``d variables, then the query with each ``@name`` read as that variable."""
    header = [
        "-- patentreach fetch google: Google Patents Public Data extraction",
        f"-- grants with {DATE_COLUMNS[slice_.date_basis]} in {_span(slice_.years)}"
        f" at offices {', '.join(slice_.requested_offices)}",
        f"-- origin {', '.join(slice_.origin)}: {ORIGIN_RULE}",
        "-- Run it in the BigQuery console, save or export the result as JSONL or Parquet, then:"
        " patentreach ingest FILES",
    ]
    note = domestic_note(slice_)
    if note:
        header.append(f"-- note: {note}")
    declares = [
        f"DECLARE {p.name} ARRAY<{p.element_type}> DEFAULT [{', '.join(_literal(v) for v in p.values)}];"
        for p in query_parameters(slice_)
    ]
    body = _PARAMETER.sub(lambda m: m.group(1), query_text(slice_))
    return "\n".join([*header, "", *declares, "", body])


def domestic_note(slice_: GoogleSlice) -> str | None:
    """Said when an origin is also an office: its own (domestic) grants are in the slice too."""
    both = sorted(set(slice_.origin) & set(slice_.offices))
    if not both:
        return None
    codes = ", ".join(both)
    return (f"{codes} is both origin and office: domestic grants there are extracted too (stats outbound "
            f"--scope abroad leaves them out); leave {codes} out of --offices to extract less")


def _span(years: tuple[int, ...]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _literal(value: object) -> str:
    """A SQL literal for a checked value (a year, or a two-letter code)."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not re.fullmatch(r"[A-Z0-9]{2}", text):
        raise ValueError(f"{text!r} is not a two-letter code")
    return f"'{text}'"
