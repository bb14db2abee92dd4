"""The UTF-8 byte order mark some tools (Excel, Windows editors, PowerShell) put before text.

It is not content: a reader that does not remove it sees three stray bytes before the first
record, which used to become a phantom quarantined record (XML) or break detection (JSON).
Every text reader removes it before cutting its stream into units.
"""

from __future__ import annotations

import io
from typing import BinaryIO

UTF8_BOM = b"\xef\xbb\xbf"


def without_bom(stream: BinaryIO) -> BinaryIO:
    """``stream`` positioned after a leading UTF-8 byte order mark, if it has one."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    if buffered.peek(len(UTF8_BOM))[: len(UTF8_BOM)] == UTF8_BOM:
        buffered.read(len(UTF8_BOM))
    return buffered


def strip_bom(head: bytes) -> bytes:
    """``head`` without a leading byte order mark (for sniffers that anchor at the start)."""
    return head[len(UTF8_BOM) :] if head.startswith(UTF8_BOM) else head
