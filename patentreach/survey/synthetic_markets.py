"""The synthetic holder answers' export markets one by one: the repeat group of form 2021.3.

:func:`patentreach.survey.synthetic.holder_answers` draws each exporter's ``export_markets``,
``export_protection`` and ``protected_markets``; the repeat ``market`` asks the same markets
again, one instance each (``market_1_country``, ``market_1_share``, ``market_1_protected`` ...).
They are derived from those answers so a synthetic row never contradicts itself (a market is
protected exactly when ``protected_markets`` or ``export_protection = 'all'`` says so), and the
shares come from a random stream of their own, so every other synthetic answer is as it was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from patentreach.survey.instrument.form import Form

REPEAT = "market"


def with_markets(frame: pd.DataFrame, form: Form, seed: int) -> pd.DataFrame:
    """``frame`` (holder answers as strings) with the form's repeat columns, in form column
    order: the ``market`` instances filled from the exporters' answers, any other repeat blank."""
    columns = {f.name: np.full(len(frame), "", dtype=object) for f in form.answers if f.name not in frame.columns}
    names = {r.name for r in form.repeats}
    if REPEAT in names and {"export_markets", "export_protection", "protected_markets"} <= set(frame.columns):
        repeat = form.repeat(REPEAT)
        rng = np.random.default_rng([seed, 11])
        for row, (markets, protection, covered) in enumerate(
            zip(frame["export_markets"], frame["export_protection"], frame["protected_markets"], strict=True)
        ):
            chosen = str(markets).split()[: repeat.instances]
            if not chosen:
                continue
            shares = np.maximum(np.round(rng.dirichlet(np.ones(len(chosen))) * rng.uniform(60, 100), 1), 0.1)
            protected = set(str(covered).split())
            for index, (country, share) in enumerate(zip(chosen, shares, strict=True), start=1):
                has = protection == "all" or (protection == "some" and country in protected)
                columns[repeat.column(index, "country")][row] = country
                columns[repeat.column(index, "share")][row] = f"{share:.1f}"
                columns[repeat.column(index, "protected")][row] = "yes" if has else "no"
    added = pd.DataFrame(columns, index=frame.index)
    return pd.concat([frame, added], axis=1)[[f.name for f in form.answers]]
