"""``/records``: the publications behind one cell, cut at a page's length with a note;
``/coverage``: every section of ``patentreach info``."""

from __future__ import annotations

from patentreach.web.templating import day
from tests.web.pages.html import by_id, parse, table_rows, text_of


def test_records_page_lists_the_cells_publications(client) -> None:
    answer = client.get("/records", params={"origin": "JP", "offices": "US", "sector": "", "lang": "en",
                                            "cell": ["office=US", "year=2005"]})
    assert answer.status_code == 200
    page = parse(answer.text)
    rows = table_rows(by_id(page, "records"))
    assert len(rows) == 10
    first = rows[0]
    assert text_of(first["pub_id"]) == "US-6837086-B2"
    assert text_of(first["entity_name"]) == "Kobe Steel, Ltd."
    assert first["entity_name"].xpath("./a")[0].get("href") == "/entities/E3626d24dab94"
    assert text_of(first["day"]) == day("2005-01-04", "en")  # the locale's date (i18n's format)
    assert "US-6837086-B2" in text_of(by_id(page, "records"))
    assert by_id(page, "definition").tag == "details"
    assert by_id(page, "back").get("href") == "/?origin=JP&offices=US&sector="
    assert page.xpath('//*[@id="cut"]') == []


def test_a_long_cell_is_cut_with_a_note(client, monkeypatch) -> None:
    from patentreach.web.pages import records

    monkeypatch.setattr(records, "PAGE_ROWS", 4)
    page = parse(client.get("/records", params={"origin": "JP", "offices": "US", "sector": "", "lang": "en",
                                                "cell": ["office=US", "year=2005"]}).text)
    assert len(table_rows(by_id(page, "records"))) == 4
    assert "download them all" in text_of(by_id(page, "cut"))


def test_a_bad_cell_is_a_400_in_the_page(client) -> None:
    answer = client.get("/records", params={"cell": "bogus", "lang": "en"})
    assert answer.status_code == 400
    assert text_of(by_id(parse(answer.text), "problem")).startswith("cell key 'bogus': expected KEY=VALUE")


def test_coverage_page_shows_every_info_section(client) -> None:
    api = client.get("/api/v1/coverage").json()["sections"]
    page = parse(client.get("/coverage", params={"lang": "en"}).text)
    sections = by_id(page, "coverage").xpath("./section")
    assert [text_of(s.xpath("./h2")[0]) for s in sections] == [s["title"] for s in api]
    totals = sections[0].xpath(".//tbody/tr/td")
    assert [text_of(td) for td in totals][:1] == ["431"]
    years = next(s for s in sections if text_of(s.xpath("./h2")[0]) == "publications by year of publication")
    assert [text_of(td) for td in years.xpath(".//tbody/tr[1]/td")] == ["1968", "10"]
    chinese = parse(client.get("/coverage", params={"lang": "zh"}).text)
    assert text_of(by_id(chinese, "coverage").xpath("./section/h2")[0]) == "总计"
