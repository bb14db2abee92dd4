"""The XLSForm as a respondent sees it: pages, and what the current answers make of them.

The web questionnaire (``/survey/{token}``) shows one page per top-level group of the form
(questions outside any group make a page of their own, consecutive ones together), and on
every keystroke (``survey.js``) or page post (JavaScript off) asks this module:

* which questions are *relevant* now (their own ``relevant`` and their groups');
* the values of ``calculate`` fields;
* which choices a ``choice_filter`` lets through for the current answers;
* the problems of the page's answers.

Why this is not a second validator: relevance is decided exactly as
:func:`patentreach.survey.validation.validate` decides it for one row (fields in form order, an
irrelevant answer and an answer of the wrong type are blank for every later expression, the same
type rules, the same :mod:`xpath_subset` evaluator), and the problems *are* the response
import's: :func:`patentreach.survey.fieldwork.check_submission` runs ``import_responses`` on the
one row. What the web form accepts, ``survey import`` accepts, and the other way round; the tests
check the relevance against the import on the demo's responses.

ODK's rule for answers to questions that stopped being relevant (the respondent changed an
earlier answer) is applied by :func:`cleaned`: they are dropped, as ODK Collect and Enketo drop
them from a submission, and the page the respondent posts from drops them too.

Group labels are read here from the workbook (the form model keeps each field's hints,
``calculation`` and ``appearance``, not its groups' labels).

Repeat groups are the form model's wide columns (``market_1_country`` ...), so relevance and
problems need nothing of their own; what a page adds is how many instances it shows
(:func:`instances_shown`: every answered one, at least one, and more when the respondent asked for
another) and the two buttons' work: "add another" (:func:`repeat_action`) only shows one more
blank instance, "remove" (:func:`remove_instance`) moves the later instances up one, as ODK
renumbers a repeat when an instance is deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from patentreach.survey.instrument.form import Field, Form, _by_language, _sheet_rows, pick_label
from patentreach.survey.xpath_subset import Context, Expression, to_string

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from patentreach.survey.fieldwork import Invitation
    from patentreach.survey.validation import Issue

SHOWN_TYPES = {"integer", "decimal", "text", "select_one", "select_multiple", "date", "note", "calculate"}
"""The field types a page shows (metadata such as ``start`` or ``deviceid`` is not asked)."""


@dataclass(frozen=True)
class Extras:
    """What the workbook says about a field beyond :class:`Field`: hints, ``calculation``, ``appearance``."""

    hints: dict[str, str]
    calculation: Expression | None
    appearance: str

    def hint(self, language: str) -> str:
        return pick_label(self.hints, language)


@dataclass(frozen=True)
class Page:
    """One page of the questionnaire: a top-level group (``name``, its labels) and its fields."""

    index: int
    name: str
    labels: dict[str, str]
    fields: tuple[Field, ...]

    def label(self, language: str) -> str:
        return pick_label(self.labels, language)

    @property
    def answer_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.is_answer)


@dataclass(frozen=True)
class Layout:
    """The form's pages, each field's extras and every group's labels."""

    pages: tuple[Page, ...]
    extras: dict[str, Extras]
    group_labels: dict[str, dict[str, str]]

    def page_of(self, name: str) -> int:
        for page in self.pages:
            if any(f.name == name for f in page.fields):
                return page.index
        raise KeyError(f"{name!r} is on no page")

    def group_label(self, group: str, language: str) -> str:
        return pick_label(self.group_labels.get(group, {}), language)


@dataclass(frozen=True)
class State:
    """What one response's answers make of the form: ``relevant`` per shown field, the values of
    ``calculate`` fields, the choices a ``choice_filter`` allows (only filtered fields), and the
    answers with irrelevant ones blanked (``effective``)."""

    relevant: dict[str, bool]
    calculated: dict[str, str]
    allowed: dict[str, tuple[str, ...]]
    effective: dict[str, str]


