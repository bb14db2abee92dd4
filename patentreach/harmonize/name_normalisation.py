"""Party names as printed -> a normalised name and a linkage key.

The same applicant is printed many ways: "ROBERT BOSCH G.M.B.H." (DOCDB original), "BOSCH GMBH
ROBERT" (DOCDB standard name, legal form moved inside), "9SOLUTIONS OY [FI]" (OPS epodoc, with a
country tag), "THE REGENTS OF THE UNIVERSITY OF MICHIGAN" (USPTO). Two outputs serve two purposes:

* ``normalised``: what a person would call the same name: Unicode NFKC, upper case, Latin accents
  folded the way DOCDB folds them (Ä -> AE, é -> E), punctuation gone, dotted acronyms joined
  (G.M.B.H. -> GMBH), a leading "THE", "as represented by" phrases, OPS ``[CC]`` tags and trailing
  commas removed, and legal forms removed (``legal_forms.csv``: at the end, at the start, or
  anywhere for unambiguous ones such as GmbH and Kabushiki Kaisha). The legal form is kept aside.
* ``match_key``: the linkage key: the normalised name with standard words rewritten
  (``name_words.csv``: UNIVERSITY -> UNIV, RESEARCH -> RES, "REGENTS OF" dropped), stop words
  removed and plurals folded; ``sorted_key`` is its tokens in alphabetical order, so that "BOSCH
  ROBERT" and "ROBERT BOSCH" meet.

The original is never changed: callers keep it next to these keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from patentreach.harmonize.name_tables import LegalForm, LegalFormIndex, Tokens, is_cjk, legal_forms, word_tables

_TAG = re.compile(r"\s*\[\s*([A-Za-z]{2})\s*\][\s,;]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DOTTED_ACRONYM = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}")
_NOT_WORD = re.compile(r"[^\w]+|_+")
_CONNECTORS = frozenset({"AND"})

# Letters that DOCDB (and German usage) writes as two letters; other Latin accents are dropped.
_FOLD = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "Æ": "AE", "Œ": "OE", "Ø": "O", "Ł": "L", "Đ": "D", "Þ": "TH",
         "ẞ": "SS", "Ħ": "H", "Ŀ": "L", "I": "I", "İ": "I"}


@dataclass(frozen=True, slots=True)
class NormalisedName:
    original: str
    normalised: str
    legal_form: str | None  # the legal forms removed, e.g. "GMBH AND CO KG"
    legal_sector: str | None  # what the legal form says: company, or government for e.V./gGmbH
    country_tag: str | None  # "FI" from an OPS "[FI]" tag
    match_key: str
    sorted_key: str


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    if ch in _FOLD:
        return _FOLD[ch]
    if ch.isascii() or "LATIN" not in unicodedata.name(ch, ""):
        return ch
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


def _fold(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text.upper())


def _join_single_letters(tokens: list[str]) -> list[str]:
    """"U S PHILIPS" -> "US PHILIPS", "K K" -> "KK"; a lone S after a word is a possessive
    ("QUEEN S" -> "QUEENS")."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha() and token.isascii():
            run.append(token)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        elif run == ["S"] and out and len(out[-1]) >= 2 and out[-1].isalpha():
            out[-1] += "S"
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return out


def clean(text: str) -> list[str]:
    """Tokens of a name or a table entry: NFKC, upper case, accents folded, & -> AND, dotted
    acronyms joined, every other punctuation mark a space."""
    text = _fold(unicodedata.normalize("NFKC", _CONTROL.sub(" ", text)))
    text = text.replace("&", " AND ").replace("+", " ")
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    return _join_single_letters(_NOT_WORD.sub(" ", text).split())


def _remove_sequence(tokens: list[str], sequence: Tokens) -> list[str]:
    n = len(sequence)
    i = 0
    out: list[str] = []
    while i < len(tokens):
        if tuple(tokens[i : i + n]) == sequence:
            i += n
            continue
        out.append(tokens[i])
        i += 1
    return out


def _trim_connectors(tokens: list[str]) -> list[str]:
    while len(tokens) > 1 and tokens[-1] in _CONNECTORS:
        tokens = tokens[:-1]
    while len(tokens) > 1 and tokens[0] in _CONNECTORS:
        tokens = tokens[1:]
    return tokens


def _strip_legal_forms(tokens: list[str]) -> tuple[list[str], list[LegalForm]]:
    """Remove legal forms from the end, then the start, then (unambiguous forms only) anywhere,
    again and again ("KUEBERIT PROFILE SYSTEMS GMBH AND CO KG"); never the whole name."""
    index = legal_forms(clean)
    found: list[LegalForm] = []
    while len(tokens) > 1:
        removed = _strip_one(tokens, index)
        if removed is None:
            break
        tokens, form = removed
        found.append(form)
    if index.cjk and any(is_cjk(ch) for token in tokens for ch in token):
        tokens = _strip_cjk_forms(tokens, found, index.cjk)
    return tokens, found


def _strip_one(tokens: list[str], index: LegalFormIndex) -> tuple[list[str], LegalForm] | None:
    for form in index.by_last.get(tokens[-1], ()):
        n = len(form.tokens)
        if n < len(tokens) and tuple(tokens[-n:]) == form.tokens:
            return _trim_connectors(tokens[:-n]), form
    for form in index.by_first.get(tokens[0], ()):
        n = len(form.tokens)
        if n < len(tokens) and tuple(tokens[:n]) == form.tokens:
            return _trim_connectors(tokens[n:]), form
    for token in tokens[1:-1]:
        for form in index.by_first.get(token, ()):
            if "any" in form.positions and len(form.tokens) < len(tokens) - 1:
                reduced = _remove_sequence(tokens, form.tokens)
                if len(reduced) < len(tokens):
                    return reduced, form
    return None


