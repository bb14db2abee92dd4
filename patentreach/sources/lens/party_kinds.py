"""Lens does not mark an applicant as a person or an organisation. An applicant who is also
listed among the inventors is a person (the document says so by listing them as an inventor);
every other applicant is taken as an organisation. This is a cross-reference, not a guess from
the name, and it errs only for individual applicants who are not inventors (rare; their
``kind`` reads ``organisation``)."""

from __future__ import annotations

import re

from patentreach.model.records import PartyKind


def name_key(name: str) -> str:
    """Upper case with punctuation squeezed; letters of every script are kept (CJK names too)."""
    return re.sub(r"[\W_]+", " ", name.upper()).strip()


def applicant_kind(name: str, inventor_keys: set[str]) -> str:
    key = name_key(name)
    return PartyKind.PERSON if key and key in inventor_keys else PartyKind.ORGANISATION
