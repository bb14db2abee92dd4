"""Readers of office formats. Each is a ``Source`` (see ``base``); all are listed here, in one
explicit tuple: nothing registers itself at import time."""

from __future__ import annotations

from patentreach.sources.base import Source
from patentreach.sources.uspto_grant import UsptoGrantXml

SOURCES: tuple[Source, ...] = (
    UsptoGrantXml(),
)


def source_named(name: str) -> Source:
    for source in SOURCES:
        if source.name == name:
            return source
    known = ", ".join(s.name for s in SOURCES)
    raise KeyError(f"no reader named {name!r} (known: {known})")
