"""The upload checks of the protection-gap routes, on their own (no warehouse needed)."""

from __future__ import annotations

import pytest

from patentreach.web.service_protect import ReportStore, Upload, form_too_large


def test_a_declared_body_beyond_two_files_at_the_limit_is_refused_unread() -> None:
    assert form_too_large(str(2 * 1000 + 64 * 1024 + 1), 1000)
    assert not form_too_large(str(2 * 1000 + 64 * 1024), 1000)
    assert not form_too_large(None, 1000) and not form_too_large("lots", 1000)


@pytest.mark.parametrize(("filename", "safe"), [
    ("../../etc/passwd.csv", "passwd.csv"), ("C:\\Users\\me\\出口 市场.csv", "出口_市场.csv"),
    ("..hidden.xlsx", "hidden.xlsx"), ("", "exports.csv"),
])
def test_an_upload_is_written_under_its_base_name_only(filename, safe) -> None:
    assert Upload("exports", filename, b"").safe_name == safe


def test_kept_reports_belong_to_their_user_and_age_out() -> None:
    store = ReportStore(entries=2, ttl_seconds=60)
    first = store.put("alice", "report-1")  # type: ignore[arg-type]
    assert store.get("alice", first) == "report-1" and store.get("bob", first) is None
    store.put("alice", "report-2")  # type: ignore[arg-type]
    store.put("alice", "report-3")  # type: ignore[arg-type]
    assert store.get("alice", first) is None  # bounded: the oldest made room
    assert len(first) >= 32