def layout(form: Form) -> Layout:
    """The pages of ``form`` (kept per form object: ``load_form`` returns one per workbook)."""
    kept = _LAYOUTS.get(id(form))
    if kept is None or kept[0] is not form:
        kept = (form, _layout(form, Path(form.source)))
        _LAYOUTS[id(form)] = kept
    return kept[1]


_LAYOUTS: dict[int, tuple[Form, Layout]] = {}


def _layout(form: Form, source: Path) -> Layout:
    extras, group_labels = _workbook_extras(form, source)
    pages: list[Page] = []
    current: tuple[str, list[Field]] | None = None
    for f in form.fields:
        if f.type not in SHOWN_TYPES:
            continue
        key = f.groups[0] if f.groups else ""
        if current is None or current[0] != key:
            current = (key, [])
            pages.append(Page(len(pages), key, group_labels.get(key, {}), ()))
        current[1].append(f)
        pages[-1] = Page(pages[-1].index, key, pages[-1].labels, tuple(current[1]))
    return Layout(tuple(pages), extras, group_labels)


def _workbook_extras(form: Form, source: Path) -> tuple[dict[str, Extras], dict[str, dict[str, str]]]:
    """Each field's extras (kept on the field by ``load_form``) and every group's and repeat's
    labels (read here from the workbook: the form model does not keep them)."""
    extras = {f.name: Extras(f.hints, f.calculation, f.appearance) for f in form.fields}
    groups: dict[str, dict[str, str]] = {}
    for row in _sheet_rows(source).get("survey", []):
        kind = " ".join(row.get("type", "").split()).replace(" ", "_")
        if kind in ("begin_group", "begin_repeat"):
            groups[row.get("name", "")] = _by_language(row, "label")
    return extras, groups


def evaluate(form: Form, answers: Mapping[str, str]) -> State:
    """Relevance, calculated values and allowed choices for one response (strings as typed).

    The order and rules are :func:`patentreach.survey.validation.validate`'s for a single row:
    fields in form order; a field's conditions see earlier answers as validated (irrelevant or
    of the wrong type: blank) and later ones as typed."""
    from patentreach.survey.validation import _check_type

    lay = layout(form)
    columns: dict[str, np.ndarray] = {
        f.name: np.array([str(answers.get(f.name, "") or "")], dtype=object) for f in form.answers
    }
    relevant: dict[str, bool] = {}
    calculated: dict[str, str] = {}
    allowed: dict[str, tuple[str, ...]] = {}
    effective: dict[str, str] = {}
    filtered: dict[tuple, tuple[str, ...]] = {}
    for f in form.fields:
        if f.type not in SHOWN_TYPES:
            continue
        ctx = Context(columns, 1, current=f.name)
        holds = all(bool(condition.truth(ctx)[0]) for condition in f.relevant)
        relevant[f.name] = holds
        if f.type == "calculate":
            calculation = lay.extras.get(f.name, Extras({}, None, "")).calculation
            value = ""
            if holds and calculation is not None:
                value = str(to_string(calculation.evaluate(ctx), ctx)[0])
            calculated[f.name] = value
            columns[f.name] = np.array([value], dtype=object)
            continue
        if not f.is_answer:
            continue
        value = str(columns[f.name][0]) if holds else ""
        type_ok, _ = _check_type(f, form, np.array([value], dtype=object))
        effective[f.name] = value
        columns[f.name] = np.array([value if type_ok[0] else ""], dtype=object)
        if f.choice_filter is not None and f.list_name:
            # the instances of a repeat share their filter (the export markets' countries): the
            # choices it lets through are worked out once per list, filter and answers it reads
            read = sorted(f.choice_filter.references) + ([f.name] if f.choice_filter.uses_current else [])
            key = (f.list_name, f.choice_filter.tree, tuple(str(columns[n][0]) for n in read if n in columns))
            if key not in filtered:
                scope = Context(columns, 1, current=f.name)
                filtered[key] = tuple(
                    choice.name
                    for choice in form.choices[f.list_name]
                    if bool(f.choice_filter.truth(scope.for_choice({"name": choice.name, **choice.attributes}))[0])
                )
            allowed[f.name] = filtered[key]
    return State(relevant, calculated, allowed, effective)


