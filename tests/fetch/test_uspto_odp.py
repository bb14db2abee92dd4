"""``fetch uspto-grants`` against the loopback ODP: the real listing shape, the real weekly samples
zipped as the weekly files, and every way a download goes wrong (dropped connection, 429, 404)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.fetch import run
from patentreach.fetch.periods import parse_dates
from patentreach.fetch.run import FetchRequest, fetch
from tests.fetch.loopback import Route, quick_policy, serve_odp, weekly_files

runner = CliRunner(env={"COLUMNS": "200", "USPTO_API_KEY": "test-key"})
LISTING = "/api/v1/datasets/products/PTGRXML"


@pytest.fixture
def fast(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(run, "Policy", lambda: quick_policy(waits))
    return waits


def test_two_weeks_download_complete_and_identical_with_a_manifest(loopback, weekly_zips, tmp_path, fast):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips))
    result = runner.invoke(app, ["fetch", "uspto-grants", "--weeks", "2005-01..2006-01", "-o", str(tmp_path),
                                 "--base-url", loopback.url])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "uspto-grants").iterdir()) == ["ipg050104.zip", "ipg060103.zip"]
    for name in ("ipg050104.zip", "ipg060103.zip"):
        assert (tmp_path / "uspto-grants" / name).read_bytes() == weekly_zips[name]
    listing_request = loopback.requests_to(LISTING)[0]
    assert listing_request.headers["X-API-KEY"] == "test-key"
    assert listing_request.query == {"fileDataFromDate": ["2005-01-03"], "fileDataToDate": ["2006-01-08"],
                                     "includeFiles": ["true"]}
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    entry = manifest["files"]["uspto-grants/ipg050104.zip"]
    assert entry["size"] == len(weekly_zips["ipg050104.zip"])
    assert entry["published"] == "2005-01-04"
    assert entry["url"] == f"{loopback.url}/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip"
    assert len(entry["sha256"]) == 64
    assert "2 fetched" in result.output


def test_a_dropped_connection_resumes_with_range_and_the_bytes_are_identical(loopback, weekly_zips, tmp_path):
    files = weekly_files(weekly_zips)[:1]
    serve_odp(loopback, "PTGRXML", files)
    path = "/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip"
    half = len(weekly_zips["ipg050104.zip"]) // 2
    loopback.routes[path].drop_after = half
    waits: list[float] = []
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-01..2005-01-31"),
                                base_url=loopback.url), policy=quick_policy(waits))
    assert report.complete, report.failed
    gets = loopback.requests_to(path)
    assert len(gets) == 2
    assert "Range" not in gets[0].headers
    assert gets[1].headers["Range"] == f"bytes={half}-"
    assert (tmp_path / "uspto-grants" / "ipg050104.zip").read_bytes() == weekly_zips["ipg050104.zip"]
    assert not (tmp_path / "uspto-grants" / "ipg050104.zip.part").exists()


def test_a_429_with_retry_after_is_waited_for_then_the_file_comes(loopback, weekly_zips, tmp_path):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    path = "/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip"
    loopback.routes[path].throttle = [(429, {"Retry-After": "1"})]
    waits: list[float] = []
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-04..2005-01-04"),
                                base_url=loopback.url), policy=quick_policy(waits))
    assert report.complete, report.failed
    assert waits == [1.0]
    assert len(loopback.requests_to(path)) == 2
    assert (tmp_path / "uspto-grants" / "ipg050104.zip").read_bytes() == weekly_zips["ipg050104.zip"]


def test_a_retry_after_beyond_the_wait_budget_fails_that_file_in_one_line(loopback, weekly_zips, tmp_path):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    path = "/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip"
    loopback.routes[path].throttle = [(503, {"Retry-After": "3600"})]
    policy = quick_policy([])
    policy.max_total_wait_seconds = 60
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-04..2005-01-04"),
                                base_url=loopback.url), policy=policy)
    assert [o.error for o in report.failed] == [
        f"{loopback.url}{path} (ipg050104.zip): the server asks to wait 3600 s, more than the 60 s left of "
        "this run's wait budget; try later"
    ]


def test_a_404_is_one_line_naming_url_and_file_and_the_other_weeks_still_come(loopback, weekly_zips, tmp_path, fast):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips), listed_only=("ipg060103.zip",))
    result = runner.invoke(app, ["fetch", "uspto-grants", "--dates", "2005-01-01..2007-12-31", "-o", str(tmp_path),
                                 "--base-url", loopback.url])
    assert result.exit_code == 1
    url = f"{loopback.url}/api/v1/datasets/products/files/PTGRXML/2006/ipg060103.zip"
    assert f"error: {url}: HTTP 404 Not Found (ipg060103.zip)" in result.output
    assert sorted(p.name for p in (tmp_path / "uspto-grants").iterdir()) == ["ipg050104.zip", "ipg070102.zip"]
    assert "Traceback" not in result.output


def test_files_already_complete_are_skipped_without_downloading_them_again(loopback, weekly_zips, tmp_path, fast):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips))
    arguments = ["fetch", "uspto-grants", "--dates", "2005-01-01..2006-12-31", "-o", str(tmp_path),
                 "--base-url", loopback.url]
    assert runner.invoke(app, arguments).exit_code == 0
    loopback.seen.clear()
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert [s.path for s in loopback.seen] == [LISTING]
    assert "2 skipped" in result.output


def test_since_last_fetches_only_weeks_newer_than_the_manifest(loopback, weekly_zips, tmp_path, fast):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips))
    first = runner.invoke(app, ["fetch", "uspto-grants", "--dates", "2005-01-01..2005-12-31", "-o", str(tmp_path),
                                "--base-url", loopback.url])
    assert first.exit_code == 0, first.output
    (tmp_path / "uspto-grants" / "ipg050104.zip").unlink()  # gone from disk: --since-last must not refetch it
    loopback.seen.clear()
    result = runner.invoke(app, ["fetch", "uspto-grants", "--since-last", "--dates", "2005-01-01..2007-12-31",
                                 "-o", str(tmp_path), "--base-url", loopback.url])
    assert result.exit_code == 0, result.output
    fetched = [s.path.rsplit("/", 1)[1] for s in loopback.seen if "/files/" in s.path]
    assert fetched == ["ipg060103.zip", "ipg070102.zip"]
    assert "--since-last: 1 of 3 listed files are not newer than 2005-01-04" in result.output


def test_since_last_without_an_earlier_fetch_or_period_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["fetch", "uspto-grants", "--since-last", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert f"--since-last: nothing of uspto-grants was fetched into {tmp_path.resolve()} yet" in result.output


def test_a_listing_name_that_climbs_out_of_the_folder_is_refused(loopback, tmp_path, fast):
    listing = {"count": 1, "bulkDataProductBag": [{"productIdentifier": "PTGRXML", "productFileBag": {
        "count": 1, "fileDataBag": [{"fileName": "../evil.zip", "fileSize": 3, "fileDataFromDate": "2021-01-05",
                                     "fileTypeText": "Data", "fileDownloadURI": f"{loopback.url}/x/evil.zip"}]}}]}
    loopback.routes[LISTING] = Route(json.dumps(listing).encode())
    result = runner.invoke(app, ["fetch", "uspto-grants", "--weeks", "2021-01", "-o", str(tmp_path / "dl"),
                                 "--base-url", loopback.url])
    assert result.exit_code == 1
    assert f"{loopback.url}/x/evil.zip: refused the file name '../evil.zip' from the listing" in result.output
    assert not (tmp_path / "evil.zip").exists()
    assert loopback.requests_to("/x/evil.zip") == []


def test_the_redirect_to_the_download_host_does_not_carry_the_api_key(loopback, weekly_zips, tmp_path, monkeypatch):
    monkeypatch.setenv("USPTO_API_KEY", "test-key")
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    api_path = "/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip"
    loopback.routes["/cdn/ipg050104.zip"] = loopback.routes[api_path]
    loopback.routes[api_path] = Route(redirect_to=f"{loopback.other_host_url}/cdn/ipg050104.zip?Signature=abc")
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-04..2005-01-04"),
                                base_url=loopback.url), policy=quick_policy([]))
    assert report.complete, report.failed
    assert loopback.requests_to(api_path)[0].headers["X-API-KEY"] == "test-key"
    assert "X-API-KEY" not in loopback.requests_to("/cdn/ipg050104.zip")[0].headers


def test_the_listing_host_comes_from_the_environment_variable(loopback, weekly_zips, tmp_path, monkeypatch, fast):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    monkeypatch.setenv("PATENTREACH_FETCH_USPTO_URL", loopback.url)
    result = runner.invoke(app, ["fetch", "uspto-grants", "--weeks", "2005-01", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "uspto-grants" / "ipg050104.zip").read_bytes() == weekly_zips["ipg050104.zip"]


def test_nothing_reaches_a_non_loopback_address(tmp_path, no_network, fast):
    result = runner.invoke(app, ["fetch", "uspto-grants", "--weeks", "2021-01", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "api.uspto.gov" in no_network
    assert set(no_network) == {"api.uspto.gov"}
    assert "error: https://api.uspto.gov/api/v1/datasets/products/PTGRXML: PTGRXML listing: ConnectError" \
        in result.output


def test_a_file_larger_than_the_size_limit_is_refused_before_it_is_written(loopback, weekly_zips, tmp_path):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    size = len(weekly_zips["ipg050104.zip"])
    policy = quick_policy([])
    policy.max_file_bytes = 1000
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-04..2005-01-04"),
                                base_url=loopback.url), policy=policy)
    url = f"{loopback.url}/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip"
    assert [o.error for o in report.failed] == [
        f"{url} (ipg050104.zip): {size} bytes is larger than 1000 bytes, the max_decompressed_gb limit "
        "(lift it with PATENTREACH_LIMITS=max_decompressed_gb=N)"
    ]
    assert not (tmp_path / "uspto-grants" / "ipg050104.zip").exists()


def test_a_listing_without_the_documented_shape_names_the_url(loopback, tmp_path, fast):
    loopback.routes[LISTING] = Route(b'{"count": 0}')
    result = runner.invoke(app, ["fetch", "uspto-grants", "--weeks", "2021-01", "-o", str(tmp_path),
                                 "--base-url", loopback.url])
    assert result.exit_code == 1
    assert (f"error: {loopback.url}{LISTING}: the listing has no bulkDataProductBag/productFileBag.fileDataBag "
            "for PTGRXML") in result.output


def test_an_empty_period_says_so(loopback, weekly_zips, tmp_path, fast):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips))
    result = runner.invoke(app, ["fetch", "uspto-grants", "--weeks", "2021-01", "-o", str(tmp_path),
                                 "--base-url", loopback.url])
    assert result.exit_code == 0
    assert "note: uspto-grants: no files listed for 2021-01-04..2021-01-10; nothing to fetch" in result.output


def test_a_part_file_left_by_an_earlier_run_is_resumed_not_restarted(loopback, weekly_zips, tmp_path):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    content = weekly_zips["ipg050104.zip"]
    (tmp_path / "uspto-grants").mkdir()
    (tmp_path / "uspto-grants" / "ipg050104.zip.part").write_bytes(content[:1000])
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-04..2005-01-04"),
                                base_url=loopback.url), policy=quick_policy([]))
    assert [(o.status, o.resumed_from) for o in report.outcomes] == [("fetched", 1000)]
    gets = loopback.requests_to("/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip")
    assert [g.headers.get("Range") for g in gets] == ["bytes=1000-"]
    assert (tmp_path / "uspto-grants" / "ipg050104.zip").read_bytes() == content


def test_a_throttled_listing_is_retried_after_its_retry_after(loopback, weekly_zips, tmp_path):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    loopback.routes[LISTING].throttle = [(429, {"Retry-After": "1"})]
    waits: list[float] = []
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-04..2005-01-04"),
                                base_url=loopback.url), policy=quick_policy(waits))
    assert report.complete, report.failed
    assert waits == [1.0]
    assert len(loopback.requests_to(LISTING)) == 2


def test_the_old_to_spelling_of_the_folder_still_works(loopback, weekly_zips, tmp_path, fast):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    result = runner.invoke(app, ["fetch", "uspto-grants", "--weeks", "2005-01", "--to", str(tmp_path / "dl"),
                                 "-w", str(tmp_path / "wh"), "--base-url", loopback.url])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dl" / "uspto-grants" / "ipg050104.zip").exists()
    assert "note: --warehouse is used only with --ingest; nothing was ingested" in result.output
    assert not (tmp_path / "wh").exists()


def test_without_an_api_key_the_refusal_comes_with_the_reason(loopback, tmp_path, fast):
    loopback.routes[LISTING] = Route(b'{"error": "Forbidden"}', status=403)
    result = CliRunner(env={"COLUMNS": "200", "USPTO_API_KEY": ""}).invoke(
        app, ["fetch", "uspto-grants", "--weeks", "2021-01", "-o", str(tmp_path), "--base-url", loopback.url])
    assert result.exit_code == 1
    assert "note: USPTO_API_KEY is not set: the USPTO Open Data Portal refuses requests without an API key" \
        in result.output
    query = "fileDataFromDate=2021-01-04&fileDataToDate=2021-01-10&includeFiles=true"
    assert (f"error: {loopback.url}{LISTING}?{query}: PTGRXML listing: HTTP 403 (forbidden: API key missing or not "
            "allowed)") in result.output
    assert "X-API-KEY" not in loopback.requests_to(LISTING)[0].headers


def test_a_redirect_loop_is_one_line_not_a_saved_redirect_page(loopback, weekly_zips, tmp_path):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    path = "/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip"
    loopback.routes[path] = Route(redirect_to=f"{loopback.url}{path}")
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-04..2005-01-04"),
                                base_url=loopback.url), policy=quick_policy([]))
    assert [o.error for o in report.failed] == [f"{loopback.url}{path} (ipg050104.zip): more than 5 redirects"]
    assert not (tmp_path / "uspto-grants" / "ipg050104.zip").exists()


def test_a_server_that_ignores_range_sends_it_all_and_the_part_is_rewritten(loopback, weekly_zips, tmp_path):
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips)[:1])
    path = "/api/v1/datasets/products/files/PTGRXML/2005/ipg050104.zip"
    loopback.routes[path].ignore_range = True
    content = weekly_zips["ipg050104.zip"]
    (tmp_path / "uspto-grants").mkdir()
    (tmp_path / "uspto-grants" / "ipg050104.zip.part").write_bytes(b"stale bytes")
    report = fetch(FetchRequest("uspto-grants", tmp_path, parse_dates("2005-01-04..2005-01-04"),
                                base_url=loopback.url), policy=quick_policy([]))
    assert report.complete, report.failed
    assert loopback.requests_to(path)[0].headers["Range"] == "bytes=11-"
    assert (tmp_path / "uspto-grants" / "ipg050104.zip").read_bytes() == content
