"""Enterprise ids and the rule they follow: unified social credit codes, demo ids or free text.

A survey of real Chinese enterprises identifies each one by its unified social credit code
(统一社会信用代码, GB 32100-2015): 18 characters from the alphabet ``0-9 A-H J-N P-R T U W-Y``
(no I, O, S, V, Z), laid out as

* character 1: the registering authority (``9`` market regulation, ``1`` institutional
  establishment, ``5`` civil affairs, ``N`` agriculture, ``Y`` other, ...),
* character 2: the kind of entity within it (``1`` company, ``2`` sole proprietorship, ...),
* characters 3-8: the administrative division where it registered (six digits, GB/T 2260),
* characters 9-17: the organisation code (GB 11714-1997: eight characters and its own check
  character, a digit or ``X``),
* character 18: the check character over the first 17.

A code typed from a letter or copied by hand is checked twice: the GB 32100 check character
(weights ``3**i mod 31``, computed by python-stdnum's :mod:`stdnum.cn.uscc`) and the GB 11714
check character of the embedded organisation code, which catches most of the mistypes in the
middle of the code a second time. python-stdnum accepts only digits in characters 1-8, while the
standard allows the code alphabet in characters 1 and 2 (``N2...``, ``Y1...``): the shape here
follows the standard and takes from python-stdnum only the check character.

The synthetic demo keeps its ids ``E`` + six digits; a frame from elsewhere may use its own ids
(free text, at most :data:`FREE_MAX` characters). Which rule applies comes from the frame: when
most ids have the shape of a credit code, every id must be a valid credit code (so a mistyped
one is named, with the check character it should have), when most are demo ids, all must be;
otherwise ids are free text. The rule can also be named (``IdRule.named("uscc")``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.cn import uscc as stdnum_uscc

RuleName = Literal["uscc", "demo", "free"]
RULE_NAMES: tuple[str, ...] = get_args(RuleName)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_LENGTH = 18
_CODE_CHAR = "[0-9A-HJ-NPQRTUWXY]"
USCC_SHAPE = re.compile(rf"{_CODE_CHAR}{{2}}[0-9]{{6}}{_CODE_CHAR}{{10}}")
_USCC_SHAPE_ANY_CASE = re.compile(USCC_SHAPE.pattern, re.IGNORECASE)
DEMO_SHAPE = re.compile(r"E[0-9]{6}")
FREE_MAX = 64
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# GB 11714-1997: weights of the eight body characters of an organisation code.
ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

RULE_TITLES = {
    "uscc": "unified social credit codes (GB 32100-2015, 18 characters with a check character)",
    "demo": "demo ids (E followed by six digits, E000000)",
    "free": f"free-text ids (at most {FREE_MAX} characters)",
}


class IdRuleError(ValueError):
    """An unknown rule name."""


def organisation_check_character(body: str) -> str:
    """The GB 11714 check character of an eight-character organisation code body: ``11 - (sum of
    value * weight mod 11)``, written ``X`` for 10 and ``0`` for 11; a letter's value is 10 for
    ``A`` up to 35 for ``Z``. Written by hand: python-stdnum has no GB 11714 module."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, ORGANISATION_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


_VALUE = np.full(128, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_ALPHABET):
    _VALUE[ord(_c)] = _i
_ORG_VALUE = np.full(128, -1, dtype=np.int64)
for _i, _c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
    _ORG_VALUE[ord(_c)] = _i
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)


def _codes_matrix(codes: Sequence[str], width: int) -> np.ndarray:
    """ASCII codes of ``width``-character strings as an (n, width) integer matrix."""
    joined = "".join(codes).encode("ascii")
    return np.frombuffer(joined, dtype=np.uint8).reshape(len(codes), width).astype(np.int64)