def cleaned(form: Form, answers: Mapping[str, str]) -> dict[str, str]:
    """Every answer field's answer, those to irrelevant questions dropped (ODK's rule for a
    submission); nothing else is changed, so the import judges what was typed."""
    effective = evaluate(form, answers).effective
    return {f.name: effective.get(f.name, "") for f in form.answers}


def issues(form: Form, invitation: Invitation, answers: Mapping[str, str], page: int | None = None) -> list[Issue]:
    """The response import's problems with ``answers`` (after :func:`cleaned`): all of them, or
    those of the fields on ``page``."""
    from patentreach.survey.fieldwork import check_submission

    found = check_submission(form, invitation, cleaned(form, answers)).issues
    if page is None:
        return list(found)
    names = set(layout(form).pages[page].answer_names)
    return [i for i in found if i.column in names]


def stored_answers(engine: Engine, invitation: Invitation) -> dict[str, str] | None:
    """The answers stored for the invitation's unit (web or paper), as strings; None if none."""
    from sqlalchemy import select

    from patentreach.survey.store import responses

    with engine.connect() as conn:
        document = conn.execute(
            select(responses.c.answers).where(
                responses.c.form_id == invitation.form_id, responses.c.unit_key == invitation.unit_key
            )
        ).scalar()
    if document is None:
        return None
    return {str(k): _text(v) for k, v in dict(document).items()}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def repeat_action(form: Form, action: str) -> tuple[str, str, int] | None:
    """``("add", repeat, 0)`` for ``add:<repeat>``, ``("remove", repeat, n)`` for
    ``remove:<repeat>:<n>`` (a button of the page), None for anything else."""
    parts = action.split(":")
    names = {r.name: r for r in form.repeats}
    if len(parts) == 2 and parts[0] == "add" and parts[1] in names:
        return "add", parts[1], 0
    if len(parts) == 3 and parts[0] == "remove" and parts[1] in names and parts[2].isdigit():
        index = int(parts[2])
        if 1 <= index <= names[parts[1]].instances:
            return "remove", parts[1], index
    return None


def answered_instances(form: Form, answers: Mapping[str, str], repeat: str) -> list[int]:
    """The instances of ``repeat`` with at least one answer (a wholly blank one is absent)."""
    r = form.repeat(repeat)
    return [k for k in range(1, r.instances + 1) if any(str(answers.get(c, "") or "").strip() for c in r.columns(k))]


def instances_shown(form: Form, answers: Mapping[str, str], asked: Mapping[str, object]) -> dict[str, int]:
    """How many instances of each repeat a page shows: the last answered one, at least one, or
    the number ``asked`` (the page's ``shown.<repeat>`` value), within the repeat's bound."""
    out = {}
    for r in form.repeats:
        try:
            wanted = int(str(asked.get(f"shown.{r.name}", 0) or 0))
        except ValueError:
            wanted = 0
        last = max(answered_instances(form, answers, r.name), default=0)
        out[r.name] = min(max(1, last, wanted), r.instances)
    return out


def remove_instance(form: Form, answers: Mapping[str, str], repeat: str, index: int) -> dict[str, str]:
    """``answers`` without instance ``index`` of ``repeat``: the later instances move up one and
    the last becomes blank."""
    r = form.repeat(repeat)
    out = dict(answers)
    for k in range(index, r.instances + 1):
        for question in r.questions:
            following = r.column(k + 1, question) if k < r.instances else None
            out[r.column(k, question)] = str(answers.get(following, "") or "") if following else ""
    return out
