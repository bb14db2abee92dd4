"""What the protection-gap routes delegate to: ``patentreach.protect``'s ``read_portfolio`` /
``read_entity_portfolio``, ``read_markets`` and ``gaps`` (the functions ``patentreach protect
gaps`` calls), on uploaded files.

Uploads are refused before the library sees them when they are too large (413) or not what they
claim to be (415: a ``.csv`` must be text, a ``.xlsx`` a zip holding ``[Content_Types].xml``);
accepted ones are written, under their own base name (so the report names them as the CLI
would), to a private temporary folder that is deleted when the report is made. The library's
input problems (file, row, column) come back as ``GapInputError``, a 400.

A page's report is kept for its user in ``ReportStore`` (bounded, expiring), so the downloads
(``.ics``, ``.xlsx``) need no second upload.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cachetools import TTLCache

if TYPE_CHECKING:
    from fastapi import Request
    from starlette.datastructures import FormData

    from patentreach.protect.gap_report import GapReport
    from patentreach.warehouse.layout import Warehouse

SUFFIXES = (".csv", ".xlsx")
OUTPUTS = {
    "json": ("application/json", "gaps.json"),
    "csv": ("text/csv; charset=utf-8", "routes.csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "gaps.xlsx"),
    "ics": ("text/calendar; charset=utf-8", "deadlines.ics"),
}
FORM_OVERHEAD_BYTES = 64 * 1024
"""Room for the multipart boundaries and the small fields on top of two files at the limit."""


class UploadRefused(ValueError):
    """An upload refused before reading it: ``status`` 413 (too large), 415 (wrong type) or 400."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class GapInputError(ValueError):
    """The inputs cannot be used as they are: ``problems`` are the library's lines (file, row, column)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" | ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Upload:
    """One uploaded file as received: the form field, the name the browser sent, the bytes."""

    field: str
    filename: str
    data: bytes

    @property
    def safe_name(self) -> str:
        """The base name only, with anything but letters, digits, ``.-_`` replaced: never a path."""
        base = Path(self.filename.replace("\\", "/")).name
        cleaned = re.sub(r"[^\w.-]", "_", base).lstrip(".")
        return cleaned or f"{self.field}.csv"

    @property
    def fingerprint(self) -> tuple[str, str]:
        """(safe name, SHA-256 of the bytes): what the report made from this file depends on."""
        return self.safe_name, hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class GapRequest:
    """What was asked: the files (or an entity id), the assessment date, risks listed per gap."""

    exports: Upload
    portfolio: Upload | None
    entity: str | None
    as_of: date
    top: int = 10


def form_too_large(content_length: str | None, limit: int) -> bool:
    """A declared body larger than two files at the limit (plus the form's overhead): refuse it
    before reading a byte of it."""
    try:
        return content_length is not None and int(content_length) > 2 * limit + FORM_OVERHEAD_BYTES
    except ValueError:
        return False


async def upload(form: FormData, field: str, limit: int) -> Upload | None:
    """The file of ``field`` (None when absent or empty), checked by the service's one upload
    check (``security.read_upload``: 413 beyond ``limit``, 415 when its name or content is not a
    CSV or an XLSX workbook), its refusal naming the field."""
    from starlette.datastructures import UploadFile

    from patentreach.web.security import read_upload
    from patentreach.web.security.refusals import Refusal

    value = form.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, UploadFile):
        raise UploadRefused(400, f"{field}: expected a file upload (multipart/form-data), not text")
    if not value.filename and not value.size:
        return None  # a form's empty file input
    try:
        checked = read_upload(value, SUFFIXES, max_bytes=limit)
    except Refusal as refused:
        raise UploadRefused(refused.status_code, f"{field}: {refused.detail}") from None
    return Upload(field, value.filename or checked.name, checked.data)


def parse_as_of(text: str | None) -> date:
    """``as_of`` (YYYY-MM-DD), today when empty; 400 otherwise."""
    if not text or not text.strip():
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UploadRefused(400, f"as_of {text!r} is not a date (YYYY-MM-DD)") from None


def parse_top(text: str | None) -> int:
    """``top`` (third-party grants and owners listed per gap): a whole number 0-1000, default 10."""
    if text is None or not str(text).strip():
        return 10
    try:
        value = int(str(text).strip())
    except ValueError:
        value = -1
    if not 0 <= value <= 1000:
        raise UploadRefused(400, f"top {text!r}: expected a whole number from 0 to 1000")
    return value


def parse_format(text: str | None) -> str:
    fmt = (text or "json").strip().lower()
    if fmt not in OUTPUTS:
        raise UploadRefused(400, f"format {text!r} is not one of {', '.join(OUTPUTS)}")
    return fmt


async def gap_request(form: FormData, limit: int) -> GapRequest:
    """The request's fields, checked: ``exports`` required, exactly one of ``portfolio``/``entity``."""
    exports = await upload(form, "exports", limit)
    portfolio = await upload(form, "portfolio", limit)
    entity = str(form.get("entity") or "").strip() or None
    if exports is None:
        raise UploadRefused(400, "missing file exports (CSV/XLSX of product line x country)")
    if (portfolio is None) == (entity is None):
        raise UploadRefused(400, "give exactly one of portfolio (a CSV/XLSX file) or entity (an entity id)")
    as_of_text = form.get("as_of")
    top_text = form.get("top")
    return GapRequest(exports, portfolio, entity, parse_as_of(as_of_text if isinstance(as_of_text, str) else None),
                      parse_top(top_text if isinstance(top_text, str) else None))


def compute(asked: GapRequest, warehouse: Warehouse | None) -> GapReport:
    """The report ``patentreach protect gaps`` makes for the same files, date and ``--top``; the
    uploads live in a private temporary folder only while they are read."""
    from patentreach.protect import EntityError, InputError, read_entity_portfolio, read_markets, read_portfolio
    from patentreach.protect import gaps as compute_gaps

    usable = warehouse if warehouse is not None and warehouse.exists() else None
    with tempfile.TemporaryDirectory(prefix="patentreach-gaps-") as folder:  # mode 0700, removed on exit
        try:
            if asked.portfolio is not None:
                held = read_portfolio(_write(Path(folder), asked.portfolio))
            elif usable is not None:
                held = read_entity_portfolio(usable, asked.entity or "")
            else:
                raise GapInputError(["entity: the service has no warehouse to read an entity's portfolio from"])
            markets = read_markets(_write(Path(folder), asked.exports), held.families)
        except InputError as error:
            raise GapInputError([" ".join(problem.split()) for problem in error.problems]) from None
        except (EntityError, OSError) as error:
            raise GapInputError([str(error)]) from None
        return compute_gaps(held, markets, asked.as_of, warehouse=usable, risk_top=asked.top)


def report_for(request: Request, asked: GapRequest) -> GapReport:
    """``compute`` on the service's warehouse, cached per warehouse version and the inputs' content
    (names included: the report names its files), so that the same files asked again in another
    format (JSON, then the calendar) are not assessed twice. Third-party risk reads the warehouse
    and dominates the time (seconds)."""
    access = request.app.state.access
    key = ("protect", asked.exports.fingerprint, asked.portfolio.fingerprint if asked.portfolio else None,
           asked.entity, asked.as_of, asked.top)
    version = access.version() if access.exists() else "no-warehouse"
    return request.app.state.cache.get_or_compute(version, key, lambda: compute(asked, access.warehouse))


def _write(folder: Path, upload: Upload) -> Path:
    """The upload under its safe base name, in a subfolder of its own (two files may share a name)."""
    target = folder / upload.field / upload.safe_name
    target.parent.mkdir()
    target.write_bytes(upload.data)
    return target


def output(report: GapReport, fmt: str) -> tuple[bytes, str, str]:
    """(body, media type, file name) of ``fmt``: the CLI's JSON, CSV of routes, workbook or calendar."""

    from patentreach.protect.report_files import report_bytes

    media_type, filename = OUTPUTS[fmt]
    body = report_bytes(report, fmt)
    return body, media_type, filename


class ReportStore:
    """Reports computed on the page, kept per user for ``ttl_seconds`` (at most ``entries``), under
    an unguessable id, so that the page's downloads need no re-upload."""

    def __init__(self, entries: int = 64, ttl_seconds: float = 1800) -> None:
        self._reports: TTLCache[str, tuple[str, Any]] = TTLCache(maxsize=entries, ttl=ttl_seconds)
        self._lock = threading.Lock()

    def put(self, user: str, report: GapReport) -> str:
        key = secrets.token_urlsafe(24)
        with self._lock:
            self._reports[key] = (user, report)
        return key

    def get(self, user: str, key: str) -> GapReport | None:
        """The report ``key`` if it is still kept and belongs to ``user``."""
        with self._lock:
            found = self._reports.get(key)
        if found is None or not secrets.compare_digest(found[0], user):
            return None
        return found[1]


_STORE_LOCK = threading.Lock()


def store(app_state: Any) -> ReportStore:
    """The application's report store (made on first use)."""
    with _STORE_LOCK:
        found = getattr(app_state, "gap_reports", None)
        if found is None:
            found = ReportStore()
            app_state.gap_reports = found
        return found
