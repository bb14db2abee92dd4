"""Check response rows against their XLSForm: types, choices, constraints, required and relevance.

The rules are the ones ODK Collect applies on the device, re-applied to rows that arrive as a file
(paper questionnaires keyed in, Excel returns, Kobo exports edited by hand):

* ``relevance`` - an answer to a question whose ``relevant`` condition (its own or its groups') is
  false: the skip logic was not followed;
* ``required`` - a relevant required question left empty;
* ``type`` - not an integer, decimal or ISO date; ``choice`` - not a name on the choice list (for
  ``select_multiple``: a space-separated list of distinct names); ``choice_filter`` - a choice the
  question's filter excludes for this row;
* ``constraint`` - the constraint is false for a non-empty answer (ODK does not check empty ones),
  reported with the form's own constraint message.

Repeat groups arrive as wide columns, one set per instance (``market_2_share``); the form model
expands them, so each instance is checked on its own (its ``${question}`` references read the
same instance) and an issue names the instance's column. An instance left wholly blank is absent:
its required questions are required only once one of them is answered (the ``required`` message
then says the instance is partly answered).

Every problem of every row is collected in one pass (a row with three problems gets three issues),
but consequential ones are suppressed: a constraint or condition that reads an answer which was
itself invalid in that row is not reported again. Rows are evaluated column-wise through
:mod:`xpath_subset`, so 60,000 rows validate in well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patentreach.survey.instrument.form import TRUE_CELLS, Field, Form
from patentreach.survey.xpath_subset import Context, Expression, parse

_INTEGER = re.compile(r"^[+-]?\d+(?:\.0*)?$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00:00)?$")
# Integers are stored as 64-bit integers: a larger answer is a typing error, rejected by name.
INTEGER_LIMIT = 2**63 - 1


def _whole(text: str) -> int:
    """``"12"``, ``"+12"``, ``"12.0"`` -> 12, exactly (no float on the way)."""
    return int(text.split(".", 1)[0])


def _fits_integer(text: str) -> bool:
    return bool(_INTEGER.match(text)) and abs(_whole(text)) <= INTEGER_LIMIT


@dataclass(frozen=True)
class Issue:
    """One problem: the spreadsheet row (header is row 1), the column, the rule and why."""

    row: int
    column: str
    rule: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class Validation:
    """The issues found, and the answers converted to typed columns (``<NA>`` when empty, not
    relevant or invalid). ``typed`` has the same index as the input."""

    issues: list[Issue]
    typed: pd.DataFrame

    @property
    def bad_rows(self) -> set[int]:
        return {i.row for i in self.issues}


def _typed_column(f: Field, values: np.ndarray) -> pd.Series:
    """The answers as a typed column; ``""`` (empty, not relevant or invalid) becomes ``<NA>``."""
    cleaned = np.where(values != "", values, None)
    if f.type == "integer":
        # exact: "9007199254740993" must not pass through a float; _check_type bounds the range
        return pd.Series(pd.array([None if v is None else _whole(v) for v in cleaned], dtype="Int64"))
    if f.type == "decimal":
        return pd.to_numeric(pd.Series(cleaned, dtype=object), errors="coerce").astype("Float64")
    if f.type == "date":
        matches = [None if v is None else _DATE.match(v) for v in cleaned]
        return pd.Series([m.group(1) if m else None for m in matches], dtype="string")
    return pd.Series(cleaned, dtype="string")


_DTYPES = {"integer": "Int64", "decimal": "Float64"}


_BLANKS: dict[tuple[str, int], pd.api.extensions.ExtensionArray] = {}


def _blank_column(f: Field, n: int) -> pd.api.extensions.ExtensionArray:
    """The typed column of a question nobody answered: ``<NA>`` of the type's dtype (a copy of
    one kept per dtype and length: a one-row web submission has dozens of them)."""
    key = (_DTYPES.get(f.type, "string"), n)
    if key not in _BLANKS:
        if len(_BLANKS) > 64:  # lengths of past imports: keep a few
            _BLANKS.clear()
        _BLANKS[key] = pd.array([pd.NA] * n, dtype=key[0])
    return _BLANKS[key].copy()


def _check_type(f: Field, form: Form, values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(ok mask over answered values, reason per row for the failures)."""
    n = len(values)
    reasons = [""] * n
    ok = np.ones(n, dtype=bool)
    answered = values != ""
    if f.type == "integer":
        ok = np.array([v == "" or _fits_integer(v) for v in values], dtype=bool)
        for i in np.flatnonzero(~ok):
            not_integer = not _INTEGER.match(values[i])
            reasons[i] = (f"{values[i]!r} is not an integer" if not_integer
                          else f"{values[i]!r} is outside the integer range (at most {INTEGER_LIMIT:,} in size)")
        return ok, reasons
    elif f.type == "decimal":
        numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float)
        ok = ~answered | np.isfinite(numbers)
        kind = "a number"
    elif f.type == "date":
        ok = np.array([v == "" or bool(_DATE.match(v)) for v in values], dtype=bool)
        kind = "a date (YYYY-MM-DD)"
    elif f.type in ("select_one", "select_multiple"):
        names = frozenset(form.choice_names(f.list_name or ""))
        if f.type == "select_one":
            ok = ~answered | np.isin(values, list(names))
        else:
            ok = np.array([v == "" or frozenset(v.split()) <= names for v in values], dtype=bool)
        shown = ", ".join(sorted(names)) if len(names) <= 12 else f"{len(names)} names"
        for i in np.flatnonzero(~ok):
            unknown = [t for t in values[i].split() if t not in names] or [values[i]]
            reasons[i] = f"{' '.join(unknown)!r} is not a choice of list {f.list_name!r} ({shown})"
        if f.type == "select_multiple":
            for i in np.flatnonzero(ok & answered):
                tokens = values[i].split()
                if len(set(tokens)) != len(tokens):
                    ok[i] = False
                    reasons[i] = f"{values[i]!r} repeats a choice"
        return ok, reasons
    else:
        return ok, reasons
    for i in np.flatnonzero(~ok):
        reasons[i] = f"{values[i]!r} is not {kind}"
    return ok, reasons


