"""The conveyance rules (``conveyance_types.csv``) and the person / organisation rule they use."""

from __future__ import annotations

import pytest

from patentreach.model.transfers import ConveyanceType
from patentreach.sources.uspto_assignment.conveyance import classify, match_rule, rules
from patentreach.sources.uspto_assignment.party_names import NameForm, name_form

PERSON, ORG, UNCLEAR = NameForm.PERSON, NameForm.ORGANISATION, NameForm.UNCLEAR


def test_every_rule_has_a_known_type_a_source_and_a_checked_date():
    assert len(rules()) == 18
    for rule in rules():
        assert isinstance(rule.type, ConveyanceType)
        assert rule.source and rule.checked == "2026-11-25"


@pytest.mark.parametrize(("text", "expected"), [
    # the seven texts of ad20160101.xml (company parties)
    ("ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS).", "assignment"),
    ("NUNC PRO TUNC ASSIGNMENT (SEE DOCUMENT FOR DETAILS).", "assignment"),
    ("MERGER (SEE DOCUMENT FOR DETAILS).", "merger"),
    ("SECURITY INTEREST (SEE DOCUMENT FOR DETAILS).", "security_interest"),
    ("RELEASE BY SECURED PARTY (SEE DOCUMENT FOR DETAILS).", "release"),
    ("LICENSE (SEE DOCUMENT FOR DETAILS).", "licence"),
    ("CHANGE OF NAME (SEE DOCUMENT FOR DETAILS).", "change_of_name"),
    # ODP, OPS and Assignment Search spellings
    ("ASSIGNMENT OF ASSIGNOR'S INTEREST", "assignment"),
    ("TERMINATION AND RELEASE OF PATENT SECURITY AGREEMENT RECORDED AT REEL 048041/FRAME 0605", "release"),
    ("MERGER AND CHANGE OF NAME", "merger"),
    ("CORRECTIVE ASSIGNMENT TO CORRECT THE ASSIGNEE NAME PREVIOUSLY RECORDED ON REEL 012345 FRAME 0678",
     "correction"),
    ("CONFIRMATORY LICENSE", "other"),
    ("EXCLUSIVE LICENSE", "licence"),
    ("DECREE OF DISTRIBUTION", "other"),
    ("SOMETHING NEW", "other"),
    (None, "other"),
])
def test_text_to_type(text, expected):
    assert classify(text, [ORG], [ORG]) == expected


def test_release_of_a_security_interest_is_a_release_not_a_security_interest():
    assert match_rule("RELEASE OF SECURITY INTEREST IN PATENTS").type == "release"


@pytest.mark.parametrize(("assignors", "assignees", "expected"), [
    ([PERSON, PERSON], [ORG], "employee_to_employer"),  # inventors to their employer
    ([PERSON, UNCLEAR], [ORG], "employee_to_employer"),  # LODA, MASSIMO + SVITLANA TYEKUCHEVA -> DANA-FARBER
    ([ORG], [ORG], "assignment"),  # a company sells
    ([ORG, PERSON], [ORG], "assignment"),
    ([PERSON], [PERSON], "assignment"),  # person to person
    ([ORG], [PERSON], "assignment"),  # MBDA DEUTSCHLAND GMBH -> BAUMGARTEN, KLAUS
    ([UNCLEAR], [ORG], "assignment"),  # no person printed as one: not taken as an employee
])
def test_employer_rule(assignors, assignees, expected):
    assert classify("ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS).", assignors, assignees) == expected


def test_employer_rule_applies_only_to_assignment_texts():
    assert classify("LICENSE (SEE DOCUMENT FOR DETAILS).", [PERSON], [ORG]) == "licence"
    assert classify("SECURITY INTEREST", [PERSON], [ORG]) == "security_interest"


@pytest.mark.parametrize(("name", "form"), [
    ("WEINSTEIN, DAMON", PERSON), ("WORDEN, MICHAEL D.", PERSON), ("KIM, SE HOON", PERSON),
    ("SOUNDBITE COMMUNICATIONS, INC.", ORG), ("LOKI, LLC", ORG), ("TOYOTA JIDOSHA KABUSHIKI KAISHA", ORG),
    ("INSTITUT PASTEUR", ORG), ("L'UNIVERSITE PIERRE ET MARIE CURIE", ORG), ("SIEMENS AG", ORG),
    ("ESTATE OF MILTON S. RATTNER, THE", ORG), ("STARION FINANCIAL", ORG), ("VOLVO A/S", ORG),
    ("SVITLANA TYEKUCHEVA", UNCLEAR), ("JOHNS MANVILLE", UNCLEAR),
])
def test_name_forms(name, form):
    assert name_form(name) == form


def test_a_printed_name_type_decides():
    assert name_form("ACME", "natural") == PERSON
    assert name_form("SMITH, JOHN", "legal") == ORG
