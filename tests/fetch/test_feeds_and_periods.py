"""The feed reference data, the period options and the small rules under the downloads."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from patentreach.fetch.feeds import UnknownFeed, all_feeds, feed
from patentreach.fetch.periods import Period, PeriodError, choose, parse_dates, parse_weeks
from patentreach.fetch.policy import retry_after_seconds
from patentreach.fetch.remote import UnsafeName, safe_name


def test_every_feed_row_says_where_it_comes_from_when_it_was_checked_and_how_far_it_is_verified():
    feeds = all_feeds()
    assert set(feeds) == {"uspto-grants", "uspto-applications", "uspto-assignments", "patentsview",
                          "ep-publications", "ops", "uspto-grants-bulkdata", "uspto-applications-bulkdata",
                          "uspto-assignments-bulkdata"}
    for row in feeds.values():
        assert row.source and row.checked == "2026-12-06"
        assert row.verified in {"yes", "partly", "NOT VERIFIED"}
    assert {name: f.product for name, f in feeds.items() if f.layout == "odp"} == {
        "uspto-grants": "PTGRXML", "uspto-applications": "APPXML", "uspto-assignments": "PASDL"}
    assert feed("uspto-grants").listing_url() == "https://api.uspto.gov/api/v1/datasets/products/PTGRXML"
    assert feed("ep-publications").listing_url() == \
        "https://publication-bdds.apps.epo.org/bdds/bdds-bff-service/prod/api/products/32"


def test_an_unknown_feed_lists_the_known_ones():
    with pytest.raises(UnknownFeed, match=r"unknown feed 'uspto'.*uspto-grants"):
        feed("uspto")


def test_the_base_url_is_the_option_then_the_environment_then_the_csv(monkeypatch):
    grants = feed("uspto-grants")
    monkeypatch.setenv("PATENTREACH_FETCH_USPTO_URL", "http://127.0.0.1:9/")
    assert grants.base_url() == "http://127.0.0.1:9"
    assert grants.base_url("http://mirror.example") == "http://mirror.example"
    monkeypatch.delenv("PATENTREACH_FETCH_USPTO_URL")
    assert grants.base_url() == "https://api.uspto.gov"


def test_weeks_are_iso_weeks_from_monday_to_sunday():
    assert parse_weeks("2021-01..2021-52") == Period(date(2021, 1, 4), date(2022, 1, 2))
    assert parse_weeks("2020-53") == Period(date(2020, 12, 28), date(2021, 1, 3))
    assert parse_dates("2021-01-01..2021-03-31") == Period(date(2021, 1, 1), date(2021, 3, 31))


@pytest.mark.parametrize(("weeks", "dates", "message"), [
    ("2021-54", None, "--weeks: 2021 has no ISO week 54"),
    ("2021-xx", None, "--weeks: '2021-xx' is not a week; write YYYY-WW, e.g. 2021-01..2021-52"),
    (None, "2021-03-01..2021-01-01", "--dates 2021-03-01..2021-01-01: the end 2021-01-01 is before the start"),
    (None, "2021-02-30", "--dates '2021-02-30': write YYYY-MM-DD..YYYY-MM-DD"),
    ("2021-01", "2021-01-01", "give --weeks or --dates, not both"),
    (None, None, "give --weeks YYYY-WW..YYYY-WW or --dates YYYY-MM-DD..YYYY-MM-DD"),
])
def test_a_bad_period_says_what_to_write(weeks, dates, message):
    with pytest.raises(PeriodError) as error:
        choose(weeks, dates)
    assert str(error.value).startswith(message)


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 12, 6, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("3", now) == 3.0
    assert retry_after_seconds("Sun, 06 Dec 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


@pytest.mark.parametrize("name", ["../x.zip", "..", ".hidden", "a/b.zip", "a\\b.zip", "", "x" * 300])
def test_names_from_a_listing_that_are_not_plain_file_names_are_refused(name):
    with pytest.raises(UnsafeName, match="refused the file name"):
        safe_name(name, "http://127.0.0.1/listing")


def test_fetch_help_imports_no_http_client():
    code = ("import sys; from typer.testing import CliRunner; from patentreach.cli.main import app; "
            "CliRunner().invoke(app, ['fetch', 'uspto-grants', '--help']); "
            "print(sorted(m for m in ('httpx', 'epo_ops', 'requests') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
