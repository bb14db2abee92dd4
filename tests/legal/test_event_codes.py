"""The event-code table: every code of the real samples has a meaning; an unknown code is 'other'
and said out loud in the statuses that depend on it."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from patentreach.legal.fold import Application, status_of
from patentreach.legal.status_model import MEANINGS
from patentreach.model.legal_events import LegalEvent
from patentreach.refdata.inpadoc_event_codes import event_meanings, meaning_of
from tests.conftest import shared_path


def _tls231_codes() -> set[tuple[str, str]]:
    codes = set()
    for part in ("tls231_inpadoc_legal_event_part01.zip", "tls231_inpadoc_legal_event_part02.zip"):
        with zipfile.ZipFile(shared_path("data", "patstat-layout", part)) as archive:
            for name in archive.namelist():
                for row in csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")):
                    codes.add((row["event_auth"], row["event_code"]))
    return codes


def test_every_row_has_a_known_meaning_and_both_labels() -> None:
    rows = event_meanings()
    assert len(rows) == 109
    assert all(r.meaning in MEANINGS and r.label_en and r.label_zh and r.verified in ("yes", "NOT VERIFIED")
               for r in rows)


def test_every_code_of_the_tls231_sample_and_of_the_ops_responses_is_known(ops_legal) -> None:
    seen = _tls231_codes() | {(e.event_authority, e.event_code) for events, _ in ops_legal.values() for e in events}
    unknown = sorted(f"{a} {c}" for a, c in seen if not meaning_of(a, c).known)
    assert unknown == []
    assert len(seen) == 49


def test_text_dependent_codes_take_their_meaning_from_the_text() -> None:
    assert meaning_of("EP", "PG25", "LAPSE BECAUSE OF NON-PAYMENT OF DUE FEES").meaning == "lapsed_non_payment"
    assert meaning_of("EP", "PG25", "LAPSE BECAUSE OF FAILURE TO SUBMIT A TRANSLATION").meaning == "lapsed_other"
    assert meaning_of("EP", "STAA", "STATUS: THE PATENT HAS BEEN GRANTED").meaning == "granted"
    assert meaning_of("EP", "STAA", "STATUS: EXAMINATION IS IN PROGRESS").meaning == "other"
    assert meaning_of("US", "STCF", "PATENTED CASE").meaning == "granted"


def test_an_unknown_code_is_other_and_the_status_says_so() -> None:
    assert (meaning_of("XX", "ZZ9").meaning, meaning_of("XX", "ZZ9").known) == ("other", False)
    events = [
        LegalEvent("e1", "FR", "123", None, 1, "FR", "GRANT-FR", event_publication_date=date(2015, 1, 1)),
        LegalEvent("e2", "FR", "123", None, 2, "FR", "ZZ9", event_publication_date=date(2016, 1, 1)),
    ]
    [row] = status_of(Application("FR", "123", date(2010, 1, 1)), events, date(2020, 1, 1))
    assert row.status == "pending"
    assert row.reason == ("pending: no grant event; 2 event(s) with codes not in the event-code table, read as "
                          "'other': FR GRANT-FR, FR ZZ9")
