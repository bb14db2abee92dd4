"""Reading the pages in tests: lxml's HTML parser and XPath (lxml is a dependency already)."""

from __future__ import annotations

from lxml import html


def parse(text: str) -> html.HtmlElement:
    return html.fromstring(text)


def by_id(page: html.HtmlElement, element_id: str) -> html.HtmlElement:
    (found,) = page.xpath(f'//*[@id="{element_id}"]')
    return found


def text_of(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def table_rows(table: html.HtmlElement) -> list[dict[str, html.HtmlElement]]:
    """Each body row as {data-column: its <td>}."""
    return [{cell.get("data-column"): cell for cell in row.xpath("./td")} for row in table.xpath("./tbody/tr")]