def _required_mask(f: Field, ctx: Context) -> np.ndarray:
    if f.required is None:
        return np.zeros(ctx.n, dtype=bool)
    if f.required.strip().lower() in TRUE_CELLS:
        return np.ones(ctx.n, dtype=bool)
    return parse(f.required).truth(ctx)


def _required_message(f: Field) -> str:
    if f.repeat is None:
        return "a required answer is missing"
    return (f"a required answer is missing (instance {f.repeat.index} of repeat {f.repeat.repeat!r} is partly "
            "answered; leave an instance wholly blank if it does not exist)")


def _tainted(expressions: list[Expression], invalid: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Rows where one of the expressions reads an answer that was itself invalid."""
    mask = np.zeros(n, dtype=bool)
    for expression in expressions:
        for name in expression.references:
            if name in invalid:
                mask |= invalid[name]
    return mask


def validate(raw: pd.DataFrame, form: Form, rows: list[int], language: str = "en") -> Validation:
    """Validate ``raw`` (one column per answer field, strings, ``""`` for empty) against ``form``.

    ``rows`` gives each row's number in the source file, used in every issue.
    """
    n = len(raw)
    issues: list[Issue] = []
    # Later fields are visible at their raw value until processed, as ODK sees the whole instance.
    answers = {f.name: raw[f.name].to_numpy(dtype=object) for f in form.answers}
    invalid: dict[str, np.ndarray] = {}
    typed: dict[str, pd.Series | pd.api.extensions.ExtensionArray] = {}

    def report(mask: np.ndarray, f: Field, rule: str, message: str | list[str]) -> None:
        for i in np.flatnonzero(mask):
            text = message if isinstance(message, str) else message[i]
            issues.append(Issue(rows[i], f.name, rule, str(raw[f.name].iat[i]), text))

    for f in form.answers:
        values = answers[f.name]
        answered = values != ""
        ctx = Context(answers, n, current=f.name)
        if not answered.any() and not _required_mask(f, ctx).any():
            # a column blank in every row that nothing requires (the instances of a repeat nobody
            # answered, questions skipped): no rule can fail, and its typed column is all <NA>
            invalid[f.name] = np.zeros(n, dtype=bool)
            typed[f.name] = _blank_column(f, n)
            continue
        relevant = np.ones(n, dtype=bool)
        for condition in f.relevant:
            relevant &= condition.truth(ctx)
        tainted = _tainted(list(f.relevant), invalid, n)
        conditions = " and ".join(c.text for c in f.relevant)
        message = f"the question does not apply here ({conditions} is false), but it was answered"
        report(~relevant & answered & ~tainted, f, "relevance", message)
        bad = ~relevant & answered
        effective = np.where(relevant, values, "").astype(object)
        answers[f.name] = effective
        ctx = Context(answers, n, current=f.name)

        required = _required_mask(f, ctx) & relevant & ~answered & ~tainted
        report(required, f, "required", _required_message(f))
        bad |= required

        type_ok, reasons = _check_type(f, form, effective)
        rule = "choice" if f.type.startswith("select") else "type"
        report(~type_ok, f, rule, reasons)
        bad |= ~type_ok
        answers[f.name] = np.where(type_ok, effective, "").astype(object)

        # Constraints and filters only concern the rows that gave a valid answer: evaluate there.
        checkable = type_ok & (answers[f.name] != "")
        if f.choice_filter is not None and checkable.any():
            allowed = np.full(n, "", dtype=object)
            allowed[checkable] = _choice_filter_failures(f, form, _subset(answers, checkable, f))
            tainted_filter = _tainted([f.choice_filter], invalid, n)
            excluded = allowed != ""
            report(excluded & ~tainted_filter, f, "choice_filter", list(allowed))
            bad |= excluded
        if f.constraint is not None and checkable.any():
            holds = np.ones(n, dtype=bool)
            holds[checkable] = f.constraint.truth(_subset(answers, checkable, f))
            fails = checkable & ~holds & ~_tainted([f.constraint], invalid, n)
            message = f.message(language) or f"the constraint {f.constraint.text} is not met"
            report(fails, f, "constraint", f"{message} (constraint: {f.constraint.text})")
            bad |= checkable & ~holds
        invalid[f.name] = bad
        typed[f.name] = _typed_column(f, answers[f.name])

    frame = pd.DataFrame({k: v.array if isinstance(v, pd.Series) else v for k, v in typed.items()}, index=raw.index)
    order = {f.name: k for k, f in enumerate(form.answers)}
    issues.sort(key=lambda i: (i.row, order[i.column]))
    return Validation(issues, frame)


def _subset(answers: dict[str, np.ndarray], rows: np.ndarray, f: Field) -> Context:
    return Context({k: v[rows] for k, v in answers.items()}, int(rows.sum()), current=f.name)


def _choice_filter_failures(f: Field, form: Form, ctx: Context) -> np.ndarray:
    """A message per row naming the chosen values the filter excludes (``""`` when all pass)."""
    assert f.choice_filter is not None and f.list_name is not None
    allowed: dict[str, np.ndarray] = {}
    for choice in form.choices[f.list_name]:
        scope = ctx.for_choice({"name": choice.name, **choice.attributes})
        allowed[choice.name] = f.choice_filter.truth(scope)
    values = ctx.answers[f.name]
    out = np.full(ctx.n, "", dtype=object)
    for i in range(ctx.n):
        excluded = [t for t in values[i].split() if not allowed[t][i]]
        if excluded:
            out[i] = (
                f"{' '.join(excluded)!r} is not allowed here (choice_filter {f.choice_filter.text} is false for it)"
            )
    return out
