"""The loopback HTTP server replaying the feeds' real URL layouts (the guard that keeps every test
on the loopback is the ``no_network`` fixture in conftest.py).

The server (``http.server.ThreadingHTTPServer`` on 127.0.0.1, port 0) serves files with ``Range``
support and can misbehave on purpose: drop the connection halfway through a body, answer 429 with
``Retry-After``, redirect to another host name (``localhost``, the CDN stand-in). Every request is
recorded (method, path, query, headers) so the tests assert what the client sent.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    drop_after: int | None = None
    """Send the full Content-Length, write only this many bytes, close: a dropped connection (once)."""
    throttle: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """Answers given first, one per request: (status, headers), e.g. (429, {"Retry-After": "1"})."""
    redirect_to: str | None = None
    ignore_range: bool = False
    """Answer 200 with the whole body even when a Range is asked (servers without range support)."""
    handler: object = None
    """A callable(request_record) -> (status, headers, body) for dynamic answers (OPS)."""


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class Loopback:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.handle_error = self._report_errors_but_client_hangups
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _report_errors_but_client_hangups(self, request, client_address) -> None:
        """A client that stops reading (a refused oversize file) is expected here, not an error."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            ThreadingHTTPServer.handle_error(self.server, request, client_address)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def other_host_url(self) -> str:
        """The same server under another host name: a different origin for redirects."""
        return f"http://localhost:{self.server.server_port}"

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                self.do_GET()

            def do_GET(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                record = Seen(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
                server.seen.append(record)
                route = server.routes.get(parts.path)
                if route is None:
                    return self._send(404, {"Content-Type": "text/plain"}, b"not found")
                if route.throttle:
                    status, headers = route.throttle.pop(0)
                    return self._send(status, headers, b"")
                if route.redirect_to:
                    return self._send(302, {"Location": route.redirect_to}, b"")
                if route.handler is not None:
                    return self._send(*route.handler(record))
                self._send_body(route)

            def _send(self, status, headers, body):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _send_body(self, route: Route):
                body, start = route.body, 0
                wanted = None if route.ignore_range else self.headers.get("Range")
                if wanted:
                    start = int(wanted.removeprefix("bytes=").split("-")[0])
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body) - start))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                if route.drop_after is not None and not wanted:
                    self.wfile.write(body[: route.drop_after])
                    self.wfile.flush()
                    route.drop_after = None
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(body[start:])

        return Handler


def odp_listing(server: Loopback, product: str, files: list[tuple[str, str, bytes | int]]) -> dict:
    """A listing in the real ODP shape (``GET /api/v1/datasets/products/{product}``): the product bag
    and file fields as published in the ODP API description and recorded in public ODP clients'
    test data (e.g. ipg250923.zip, fileSize 169944690, fileDownloadURI .../files/PTGRXML/2025/...).
    Only the values are ours: names, sizes and dates of the samples, URLs on the loopback."""
    bag = []
    for name, day, content in files:
        size = content if isinstance(content, int) else len(content)
        bag.append({
            "fileName": name, "fileSize": size, "fileDataFromDate": day, "fileDataToDate": day,
            "fileTypeText": "Data",
            "fileDownloadURI": f"{server.url}/api/v1/datasets/products/files/{product}/{day[:4]}/{name}",
            "fileReleaseDate": f"{day} 00:57:53", "fileLastModifiedDateTime": f"{day} 00:57:53",
        })
    return {"count": 1, "bulkDataProductBag": [{
        "productIdentifier": product, "productTitleText": "Patent Grant Full-Text Data (No Images) - XML",
        "productFrequencyText": "WEEKLY", "productFileTotalQuantity": len(bag),
        "mimeTypeIdentifierArrayText": ["ASCII", "XML"], "productFileBag": {"count": len(bag), "fileDataBag": bag},
    }]}


def serve_odp(server: Loopback, product: str, files: list[tuple[str, str, bytes]],
              listed_only: tuple[str, ...] = ()) -> None:
    """The listing and the files (except ``listed_only``: listed, not served -> 404)."""
    import json

    listing = odp_listing(server, product, files)
    server.routes[f"/api/v1/datasets/products/{product}"] = Route(
        json.dumps(listing).encode(), headers={"Content-Type": "application/json"}
    )
    for name, day, content in files:
        if name not in listed_only:
            server.routes[f"/api/v1/datasets/products/files/{product}/{day[:4]}/{name}"] = Route(
                content, headers={"Content-Type": "application/zip"}
            )


def weekly_files(weekly_zips: dict[str, bytes]) -> list[tuple[str, str, bytes]]:
    days = {"ipg050104.zip": "2005-01-04", "ipg060103.zip": "2006-01-03", "ipg070102.zip": "2007-01-02"}
    return [(name, days[name], content) for name, content in weekly_zips.items()]


def read(path: Path) -> bytes:
    return path.read_bytes()


def quick_policy(waits: list[float]):
    """Real retries with a tiny backoff; every wait is recorded (and really slept: they are short)."""
    import time

    from patentreach.fetch.policy import Policy

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(min(seconds, 1.0))

    return Policy(backoff_seconds=0.01, sleep=sleep, connect_timeout=2, read_timeout=5)
