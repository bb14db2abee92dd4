"""The area pages: in Chinese and English, with the ids the browser tests use, and the protection
gap page behind sign-in with its downloads kept for the session."""

from __future__ import annotations

import html
import io
import re

from fastapi.testclient import TestClient

from patentreach.protect import SAMPLE_AS_OF, sample_path
from patentreach.web.security import SESSION_COOKIE
from tests.web.areas.conftest import CSRF, session_cookie, stored_user

ALL_TYPES = "assignment,licence,security_interest,release"
BOSCH = "E694902bb43d4"


def _hrefs(page: str, inside: str) -> list[str]:
    """The links inside the element whose opening tag starts with ``inside``."""
    start = page.index(inside)
    end = page.index("</table>" if inside.startswith("<table") else "</ul>", start)
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page[start:end])]


def test_transfers_page_in_both_languages(client) -> None:
    zh = client.get("/transfers", params={"lang": "zh"})
    assert zh.status_code == 200
    assert "跨境专利转让与许可" in zh.text and '<form id="transfer-filters"' in zh.text
    assert '<table id="flows"' in zh.text and "没有符合筛选条件的转让记录。" in zh.text  # no assignment into bri
    assert 'name="destination_group" value="bri"' in zh.text
    en = client.get("/transfers", params={"lang": "en", "types": ALL_TYPES})
    assert "Cross-border transfers and licences" in en.text and "United Kingdom" in en.text


def test_a_flow_count_links_to_its_records(client) -> None:
    page = client.get("/transfers", params={"lang": "en", "types": ALL_TYPES}).text
    links = _hrefs(page, '<table id="flows"')
    assert links[2] == ("/transfers/records?types=assignment%2Clicence%2Csecurity_interest%2Crelease&date_basis=record"
                        "&destination_group=bri&cell=origin%3DUS&cell=destination_group%3Dnon-bri&cell=destination%3DGB")
    records = client.get(links[2] + "&lang=en")
    assert records.status_code == 200 and '<table id="transfer-records"' in records.text
    assert "LOGICNOW LIMITED" in records.text and "USPTO-ASSIGN-037391-0918" in records.text


def test_a_bad_filter_is_a_400_page_with_the_line(client) -> None:
    page = client.get("/transfers", params={"from": "someday", "lang": "en"})
    assert page.status_code == 400
    assert "from: &#39;someday&#39; is not a YYYY-MM-DD date or a year" in page.text


def test_entity_search_and_entity_pages(client) -> None:
    found = client.get("/entities", params={"q": "robert bosch", "lang": "zh"})
    assert found.status_code == 200 and '<form id="entity-search"' in found.text and "申请人名称" in found.text
    assert _hrefs(found.text, '<ul id="entity-results"') == [f"/entities/{BOSCH}"]
    page = client.get(f"/entities/{BOSCH}", params={"lang": "zh"})
    assert page.status_code == 200
    assert '<h1 id="entity-name">ROBERT BOSCH G.M.B.H.</h1>' in page.text
    assert '<table id="variants"' in page.text and '<table id="publications"' in page.text
    assert "DE-1258188-B" in page.text and "名称变体" in page.text and "1968年1月4日" in page.text
    sony = client.get("/entities", params={"q": "sony", "lang": "en"}).text
    sony_link = _hrefs(sony, '<ul id="entity-results"')[0]
    sony_page = client.get(sony_link + "?lang=en").text
    assert '<dd id="entity-country">Japan</dd>' in sony_page and "Name variants" in sony_page
    assert 'href="/?origin=JP&amp;by=entity"' in sony_page


def test_an_unknown_entity_page_is_a_404(client) -> None:
    page = client.get("/entities/E000000000000", params={"lang": "en"})
    assert page.status_code == 404 and "no entity &#39;E000000000000&#39;" in page.text