def uscc_check_characters(first17: Sequence[str]) -> np.ndarray:
    """The GB 32100 check character of each 17-character code head, all at once: ``31 - (sum of
    value * 3**i mod 31) mod 31`` over the code alphabet. The same arithmetic as python-stdnum's
    ``calc_check_digit`` (the tests hold them equal), vectorised because a national frame has
    tens of thousands of codes and the per-code call costs 16 microseconds."""
    if not len(first17):
        return np.array([], dtype=object)
    values = _VALUE[_codes_matrix(first17, 17)]
    total = (values * _USCC_WEIGHTS).sum(axis=1)
    return np.array(list(USCC_ALPHABET), dtype=object)[(31 - total % 31) % 31]


def organisation_check_characters(bodies: Sequence[str]) -> np.ndarray:
    """:func:`organisation_check_character` of many eight-character bodies at once."""
    if not len(bodies):
        return np.array([], dtype=object)
    values = _ORG_VALUE[_codes_matrix(bodies, 8)]
    remainder = 11 - (values * np.array(ORGANISATION_WEIGHTS)).sum(axis=1) % 11
    return np.array(["?", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0"], dtype=object)[remainder]


def uscc_problems(codes: Sequence[str]) -> list[str]:
    """:func:`uscc_problem` of many codes: the well-shaped ones whose two check characters are
    right are passed in bulk, every other code gets its reason from :func:`uscc_problem`."""
    reasons = [""] * len(codes)
    shaped = [i for i, code in enumerate(codes) if USCC_SHAPE.fullmatch(code)]
    good = np.zeros(len(codes), dtype=bool)
    if shaped:
        chosen = [codes[i] for i in shaped]
        ok = (uscc_check_characters([c[:17] for c in chosen]) == np.array([c[17] for c in chosen], dtype=object))
        ok &= organisation_check_characters([c[8:16] for c in chosen]) == np.array(
            [c[16] for c in chosen], dtype=object
        )
        good[np.array(shaped)[ok]] = True
    for i in np.flatnonzero(~good):
        reasons[i] = uscc_problem(codes[i])
    return reasons


def uscc_problem(code: str) -> str:
    """Why ``code`` is not a valid unified social credit code; ``""`` when it is."""
    if len(code) != USCC_LENGTH:
        return f"{code!r} is not a unified social credit code: {len(code)} characters, not {USCC_LENGTH}"
    if not USCC_SHAPE.fullmatch(code):
        if USCC_SHAPE.fullmatch(code.upper()):
            return f"{code!r}: a unified social credit code is written in capitals ({code.upper()!r})"
        wrong = sorted({c for c in code if c not in USCC_ALPHABET})
        if wrong:
            return (f"{code!r} is not a unified social credit code: {''.join(wrong)!r} is not in its "
                    f"alphabet (digits and capitals without I, O, S, V, Z)")
        return f"{code!r} is not a unified social credit code: characters 3-8 (the region) must be digits"
    problems = []
    expected = stdnum_uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        problems.append(
            f"the check character (18th) is {code[17]!r} but the first 17 characters give {expected!r} "
            f"(GB 32100-2015): a character is mistyped"
        )
    organisation = code[8:17]
    expected_org = organisation_check_character(organisation[:8])
    if organisation[8] != expected_org:
        problems.append(
            f"its organisation code {organisation[:8]}-{organisation[8]} (characters 9-17) should end in "
            f"{expected_org!r} (GB 11714)"
        )
    return f"{code!r}: " + "; ".join(problems) if problems else ""


def _demo_problem(code: str) -> str:
    return "" if DEMO_SHAPE.fullmatch(code) else f"{code!r} is not a demo id (E followed by six digits, E000000)"


def _free_problem(code: str) -> str:
    if len(code) > FREE_MAX:
        return f"{code[:20]!r}... is {len(code)} characters long, more than {FREE_MAX}"
    if _CONTROL.search(code):
        return f"{code!r} contains a control character"
    return ""


_CHECKS = {"uscc": uscc_problem, "demo": _demo_problem, "free": _free_problem}


@dataclass(frozen=True)
class IdRule:
    """The rule every enterprise id of a survey follows."""

    name: RuleName

    @classmethod
    def named(cls, name: str) -> IdRule:
        """The rule called ``name`` (``uscc``, ``demo`` or ``free``)."""
        if name not in RULE_NAMES:
            raise IdRuleError(f"unknown id rule {name!r}: one of {', '.join(RULE_NAMES)}")
        return cls(name)  # type: ignore[arg-type]

    @property
    def title(self) -> str:
        """What the rule accepts, in words (for messages and documentation)."""
        return RULE_TITLES[self.name]

    def problem(self, code: str) -> str:
        """Why one id breaks the rule; ``""`` when it follows it. Empty ids are the caller's
        business (a frame refuses them, a response leaves them to ``required``)."""
        return _CHECKS[self.name](code)

    def check(self, ids: Iterable[object]) -> list[str]:
        """One reason per id, in order: ``""`` when the id follows the rule (or is empty)."""
        texts = _texts(ids)
        if self.name == "uscc":
            return [r if t else "" for t, r in zip(texts, uscc_problems(texts), strict=True)]
        if self.name == "demo":
            fine = _matches(texts, DEMO_SHAPE) | (np.asarray(texts, dtype=object) == "")
            reasons = [""] * len(texts)
            for i in np.flatnonzero(~fine):
                reasons[i] = _demo_problem(texts[i])
            return reasons
        return [_free_problem(text) if text else "" for text in texts]


def _texts(ids: Iterable[object]) -> list[str]:
    """Ids as stripped text; missing values (None, NaN, ``pd.NA``) are empty."""
    return [v.strip() if isinstance(v, str) else "" if _missing(v) else str(v).strip() for v in ids]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _matches(texts: Sequence[str], pattern: re.Pattern[str]) -> np.ndarray:
    """Which texts match ``pattern`` whole, as a boolean array (Arrow's RE2, in C: a national
    frame's ids are matched several times)."""
    if not len(texts):
        return np.zeros(0, dtype=bool)
    matched = pc.match_substring_regex(
        pa.array(texts, type=pa.string()), f"^(?:{pattern.pattern})$", ignore_case=bool(pattern.flags & re.IGNORECASE)
    )
    return matched.to_numpy(zero_copy_only=False).astype(bool)


@dataclass(frozen=True)
class IdShapes:
    """How many ids look like credit codes and like demo ids, and where (0-based positions)."""

    uscc: list[int]
    demo: list[int]
    other: list[int]

    @property
    def total(self) -> int:
        return len(self.uscc) + len(self.demo) + len(self.other)

    @property
    def mixed(self) -> bool:
        """Credit codes and demo ids side by side: two numbering systems in one frame."""
        return bool(self.uscc) and bool(self.demo)


def shapes(ids: Sequence[object]) -> IdShapes:
    """Sort the non-empty ids by shape. A credit code's shape is its length and alphabet, before
    any check character is looked at (capitals or not), so a mistyped code still counts as one."""
    texts = _texts(ids)
    uscc = _matches(texts, _USCC_SHAPE_ANY_CASE)
    demo = _matches(texts, DEMO_SHAPE) & ~uscc
    other = (np.asarray(texts, dtype=object) != "") & ~uscc & ~demo
    return IdShapes(*(np.flatnonzero(mask).tolist() for mask in (uscc, demo, other)))


def detect_rule(ids: Sequence[object]) -> IdRule:
    """The rule of a frame's ids: credit codes when at least half of them look like one (the
    rest are then errors to correct), else demo ids when at least half are, else free text."""
    return rule_of_shapes(shapes(ids))


def rule_of_shapes(found: IdShapes) -> IdRule:
    """:func:`detect_rule` from ids already sorted by :func:`shapes`."""
    if found.total and len(found.uscc) >= len(found.demo) and 2 * len(found.uscc) >= found.total:
        return IdRule("uscc")
    if found.total and 2 * len(found.demo) >= found.total:
        return IdRule("demo")
    return IdRule("free")


def strictest_rule(ids: Sequence[object]) -> IdRule:
    """The strictest rule that every id follows: the rule of a sample's ids. A sample comes from
    a checked frame, so its ids follow its frame's rule; a stricter rule found here only rejects
    answered ids that could not be in the sample anyway."""
    texts = [t for t in _texts(ids) if t]
    found = shapes(texts)
    for name, shaped in (("uscc", found.uscc), ("demo", found.demo)):
        rule = IdRule.named(name)
        if texts and len(shaped) == len(texts) and not any(rule.check(texts)):
            return rule
    return IdRule("free")


def resolve_rule(rule: IdRule | str | None, ids: Sequence[object]) -> IdRule:
    """``rule`` as given (a name or an :class:`IdRule`), else detected from ``ids``."""
    if rule is None:
        return detect_rule(ids)
    return rule if isinstance(rule, IdRule) else IdRule.named(rule)


# Administrative divisions (GB/T 2260) of cities where patent-holding enterprises cluster, by the
# survey's region; used only to make synthetic codes look like real ones.
REGION_DIVISIONS = {
    "east": ("110000", "110108", "120000", "310000", "310115", "320100", "320500", "330100", "330200",
             "350200", "370200", "440100", "440300", "440400", "440600", "460100"),
    "central": ("140100", "340100", "360100", "410100", "420100", "430100"),
    "west": ("450100", "500000", "510100", "520100", "530100", "610100", "620100", "650100"),
    "northeast": ("210100", "210200", "220100", "230100"),
}
# Character 2 under authority 9: companies, sole proprietorships, farmers' cooperatives.
_KINDS = np.array(["1", "2", "3"])
_KIND_SHARES = (0.9, 0.07, 0.03)
_ALPHABET_ARRAY = np.array(list(USCC_ALPHABET))


def make_uscc(rng: np.random.Generator, n: int, regions: Sequence[str] | None = None) -> list[str]:
    """``n`` distinct, valid unified social credit codes of market-registered enterprises (``91``,
    ``92``, ``93``) for synthetic frames; with ``regions`` (the frame's ``region`` column) each
    code's division lies in that region. Both check characters are computed, as a real register
    would issue them; about one organisation code in five has letters (the post-2015 ``MA...``)."""
    if regions is not None and len(regions) != n:
        raise ValueError(f"{len(regions)} regions for {n} codes")
    every = tuple(d for group in REGION_DIVISIONS.values() for d in group)
    wanted = np.asarray(regions, dtype=object) if regions is not None else np.full(n, "", dtype=object)
    codes = np.empty(n, dtype=object)
    todo = np.arange(n)
    while len(todo):  # a repeated code (rare) is drawn again
        k = len(todo)
        division = np.empty(k, dtype=object)
        for region in sorted(set(wanted[todo]), key=str):  # sorted: the same codes in every process
            where = wanted[todo] == region
            pool = np.array(REGION_DIVISIONS.get(str(region), every))
            division[where] = pool[rng.integers(len(pool), size=int(where.sum()))]
        kind = _KINDS[rng.choice(len(_KINDS), size=k, p=_KIND_SHARES)]
        digits = rng.integers(10, size=(k, 8)).astype(str)
        lettered = _ALPHABET_ARRAY[rng.integers(len(USCC_ALPHABET), size=(k, 6))]
        use_letters = rng.random(k) < 0.2
        digits[use_letters, 0], digits[use_letters, 1] = "M", "A"
        digits[use_letters, 2:] = lettered[use_letters]
        body = np.array(["".join(row) for row in digits], dtype=object)
        org_check = organisation_check_characters(body)
        first17 = "9" + kind.astype(object) + division + body + org_check
        codes[todo] = first17 + uscc_check_characters(first17)
        _, first = np.unique(codes.astype(str), return_index=True)
        repeated = np.ones(n, dtype=bool)
        repeated[first] = False
        todo = np.flatnonzero(repeated)
    return [str(c) for c in codes]
