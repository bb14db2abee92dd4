"""The two word lists that name normalisation reads: legal forms and standard words.

Both are CSV files in this package (``legal_forms.csv``, ``name_words.csv``) with a source and a
checked date on every row, so that what the normaliser removes or rewrites can be reviewed without
reading code. A form or word is written as people write it ("GmbH & Co. KG", "S.p.A.",
"Kabushiki Kaisha", "有限公司"); it is matched as the token sequence that the same cleaning gives
(``GMBH AND CO KG``, ``SPA``, ``KABUSHIKI KAISHA``), so the table and the names can never drift
apart in spelling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from patentreach.refdata.loader import read_csv

HERE = Path(__file__).parent
LEGAL_FORMS = HERE / "legal_forms.csv"
NAME_WORDS = HERE / "name_words.csv"

Tokens = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LegalForm:
    tokens: Tokens
    positions: frozenset[str]  # end | start | any
    sector: str  # company | government (non-profit forms such as e.V., gGmbH)
    form: str  # as written in the table
    cjk: bool  # written in CJK characters: matched inside a token, not as whole tokens


@dataclass(frozen=True, slots=True)
class WordTables:
    """Token-sequence rewrites for the linkage key: abbreviations, phrases to drop, stop words."""

    rewrites: dict[Tokens, Tokens]  # abbreviation (standard tokens) or drop (empty tuple)
    longest: int
    stop: frozenset[str]
    representation: tuple[Tokens, ...]  # "as represented by" forms, removed from the name itself
    long_words: tuple[str, ...]  # one-token table words of 7+ letters: targets of spelling repair
    long_phrases: tuple[tuple[Tokens, str, Tokens], ...]  # phrases of 15+ letters, matched with 2 typos


def is_cjk(text: str) -> bool:
    return bool(text) and all(_cjk_char(ch) for ch in text)


def _cjk_char(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF
    )


@dataclass(frozen=True, slots=True)
class LegalFormIndex:
    """Legal forms indexed by the token they end with (for the end of a name) and start with (for
    its start, or anywhere), each list longest first, so that "GMBH AND CO KG" wins over "KG"."""

    by_last: dict[str, tuple[LegalForm, ...]]
    by_first: dict[str, tuple[LegalForm, ...]]
    cjk: tuple[LegalForm, ...]


@cache
def legal_forms(clean: Callable[[str], list[str]]) -> LegalFormIndex:
    _, rows = read_csv(LEGAL_FORMS)
    forms: dict[tuple[Tokens, bool], LegalForm] = {}
    for row in rows:
        written = row["form"]
        cjk = is_cjk(written)
        tokens = (written,) if cjk else tuple(clean(written))
        if not tokens:
            raise ValueError(f"{LEGAL_FORMS.name}: form {written!r} cleans to nothing")
        positions = frozenset(p.strip() for p in row["position"].split(";") if p.strip())
        unknown = positions - {"end", "start", "any"}
        if unknown or not positions:
            raise ValueError(f"{LEGAL_FORMS.name}: form {written!r} has position {row['position']!r}")
        # The same letters can be two forms (A/S and a.s. are both AS): the first row decides.
        forms.setdefault((tokens, cjk), LegalForm(tokens, positions, row["sector"] or "company", written, cjk))
    ordered = sorted(forms.values(), key=lambda f: (-len(f.tokens), -len(f.tokens[0])))
    by_last: dict[str, list[LegalForm]] = {}
    by_first: dict[str, list[LegalForm]] = {}
    for form in ordered:
        if form.cjk:
            continue
        if form.positions & {"end", "any"}:
            by_last.setdefault(form.tokens[-1], []).append(form)
        if form.positions & {"start", "any"}:
            by_first.setdefault(form.tokens[0], []).append(form)
    return LegalFormIndex(
        {k: tuple(v) for k, v in by_last.items()},
        {k: tuple(v) for k, v in by_first.items()},
        tuple(f for f in ordered if f.cjk),
    )


@cache
def word_tables(clean: Callable[[str], list[str]]) -> WordTables:
    _, rows = read_csv(NAME_WORDS)
    rewrites: dict[Tokens, Tokens] = {}
    stop: set[str] = set()
    representation: list[Tokens] = []
    for row in rows:
        tokens = tuple(clean(row["word"]))
        kind = row["kind"]
        if not tokens:
            raise ValueError(f"{NAME_WORDS.name}: word {row['word']!r} cleans to nothing")
        if kind == "abbreviation":
            rewrites[tokens] = tuple(clean(row["standard"]))
        elif kind == "drop":
            rewrites[tokens] = ()
        elif kind == "stop":
            stop.update(tokens)
        elif kind == "representation":
            representation.append(tokens)
            rewrites[tokens] = ()  # misspelt forms left in the name are dropped from the key
        else:
            raise ValueError(f"{NAME_WORDS.name}: unknown kind {kind!r} for {row['word']!r}")
    representation.sort(key=len, reverse=True)
    long_words = tuple(sorted({k[0] for k in rewrites if len(k) == 1 and len(k[0]) >= 7}))
    long_phrases = tuple(
        sorted(
            ((k, " ".join(k), v) for k, v in rewrites.items() if len(k) >= 2 and len(" ".join(k)) >= 15),
            key=lambda kv: -len(kv[0]),
        )
    )
    return WordTables(
        rewrites, max(map(len, rewrites), default=1), frozenset(stop), tuple(representation), long_words, long_phrases
    )
