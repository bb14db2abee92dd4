"""Applicants and inventors of an exchange document, one row per printed sequence number.

Each party is printed once per name form, under the same ``sequence``: ``docdb`` (EPO's
standardised name, "BOSCH GMBH ROBERT", space-padded to a fixed width, with the residence
country), ``docdba`` (the name in its original form, "ROBERT BOSCH G.M.B.H."), sometimes
``original`` (as filed), and in OPS ``epodoc`` ("9SOLUTIONS OY [FI]", the country in brackets).
Emitting one row per form would count every applicant two or three times, so a reader picks one
form to define the rows (``base``) and, per sequence, the form whose text becomes ``name``.

Whether a party is a person or an organisation is not printed in this format. Inventors are
persons. An applicant is a person when the same standardised name is also printed as an inventor
(the inventor-applicants of US filings); every other applicant is taken as an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from patentreach.model.records import Party, PartyKind, Role
from patentreach.refdata.countries import normalise_country
from patentreach.sources.docdb.paths import all_at, first_at, text_at

_BRACKETED_COUNTRY = re.compile(r"\s*\[([A-Z]{2})\]\s*$")


@dataclass(frozen=True, slots=True)
class NameForms:
    """Which form defines the rows (first present in ``base``) and which names them."""

    base: tuple[str, ...]
    name: tuple[str, ...]  # tried in order before falling back to the base form's own name


DOCDB_FORMS = NameForms(base=("docdb", "epodoc", "docdba", "original"), name=("docdba", "original"))
OPS_FORMS = NameForms(base=("epodoc", "docdb", "original", "docdba"), name=())


@dataclass(slots=True)
class _Printed:
    sequence: int
    name: str
    country_raw: str | None


def clean_name(raw: str | None) -> tuple[str | None, str | None]:
    """Squeezed name without trailing separators, and a bracketed ``[CC]`` country if printed."""
    if raw is None:
        return None, None
    name = " ".join(raw.split())
    country = None
    match = _BRACKETED_COUNTRY.search(name) if "[" in name else None
    if match:
        country = match.group(1)
        name = name[: match.start()]
    name = name.rstrip(" ,;")
    return (name or None), country


def _by_form(holders: list[etree._Element], name_path: str) -> dict[str, list[_Printed]]:
    printed: dict[str, list[_Printed]] = {}
    for position, holder in enumerate(holders, start=1):
        form = holder.get("data-format") or "docdb"
        found = first_at(holder, name_path)
        name, bracket_country = clean_name(None if found is None else found.text or "")
        if not name:
            continue
        raw_sequence = holder.get("sequence") or ""
        sequence = int(raw_sequence) if raw_sequence.isdigit() else position
        country = text_at(holder, "residence/country") or bracket_country
        printed.setdefault(form, []).append(_Printed(sequence, name, country))
    return printed


def _rows(printed: dict[str, list[_Printed]], forms: NameForms) -> list[tuple[_Printed, str]]:
    """(base entry, chosen name) per printed sequence."""
    base_form = next((f for f in forms.base if printed.get(f)), None)
    if base_form is None:
        base_form = next(iter(printed), None)
    if base_form is None:
        return []
    rows = []
    for entry in printed[base_form]:
        name = entry.name
        for form in forms.name:
            variant = next((p for p in printed.get(form, []) if p.sequence == entry.sequence), None)
            if variant is not None:
                name = variant.name
                break
        country = entry.country_raw or next(
            (
                p.country_raw
                for variants in printed.values()
                for p in variants
                if p.sequence == entry.sequence and p.country_raw
            ),
            None,
        )
        rows.append((_Printed(entry.sequence, entry.name, country), name))
    return rows


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def parties(biblio: etree._Element, pub_id: str, forms: NameForms) -> list[Party]:
    applicants = _rows(_by_form(all_at(biblio, "parties/applicants/applicant"), "applicant-name/name"), forms)
    inventors = _rows(_by_form(all_at(biblio, "parties/inventors/inventor"), "inventor-name/name"), forms)
    inventor_keys = {_key(entry.name) for entry, _ in inventors}
    out: list[Party] = []
    for role, rows in ((Role.APPLICANT, applicants), (Role.INVENTOR, inventors)):
        for entry, name in rows:
            is_person = role == Role.INVENTOR or _key(entry.name) in inventor_keys
            out.append(
                Party(
                    pub_id=pub_id,
                    role=role,
                    sequence=entry.sequence,
                    name=name,
                    kind=PartyKind.PERSON if is_person else PartyKind.ORGANISATION,
                    country_raw=entry.country_raw,
                    country=normalise_country(entry.country_raw),
                )
            )
    return out
