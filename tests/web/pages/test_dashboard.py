"""``/``: the filter bar, headline, chart, table, definition and downloads agree with the API;
every count links to a records page listing exactly that many publications."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.web.pages.html import by_id, parse, table_rows, text_of

JP_US = {"origin": "JP", "offices": "US", "years": "2005-2009", "sector": "", "lang": "en"}


def test_the_table_cells_equal_the_api_rows(client) -> None:
    page = client.get("/", params=JP_US)
    assert page.status_code == 200
    rows = table_rows(by_id(parse(page.text), "outbound"))
    api = client.get("/api/v1/outbound", params={k: v for k, v in JP_US.items() if k != "lang"}).json()["rows"]
    assert [(r["office"].get("data-value"), int(r["year"].get("data-value")), int(r["count"].get("data-value")))
            for r in rows] == [(a["office"], a["year"], a["count"]) for a in api]
    assert [text_of(r["count"]) for r in rows] == ["10", "2", "7", "7", "8"]
    assert text_of(rows[0]["office"]) == "United States of America"
    assert [text_of(r["yoy_pct"]) for r in rows] == ["–", "-80.0%", "+250.0%", "0.0%", "+14.3%"]


def test_every_cell_link_lists_exactly_its_count_of_publications(client) -> None:
    params = {"origin": "JP", "offices": "US", "years": "2005-2006", "sector": "", "lang": "en"}
    rows = table_rows(by_id(parse(client.get("/", params=params).text), "outbound"))
    assert len(rows) == 2
    for row in rows:
        (link,) = row["count"].xpath('./a[@class="cell-link"]')
        href = link.get("href")
        query = parse_qs(urlsplit(href).query, keep_blank_values=True)
        assert query["cell"] == ["office=US", f"year={row['year'].get('data-value')}"]
        assert query["origin"] == ["JP"] and query["years"] == ["2005-2006"] and query["sector"] == [""]
        records = client.get(href)
        assert records.status_code == 200
        listed = table_rows(by_id(parse(records.text), "records"))
        assert len({text_of(r["pub_id"]) for r in listed}) == int(row["count"].get("data-value"))
    assert [int(r["count"].get("data-value")) for r in rows] == [10, 2]


def test_the_headline_in_english_and_chinese(client) -> None:
    english = parse(client.get("/", params=JP_US).text)
    assert text_of(by_id(english, "headline")) == (
        "Granted invention patents obtained in United States of America by applicants from Japan: "
        "8 in 2009, +14.3% year on year.")
    chinese = text_of(by_id(parse(client.get("/", params={**JP_US, "lang": "zh"}).text), "headline"))
    assert chinese.startswith("2009年，")
    assert chinese.endswith("获得发明专利授权8件，同比增长14.3%。")


def test_the_chart_is_an_inline_svg_in_the_pages_language(client) -> None:
    page = parse(client.get("/", params={**JP_US, "lang": "zh"}).text)
    (svg,) = by_id(page, "chart").xpath("./*[local-name()='svg']")
    labels = {" ".join(t.itertext()) for t in svg.iter() if isinstance(t.tag, str) and t.tag.endswith("text")}
    assert "年份" in labels and "数量" in labels  # axis titles from dashboard.po
    assert {"2005", "2009"} <= labels


def test_definition_and_downloads_follow_the_selection(client) -> None:
    page = parse(client.get("/", params=JP_US).text)
    definition = by_id(page, "definition")
    assert definition.tag == "details"
    assert "JP-origin invention patents (granted patents), abroad at US, 2005-2009" in text_of(definition)
    links = {a.text_content(): a.get("href") for a in page.xpath('//a[@class="download"]')}
    assert set(links) == {"CSV", "XLSX", "PARQUET", "JSON"}
    assert client.get(links["JSON"]).json() == client.get(
        "/api/v1/outbound", params={k: v for k, v in JP_US.items() if k != "lang"}).json()
    csv = client.get(links["CSV"])
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    switch = parse_qs(urlsplit(by_id(page, "lang-zh").get("href")).query, keep_blank_values=True)
    assert switch["origin"] == ["JP"] and switch["years"] == ["2005-2009"] and switch["lang"] == ["zh"]


def test_the_defaults_without_javascript(client) -> None:
    """A plain GET of / is the demo's selection (Chinese enterprises at the major offices); the
    form is a GET form whose fields are the API's parameters, with a submit button."""
    page = parse(client.get("/", params={"lang": "en"}).text)
    form = by_id(page, "filters")
    assert form.get("method") == "get" and form.get("action") == "/"
    assert form.xpath('.//input[@name="origin"]')[0].get("value") == "CN"
    assert form.xpath('.//select[@name="sector"]/option[@selected]')[0].get("value") == "company"
    assert form.xpath('.//select[@name="offices"]/option[@selected]')[0].get("value") == "major"
    assert form.xpath('.//select[@name="by"]/option[@selected]')[0].get("value") == "office,year"
    assert {e.get("name") for e in form.xpath(".//input|.//select") if e.get("name")} >= {
        "origin", "offices", "years", "unit", "counting", "sector", "basis", "stage", "by"}
    assert by_id(page, "apply").get("type") == "submit"
    # no CN-origin grants in the samples: the page says so, and why
    assert text_of(by_id(page, "headline")) == "Nothing is counted in this selection."
    assert "none of the 161 invention grants in the selection has origin CN" in text_of(by_id(page, "definition"))
    assert page.xpath('//table[@id="outbound"]') == []


def test_the_coverage_panel_names_the_offices_without_data(client) -> None:
    page = parse(client.get("/", params={**JP_US, "offices": "ip5", "years": "2005-2012"}).text)
    panel = by_id(page, "coverage-panel")
    assert [a.get("title") for a in panel.xpath('.//p[@class="missing-offices"]/abbr')] == ["CN", "JP", "KR"]
    assert [tr.get("data-office") for tr in panel.xpath(".//tbody/tr")] == ["EP", "US"]


def test_a_bad_option_keeps_the_form_and_says_why(client) -> None:
    answer = client.get("/", params={"years": "2021-2019", "lang": "en"})
    assert answer.status_code == 400
    page = parse(answer.text)
    assert text_of(by_id(page, "problem")).startswith("years 2021-2019: the first year is after the last")
    assert by_id(page, "filters").xpath('.//input[@name="years"]')[0].get("value") == "2021-2019"


def test_no_warehouse_is_said_in_the_page(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from patentreach.warehouse import Warehouse
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    app = create_app(ServeConfig.for_warehouse(Warehouse(tmp_path / "nothing"), tmp_path / "state"))
    with TestClient(app) as client:
        for path in ("/", "/coverage", "/records?cell=office=US"):
            answer = client.get(path, params={"lang": "en"})
            assert answer.status_code == 503
            assert "no warehouse here" in text_of(by_id(parse(answer.text), "problem"))
