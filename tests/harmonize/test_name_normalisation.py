"""Name normalisation on names printed in the real sample files (each test checks the name is
really there, so the examples cannot drift into invented ones)."""

from __future__ import annotations

import html
from functools import cache

import pytest

from patentreach.harmonize.name_normalisation import clean, normalise_name
from tests.conftest import shared_path


@cache
def _text(*parts: str) -> str:
    raw = shared_path("data", *parts).read_bytes().decode("utf-8", "replace")
    return html.unescape(raw)


def printed(name: str, *parts: str) -> str:
    assert name in _text(*parts), f"{name!r} is not in {'/'.join(parts)}"
    return name


DOCDB_DE = ("epo-docdb-xml", "DOCDB-202407-009-DE-0074.first10docs.xml")
LENS = ("lens", "lens-export_patents_jet-engine_2021-03.csv")
OPS = ("epo-ops-xml", "epo-ops-go", "get_biblio_multiple.response.xml")


@pytest.mark.parametrize(
    ("name", "where", "normalised", "legal_form", "match_key"),
    [
        ("BOSCH GMBH ROBERT", DOCDB_DE, "BOSCH ROBERT", "GMBH", "BOSCH ROBERT"),
        ("ROBERT BOSCH G.M.B.H.", DOCDB_DE, "ROBERT BOSCH", "GMBH", "ROBERT BOSCH"),
        ("9SOLUTIONS OY\u2002[FI]", OPS, "9SOLUTIONS", "OY", "9SOLUTIONS"),
        ("9SOLUTIONS OY, ", OPS, "9SOLUTIONS", "OY", "9SOLUTIONS"),
        (
            "Kueberit Profile Systems GmbH & Co. KG",
            ("uspto-grant-xml", "ipg-weekly-samples", "ipg120103.small.xml"),
            "KUEBERIT PROFILE SYSTEMS",
            "GMBH AND CO KG",
            "KUBERIT PROFILE SYSTEM",
        ),
        (
            "YEDA RESEARCH AND DEVELOPMENT CO. LTD.",
            ("epo-docdb-xml", "WO-2023012807-A1_507242069.xml"),
            "YEDA RESEARCH AND DEVELOPMENT",
            "CO LTD",
            "YEDA RES DEV",
        ),
        (
            "ETAT FRANCAIS, REPRESENTE PAR MONSIEUR LE MINISTRE DES ARMEES",
            DOCDB_DE,
            "ETAT FRANCAIS MONSIEUR LE MINISTRE DES ARMEES",
            None,
            "ETAT FRANCAIS MONSIEUR MINISTRE ARMEE",
        ),
        (
            "AKTIENGESELLSCHAFT BROWN, BOVERI & CIE.",
            DOCDB_DE,
            "BROWN BOVERI",
            "AKTIENGESELLSCHAFT AND CIE",
            "BROWN BOVERI",
        ),
        (
            "浙江三花智能控制股份有限公司",
            ("cnipa", "cpquery_sqxx_application_info_response.json"),
            "浙江三花智能控制",
            "股份有限公司",
            "浙江三花智能控制",
        ),
        (
            "Zetkama Spólka Akcyjna",
            ("patentsview-tsv", "legacy", "assignee.tuhh-reduced.subset.tsv"),
            "ZETKAMA",
            "SPOLKA AKCYJNA",
            "ZETKAMA",
        ),
        (
            "KABUSHIKI KAISHA YASKAWA DENKI",
            ("epo-ep-publication-xml", "application", "v1-3-A2.xml"),
            "YASKAWA DENKI",
            "KABUSHIKI KAISHA",
            "YASKAWA DENKI",
        ),
        ("Landis+Gyr AG", ("epo-ep-publication-xml", "grant", "v1-3-B2-1.xml"), "LANDIS GYR", "AG", "LANDIS GYR"),
        (
            "The Regents of the University of Michigan",
            ("uspto-grant-xml", "ipg-weekly-samples", "ipg060103.small.xml"),
            "REGENTS OF THE UNIVERSITY OF MICHIGAN",
            None,
            "UNIV MICHIGAN",
        ),
        (
            "The United States of America as Reperesented by the Secretary of the Army",
            ("patentsview-tsv", "legacy", "assignee.tuhh-reduced.subset.tsv"),
            "UNITED STATES OF AMERICA SECRETARY OF THE ARMY",
            None,
            "USA ARMY",
        ),
    ],
)
def test_real_names(name, where, normalised, legal_form, match_key):
    result = normalise_name(printed(name, *where))
    assert (result.normalised, result.legal_form, result.match_key) == (normalised, legal_form, match_key)
    assert result.original == name


