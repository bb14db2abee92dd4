"""The next-working-day extension (PCT Rule 80.5): computed where the office's holidays are known,
flagged where they are not."""

from __future__ import annotations

from datetime import date

from patentreach.protect.working_days import holidays_known, next_working_day


def test_a_saturday_deadline_at_the_uspto_expires_on_monday():
    day = next_working_day("US", date(2026, 2, 28))
    assert (day.deadline, day.expires, day.known, day.extended) == (date(2026, 2, 28), date(2026, 3, 2), True, True)
    assert "weekend" in day.basis


def test_a_us_federal_holiday_moves_the_deadline():
    # 3 July 2026 is the observed Independence Day (4 July is a Saturday)
    assert next_working_day("US", date(2026, 7, 3)).expires == date(2026, 7, 6)


def test_china_works_on_a_swapped_saturday():
    # Saturday 28 February 2026 is a working day in China (moved for the Spring Festival)
    assert next_working_day("CN", date(2026, 2, 28)).expires == date(2026, 2, 28)


def test_saudi_weekend_is_friday_and_saturday():
    assert next_working_day("SA", date(2026, 7, 31)).expires == date(2026, 8, 2)


def test_regional_offices_are_flagged_not_guessed():
    for office in ("EP", "EA", "AP", "OA", "WO"):
        day = next_working_day(office, date(2026, 8, 29))
        assert (day.expires, day.known) == (None, False)
        assert "not known" in day.basis
        assert not holidays_known(office)
