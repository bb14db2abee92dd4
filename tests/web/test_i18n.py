"""Chinese and English: which language a request gets, how figures are written in each, and the
catalogs' completeness (every message people read has a Chinese translation; none is stale; no
Chinese text outside the catalogs and the reference data)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from patentreach.present import formats
from patentreach.warehouse import Warehouse
from patentreach.web import i18n, templating
from patentreach.web.i18n import choose_language

WEB = Path(i18n.__file__).parent
TRANSLATED = sorted(folder.name for folder in (WEB / "locales").iterdir() if (folder / "LC_MESSAGES").is_dir())
"""Every language with catalogs (English, the msgids' language, needs none): ``zh``."""


def catalog_files(lang: str) -> list[Path]:
    return sorted((WEB / "locales" / lang / "LC_MESSAGES").glob("*.po"))
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
ALLOWED_CJK = {"\u4e2d\u6587"}  # the language switch's own name for Chinese, shown in both interfaces
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|\{(\w*)\}")


# --- negotiation -----------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "cookie", "header", "expected"), [
    ("en", "zh", "zh-CN", "en"),            # ?lang= wins over the cookie and the header
    ("EN-us", None, None, "en"),
    ("zh_Hans_CN", "en", "en", "zh"),
    ("english", "en", "zh", "en"),          # not a tag: skipped, the cookie decides
    ("fr", None, "en-US", "en"),            # a language we do not have: skipped
    (None, "zh", "en-US,en;q=0.9", "zh"),   # the cookie wins over the header
    (None, "", "en-US,en;q=0.9", "en"),     # an empty cookie is no choice
    (None, "<script>", "en", "en"),
    (None, None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    (None, None, "zh-TW", "zh"),            # Traditional readers get the (Simplified) Chinese interface
    (None, None, "zh-Hant-HK,en;q=0.5", "zh"),
    (None, None, "en-US", "en"),
    (None, None, "en-GB,en;q=0.9,zh-CN;q=0.8", "en"),
    (None, None, "zh-CN;q=0.2,en;q=0.8", "en"),  # q-values, not order, rank
    (None, None, "en;q=0.5,zh;q=0.5", "en"),     # ties keep their order
    (None, None, "en;q=0,zh;q=0.1", "zh"),       # q=0 means "not this one"
    (None, None, "en;q=0", "zh"),
    (None, None, "de-DE,fr;q=0.9", "zh"),        # nothing we have: the default, Chinese
    (None, None, "de,*;q=0.5,en;q=0.1", "zh"),   # "*" before English: any language, so the default
    (None, None, "de,en;q=0.6,*;q=0.5", "en"),
    (None, None, "*", "zh"),
    (None, None, "", "zh"),
    (None, None, None, "zh"),
    (None, None, ";;;,,,=q", "zh"),              # garbage headers never fail a page
    (None, None, "en;q=abc,zh;q=0.1", "zh"),     # a malformed q drops that entry
    (None, None, "en;q=2", "zh"),                # q above 1 is malformed too
    (None, None, "\u00e9\u00e8,en", "en"),
    (None, None, "en-" + "x" * 5000, "zh"),
    (None, None, "x," * 3000 + "en", "zh"),      # only the first 2 KB are read
])
def test_choose_language(query: str | None, cookie: str | None, header: str | None, expected: str) -> None:
    assert choose_language(query, cookie, header) == expected


