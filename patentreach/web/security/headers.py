"""Security headers on every response (pages, API, static files, refusals).

The content security policy allows this site only: scripts are files under ``/static`` (no
inline script), styles are files too, but ``style`` attributes are allowed (``style-src-attr``)
because inline SVG charts carry them; images may be ``data:`` URIs (charts). ``/api/docs``
(FastAPI's Swagger UI) loads its script and style from jsDelivr and starts with an inline
script: that one page gets a policy allowing exactly that. HSTS only behind TLS
(``https_only_cookies``): over plain HTTP it would be ignored, or lock a test host out.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
API_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
API_DOCS_PATHS = ("/api/docs", "/docs/oauth2-redirect")
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                          "accelerometer=(), gyroscope=(), magnetometer=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def headers_for(path: str, https_only: bool) -> dict[str, str]:
    """The headers every response to ``path`` carries."""
    values = dict(COMMON_HEADERS)
    values["Content-Security-Policy"] = API_DOCS_POLICY if path in API_DOCS_PATHS else CONTENT_SECURITY_POLICY
    if https_only:
        values["Strict-Transport-Security"] = HSTS
    return values


class SecurityHeaders:
    """Adds ``headers_for`` to every HTTP response (without replacing one a route set itself)."""

    def __init__(self, app: ASGIApp, https_only: bool) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = headers_for(scope["path"], self.https_only)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
