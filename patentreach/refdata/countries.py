"""Country strings from patent data to ISO 3166 alpha-2.

Party countries arrive as codes ("US"), names ("KOREA, REPUBLIC OF", "SCOTLAND"), odd codes
("KRX"), US state codes in the country field ("NY"), and placeholders ("NULL", "omitted").
:func:`match_country` says which: a code, *empty* (the source gives no country) or *unrecognised*
(something we cannot map). Nothing is guessed: a string that no table row explains is unrecognised,
so that callers can count it rather than lose it. Hong Kong, Macao and Taiwan stay HK, MO and TW.

Historical codes (SU, DD, CS, YU, AN) are kept as themselves: they are WIPO ST.3 codes printed on
real documents, and mapping SU to RU or DD to DE would rewrite history (a 1985 Soviet applicant was
not Russian). Callers who want today's borders can map them with their own table.

Two-letter US state codes that are also ISO codes (CA, DE, IN, GA ...) keep their ISO meaning:
without the state column nothing tells California from Canada. The others (NY, TX, FL ...) are US.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from patentreach.refdata.loader import cached, load_table, on_reload, parse_date


class CountryStatus(StrEnum):
    RECOGNISED = "recognised"
    EMPTY = "empty"
    UNRECOGNISED = "unrecognised"


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """What a raw country string was taken to mean, and by which rule."""

    raw: str | None
    code: str | None
    status: CountryStatus
    rule: str  # code | alias | name | alpha3 | empty | none

    @property
    def is_unknown(self) -> bool:
        return self.status is CountryStatus.UNRECOGNISED


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    alpha3: str
    name: str
    status: str  # iso_3166 | historical
    valid_to: date | None
    source: str
    checked: str


_DROP = re.compile(r"[.'’`]")
_SPACE = re.compile(r"[^A-Z0-9]+")


def _key(text: str) -> str:
    """Upper-case ASCII words: 'Côte d’Ivoire' -> 'COTE DIVOIRE', 'P.R. China' -> 'PR CHINA'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    return _SPACE.sub(" ", _DROP.sub("", text)).strip()


@cached
def countries() -> dict[str, Country]:
    """Every country the table knows, by alpha-2 code (ISO 3166-1 plus historical codes)."""
    return {
        row["code"].upper(): Country(
            code=row["code"].upper(),
            alpha3=row.get("alpha3", "").upper(),
            name=row.get("name", ""),
            status=row.get("status", ""),
            valid_to=parse_date(row.get("valid_to", "")),
            source=row.get("source", ""),
            checked=row.get("checked", ""),
        )
        for row in load_table("countries")
    }


@cached
def _lookup() -> dict[str, tuple[str | None, str]]:
    """Normalised key -> (code or None for an empty marker, rule). Aliases win over names."""
    table: dict[str, tuple[str | None, str]] = {}
    for country in countries().values():
        if country.alpha3:
            table.setdefault(_key(country.alpha3), (country.code, "alpha3"))
        table[_key(country.name)] = (country.code, "name")
    for country in countries().values():
        table[country.code] = (country.code, "code")
    for row in load_table("country_aliases"):
        code = row.get("country", "").upper() or None
        if code is not None and code not in countries():
            raise ValueError(f"country_aliases: {row['alias']!r} maps to unknown code {code!r}")
        table[_key(row["alias"])] = (code, "empty" if code is None else "alias")
    return table


@lru_cache(maxsize=131072)
def match_country(raw: str | None) -> CountryMatch:
    """Classify one raw country value: recognised (with its code), empty, or unrecognised."""
    key = _key(raw) if raw else ""
    if not key:
        return CountryMatch(raw, None, CountryStatus.EMPTY, "empty")
    found = _lookup().get(key)
    if found is None:
        return CountryMatch(raw, None, CountryStatus.UNRECOGNISED, "none")
    code, rule = found
    if code is None:
        return CountryMatch(raw, None, CountryStatus.EMPTY, rule)
    return CountryMatch(raw, code, CountryStatus.RECOGNISED, rule)


def normalise_country(raw: str | None) -> str | None:
    """ISO 3166 alpha-2 (or a kept historical code) for a raw value; None if empty or unknown."""
    return match_country(raw).code


def is_unknown_country(raw: str | None) -> bool:
    """True when a non-empty value could not be mapped: such values must be counted, not dropped."""
    return match_country(raw).status is CountryStatus.UNRECOGNISED


def unknown_countries(values: Iterable[str | None]) -> Counter[str]:
    """How often each unrecognised raw value occurs, for an ingest report."""
    return Counter(value for value in values if value is not None and is_unknown_country(value))


def country_name(code: str) -> str | None:
    found = countries().get(code.strip().upper())
    return found.name if found is not None else None


# match_country memoises results that depend on the tables: drop them when the tables reload.
on_reload(match_country.cache_clear)
