"""The rules that make filing deadlines: how many months, counted from what, under which law.

Each rule is a row of ``filing_deadline_rules.csv`` with its legal basis, source, checked date and
``verified`` status, so that every deadline patentreach shows can name the rule it came from.
The months of the PCT national phase are not here but per office in ``pct_national_phase_limits``.
"""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.refdata.loader import cached, load_table


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    rule: str
    description: str
    months: int | None
    counted_from: str
    legal_basis: str
    source: str
    checked: str
    verified: str
    note: str


@cached
def deadline_rules() -> dict[str, DeadlineRule]:
    """Every rule, by name."""
    return {
        row["rule"].strip(): DeadlineRule(
            rule=row["rule"].strip(),
            description=row.get("description", ""),
            months=int(row["months"]) if row.get("months", "").strip() else None,
            counted_from=row.get("counted_from", ""),
            legal_basis=row.get("legal_basis", ""),
            source=row.get("source", ""),
            checked=row.get("checked", ""),
            verified=row.get("verified", "") or "NOT VERIFIED",
            note=row.get("note", ""),
        )
        for row in load_table("filing_deadline_rules")
    }


def deadline_rule(name: str) -> DeadlineRule:
    """One rule by name; an unknown name is a KeyError naming the known ones."""
    try:
        return deadline_rules()[name]
    except KeyError:
        raise KeyError(f"unknown deadline rule {name!r}; known: {sorted(deadline_rules())}") from None
