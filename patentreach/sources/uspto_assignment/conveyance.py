"""Conveyance text to conveyance type, by the ordered rules of ``conveyance_types.csv``.

The USPTO records what a document does only as free text ("ASSIGNMENT OF ASSIGNORS INTEREST (SEE
DOCUMENT FOR DETAILS).", "LICENSE (SEE DOCUMENT FOR DETAILS).", "RELEASE BY SECURED PARTY ...").
Each CSV row is a regular expression matched against the upper-cased, space-squeezed text; the
first row that matches gives the type; no match is ``other``. Rows carry their source and checked
date, so a rule can be traced to the real text that motivated it.

**Employee-to-employer.** The same words, "ASSIGNMENT OF ASSIGNORS INTEREST", record both an
inventor assigning a new application to the employer (most of them: 113 of 140 in ad20160101.xml)
and one company selling a patent to another. Only the second moves technology between parties.
For rows marked ``employer_rule`` = yes the type becomes ``employee_to_employer`` when at least
one assignor is printed as a person, no assignor is an organisation, and every assignee is an
organisation (``party_names``). Inventors are not listed on assignment records, so this is a
proxy for "the assignors are the inventors"; it is the rule documented in docs/transfers.md.

The rules live with the USPTO assignment reader because every reader of US conveyance text uses
them (Assignment Search, ODP, OPS ``AS`` events) and readers may not import the higher
``patentreach.transfers`` layer; the type is stored at ingest, like a publication's ``doc_type``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from patentreach.model.transfers import ConveyanceType
from patentreach.sources.uspto_assignment.party_names import NameForm

RULES_FILE = "conveyance_types.csv"


@dataclass(frozen=True, slots=True)
class ConveyanceRule:
    pattern: re.Pattern[str]
    type: ConveyanceType
    employer_rule: bool
    source: str
    checked: str
    note: str


@cache
def rules() -> tuple[ConveyanceRule, ...]:
    """The rules in file order (the order matters: the first match wins)."""
    text = resources.files(__package__).joinpath(RULES_FILE).read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        out.append(ConveyanceRule(
            pattern=re.compile(row["pattern"]),
            type=ConveyanceType(row["type"]),
            employer_rule=row["employer_rule"].strip().lower() == "yes",
            source=row["source"],
            checked=row["checked"],
            note=row.get("note", ""),
        ))
    return tuple(out)


def normalise_text(text: str | None) -> str:
    return " ".join((text or "").upper().split())


def match_rule(text: str | None) -> ConveyanceRule | None:
    """The first rule matching the conveyance text, or None."""
    key = normalise_text(text)
    for rule in rules():
        if rule.pattern.search(key):
            return rule
    return None


def classify(
    text: str | None, assignors: Sequence[NameForm] = (), assignees: Sequence[NameForm] = ()
) -> ConveyanceType:
    """The conveyance type of a recorded transaction, from its text and the form of its parties."""
    rule = match_rule(text)
    if rule is None:
        return ConveyanceType.OTHER
    if rule.employer_rule and is_employer_assignment(assignors, assignees):
        return ConveyanceType.EMPLOYEE_TO_EMPLOYER
    return rule.type


def is_employer_assignment(assignors: Sequence[NameForm], assignees: Sequence[NameForm]) -> bool:
    """Persons (no organisation among them) assigning to organisations only."""
    return (
        NameForm.PERSON in assignors
        and NameForm.ORGANISATION not in assignors
        and bool(assignees)
        and all(form is not NameForm.PERSON for form in assignees)
    )
