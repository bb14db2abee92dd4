"""The headline sentence and the chart of an outbound result, without a warehouse: the rows are
given, the sentence and the chart's data follow from them."""

from __future__ import annotations

from patentreach.indicators.results import IndicatorResult
from patentreach.present.charts import chart_spec
from patentreach.present.headline import headline
from patentreach.web.i18n import translations

DEFINITION = {"origin": ["CN"], "sector": ["company"], "offices": ["major_offices"], "types": ["invention"],
              "stage": "grants", "years": None, "by": ["office", "year"]}


def result(rows: list[tuple[str, int, float]], **changes: object) -> IndicatorResult:
    return IndicatorResult({**DEFINITION, **changes}, ["office", "year", "count"],
                           [{"office": o, "year": y, "count": c} for o, y, c in rows])


GROWING = result([("US", 2020, 30_000), ("EP", 2020, 10_315), ("US", 2021, 34_000), ("EP", 2021, 12_000)])


def test_the_english_headline_sums_the_offices_of_the_last_year() -> None:
    assert headline(GROWING, "en") == ("Granted invention patents obtained in major foreign offices by enterprises "
                                       "from China: 46,000 in 2021, +14.1% year on year.")


def test_the_chinese_headline_comes_from_the_catalog() -> None:
    sentence = headline(GROWING, "zh", translations("zh").gettext)
    assert sentence.startswith("2021年，")
    assert sentence.endswith("企业在主要国家和地区获得发明专利授权4.6万件，同比增长14.1%。")


def test_falls_flat_and_gaps() -> None:
    falling = result([("US", 2020, 200), ("US", 2021, 150)])
    assert headline(falling, "en").endswith(": 150 in 2021, -25.0% year on year.")
    assert headline(falling, "zh", translations("zh").gettext).endswith("150件，同比下降25.0%。")
    gap = result([("US", 2019, 5), ("US", 2021, 6)])
    assert headline(gap, "en").endswith(": 6 in 2021.")
    by_office = IndicatorResult({**DEFINITION, "by": ["office"], "years": [2021, 2021]}, ["office", "count"],
                                [{"office": "US", "count": 12.5}, {"office": "EP", "count": 2}])
    assert headline(by_office, "en").endswith(": 14.5 in 2021.")
    assert headline(result([]), "en") == "Nothing is counted in this selection."


def test_the_chart_draws_lines_by_year_and_bars_otherwise() -> None:
    lines = chart_spec(GROWING, "zh", translations("zh").gettext)
    assert lines["mark"]["type"] == "line"
    assert lines["encoding"]["x"]["title"] == "年份" and lines["encoding"]["y"]["title"] == "数量"
    assert sorted((v["year"], v["count"]) for v in lines["data"]["values"] if v["year"] == 2021) == [
        (2021, 12_000), (2021, 34_000)]
    bars = chart_spec(IndicatorResult({**DEFINITION, "by": ["office"]}, ["office", "count"],
                                      [{"office": "US", "count": 3}]), "en")
    assert bars["mark"]["type"] == "bar"
    assert bars["data"]["values"] == [{"series": "United States of America", "count": 3}]


def test_one_year_by_office_is_drawn_as_bars() -> None:
    one_year = result([("US", 2021, 34_000), ("EP", 2021, 12_000)], years=[2021, 2021])
    spec = chart_spec(one_year, "en")
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["title"] == "Office"
    assert {v["series"]: v["count"] for v in spec["data"]["values"]} == {
        "United States of America": 34_000, "European Patent Office": 12_000}
