"""One file into the download folder: streamed to ``NAME.part``, resumed with ``Range`` after a
dropped connection, checked against the size and checksum the feed publishes, then renamed.

Design: a checksum mismatch deletes the ``.part`` file (resuming from bytes that hash wrong would
never succeed) and fails the file with one line; a dropped connection keeps the ``.part`` file so
the next attempt, or the next run, asks only for the missing bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.fetch.bounded_http import open_response, status_line
from patentreach.fetch.policy import Policy, WaitBudgetExceeded
from patentreach.fetch.remote import FetchFailed, Outcome, RemoteFile, safe_name

if TYPE_CHECKING:
    import httpx

ByteHook = Callable[[int], None]
"""Called with the number of bytes just written (for a progress bar)."""

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def target_path(folder: Path, remote: RemoteFile) -> Path:
    """``folder/feed/name``, refusing any name that would land elsewhere."""
    name = safe_name(remote.name, remote.url)
    base = (folder / remote.feed).resolve()
    path = (base / name).resolve()
    if path.parent != base:
        raise FetchFailed(f"{remote.url}: refused the file name {remote.name!r} (outside the download folder)")
    return path


def is_complete(path: Path, remote: RemoteFile, recorded_size: int | None) -> bool:
    """Already downloaded: the file exists with the published size (or, where the feed publishes
    none, the size the manifest recorded) and, where the feed publishes a checksum, that checksum."""
    if not path.is_file():
        return False
    size = path.stat().st_size
    expected_size = remote.size if remote.size is not None else recorded_size
    if expected_size is None or size != expected_size:
        return False
    if remote.checksum is not None:
        algorithm, expected = remote.checksum
        return file_digest(path, algorithm) == expected
    return True


def download(client: httpx.Client, remote: RemoteFile, folder: Path, policy: Policy,
             on_bytes: ByteHook | None = None) -> Outcome:
    """Fetch ``remote`` into ``folder/feed/``; a failure is an ``Outcome`` with its one line, never
    an exception, so one bad file never stops the others."""
    try:
        path = target_path(folder, remote)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        resumed_from = part.stat().st_size if part.exists() else 0
        _transfer(client, remote, part, policy, on_bytes or (lambda n: None))
        _verify(remote, part, path.name)
        sha256 = file_digest(part, "sha256")
        size = part.stat().st_size
        part.replace(path)
        return Outcome(remote, "fetched", size=size, sha256=sha256, resumed_from=resumed_from)
    except (FetchFailed, WaitBudgetExceeded) as exc:
        return Outcome(remote, "failed", error=str(exc))
    except OSError as exc:
        return Outcome(remote, "failed", error=f"{remote.url} ({remote.name}): cannot write: {exc}")


def _transfer(client: httpx.Client, remote: RemoteFile, part: Path, policy: Policy, on_bytes: ByteHook) -> None:
    """Append to ``part`` until the body is complete, resuming after transport errors."""
    import httpx

    what = remote.name
    for attempt in range(1, policy.max_attempts + 1):
        offset = part.stat().st_size if part.exists() else 0
        if remote.size is not None and offset == remote.size:
            return
        if remote.size is not None and offset > remote.size:
            part.unlink()
            offset = 0
        headers = dict(remote.headers)
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            with open_response(client, "GET", remote.url, headers, what, policy) as response:
                if response.status_code == 416 and offset:
                    part.unlink()
                    continue
                if response.status_code >= 400:
                    raise FetchFailed(f"{remote.url}: {status_line(response.status_code)} ({what})")
                append = _resume_offset(response, offset) == offset and offset > 0
                _check_declared_size(response, remote, policy, offset if append else 0)
                with part.open("ab" if append else "wb") as handle:
                    written = offset if append else 0
                    for block in response.iter_bytes():  # as received: a drop keeps every byte so far
                        written += len(block)
                        if written > policy.max_file_bytes:
                            raise FetchFailed(
                                f"{remote.url} ({what}): larger than {policy.max_file_bytes} bytes, the "
                                "max_decompressed_gb limit (lift it with PATENTREACH_LIMITS=max_decompressed_gb=N)"
                            )
                        handle.write(block)
                        on_bytes(len(block))
                return
        except httpx.TransportError as exc:
            if attempt == policy.max_attempts:
                raise FetchFailed(
                    f"{remote.url} ({what}): connection failed {attempt} times ({type(exc).__name__}); "
                    f"the partial file {part.name} is kept and the next run resumes it"
                ) from None
            policy.wait(policy.backoff(attempt), f"{remote.url} ({what})")
    raise FetchFailed(f"{remote.url} ({what}): gave up after {policy.max_attempts} attempts")


def _resume_offset(response: httpx.Response, asked: int) -> int:
    """Where the body starts: the Content-Range start for a 206, else 0 (the server sent it all)."""
    if response.status_code != 206:
        return 0
    match = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
    if not match or int(match.group(1)) != asked:
        got = response.headers.get("content-range")
        raise FetchFailed(f"{response.url}: asked for bytes from {asked}, got Content-Range {got!r}")
    return asked


def _check_declared_size(response: httpx.Response, remote: RemoteFile, policy: Policy, start: int) -> None:
    declared = response.headers.get("content-length")
    if declared is None or not declared.isdigit():
        return
    total = start + int(declared)
    if total > policy.max_file_bytes:
        raise FetchFailed(
            f"{remote.url} ({remote.name}): {total} bytes is larger than {policy.max_file_bytes} bytes, the "
            "max_decompressed_gb limit (lift it with PATENTREACH_LIMITS=max_decompressed_gb=N)"
        )
    if remote.size is not None and total != remote.size:
        raise FetchFailed(
            f"{remote.url} ({remote.name}): the server sends {total} bytes, the listing says {remote.size}"
        )


def _verify(remote: RemoteFile, part: Path, name: str) -> None:
    size = part.stat().st_size
    if remote.size is not None and size != remote.size:
        raise FetchFailed(f"{remote.url} ({name}): size mismatch: {size} bytes, the listing says {remote.size}")
    if remote.checksum is None:
        return
    algorithm, expected = remote.checksum
    actual = file_digest(part, algorithm)
    if actual != expected:
        part.unlink()
        raise FetchFailed(
            f"{remote.url} ({name}): checksum mismatch: {algorithm} {actual}, the feed publishes {expected}; "
            "the file was not kept"
        )
