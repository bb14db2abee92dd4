"""Choose the reader for a file from its content, never its name.

Every source sniffs the first bytes; the most confident claim wins. Two sources claiming a file
with the same top confidence is an error (not "first wins"): the user must say ``--format``.
"""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.sources import SOURCES
from patentreach.sources.base import Sniff, Source

HEAD_BYTES = 64 * 1024


class DetectionError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Detection:
    source: Source
    sniff: Sniff


def detect(head: bytes, sources: tuple[Source, ...] = SOURCES) -> Detection:
    claims = [(s, sn) for s in sources if (sn := s.sniff(head)) and sn.confidence > 0]
    if not claims:
        raise DetectionError("no reader recognises this content (use --format to force one)")
    best = max(sn.confidence for _, sn in claims)
    top = [(s, sn) for s, sn in claims if sn.confidence == best]
    if len(top) > 1:
        names = ", ".join(s.name for s, _ in top)
        raise DetectionError(f"several readers claim this content equally ({names}); use --format")
    source, sniff = top[0]
    return Detection(source, sniff)
