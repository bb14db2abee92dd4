"""The standard set of outbound indicators: the figures a bulletin, the demo and the benchmark
compute together, and the set the engine-equality test runs on DuckDB and on Spark.

* ``office_year``: grants abroad of ``origin`` by office and year, with year-on-year change;
* ``office_year_families``: the same in families;
* ``origin_office_year``: the all-origins matrix, origin x office x year;
* ``field_year``: by WIPO technology field (fractional over fields) and year;
* ``top_entities``: the top 20 entities by year;
* ``route_office_year``: direct vs PCT national phase, by office and year.
"""

from __future__ import annotations

from patentreach.indicators.spec import OutboundSpec


def indicator_set(origin: tuple[str, ...] = ("CN",), years: tuple[int, int] | None = None,
                  base: OutboundSpec | None = None) -> dict[str, OutboundSpec]:
    """The named specs of the standard set, varying ``base`` (default: invention grants abroad,
    first applicant, whole counts, grant year)."""
    spec = (base or OutboundSpec()).replace(origin=origin, years=years)
    return {
        "office_year": spec.replace(by=("office", "year")),
        "office_year_families": spec.replace(by=("office", "year"), unit="families"),
        "origin_office_year": spec.replace(origin=(), by=("origin", "office", "year")),
        "field_year": spec.replace(by=("field", "year")),
        "top_entities": spec.replace(by=("entity", "year"), top=20),
        "route_office_year": spec.replace(by=("office", "route", "year")),
    }
