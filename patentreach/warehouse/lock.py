"""The warehouse lock: one writer at a time (ingest, harmonize, ...), readers never lock.

Taking it is the first write a command makes, so it is also where a warehouse that cannot be
written at all (read-only mount, no permission, disk full) shows first: that becomes one line
naming the directory, instead of a traceback from ``open``.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from patentreach.warehouse.layout import Warehouse


class WarehouseLockError(RuntimeError):
    """The warehouse cannot be locked for writing: busy, or not writable. Its message is one line."""


@contextmanager
def exclusive(warehouse: Warehouse, busy: str = "another ingest or harmonisation is running") -> Iterator[None]:
    """Hold the warehouse's write lock for the block; ``busy`` says what holds it otherwise."""
    try:
        warehouse.root.mkdir(parents=True, exist_ok=True)
        handle = open(warehouse.lock_path, "w")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise WarehouseLockError(f"{warehouse.root}: cannot write to the warehouse ({_reason(exc)})") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseLockError(f"{warehouse.root}: {busy}") from None
        except OSError as exc:
            raise WarehouseLockError(f"{warehouse.root}: cannot lock the warehouse ({_reason(exc)})") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _reason(exc: OSError) -> str:
    """``Read-only file system`` rather than ``[Errno 30] Read-only file system: '/x/.lock'``."""
    return exc.strerror or str(exc)
