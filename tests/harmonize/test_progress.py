"""`harmonize` reports every step to its progress hook, the linkage in three parts (estimation on
DuckDB, scoring on the chosen engine, clustering), so a long Spark run is not one silent step."""

from __future__ import annotations

from patentreach.harmonize import HarmonizeProgress, harmonize
from patentreach.harmonize.harmonize import STEPS


class Recording(HarmonizeProgress):
    def __init__(self) -> None:
        self.planned: tuple[str, ...] = ()
        self.labels: list[str] = []

    def start(self, steps: tuple[str, ...]) -> None:
        self.planned = steps

    def step(self, label: str) -> None:
        self.labels.append(label)


def test_every_planned_step_is_reported_in_order_with_the_engine_named(harmonized_copy):
    progress = Recording()
    harmonize(harmonized_copy, progress=progress)
    assert progress.planned == STEPS
    assert progress.labels == [
        "normalising names",
        "grouping name variants",
        "estimating Splink parameters (DuckDB)",
        "scoring pairs (Splink on duckdb)",
        "clustering variants",
        "assigning entity ids",
        "deciding sectors",
        "countries of origin",
        "writing derived tables",
    ]
