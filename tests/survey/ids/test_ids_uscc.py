"""Unified social credit codes: published codes pass, every single mistype is caught and the
message names the check character the code should have; demo and free-text rules; synthetic codes.

The published codes below are those the companies print on their licences and reports; each was
checked with python-stdnum (GB 32100 check character) and by the GB 11714 check of its embedded
organisation code, two independent checks a misremembered code passes with odds of about 1 in 341.
"""

from __future__ import annotations

import numpy as np
import pytest
from stdnum.cn import uscc as stdnum_uscc

from patentreach.survey.enterprise_ids import (
    REGION_DIVISIONS,
    USCC_ALPHABET,
    IdRule,
    IdRuleError,
    detect_rule,
    make_uscc,
    organisation_check_character,
    shapes,
    strictest_rule,
    uscc_check_characters,
)

PUBLISHED = {
    "Huawei Technologies Co., Ltd.": "914403001922038216",
    "Tencent Technology (Shenzhen) Co., Ltd.": "9144030071526726XG",
    "ZTE Corporation": "9144030027939873X7",
    "BYD Company Limited": "91440300192317458F",
    "Gree Electric Appliances, Inc. of Zhuhai": "91440400192548256N",
    "Contemporary Amperex Technology Co., Limited": "91350900587527783P",
    "Midea Group Co., Ltd.": "91440606722473344C",
    "python-stdnum's own example": "91110000600037341L",
}
HUAWEI = PUBLISHED["Huawei Technologies Co., Ltd."]
USCC = IdRule("uscc")


def independent_check_character(first17: str) -> str:
    """GB 32100-2015 as the standard states it: weights 3^i mod 31, check = 31 - sum mod 31."""
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def independent_organisation_check(body: str) -> str:
    """GB 11714-1997: weights 3 7 9 10 5 8 4 2, check = 11 - sum mod 11 (10 -> X, 11 -> 0)."""
    values = [int(c, 36) for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


@pytest.mark.parametrize("company", sorted(PUBLISHED))
def test_published_codes_pass_both_checks(company):
    code = PUBLISHED[company]
    assert stdnum_uscc.is_valid(code)
    assert independent_check_character(code[:17]) == code[17]
    assert independent_organisation_check(code[8:16]) == code[16]
    assert USCC.check([code]) == [""]


def test_a_wrong_check_character_names_the_right_one():
    [reason] = USCC.check([HUAWEI[:17] + "7"])
    assert reason == (
        "'914403001922038217': the check character (18th) is '7' but the first 17 characters give '6' "
        "(GB 32100-2015): a character is mistyped"
    )


def test_a_mistype_in_the_middle_is_caught_by_both_checks():
    mistyped = "914403001932038216"  # the 12th character, 2 -> 3
    [reason] = USCC.check([mistyped])
    assert stdnum_uscc.calc_check_digit(mistyped[:17]) == "C"
    assert "the first 17 characters give 'C'" in reason
    assert "its organisation code 19320382-1 (characters 9-17) should end in '3' (GB 11714)" in reason


def test_an_organisation_code_check_alone_is_caught():
    head = HUAWEI[:16] + "0"  # organisation check character 1 -> 0, then a matching 18th
    code = head + stdnum_uscc.calc_check_digit(head)
    assert code == "914403001922038203" and stdnum_uscc.is_valid(code)  # stdnum alone lets it through
    assert USCC.check([code]) == [
        "'914403001922038203': its organisation code 19220382-0 (characters 9-17) should end in '1' (GB 11714)"
    ]


def test_every_single_substitution_and_adjacent_transposition_is_caught():
    substitutions = [
        HUAWEI[:i] + c + HUAWEI[i + 1:] for i in range(18) for c in USCC_ALPHABET if c != HUAWEI[i]
    ]
    assert len(substitutions) == 18 * 30
    assert all(USCC.check(substitutions))
    swaps = [HUAWEI[:i] + HUAWEI[i + 1] + HUAWEI[i] + HUAWEI[i + 2:] for i in range(17) if HUAWEI[i] != HUAWEI[i + 1]]
    assert len(swaps) == 14 and all(USCC.check(swaps))


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91440300192203821", "'91440300192203821' is not a unified social credit code: 17 characters, not 18"),
        ("9144030019220382I6", "'9144030019220382I6' is not a unified social credit code: 'I' is not in its "
                               "alphabet (digits and capitals without I, O, S, V, Z)"),
        ("9144030071526726xg", "'9144030071526726xg': a unified social credit code is written in capitals "
                               "('9144030071526726XG')"),
        ("91A403001922038216", "'91A403001922038216' is not a unified social credit code: characters 3-8 (the "
                               "region) must be digits"),
    ],
)
def test_malformed_codes_say_what_is_wrong(code, reason):
    assert USCC.check([code]) == [reason]