def test_reference_pages(client) -> None:
    listing = client.get("/reference", params={"lang": "zh"})
    assert listing.status_code == 200 and "参考数据表" in listing.text
    assert '<a href="/reference/countries">countries</a>' in listing.text
    countries = client.get("/reference/countries", params={"lang": "en"})
    assert countries.status_code == 200 and "<td>China</td>" in countries.text
    assert client.get("/reference/countrys").status_code == 404


def test_protect_sends_strangers_to_sign_in(client) -> None:
    answer = client.get("/protect", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login?next=/protect")


def _upload(client, **data: str):  # type: ignore[no-untyped-def]
    files = {"portfolio": ("portfolio.csv", sample_path("portfolio.csv").read_bytes(), "text/csv"),
             "exports": ("exports.csv", sample_path("exports.csv").read_bytes(), "text/csv")}
    return client.post("/protect", files=files, data={"as_of": SAMPLE_AS_OF.isoformat(), **data},
                       follow_redirects=False)


def test_the_gap_form_makes_a_report_with_kept_downloads(signed_in, app) -> None:
    from openpyxl import load_workbook

    form = signed_in.get("/protect", params={"lang": "zh"})
    assert form.status_code == 200 and "出口市场专利保护缺口" in form.text
    assert ('<form id="gap-form" class="upload" method="post" action="/protect" '
            'enctype="multipart/form-data">') in form.text
    assert f'name="csrf_token" value="{CSRF}"' in form.text
    assert all(f'name="{name}"' in form.text for name in ("portfolio", "exports", "as_of"))
    posted = _upload(signed_in, csrf_token=CSRF)
    assert posted.status_code == 303 and posted.headers["location"].startswith("/protect?report=")
    report = signed_in.get(posted.headers["location"] + "&lang=en")
    assert '<section id="gap-report">' in report.text and '<table id="gaps"' in report.text
    assert "20 product-line markets: 3 protected, 1 pending, 16 without protection." in report.text
    assert 'title="SN">Senegal</td>' in report.text
    renewals = report.text[report.text.index('<table id="renewals"'):]
    renewals = renewals[:renewals.index("</table>")]
    assert [re.sub(r"<[^>]+>", "|", row).strip("|").split("||")[:7]
            for row in re.findall(r"<tr><td>.*?</tr>", renewals)] == [
        ["30 Jun 2026", "VALVE-3", "Germany", "EP16170003.4", "DE", "11", "EUR 470"],
        ["31 Oct 2026", "DRIVE-5", "Germany", "EP23200005.1", "DE", "4", "EUR 70"]]
    assert re.search(r'<p id="renewal-summary">540 EUR\s*</p>', report.text)
    ics_link, xlsx_link = (re.search(rf'id="download-{kind}" href="([^"]+)"', report.text).group(1)
                           for kind in ("ics", "xlsx"))
    calendar = signed_in.get(ics_link)
    assert calendar.status_code == 200 and calendar.text.startswith("BEGIN:VCALENDAR")
    book = load_workbook(io.BytesIO(signed_in.get(xlsx_link).content))
    assert book.sheetnames == ["summary", "next deadlines", "coverage", "gaps", "routes", "risks", "renewals",
                               "warnings"]
    with TestClient(app) as stranger:  # another signed-in user cannot fetch this user's report
        stranger.cookies.set(SESSION_COOKIE, session_cookie(app, {"user": stored_user(app, "mallory"), "csrf": CSRF}))
        assert stranger.get(ics_link).status_code == 404


def test_the_gap_form_needs_its_csrf_token(signed_in) -> None:
    assert _upload(signed_in, csrf_token="forged").status_code == 403
    assert _upload(signed_in).status_code == 403


def test_the_gap_form_shows_input_problems(signed_in) -> None:
    files = {"portfolio": ("portfolio.csv", sample_path("portfolio.csv").read_bytes(), "text/csv"),
             "exports": ("markets.csv", b"product_line,country\nsmart pumps,XX\n", "text/csv")}
    page = signed_in.post("/protect", files=files, data={"csrf_token": CSRF})
    assert page.status_code == 400
    assert '<div id="gap-problems"' in page.text and "markets.csv" in page.text
