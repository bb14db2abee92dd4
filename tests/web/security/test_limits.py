"""Headers on every answer, the per-address rate limit, the body cap, and ``read_upload``."""

from __future__ import annotations

import io
import zipfile
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, File, Request, UploadFile
from fastapi.testclient import TestClient

from patentreach.web.security import read_upload, require_csrf, require_role, upload_limit
from patentreach.web.security.headers import CONTENT_SECURITY_POLICY
from patentreach.web.security.users import add_user
from tests.web.security.conftest import TOKEN

EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


def test_the_policy_allows_this_site_only() -> None:
    assert CONTENT_SECURITY_POLICY.startswith("default-src 'self'; script-src 'self'; style-src 'self'; ")
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.replace("style-src-attr 'unsafe-inline'", "")


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/outbound?origin=JP&offices=US", "/static/style.css",
                                  "/no-such-page", "/openapi.json"])
def test_security_headers_on_pages_api_and_static(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == (404 if path == "/no-such-page" else 200)
    assert {name: answer.headers.get(name) for name in EXPECTED_HEADERS} == EXPECTED_HEADERS
    assert answer.headers["permissions-policy"].startswith("camera=(), microphone=(), geolocation=()")
    assert "strict-transport-security" not in answer.headers


def test_hsts_only_behind_tls_and_the_api_docs_policy(make_app) -> None:
    secure = TestClient(make_app(https_only_cookies=True), base_url="https://testserver")
    assert secure.get("/login").headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    docs = secure.get("/api/docs").headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net" in docs


def test_the_rate_limit_answers_429_with_retry_after(make_app) -> None:
    limited = TestClient(make_app(rate_limit_per_minute=3), cookies={"lang": "en"})
    assert [limited.get("/login").status_code for _ in range(3)] == [200, 200, 200]
    page = limited.get("/login")
    assert page.status_code == 429
    assert 58 <= int(page.headers["retry-after"]) <= 60
    assert f'<p class="message">too many requests: wait {page.headers["retry-after"]} seconds and try again</p>' \
        in page.text
    assert page.headers["x-frame-options"] == "DENY"  # refusals carry the headers too
    api = limited.get("/api/v1/outbound")
    assert (api.status_code, api.json()) == (429, {
        "error": f"too many requests: wait {api.headers['retry-after']} seconds and try again", "status": 429})
    other_address = TestClient(limited.app, client=("192.0.2.7", 50000))
    assert other_address.get("/login").status_code == 200  # per client address


@pytest.fixture
def upload_app(make_app) -> FastAPI:
    app = make_app(max_upload_bytes=10_000)

    @app.post("/api/v1/probe-upload")
    def probe(request: Request, file: UploadFile) -> dict:
        checked = read_upload(file, max_bytes=upload_limit(request))
        return {"name": checked.name, "suffix": checked.suffix, "size": len(checked.data), "encoding": checked.encoding,
                "text": checked.text()[:10] if checked.encoding else None}

    return app


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["publication", "office"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_without_content_types() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "status", "answer"), [
    ("组合.csv", "公开号,局\nUS1,US\n".encode(), 200,
     {"suffix": ".csv", "encoding": "utf-8-sig", "text": "公开号,局\nUS1,"}),
    ("../../etc/portfolio.CSV", "公开号,局\n".encode("gbk"), 200,
     {"name": "portfolio.CSV", "suffix": ".csv", "encoding": "gbk", "text": "公开号,局\n"}),
    ("book.xlsx", None, 200, {"suffix": ".xlsx", "encoding": None}),
    ("big.csv", b"a," * 6000, 413, {"error": "the file is larger than the limit of 10000 bytes", "status": 413}),
    ("tool.exe", b"MZ", 415, {"error": "tool.exe: only .csv, .xlsx files are accepted", "status": 415}),
    ("nul.csv", b"a,b\x00c\n", 415, {"error": "nul.csv is not a CSV text file (UTF-8 or GBK)", "status": 415}),
    ("fake.xlsx", b"PK not really", 415, {"error": "fake.xlsx is not an Excel workbook (.xlsx)", "status": 415}),
    ("zip.xlsx", "zip", 415, {"error": "zip.xlsx is not an Excel workbook (.xlsx)", "status": 415}),
])
def test_read_upload(upload_app: FastAPI, name: str, content, status: int, answer: dict) -> None:
    data = _xlsx() if content is None else _zip_without_content_types() if content == "zip" else content
    response = TestClient(upload_app).post("/api/v1/probe-upload", files={"file": (name, data)})
    assert response.status_code == status, response.text
    assert {key: response.json().get(key) for key in answer} == answer


def test_a_body_over_the_cap_is_refused_before_it_is_read(upload_app: FastAPI) -> None:
    client = TestClient(upload_app, cookies={"lang": "zh"})
    limit = 10_000 + 64 * 1024
    declared = client.post("/login", content=b"x" * (limit + 1),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert declared.status_code == 413
    assert f'<p class="message">请求超过 {limit} 字节的上限</p>' in declared.text

    def chunks():  # no Content-Length: counted while it streams
        for _ in range(20):
            yield b"y" * 4096

    streamed = client.post("/api/v1/probe-upload", content=chunks(),
                           headers={"content-type": "multipart/form-data; boundary=b"})
    assert (streamed.status_code, streamed.json()) == (413, {
        "error": f"the request is larger than the limit of {limit} bytes", "status": 413})


def test_a_page_upload_form_with_its_token(make_app) -> None:
    """The pattern for upload pages (protection gaps): ``Depends(require_csrf)`` reads the token
    from the multipart form FastAPI has already parsed; ``read_upload`` checks the file."""
    app = make_app(max_upload_bytes=10_000)
    add_user(app.state.config.state_dir, "alice", "correct horse battery", "analyst")

    @app.post("/probe-upload-page", dependencies=[Depends(require_csrf)])
    def probe(request: Request, user: Annotated[dict, Depends(require_role("analyst"))],
              portfolio: Annotated[UploadFile, File()]) -> dict:
        checked = read_upload(portfolio, max_bytes=upload_limit(request))
        return {"user": user["name"], "rows": checked.text().count("\n")}

    client = TestClient(app)
    token = TOKEN.search(client.get("/login").text).group(1)
    client.post("/login", data={"username": "alice", "password": "correct horse battery", "csrf_token": token})
    token = TOKEN.search(client.get("/login").text).group(1)
    files = {"portfolio": ("p.csv", b"publication\nUS1\nUS2\n")}
    answer = client.post("/probe-upload-page", files=files, data={"csrf_token": token})
    assert answer.json() == {"user": "alice", "rows": 3}
    assert client.post("/probe-upload-page", files=files, data={"csrf_token": "forged"}).status_code == 403
