"""Which sector an applicant is in: company, university, government (incl. non-profit), hospital,
individual, or unknown, after the EEE-PPAT / PATSTAT ``psn_sector`` categories.

The sector is decided once per entity, from the evidence of all its party rows, by the first rule
that applies (``sector_rule`` names it):

1. ``type_code`` / ``type_code+name_keyword``: the source's own applicant type (USPTO XML assignee
   role and PatentsView assignee type, ``assignee_type_codes.csv``), by majority over the rows
   that carry one. Individual codes give ``individual``. Company and government codes are refined
   by the name: a university or hospital keyword wins (USPTO codes a state university as a
   government or a company); a company code with a non-profit keyword and no company legal form
   is ``government``.
2. ``inventor_role``: the entity is only ever named as an inventor -> ``individual``.
3. ``name_keyword``: a university or hospital keyword (``sector_rules.csv``, priorities 1-3).
4. ``legal_form``: a legal form (``legal_forms.csv``): ``company``, or ``government`` for
   non-profit forms such as e.V. and gGmbH.
5. ``name_keyword``: a government / non-profit keyword (priority 4).
6. ``applicant_is_inventor``: most of its applicant rows name someone who is also an inventor of
   the same publication -> ``individual``.
7. ``person_form``: printed as a person (``Party.kind``) -> ``individual``.
8. ``organisation_default``: any other organisation -> ``company`` (most patent applicants are).
9. ``no_evidence`` -> ``unknown``.

Keywords are matched on the normalised name: whole words, or inside words for CJK and German
compounds (Universitaetsklinikum).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from patentreach.harmonize.name_normalisation import clean
from patentreach.refdata.loader import read_csv

HERE = Path(__file__).parent
SECTOR_RULES = HERE / "sector_rules.csv"
TYPE_CODES = HERE / "assignee_type_codes.csv"

SECTORS = ("company", "university", "government", "hospital", "individual", "unknown")
GOVERNMENT_PRIORITY = 4


@dataclass(frozen=True, slots=True)
class SectorDecision:
    sector: str
    rule: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """What is known about one entity (or one party) for deciding its sector."""

    normalised_name: str
    kind: str | None = None  # majority Party.kind
    legal_sector: str | None = None  # from the legal form: company | government
    type_group: str | None = None  # majority type-code group: company | individual | government
    only_inventor: bool = False
    applicant_is_inventor: bool = False


@dataclass(frozen=True, slots=True)
class _Keywords:
    words: dict[str, tuple[tuple[tuple[str, ...], str, int], ...]]  # first token -> patterns
    substrings: tuple[tuple[str, str, int], ...]


@cache
def _keywords() -> _Keywords:
    _, rows = read_csv(SECTOR_RULES)
    words: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
    substrings: list[tuple[str, str, int]] = []
    for row in rows:
        sector, priority = row["sector"], int(row["priority"])
        if sector not in SECTORS:
            raise ValueError(f"{SECTOR_RULES.name}: unknown sector {sector!r}")
        if row["match"] == "substring":
            substrings.append(("".join(clean(row["pattern"])), sector, priority))
        elif row["match"] == "word":
            tokens = tuple(clean(row["pattern"]))
            words.setdefault(tokens[0], []).append((tokens, sector, priority))
        else:
            raise ValueError(f"{SECTOR_RULES.name}: match must be word or substring, not {row['match']!r}")
    return _Keywords({k: tuple(v) for k, v in words.items()}, tuple(substrings))


@cache
def type_code_groups() -> dict[str, str]:
    """Source applicant-type code -> company | individual | government (unassigned codes absent)."""
    _, rows = read_csv(TYPE_CODES)
    return {row["code"]: row["group"] for row in rows if row["group"]}


def type_group(code: str | None) -> str | None:
    if not code:
        return None
    text = code.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return type_code_groups().get(text)


def keyword_sector(normalised_name: str) -> tuple[str, int] | None:
    """The highest-priority keyword sector of a normalised name, with its priority."""
    tokens = normalised_name.split()
    best: tuple[int, str] | None = None
    table = _keywords()
    for i, token in enumerate(tokens):
        for pattern, sector, priority in table.words.get(token, ()):
            if tuple(tokens[i : i + len(pattern)]) == pattern and (best is None or priority < best[0]):
                best = (priority, sector)
    for pattern, sector, priority in table.substrings:
        if (best is None or priority < best[0]) and pattern in normalised_name:
            best = (priority, sector)
    return None if best is None else (best[1], best[0])


def decide(evidence: Evidence) -> SectorDecision:
    """Apply the rules of the module docstring in order."""
    keyword = keyword_sector(evidence.normalised_name)
    strong = keyword is not None and keyword[1] < GOVERNMENT_PRIORITY
    if evidence.type_group == "individual":
        return SectorDecision("individual", "type_code")
    if evidence.type_group in ("company", "government"):
        if strong:
            return SectorDecision(keyword[0], "type_code+name_keyword")  # type: ignore[index]
        if evidence.type_group == "company" and keyword and evidence.legal_sector != "company":
            return SectorDecision("government", "type_code+name_keyword")
        return SectorDecision(evidence.type_group, "type_code")
    if evidence.only_inventor:
        return SectorDecision("individual", "inventor_role")
    if strong:
        return SectorDecision(keyword[0], "name_keyword")  # type: ignore[index]
    if evidence.legal_sector:
        return SectorDecision(evidence.legal_sector, "legal_form")
    if keyword is not None:
        return SectorDecision(keyword[0], "name_keyword")
    if evidence.applicant_is_inventor:
        return SectorDecision("individual", "applicant_is_inventor")
    if evidence.kind == "person":
        return SectorDecision("individual", "person_form")
    if evidence.kind == "organisation" and evidence.normalised_name:
        return SectorDecision("company", "organisation_default")
    return SectorDecision("unknown", "no_evidence")