@pytest.fixture(scope="module")
def frame_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app over a folder with no warehouse: every page is the 503 page in the chosen language,
    which is all negotiation needs (no warehouse to build)."""
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    root = tmp_path_factory.mktemp("no-warehouse")
    with TestClient(create_app(ServeConfig.for_warehouse(Warehouse(root / "wh"), root / "state"))) as client:
        yield client


def test_a_page_follows_the_browser_and_the_switch_is_remembered(frame_client: TestClient) -> None:
    page = frame_client.get("/", headers={"Accept-Language": "zh-TW,en;q=0.5"})
    assert page.status_code == 503
    assert '<html lang="zh-CN">' in page.text and ">\u767b\u5f55<" in page.text  # 登录: Sign in
    assert 'id="lang-en"' in page.text
    english = frame_client.get("/", params={"lang": "en"}, headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in english.text and ">Sign in<" in english.text
    assert english.cookies.get("lang") == "en"
    again = frame_client.get("/", headers={"Accept-Language": "zh-CN"})  # the cookie is kept
    assert '<html lang="en">' in again.text and 'id="lang-zh"' in again.text
    frame_client.cookies.clear()


def test_a_garbage_header_gets_the_chinese_page(frame_client: TestClient) -> None:
    frame_client.cookies.clear()
    page = frame_client.get("/", headers={"Accept-Language": "\x7f;q=;;,*;q=x"})
    assert page.status_code == 503
    assert '<html lang="zh-CN">' in page.text


# --- formatting ------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "zh", "en"), [
    (lambda lang: formats.number(46000, lang), "46,000", "46,000"),
    (lambda lang: formats.number(46000, lang, compact=True), "4.6\u4e07", "46,000"),
    (lambda lang: formats.number(123_456_789, lang, compact=True), "1.23\u4ebf", "123,456,789"),
    (lambda lang: formats.number(798_000, lang, compact=True), "79.8\u4e07", "798,000"),
    (lambda lang: formats.number(50_000, lang, compact=True), "5\u4e07", "50,000"),
    (lambda lang: formats.number(9_999, lang, compact=True), "9,999", "9,999"),
    (lambda lang: formats.number(-46000, lang, compact=True), "-4.6\u4e07", "-46,000"),
    (lambda lang: formats.number(12.5, lang), "12.5", "12.5"),
    (lambda lang: formats.number(1 / 3, lang), "0.333", "0.333"),
    (lambda lang: formats.number(2.0, lang), "2", "2"),
    (lambda lang: formats.number("46000", lang), "46,000", "46,000"),
    (lambda lang: formats.number("n/a", lang), "n/a", "n/a"),
    (lambda lang: formats.number(float("nan"), lang), "", ""),
    (lambda lang: formats.number(None, lang), "", ""),
    (lambda lang: formats.percent(0.125, lang), "12.5%", "12.5%"),
    (lambda lang: formats.percent(0.5, lang, 0), "50%", "50%"),
    (lambda lang: formats.change(0.141, lang), "+14.1%", "+14.1%"),
    (lambda lang: formats.change(-0.032, lang), "-3.2%", "-3.2%"),
    (lambda lang: formats.change(-0.00001, lang), "0.0%", "0.0%"),
    (lambda lang: formats.change(None, lang), "", ""),
    (lambda lang: formats.day(date(2021, 12, 31), lang), "2021\u5e7412\u670831\u65e5", "31 Dec 2021"),
    (lambda lang: formats.day("2021-12-31", lang), "2021\u5e7412\u670831\u65e5", "31 Dec 2021"),
    (lambda lang: formats.day(datetime(2021, 3, 5, 23, 59), lang), "2021\u5e743\u67085\u65e5", "5 Mar 2021"),
])
def test_figures_are_written_as_each_language_writes_them(call, zh: str, en: str) -> None:  # type: ignore[no-untyped-def]
    assert (call("zh"), call("en")) == (zh, en)


def test_templates_get_the_same_formatting_and_names() -> None:
    zh, en = templating.formatting("zh"), templating.formatting("en")
    assert zh["number"](46000, compact=True) == "4.6\u4e07" and en["number"](46000, compact=True) == "46,000"
    assert zh["change"](0.141) == "+14.1%" and en["day"]("2021-12-31") == "31 Dec 2021"
    assert zh["name"]("office", "EP") == "\u6b27\u6d32\u4e13\u5229\u5c40"  # 欧洲专利局
    assert en["name"]("office", "EP") == "European Patent Office"
    rendered = templating.environment().from_string(
        "{{ number(n, compact=True) }} {{ percent(s) }} {{ change(c) }} {{ day(d) }} {{ name('field', 6) }}"
    ).render(n=123_456_789, s=0.25, c=-0.5, d="2022-01-02", **zh)
    assert rendered == "1.23\u4ebf 25.0% -50.0% 2022\u5e741\u67082\u65e5 \u8ba1\u7b97\u673a\u6280\u672f"


# --- catalogs --------------------------------------------------------------------------------

def interface_messages() -> dict[str, list[str]]:
    """Every msgid of the templates and the web code, with where it is used, extracted by Babel
    with the mapping of locales/babel.cfg."""
    with open(WEB / "locales" / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, list[str]] = {}
    for folder in (WEB, WEB.parent / "present"):  # present/: the headlines and charts the pages print
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder), method_map=method_map, options_map=options_map
        ):
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    found.setdefault(msgid, []).append(f"{folder.name}/{filename}:{lineno}")
    return found


def catalog_messages(lang: str) -> dict[str, list[tuple[str, object]]]:
    """msgid -> [(catalog file, msgstr)] over every catalog of ``lang`` (plural ids give both forms)."""
    found: dict[str, list[tuple[str, object]]] = {}
    for path in catalog_files(lang):
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
        for message in catalog:
            if not message.id:
                continue
            for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
                found.setdefault(msgid, []).append((path.name, message.string))
    return found


def test_the_extraction_sees_the_frame_and_the_python_gettext_form(tmp_path: Path) -> None:
    used = interface_messages()
    assert {"Sign in", "Sign out", "Back to the dashboard", "The request could not be answered"} <= set(used)
    assert any(where.startswith("web/templates/base.html:") for where in used["Sign in"])
    source = tmp_path / "module.py"
    source.write_text('gettext(lang, "Saved %(n)s", n=1)\n_("Plain")\ngettext(lang, message)\n', encoding="utf-8")
    with open(source, "rb") as handle:
        extracted = list(i18n.extract_python(handle, ["gettext", "_"], [], {}))
    assert [(funcname, messages) for _, funcname, messages, _ in extracted] == [
        ("gettext", ("Saved %(n)s", None)), ("_", "Plain"), ("gettext", ())]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_interface_message_has_a_chinese_translation(lang: str) -> None:
    catalogs = catalog_messages(lang)
    missing = {msgid: where for msgid, where in interface_messages().items()
               if not any(translation for _, translation in catalogs.get(msgid, []))}
    assert not missing, f"no translation in locales/{lang}/LC_MESSAGES/*.po for: {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalog_keeps_a_message_nothing_uses(lang: str) -> None:
    used = interface_messages()
    stale = {msgid: [name for name, _ in entries] for msgid, entries in catalog_messages(lang).items()
             if msgid not in used}
    assert not stale, f"messages no template or code uses (delete them from the .po): {stale}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogs_parse_with_matching_placeholders_and_agree_with_each_other(lang: str) -> None:
    assert catalog_files(lang), f"no {lang} catalog"
    for path in catalog_files(lang):
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
        problems = [(message.id, [str(error) for error in errors]) for message, errors in catalog.check()]
        assert not problems, f"{path.name}: {problems}"
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for msgid in ids:
                for msgstr in strings:
                    if message.id and msgstr:
                        assert placeholders(msgid) == placeholders(msgstr), (path.name, msgid, msgstr)
    for msgid, entries in catalog_messages(lang).items():
        assert len({str(string) for _, string in entries}) == 1, f"{msgid!r} is translated differently: {entries}"


def placeholders(text: str) -> set[str]:
    return {"".join(match) for match in PLACEHOLDER.findall(text)}


def test_the_catalogs_are_what_the_pages_use() -> None:
    catalog = i18n.translations("zh")
    assert catalog.gettext("Sign in") == "\u767b\u5f55"
    assert i18n.translations("en").gettext("Sign in") == "Sign in"


def test_no_chinese_text_outside_the_catalogs_and_the_reference_data() -> None:
    offending = []
    for path in sorted([*WEB.rglob("*.py"), *WEB.rglob("*.html")]):  # the code and the templates
        text = path.read_text(encoding="utf-8")
        for allowed in ALLOWED_CJK:
            text = text.replace(allowed, "")
        for number, line in enumerate(text.splitlines(), 1):
            if CJK.search(line):
                offending.append(f"{path.relative_to(WEB)}:{number}: {line.strip()[:80]}")
    assert not offending, "Chinese text belongs in locales/zh/LC_MESSAGES/*.po or refdata/names.csv:\n" + \
        "\n".join(offending)
