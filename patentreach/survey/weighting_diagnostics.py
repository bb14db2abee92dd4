"""Weight diagnostics: what a statistician checks before publishing with a set of weights.

Range and ratio of the weights, Kish's design effect due to unequal weighting
(``1 + CV^2 = n * sum(w^2) / (sum w)^2``), the sum of the weights against the frame, the weighting
classes and the collapsed ones, the calibration's g-weights and the replicates, as a table for
the command line and as JSON for the weight store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from patentreach.survey.weighting_classes import ClassAdjustment, Collapse


@dataclass
class WeightDiagnostics:
    """What a statistician checks before using weights (all figures over respondents)."""

    unit: str
    sampled: int
    respondents: int
    weighted_response_rate: float
    minimum: float
    maximum: float
    kish_deff: float
    sum_weights: float
    frame_total: float | None
    classes: pd.DataFrame
    collapsed: list[Collapse]
    calibration: dict[str, Any] = field(default_factory=dict)
    replicates: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Largest over smallest positive weight."""
        return self.maximum / self.minimum if self.minimum > 0 else float("inf")

    def summary(self) -> list[tuple[str, str]]:
        """(measure, value) rows for the command line's table."""
        rows = [
            ("unit", self.unit),
            ("sampled units", f"{self.sampled:,}"),
            ("respondents", f"{self.respondents:,} ({self.respondents / self.sampled:.1%} unweighted)"),
            ("weighted response rate", f"{self.weighted_response_rate:.1%}"),
            ("weights min / max", f"{self.minimum:.6g} / {self.maximum:.6g}"),
            ("max / min", f"{self.ratio:.4g}"),
            ("Kish design effect 1 + CV^2", f"{self.kish_deff:.4f}"),
            ("sum of weights", f"{self.sum_weights:,.6g}"),
        ]
        if self.frame_total is not None:
            rows.append(("frame total", f"{self.frame_total:,.6g}"))
        rows.append(("weighting classes", f"{len(self.classes)}"))
        for merge in self.collapsed:
            rows.append(("collapsed", f"{merge.cell} into {merge.into}: {merge.reason}"))
        if self.calibration:
            c = self.calibration
            rows.append(
                (
                    "calibration",
                    f"{c['method']} on {', '.join(c['variables'])}; g from {c['g_min']:.4g} to {c['g_max']:.4g}",
                )
            )
        if self.replicates:
            r = self.replicates
            rows.append(("replicates", f"{r['type']} x {r['count']} (scale {r['scale']:.6g})"))
        rows.extend(("note", note) for note in self.notes)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for the weight store."""
        return {
            "unit": self.unit,
            "sampled": self.sampled,
            "respondents": self.respondents,
            "weighted_response_rate": self.weighted_response_rate,
            "min": self.minimum,
            "max": self.maximum,
            "max_over_min": self.ratio,
            "kish_deff": self.kish_deff,
            "sum_weights": self.sum_weights,
            "frame_total": self.frame_total,
            "classes": self.classes.to_dict(orient="records"),
            "collapsed": [vars(c) for c in self.collapsed],
            "calibration": self.calibration,
            "replicates": self.replicates,
            "notes": self.notes,
        }


def build_diagnostics(
    unit: str,
    units: pd.DataFrame,
    final: np.ndarray,
    adjustment: ClassAdjustment,
    calibration: dict[str, Any],
    rep_info: dict[str, Any] | None,
    notes: list[str],
    frame_total: float | None,
) -> WeightDiagnostics:
    responded = units["respondent"].to_numpy(dtype=bool)
    w = units["design_weight"].to_numpy(dtype=float)
    positive = final[final > 0]
    n = positive.size
    kish = float(n * np.sum(positive**2) / np.sum(positive) ** 2) if n else float("nan")
    return WeightDiagnostics(
        unit=unit,
        sampled=len(units),
        respondents=int(responded.sum()),
        weighted_response_rate=float(w[responded].sum() / w.sum()),
        minimum=float(positive.min()) if n else float("nan"),
        maximum=float(positive.max()) if n else float("nan"),
        kish_deff=kish,
        sum_weights=float(final.sum()),
        frame_total=frame_total,
        classes=adjustment.table,
        collapsed=adjustment.collapsed,
        calibration=calibration,
        replicates=rep_info,
        notes=notes,
    )
