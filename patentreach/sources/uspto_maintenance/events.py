"""One line of USPTO's Patent Maintenance Fee Events file (``MaintFeeEvents_YYYYMMDD.txt``,
bulk product PTMNFEE2) as a ``LegalEvent``.

USPTO's file description lists seven fields per line, separated by one space:

1. patent number (7 characters in the original description, a reissue with ``RE`` in front;
   8-digit patents since 2018 are wider, which is why the fields are split on spaces rather than
   cut at fixed columns);
2. application number: 2-digit series code + 6-digit serial number (``13167395``);
3. small-entity flag: ``Y`` small, ``M`` micro, ``N`` large (``?``/``_`` when not available);
4. application filing date, ``YYYYMMDD``;
5. grant issue date, ``YYYYMMDD``;
6. maintenance-fee event entry date, ``YYYYMMDD``;
7. event code (``M2551`` 4th-year fee paid by a small entity, ``EXP.`` expired for non-payment,
   ``EXPX`` reinstated, ``REM.`` reminder mailed ...; the meanings are in
   ``refdata/inpadoc_event_codes.csv`` with authority US).

The event belongs to the application (office ``US``, the 8-digit number, the same number the
USPTO readers store); its date is the entry date; payment codes ``M?551/552/553`` carry the fee
year 4/8/12. The id ``maintfee:<patent>:<entry date>:<code>`` is the same in every weekly
cumulative file, so a re-ingest of a newer file adds only new events once duplicates are dropped.
"""

from __future__ import annotations

import re
from datetime import date

from patentreach.model.legal_events import LegalEvent
from patentreach.sources.dates import BadDate, parse_yyyymmdd

SOURCE_FORMAT = "uspto-maintenance-fee-events"
FIELDS = ("patent number", "application number", "small-entity flag", "filing date", "grant date",
          "event entry date", "event code")
_PATENT = re.compile(r"^(RE|PP|D|H|T)?\d{5,8}$")
_APPLICATION = re.compile(r"^\d{8}$")
_ENTITY = {"Y": "small", "M": "micro", "N": "large", "?": "not available", "_": "not available"}
_CODE = re.compile(r"^[A-Z0-9.]{2,5}$")
_FEE_YEAR = {"1": 4, "2": 8, "3": 12}
_PAYMENT = re.compile(r"^M[123]55([123])$")
LINE = re.compile(rb"^\S{5,13} \d{8} [YMN?_] \d{8} \d{8} \d{8} [A-Z0-9.]{2,5}\s*$")


class LineError(ValueError):
    """A line that is not a maintenance-fee event: every problem, named by field."""


def _date(raw: str, name: str, problems: list[str]) -> date | None:
    try:
        return parse_yyyymmdd(raw)
    except BadDate as exc:
        problems.append(f"{name} {raw!r}: {exc}")
        return None


def event_of_line(line: str, source_file: str, index: int, reader_version: str) -> LegalEvent:
    """The event of one line; ``LineError`` names every bad field."""
    tokens = line.split()
    if len(tokens) != len(FIELDS):
        raise LineError(f"{len(tokens)} fields, expected {len(FIELDS)} ({', '.join(FIELDS)})")
    patent, application, entity, filed, granted, entered, code = tokens
    problems = []
    if not _PATENT.match(patent):
        problems.append(f"patent number {patent!r}: not a US patent number")
    if not _APPLICATION.match(application):
        problems.append(f"application number {application!r}: not 8 digits")
    if entity not in _ENTITY:
        problems.append(f"small-entity flag {entity!r}: not Y, M, N, ? or _")
    if not _CODE.match(code):
        problems.append(f"event code {code!r}: not a maintenance-fee event code")
    filing_date = _date(filed, "filing date", problems)
    grant_date = _date(granted, "grant date", problems)
    entry_date = _date(entered, "event entry date", problems)
    if problems:
        raise LineError("; ".join(problems))
    payment = _PAYMENT.match(code)
    return LegalEvent(
        event_id=f"maintfee:{patent}:{entered}:{code}",
        office="US",
        application_number=application,
        family_id=None,
        sequence=index,
        event_authority="US",
        event_code=code,
        event_filing_date=filing_date,
        event_publication_date=entry_date,
        effective_date=entry_date,
        text=f"patent {patent}; granted {grant_date.isoformat() if grant_date else ''}; entity {_ENTITY[entity]}",
        fee_payment_date=entry_date if payment else None,
        fee_renewal_year=_FEE_YEAR[payment.group(1)] if payment else None,
        source_format=SOURCE_FORMAT,
        source_file=source_file,
        record_index=index,
        reader_version=reader_version,
    )