def test_ops_country_tag_is_kept_aside():
    # OPS separates the tag with an EN SPACE (U+2002) in this real response
    result = normalise_name(printed("9SOLUTIONS OY\u2002[FI]", *OPS))
    assert result.country_tag == "FI"
    assert normalise_name("9SOLUTIONS OY").country_tag is None


def test_docdb_standard_and_original_names_share_a_sorted_key():
    standard = normalise_name(printed("BOSCH GMBH ROBERT", *LENS))
    original = normalise_name(printed("ROBERT BOSCH G.M.B.H.", *DOCDB_DE))
    assert standard.sorted_key == original.sorted_key == "BOSCH ROBERT"
    docdb = normalise_name(printed("UNIV BEIHANG", *LENS))
    uspto = normalise_name(printed("Beihang University", "uspto-application-xml", "US20220240351A1-20220728.XML"))
    assert (docdb.match_key, uspto.match_key) == ("UNIV BEIHANG", "BEIHANG UNIV")
    assert docdb.sorted_key == uspto.sorted_key == "BEIHANG UNIV"


@pytest.mark.parametrize(
    ("one", "one_where", "other", "other_where"),
    [
        ("KYLMÄNEN JARI", ("epo-ops-xml", "epo-ops-go", "get_family_with_biblio.response.xml"), "KYLMAENEN JARI", OPS),
        (
            "Siemens Aktiengesellschaft",
            ("epo-ep-publication-xml", "application", "v1-5-1-A1-3.xml"),
            "SIEMENS AG",
            LENS,
        ),
        ("Hitachi, Ltd.", ("epo-ep-publication-xml", "application", "v1-2-A2-1.xml"), "HITACHI LTD", LENS),
        ("CANON KABUSHIKI KAISHA", ("epo-ep-publication-xml", "grant", "v1-0-B1-1.xml"), "CANON KK", LENS),
        (
            "YEDA RESEARCH AND DEVELOPMENT CO. LTD.",
            ("epo-docdb-xml", "WO-2023012807-A1_507242069.xml"),
            "YEDA RES & DEV",
            ("epo-docdb-xml", "WO-2023012807-A1_507242069.xml"),
        ),
    ],
)
def test_spellings_of_one_applicant_meet(one, one_where, other, other_where):
    assert normalise_name(printed(one, *one_where)).match_key == normalise_name(printed(other, *other_where)).match_key


def test_issue_examples_meet():
    assert normalise_name("HUAWEI TECH CO LTD").match_key == normalise_name("Huawei Technologies Co., Ltd.").match_key
    assert normalise_name("华为技术有限公司").normalised == "华为技术"
    assert normalise_name("Motorola, Inc.").match_key == "MOTOROLA"


def test_a_name_that_is_only_a_legal_form_is_kept():
    assert normalise_name("AG").normalised == "AG"
    assert normalise_name("").normalised == ""


def test_misspelt_table_words_are_repaired():
    assert normalise_name("UNIVERISTY OF MINNESOTA").match_key == "UNIV MINNESOTA"
    navy = "UNTIED STATES OF AMERICA AS REPRESENTED BY THE SECRETARY OF THE NAVY"
    assert normalise_name(navy).match_key == "USA NAVY"


def test_table_entries_are_cleaned_like_names():
    assert clean("GmbH & Co. KG") == ["GMBH", "AND", "CO", "KG"]
    assert clean("Sp. z o.o.") == ["SP", "Z", "OO"]
    assert clean("Queen's University") == ["QUEENS", "UNIVERSITY"]


def test_university_governance_phrases_carry_no_identity():
    # NBER benchmark spellings of one owner each (pv-evaluation 2.1.1)
    assert normalise_name("Board of Trustees operating Michigan State University").match_key == "MICHIGAN STATE UNIV"
    pitt = "University of Pittsburgh - of the Commonwealth System of Higher Education"
    assert normalise_name(pitt).match_key == normalise_name("University of Pittsburgh").match_key == "UNIV PITTSBURGH"
