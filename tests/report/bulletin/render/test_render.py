"""The bulletin's HTML: one well-formed, self-contained page per language with the headline
sentence as each language writes it, the chart as inline SVG with one mark per bar, the data
escaped, the left-out section said, the same bytes every time, template errors naming the line.

Validity: html5lib is not a dependency, so the page is written as polyglot markup (HTML that is
also well-formed XML: void elements closed, no named entities, no raw ``<`` or ``&`` in the
style sheet) and parsed with lxml's strict XML parser, which fails on any unclosed, misnested or
unescaped element; ids are checked unique and every in-page link checked to have its target.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from patentreach.report.bulletin.render import TemplateError, render_html
from patentreach.report.bulletin.write import write_bulletin
from patentreach.warehouse import Warehouse
from tests.report.bulletin.render.fake import EVIL, fake_bulletin

HEADLINES = {
    "en": "Granted invention patents obtained in major foreign offices by enterprises from China: 46,000 in 2021, "
          "+14.1% year on year.",
    "zh": "2021\u5e74\uff0c\u4e2d\u56fd\u4f01\u4e1a\u5728\u4e3b\u8981\u56fd\u5bb6\u548c\u5730\u533a\u83b7\u5f97"
          "\u53d1\u660e\u4e13\u5229\u6388\u67434.6\u4e07\u4ef6\uff0c\u540c\u6bd4\u589e\u957f14.1%\u3002",
    # 2021年，中国企业在主要国家和地区获得发明专利授权4.6万件，同比增长14.1%。
}
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    bulletin = fake_bulletin(tmp_path_factory.mktemp("wh") / "none")
    return {lang: render_html(bulletin, lang) for lang in ("zh", "en")}


def parse(page: str) -> etree._Element:
    assert page.startswith("<!DOCTYPE html>\n")
    return etree.fromstring(page.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_is_well_formed_with_unique_ids_and_working_links(pages: dict[str, str], lang: str) -> None:
    root = parse(pages[lang])
    assert root.tag == "html" and root.get("lang") == {"zh": "zh-CN", "en": "en"}[lang]
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    links = [element.get("href")[1:] for element in root.iter("a") if (element.get("href") or "").startswith("#")]
    assert links == ["section-headlines", "section-offices"]
    assert set(links) <= set(ids)
    assert not re.search(r"""(src|href)=["'](https?:)?//""", pages[lang])  # self-contained: nothing fetched


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_headline_sentence_is_written_as_each_language_writes_it(pages: dict[str, str], lang: str) -> None:
    assert f"<li>{HEADLINES[lang]}</li>" in pages[lang]


def test_the_chart_is_inline_svg_with_one_mark_per_bar(pages: dict[str, str]) -> None:
    for page in pages.values():
        svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
        assert len(svgs) == 1
        bars = re.findall(r'<path[^>]*role="graphics-symbol"[^>]*aria-roledescription="bar"', svgs[0])
        assert len(bars) == 3
    assert "\u6b27\u6d32\u4e13\u5229\u5c40" in pages["zh"]  # 欧洲专利局: the chart's names from the reference data


def test_the_table_writes_full_figures_and_escapes_the_data(pages: dict[str, str]) -> None:
    zh = pages["zh"]
    assert '<td class="name">\u7f8e\u56fd</td><td class="figure">20,000</td>' in zh  # 美国 20,000 (not 2万)
    assert EVIL not in zh and "&lt;script&gt;alert(1)&lt;/script&gt;" in zh
    assert '<td class="percent">43.5%</td>' in zh  # 20,000 of 46,000


def test_a_left_out_section_is_printed_with_its_title_and_why(pages: dict[str, str]) -> None:
    root = parse(pages["en"])
    section = root.find(".//section[@id='section-headlines']")
    assert section is not None and "omitted" in section.get("class")
    text = "".join(section.itertext())
    assert "Headlines" in text and "No section with a headline figure could be built from these inputs." in text


def test_the_provenance_footer_lists_the_inputs_sha256_from_the_ingest_log(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from patentreach.model.ingest import IngestLogEntry
    from patentreach.warehouse.ingest_log import write_entry

    warehouse = Warehouse(tmp_path / "wh")
    warehouse.create()
    when = datetime(2022, 1, 1, tzinfo=UTC)
    entry = IngestLogEntry("i1", "/data/ipg220104.zip", 10, "ab" * 32, "uspto", "1", 12345, 12345, 0, 0, 0, when, when)
    write_entry(warehouse, entry, "1")
    page = render_html(fake_bulletin(warehouse.root), "en")
    assert ("<tr><td>/data/ipg220104.zip</td><td class=\"hash\">" + "ab" * 32 + "</td><td class=\"num\">12,345</td>"
            in page)
    assert "Generated at 2022-06-01T00:00:00Z by patentreach" in page
    assert "patentreach bulletin --warehouse " + str(warehouse.root) in page


def test_the_same_bulletin_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        write_bulletin(fake_bulletin(tmp_path / "none"), out, ["zh", "en"], pdf=False)
    names = sorted(path.name for path in first.iterdir())
    assert names == ["bulletin.en.html", "bulletin.zh.html", "figures.csv", "figures.json"]
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in names)


def test_a_template_that_does_not_parse_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "section.html").write_text("<section>\n<h2>{{ section.title }</h2>\n</section>\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"section\.html, line 2: "):
        render_html(fake_bulletin(tmp_path / "none", templates=tmp_path), "en")


def test_a_template_using_an_unknown_name_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "section.html").write_text("<section>\n\n<h2>{{ section.titel.upper() }}</h2>\n</section>\n",
                                           encoding="utf-8")
    with pytest.raises(TemplateError, match=r"section\.html, line 3: .*titel"):
        render_html(fake_bulletin(tmp_path / "none", templates=tmp_path), "en")


def test_the_users_template_is_searched_first(tmp_path: Path) -> None:
    (tmp_path / "bulletin.css").write_text("h1 { color: navy; }\n", encoding="utf-8")
    page = render_html(fake_bulletin(tmp_path / "none", templates=tmp_path), "en")
    assert "h1 { color: navy; }" in page and "@page" not in page
