"""Uploads: a cap on every request body, and ``read_upload`` for the files a route accepts.

``BodyLimit`` refuses (413) a POST/PUT/PATCH whose ``Content-Length`` is over the limit before
anything is read, and stops a body sent without a length (chunked) at the limit.
``read_upload`` reads one ``UploadFile`` in chunks, stopping at ``max_bytes`` (413), and accepts
it only when its name's extension is allowed and its content is what the extension says (415):
an ``.xlsx`` is a zip holding ``[Content_Types].xml`` (and unpacking to a bounded size), a
``.csv`` is UTF-8 (a BOM allowed) or GBK text without NUL bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from fastapi import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patentreach.web.security.refusals import N_, Refusal, send_refusal

CHUNK = 64 * 1024
FORM_OVERHEAD = 64 * 1024
"""What a multipart form adds to its file (boundaries, headers, other fields)."""
XLSX_EXPANSION = 100
"""An .xlsx may unpack to at most this many times the upload limit (a zip bomb is refused)."""
TOO_LARGE = N_("the file is larger than the limit of %(limit)s bytes")
BODY_TOO_LARGE = N_("the request is larger than the limit of %(limit)s bytes")
BAD_LENGTH = N_("the request's Content-Length is not a number")
WRONG_KIND = N_("%(name)s: only %(allowed)s files are accepted")
NOT_XLSX = N_("%(name)s is not an Excel workbook (.xlsx)")
NOT_CSV = N_("%(name)s is not a CSV text file (UTF-8 or GBK)")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: its base name, lower-case extension, bytes, and (a csv) encoding."""

    name: str
    suffix: str
    data: bytes
    encoding: str | None = None

    def text(self) -> str:
        """A csv's text (decoded with the encoding it was sniffed in)."""
        if self.encoding is None:
            raise ValueError(f"{self.name} is not a text file")
        return self.data.decode(self.encoding)


def _base_name(filename: str | None) -> str:
    return PureWindowsPath(PurePosixPath(filename or "").name).name


def _read_capped(upload: UploadFile, max_bytes: int) -> bytes:
    buffer = bytearray()
    upload.file.seek(0)
    while chunk := upload.file.read(CHUNK):
        buffer += chunk
        if len(buffer) > max_bytes:
            raise Refusal(413, TOO_LARGE, limit=max_bytes)
    return bytes(buffer)


def _csv_encoding(data: bytes) -> str | None:
    if b"\x00" in data or data[:4] == b"PK\x03\x04":  # binary, or a zip archive (a workbook) renamed .csv
        return None
    for encoding in ("utf-8-sig", "gbk"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _is_xlsx(data: bytes, max_bytes: int) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    if sum(member.file_size for member in members) > XLSX_EXPANSION * max_bytes:
        return False
    return any(member.filename == "[Content_Types].xml" for member in members)


def read_upload(upload: UploadFile, allowed: tuple[str, ...] = (".csv", ".xlsx"), *, max_bytes: int) -> CheckedUpload:
    """The upload's bytes, checked: at most ``max_bytes`` (else 413), an extension in ``allowed``
    whose content matches (else 415). Synchronous (the file is already spooled by the form
    parser), so sync and async routes can both call it."""
    name = _base_name(upload.filename)
    suffix = PurePosixPath(name).suffix.lower()
    allowed = tuple(extension.lower() for extension in allowed)
    if suffix not in allowed:
        raise Refusal(415, WRONG_KIND, name=name or "?", allowed=", ".join(allowed))
    data = _read_capped(upload, max_bytes)
    if suffix == ".xlsx":
        if not _is_xlsx(data, max_bytes):
            raise Refusal(415, NOT_XLSX, name=name)
        return CheckedUpload(name, suffix, data)
    if suffix == ".csv":
        encoding = _csv_encoding(data)
        if encoding is None:
            raise Refusal(415, NOT_CSV, name=name)
        return CheckedUpload(name, suffix, data, encoding)
    return CheckedUpload(name, suffix, data)


class BodyLimit:
    """Refuses a request body over ``limit`` bytes: by its Content-Length before reading, or, sent
    without one, as soon as the stream passes the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                return await send_refusal(scope, receive, send, Refusal(400, BAD_LENGTH))
            if int(length) > self.limit:
                return await send_refusal(scope, receive, send, Refusal(413, BODY_TOO_LARGE, limit=self.limit))
            return await self.app(scope, receive, send)
        received = 0
        exceeded = False
        answered = False

        async def counted() -> Message:
            # past the limit the app is told the client left; its answer is replaced by the 413
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def refuse_once() -> None:
            nonlocal answered
            if not answered:
                answered = True
                await send_refusal(scope, receive, send, Refusal(413, BODY_TOO_LARGE, limit=self.limit))

        async def guarded(message: Message) -> None:
            if exceeded:
                return await refuse_once()
            await send(message)

        await self.app(scope, counted, guarded)
        if exceeded:
            await refuse_once()


def upload_limit(request: object) -> int:
    """The service's ``max_upload_bytes`` (for ``read_upload(..., max_bytes=upload_limit(request))``)."""
    return request.app.state.config.max_upload_bytes  # type: ignore[attr-defined]
