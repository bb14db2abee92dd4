"""Chinese names of codes (names.csv): every country and office has one, the CLDR rows are what
the build script makes from the installed Babel, hand rows say they are not verified, and
``display_name`` falls back to English, then to the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import babel
import pytest
from babel.core import get_cldr_version
from typer.testing import CliRunner

from patentreach.refdata import loader
from patentreach.refdata.names import KINDS, display_name, names_of
from tests.conftest import REPO, shared_path

CJK = re.compile(r"[\u3400-\u9fff]")
CLDR_SOURCE = f"Unicode CLDR {get_cldr_version()} via Babel {babel.__version__}"


def test_every_country_and_every_office_has_a_chinese_name() -> None:
    countries = {row["code"] for row in loader.load_table("countries")}
    offices = {row["code"] for row in loader.load_table("offices")}
    assert (len(countries), len(offices)) == (254, 231)
    assert set(names_of("country", "zh")) == countries
    assert set(names_of("office", "zh")) == offices


@pytest.mark.parametrize(("kind", "code", "chinese", "english"), [
    ("office", "US", "美国", "United States of America"),
    ("office", "JP", "日本", "Japan"),
    ("office", "KR", "韩国", "Republic of Korea"),
    ("office", "DE", "德国", "Germany"),
    ("office", "EP", "欧洲专利局", "European Patent Office"),
    ("office", "WO", "世界知识产权组织国际局", "World Intellectual Property Organization (International Bureau of)"),
    ("office", "EA", "欧亚专利组织", "Eurasian Patent Organization"),
    ("office", "AP", "非洲地区知识产权组织", "African Regional Intellectual Property Organization"),
    ("office", "OA", "非洲知识产权组织", "African Intellectual Property Organization"),
    ("office", "GC", "海湾阿拉伯国家合作委员会专利局",
     "Patent Office of the Cooperation Council for the Arab States of the Gulf"),
    ("office", "EM", "欧盟知识产权局", "European Union Intellectual Property Office (formerly OHIM)"),
    ("office", "TW", "中国台湾", "Taiwan, Province of China"),
    ("office", "HK", "中国香港", "The Hong Kong Special Administrative Region of the People's Republic of China"),
    ("country", "DE", "德国", "Germany"),
    ("country", "GB", "英国", "United Kingdom"),
    ("country", "SU", "苏联", "Soviet Union"),
    ("country", "DD", "民主德国", "German Democratic Republic"),
    ("country", "YU", "南斯拉夫", "Yugoslavia"),
    ("country", "CS", "捷克斯洛伐克", "Czechoslovakia"),
    ("country", "AN", "荷属安的列斯", "Netherlands Antilles"),
    ("field", 1, "电气机械、设备和能源", "Electrical machinery, apparatus, energy"),
    ("field", "06", "计算机技术", "Computer technology"),
    ("field", "35", "土木工程", "Civil engineering"),
    ("sector", "Electrical engineering", "电气工程", "Electrical engineering"),
    ("sector", "Other fields", "其他领域", "Other fields"),
    ("group", "bri", "共建“一带一路”国家", "Belt and Road partner countries"),
    ("group", "major_offices", "主要国家和地区", "Major offices"),
    ("group", "major", "主要国家和地区", "Major offices"),
    ("group", "ip5", "五局", "IP5 offices"),
    ("group", "epc", "欧洲专利组织成员国", "EPC contracting states"),
    ("applicant_sector", "company", "企业", "Companies"),
    ("applicant_sector", "university", "高校", "Universities"),
    ("applicant_sector", "individual", "个人", "Individuals"),
    ("sector", "company", "企业", "Companies"),  # the warehouse's sector column is the applicant's
])
def test_display_names_in_both_languages(kind: str, code: object, chinese: str, english: str) -> None:
    assert display_name(kind, code, "zh") == chinese
    assert display_name(kind, code, "en") == english


def test_the_35_fields_and_5_sectors_have_chinese_names_and_no_other_numbers() -> None:
    fields = names_of("field", "zh")
    assert sorted(int(code) for code in fields) == list(range(1, 36))
    assert [fields[str(n)] for n in (2, 8, 17, 22, 27)] == [
        "视听技术", "半导体", "高分子化学、聚合物", "微观结构和纳米技术", "发动机、泵、涡轮机"]
    assert sorted(names_of("sector", "zh").values()) == sorted(["电气工程", "仪器", "化学", "机械工程", "其他领域"])


def test_groups_and_applicant_sectors_cover_what_the_switches_accept() -> None:
    from patentreach.indicators.choices import OFFICE_GROUP_ALIASES, SECTORS
    from patentreach.refdata.country_groups import group_names

    for lang in ("zh", "en"):
        assert set(names_of("group", lang)) == {*group_names(), *OFFICE_GROUP_ALIASES}
        assert set(names_of("applicant_sector", lang)) == set(SECTORS)


def test_unknown_codes_fall_back_to_the_code_and_unknown_kinds_are_refused() -> None:
    assert display_name("office", "ZZ", "zh") == "ZZ"
    assert display_name("field", 36, "zh") == "36"
    assert display_name("group", "nope", "zh") == "nope"
    assert display_name("office", "EP", "fr") == "European Patent Office"
    assert display_name("office", None, "zh") == ""
    with pytest.raises(ValueError, match="unknown kind of name 'planet'; choose from office, country"):
        display_name("planet", "EP", "zh")


def test_chinese_names_are_chinese_and_english_names_are_not() -> None:
    for row in loader.load_table("names"):
        assert bool(CJK.search(row["name"])) == (row["lang"] == "zh"), row


def test_every_row_says_how_far_it_is_verified() -> None:
    rows = loader.load_table("names")
    assert {row["verified"] for row in rows} == {"yes", "partly", "NOT VERIFIED"}
    for row in rows:
        if row["source"].startswith("Unicode CLDR"):
            assert row["source"] == CLDR_SOURCE
            assert row["verified"] == ("yes" if row["kind"] == "country" else "partly"), row
        elif row["lang"] == "zh" and "../shared/" not in row["source"]:  # no document to cite
            assert row["verified"] == "NOT VERIFIED" and row["note"], row
    historical = [row for row in rows if row["kind"] == "country" and row["code"] in {"SU", "DD", "YU", "CS", "AN"}]
    assert [row["verified"] for row in historical] == ["NOT VERIFIED"] * 5


def test_names_csv_is_what_the_build_script_makes_from_the_installed_babel(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "scripts" / "refdata" / "build_names.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    assert (tmp_path / "names.csv").read_bytes() == loader.package_path("names").read_bytes()


def test_a_user_can_correct_a_name_without_editing_the_package(override_dir: Path) -> None:
    (override_dir / "names.csv").write_text("kind,code,lang,name,source,checked\n"
                                            "office,EP,zh,欧专局,our style guide,2026-12-06\n", encoding="utf-8")
    loader.reload()
    assert display_name("office", "EP", "zh") == "欧专局"
    assert display_name("office", "JP", "zh") == "日本"


def test_refdata_show_names_lists_the_table() -> None:
    from patentreach.cli.main import app

    result = CliRunner().invoke(app, ["refdata", "show", "names", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "office,EP,zh,欧洲专利局," in result.stdout
    assert len(result.stdout.strip().splitlines()) == 1 + len(loader.load_table("names"))


def test_every_kind_has_names() -> None:
    assert {row["kind"] for row in loader.load_table("names")} == set(KINDS)


def test_docs_say_where_every_kind_of_name_comes_from() -> None:
    doc = (REPO / "docs" / "i18n.md").read_text(encoding="utf-8")
    for needle in [*(f"`{kind}`" for kind in KINDS), "scripts/refdata/build_names.py", "PATENTREACH_REFDATA",
                   "NOT VERIFIED", "patentreach refdata show names", "babel.cfg"]:
        assert needle in doc, needle


def test_country_names_agree_with_the_belt_and_road_portal() -> None:
    """yidaiyilu.gov.cn's Chinese names of the 152 partner countries, a government source: 145
    agree; the 7 others are short forms (阿联酋) or half-width brackets where CLDR's full name is
    kept. 蒙古国 and 巴勒斯坦 are taken from it over CLDR's 蒙古 and 巴勒斯坦领土."""
    import csv

    with shared_path("reference", "filing-rules", "bri_countries.csv").open(encoding="utf-8") as handle:
        portal = {row["iso2"]: row["name_zh"] for row in csv.DictReader(handle)}
    ours = names_of("country", "zh")
    differ = {code: (name, ours[code]) for code, name in portal.items() if ours[code] != name}
    assert len(portal) == 152
    assert differ == {
        "AE": ("阿联酋", "阿拉伯联合酋长国"), "BA": ("波黑", "波斯尼亚和黑塞哥维那"), "CD": ("刚果(金)", "刚果（金）"),
        "CF": ("中非", "中非共和国"), "CG": ("刚果(布)", "刚果（布）"), "DO": ("多米尼加", "多米尼加共和国"),
        "FM": ("密克罗尼西亚联邦", "密克罗尼西亚"),
    }
    assert (ours["MN"], ours["PS"], display_name("office", "MN", "zh")) == ("蒙古国", "巴勒斯坦", "蒙古国")