def _strip_cjk_forms(tokens: list[str], found: list[LegalForm], forms: tuple[LegalForm, ...]) -> list[str]:
    """CJK names have no spaces: a form such as 有限公司 is cut from the end (or start) of a token."""
    out = []
    for token in tokens:
        for form in forms:
            text = form.tokens[0]
            if len(token) <= len(text):
                continue
            if token.endswith(text) and form.positions & {"end", "any"}:
                token = token[: -len(text)]
            elif token.startswith(text) and form.positions & {"start", "any"}:
                token = token[len(text) :]
            elif "any" in form.positions and text in token:
                token = token.replace(text, "", 1)
            else:
                continue
            found.append(form)
        out.append(token)
    return out


def _without_representation(tokens: list[str]) -> list[str]:
    present = set(tokens)
    for phrase in word_tables(clean).representation:
        if len(tokens) > len(phrase) and phrase[0] in present:
            tokens = _remove_sequence(tokens, phrase)
    return tokens


def _match_tokens(tokens: list[str]) -> list[str]:
    tables = word_tables(clean)
    tokens = [_repair_spelling(t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        found = _rewrite_at(tokens, i)
        if found is None:
            out.append(tokens[i])
            i += 1
        else:
            replacement, used = found
            out.extend(replacement)
            i += used
    kept: list[str] = []
    for token in out:
        token = _singular(_fold_umlaut(token))
        if token not in tables.stop and token not in kept:
            kept.append(token)
    return kept or out or tokens


def _rewrite_at(tokens: list[str], i: int) -> tuple[Tokens, int] | None:
    """The table rewrite that starts at token ``i`` (longest first), and how many tokens it uses.
    Long phrases ("UNITED STATES OF AMERICA") also match with two typing errors ("UNTIED STATED
    OF AMERICA")."""
    tables = word_tables(clean)
    for n in range(min(tables.longest, len(tokens) - i), 0, -1):
        replacement = tables.rewrites.get(tuple(tokens[i : i + n]))
        if replacement is not None:
            return replacement, n
    for phrase, text, replacement in tables.long_phrases:
        if tokens[i][:2] != text[:2]:
            continue
        for n in (len(phrase), len(phrase) - 1, len(phrase) + 1):
            window = tokens[i : i + n]
            if len(window) != n or n < 2:
                continue
            joined = " ".join(window)
            if abs(len(joined) - len(text)) <= 2 and _edit_distance(joined, text, 2) <= 2:
                return replacement, n
    return None


def _fold_umlaut(token: str) -> str:
    """MUENCHEN, MUNCHEN and MÜNCHEN meet: the linkage key writes AE, OE, UE as A, O, U (sources
    differ in whether they transliterate an umlaut or drop its dots)."""
    if token.isascii() and token.isalpha():
        return token.replace("AE", "A").replace("OE", "O").replace("UE", "U")
    return token


@lru_cache(maxsize=262144)
def _repair_spelling(token: str) -> str:
    """A misspelt long table word is read as that word ("UNIVERISTY" -> "UNIVERSITY"): one edit
    (insertion, deletion, substitution or swap of neighbours) allowed up to 8 letters, two beyond;
    same first letter; words shorter than 7 letters are never changed."""
    if len(token) < 7 or not token.isalpha():
        return token
    vocabulary = word_tables(clean).long_words
    if token in vocabulary:
        return token
    for word in vocabulary:
        if word[0] != token[0] or abs(len(word) - len(token)) > 2:
            continue
        limit = 1 if min(len(word), len(token)) <= 8 else 2
        if _edit_distance(token, word, limit) <= limit:
            return word
    return token


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, giving up (returning limit + 1) once it exceeds limit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _singular(token: str) -> str:
    """Fold an English plural (NAVIGATIONS -> NAVIGATION); short words and -SS/-US/-IS stay."""
    if len(token) >= 5 and token.endswith("S") and not token.endswith(("SS", "US", "IS")) and token.isalpha():
        return token[:-1]
    return token


@lru_cache(maxsize=262144)
def normalise_name(raw: str | None) -> NormalisedName:
    """Normalise one printed party name (see the module docstring for the steps)."""
    original = raw or ""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", original)).strip()
    tag = _TAG.search(text)
    country_tag = tag.group(1).upper() if tag else None
    if tag:
        text = text[: tag.start()]
    tokens = clean(text.rstrip(" ,;:"))
    if len(tokens) > 1 and tokens[0] == "THE":
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[-1] == "THE":
        tokens = tokens[:-1]
    tokens = _without_representation(tokens)
    tokens, forms = _strip_legal_forms(tokens)
    tokens = [t for t in tokens if t]
    match = _match_tokens(tokens)
    forms_text = " ".join(" ".join(f.tokens) for f in reversed(forms)) or None
    legal_sector = None
    if forms:
        legal_sector = "government" if any(f.sector == "government" for f in forms) else "company"
    return NormalisedName(
        original=original,
        normalised=" ".join(tokens),
        legal_form=forms_text,
        legal_sector=legal_sector,
        country_tag=country_tag,
        match_key=" ".join(match),
        sorted_key=" ".join(sorted(set(match))),
    )