def test_the_vectorised_check_character_equals_stdnum():
    rng = np.random.default_rng(11)
    heads = ["".join(USCC_ALPHABET[k] for k in row) for row in rng.integers(31, size=(3000, 17))]
    expected = [stdnum_uscc.calc_check_digit(h) for h in heads]
    assert uscc_check_characters(heads).tolist() == expected
    assert [independent_check_character(h) for h in heads] == expected
    bodies = [h[8:16] for h in heads]
    assert [organisation_check_character(b) for b in bodies] == [independent_organisation_check(b) for b in bodies]


def test_letters_in_the_first_two_characters_follow_the_standard():
    head = "N2" + HUAWEI[2:17]  # agriculture departments register with authority code N
    code = head + independent_check_character(head)
    assert not stdnum_uscc.is_valid(code)  # python-stdnum wants digits there
    assert USCC.check([code]) == [""]


def test_synthetic_codes_are_valid_distinct_reproducible_and_in_their_region():
    regions = np.random.default_rng(5).choice(sorted(REGION_DIVISIONS), size=2000).tolist()
    codes = make_uscc(np.random.default_rng(3), 2000, regions)
    assert len(set(codes)) == 2000
    assert all(stdnum_uscc.is_valid(c) for c in codes)
    assert all(independent_organisation_check(c[8:16]) == c[16] for c in codes)
    assert all(c[2:8] in REGION_DIVISIONS[r] for c, r in zip(codes, regions, strict=True))
    assert {c[:2] for c in codes} == {"91", "92", "93"}
    assert 0.15 < sum(c[8:10] == "MA" for c in codes) / 2000 < 0.25
    assert codes == make_uscc(np.random.default_rng(3), 2000, regions)
    assert not any(USCC.check(codes))


def test_demo_and_free_rules():
    demo = IdRule.named("demo")
    assert demo.check(["E000001", " E123456 ", "", None]) == ["", "", "", ""]
    assert demo.check(["E12345"]) == ["'E12345' is not a demo id (E followed by six digits, E000000)"]
    free = IdRule.named("free")
    assert free.check(["x" * 64, "ACME-1", HUAWEI]) == ["", "", ""]
    assert free.check(["x" * 65]) == ["'xxxxxxxxxxxxxxxxxxxx'... is 65 characters long, more than 64"]
    assert free.check(["a\tb"]) == ["'a\\tb' contains a control character"]
    with pytest.raises(IdRuleError, match="unknown id rule 'gb': one of uscc, demo, free"):
        IdRule.named("gb")


def test_the_rule_is_detected_from_the_ids():
    codes = list(PUBLISHED.values())
    assert detect_rule(codes) == USCC
    assert detect_rule([*codes, "E000001"]) == USCC  # most look like credit codes: E000001 is the error
    assert detect_rule(["E000001", "E000002", HUAWEI]) == IdRule("demo")
    assert detect_rule(["ACME-1", "ACME-2", HUAWEI]) == IdRule("free")
    assert detect_rule([]) == IdRule("free")
    assert detect_rule([HUAWEI[:17] + "7"]) == USCC  # a mistyped code is still shaped like one
    found = shapes(["E000001", None, HUAWEI, "x", HUAWEI.lower()])
    assert (found.uscc, found.demo, found.other, found.mixed) == ([2, 4], [0], [3], True)


def test_the_strictest_rule_a_sample_follows():
    assert strictest_rule(list(PUBLISHED.values())) == USCC
    assert strictest_rule([HUAWEI, HUAWEI[:17] + "7"]) == IdRule("free")  # not all valid codes
    assert strictest_rule(["E000001", "", None]) == IdRule("demo")
    assert strictest_rule(["E000001", HUAWEI]) == IdRule("free")


def test_synthetic_codes_are_the_same_in_every_process():
    """No set or hash order reaches the draws: another interpreter (another hash seed) agrees."""
    import os
    import subprocess
    import sys

    script = ("import numpy as np; from patentreach.survey.enterprise_ids import make_uscc; "
              "print(','.join(make_uscc(np.random.default_rng(3), 50, ['east', 'west', 'central', 'northeast'] * 12 "
              "+ ['east', 'west'])))")
    runs = {
        subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
                       capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1
