"""Run the configured sections and collect what they print."""

from __future__ import annotations

from collections.abc import Callable

from patentreach.report.bulletin.config import BulletinConfig
from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import Bulletin, Section, SectionUnavailable
from patentreach.report.bulletin.request import BulletinRequest
from patentreach.report.bulletin.sections import BUILD_LAST, builder
from patentreach.warehouse import Warehouse

Progress = Callable[[int, int, str], None]


def _title(name: str) -> str:
    from importlib import import_module

    return import_module(f"patentreach.report.bulletin.sections.{name}").TITLE


def build_bulletin(request: BulletinRequest, config: BulletinConfig, progress: Progress | None = None) -> Bulletin:
    """Every configured section, in the configuration's order. A section whose inputs are missing
    is kept as omitted, with its note; any other error propagates (it is a bug or a bad input the
    caller reports)."""
    names = [s.name for s in config.sections]
    order = [n for n in names if n not in BUILD_LAST] + [n for n in BUILD_LAST if n in names]
    built: dict[str, Section] = {}
    with BulletinContext(request, Warehouse(request.warehouse)) as ctx:
        for done, name in enumerate(order):
            if progress:
                progress(done, len(order), name)
            try:
                built[name] = builder(name)(ctx, config.options(name), built)
            except SectionUnavailable as missing:
                built[name] = Section(name, _title(name), omitted=missing.note)
        if progress:
            progress(len(order), len(order), "done")
    keys = [f.key for s in built.values() for f in s.figures]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"figure keys printed twice: {', '.join(duplicates)}")
    return Bulletin(request, [built[name] for name in names])
