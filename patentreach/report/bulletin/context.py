"""The inputs the sections read, opened once per bulletin and closed at the end."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from patentreach.report.bulletin.request import BulletinRequest
from patentreach.warehouse import Warehouse


@dataclass
class BulletinContext:
    """``request`` plus the warehouse, its query engine (DuckDB, opened on first use) and the
    survey store's SQLAlchemy engine (None without ``--survey``)."""

    request: BulletinRequest
    warehouse: Warehouse
    _stack: ExitStack = field(default_factory=ExitStack)
    _engine: Any = None
    _survey: Any = None

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from patentreach.warehouse.engines import connect

            self._engine = self._stack.enter_context(connect(self.warehouse))
        return self._engine

    @property
    def survey_store(self) -> Any:
        """The survey store's engine, or None when the bulletin has no survey."""
        if self._survey is None and self.request.survey:
            from patentreach.survey.store import open_store

            self._survey = open_store(self.request.survey)
            self._stack.callback(self._survey.dispose)
        return self._survey

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> BulletinContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
