"""The survey's estimate of the same shares, to show beside the register's: the headlines
``export_unprotected_none`` (no protection in any export market) and ``export_unprotected_any``
(not in all of them), from a survey store and its enterprise weights file, computed exactly as
``patentreach survey headlines`` computes them (``survey.headlines.headline_rows``)."""

from __future__ import annotations

from pathlib import Path

SURVEY_KEYS = {"export_unprotected_none": "none", "export_unprotected_any": "not_all"}


class SurveyUnavailable(ValueError):
    """The survey estimate cannot be computed (one line: why)."""


def survey_shares(store: str, weights: Path) -> list[dict[str, object]]:
    """One record per headline and group (all, sector, size): key, share (none / not_all),
    breakdown, group, estimate, ci_lower, ci_upper, n, note."""
    from sqlalchemy.exc import SQLAlchemyError

    from patentreach.survey.design import DesignError
    from patentreach.survey.estimate import StatisticError
    from patentreach.survey.headlines import HeadlineError, headline_rows, joined, load_indicators, read_weights
    from patentreach.survey.linearisation import LonelyPSUError
    from patentreach.survey.store import StoreError, load_responses, open_store

    if "://" not in store and not Path(store).is_file():
        raise SurveyUnavailable(f"{store}: no such survey store")
    try:
        engine = open_store(store)
        try:
            responses = {"holder": load_responses(engine, "holder")}
        finally:
            engine.dispose()
        data = joined(responses, {"holder": read_weights(weights, "holder")})
        table = headline_rows(data, {}, load_indicators(), by=(None, "sector", "size"), keys=list(SURVEY_KEYS))
    except (StoreError, SQLAlchemyError, HeadlineError, DesignError, StatisticError, LonelyPSUError, OSError) as exc:
        raise SurveyUnavailable(f"the survey estimate cannot be computed: {str(exc).splitlines()[0]}") from None
    records = []
    for row in table.to_dict("records"):
        records.append({
            "key": row["key"], "share": SURVEY_KEYS[row["key"]], "breakdown": row["breakdown"] or "all",
            "group": row["group"] or "all", "estimate": _number(row["estimate"]), "ci_lower": _number(row["ci_lower"]),
            "ci_upper": _number(row["ci_upper"]), "n": _number(row["n"]), "note": row.get("note") or "",
        })
    return records


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else round(number, 4)  # NaN: no estimate
