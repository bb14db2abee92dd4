"""Choose the reader for a file from its content, never its name.

Every source sniffs the first bytes; the most confident claim wins. Two sources claiming a file
with the same top confidence is an error (not "first wins"): the user must say ``--format``.

Detection never raises anything but ``DetectionError``: a sniffer that fails on bytes it does
not expect (random bytes named ``.csv``, a binary file) is treated as making no claim, so one
misbehaving reader cannot stop the others from looking, and the file fails with one line that
quotes its first bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.sources import SOURCES
from patentreach.sources.base import Sniff, Source

HEAD_BYTES = 64 * 1024
SHOWN_BYTES = 24


class DetectionError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Detection:
    source: Source
    sniff: Sniff


def detect(head: bytes, sources: tuple[Source, ...] = SOURCES) -> Detection:
    claims = [(s, sn) for s in sources if (sn := guarded_sniff(s, head)) and sn.confidence > 0]
    if not claims:
        raise DetectionError(f"no reader recognises this content ({describe_head(head)}; use --reader to force one)")
    best = max(sn.confidence for _, sn in claims)
    top = [(s, sn) for s, sn in claims if sn.confidence == best]
    if len(top) > 1:
        names = ", ".join(s.name for s, _ in top)
        raise DetectionError(f"several readers claim this content equally ({names}); use --reader")
    source, sniff = top[0]
    return Detection(source, sniff)


def guarded_sniff(source: Source, head: bytes) -> Sniff | None:
    """``source.sniff(head)``, or None if the sniffer fails: not recognising is not an error."""
    try:
        claim = source.sniff(head)
    except Exception:  # any failure of a sniffer means "not mine"
        return None
    return claim if isinstance(claim, Sniff) else None


def describe_head(head: bytes) -> str:
    """``first bytes: "PK\\x03\\x04..."``: printable ASCII as is, other bytes as ``\\xNN``."""
    if not head:
        return "the file is empty"
    shown = "".join(
        chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C) else f"\\x{b:02x}" for b in head[:SHOWN_BYTES]
    )
    return f'first bytes: "{shown}{"..." if len(head) > SHOWN_BYTES else ""}"'
