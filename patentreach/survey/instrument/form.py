"""Load an XLSForm workbook into a small frozen model the response import can validate against.

The XLSForm (ODK/Kobo standard) is the master definition of the survey: the same workbook goes to
ODK Collect, Enketo or KoboToolbox for fieldwork and is read here for validation and analysis.
We read the three sheets ourselves (openpyxl) rather than through pyxform's JSON because validation
needs the raw cells - ``relevant``, ``constraint``, ``required``, ``choice_filter`` and extra choice
columns such as ``belt_and_road`` - and pyxform only converts them; :func:`to_xform` still runs
pyxform so a form that ODK would reject is rejected here too.

Every expression is parsed when the form loads (see :mod:`xpath_subset`), and every ``${name}``
must name a field of the form, so a form outside the supported subset fails at load time, never
halfway through an import. Repeats are refused: responses arrive one row per unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from patentreach.survey.xpath_subset import Expression, XPathError, parse

BUNDLED_FORMS = ("holder", "patent")

# Types whose answers are columns of the response file, and how they are checked.
ANSWER_TYPES = {"integer", "decimal", "text", "select_one", "select_multiple", "date"}
# Metadata that ODK/Kobo exports add; passed through unvalidated when present.
META_TYPES = {"start", "end", "today", "deviceid", "username", "phonenumber", "audit", "calculate"}
LAYOUT_TYPES = {"note", "begin_group", "end_group"}
TRUE_CELLS = {"yes", "true", "true()", "1"}
FALSE_CELLS = {"", "no", "false", "false()", "0"}


class FormError(ValueError):
    """The workbook is not an XLSForm this package can validate against."""


@dataclass(frozen=True)
class Choice:
    name: str
    labels: dict[str, str]
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Field:
    """One question. ``relevant`` holds the field's own condition and those of the groups around
    it (all must hold); ``required`` is None, ``"yes"`` or an expression."""

    name: str
    type: str
    list_name: str | None
    labels: dict[str, str]
    required: str | None
    relevant: tuple[Expression, ...]
    constraint: Expression | None
    constraint_message: dict[str, str]
    choice_filter: Expression | None
    groups: tuple[str, ...]
    sheet_row: int

    @property
    def is_answer(self) -> bool:
        return self.type in ANSWER_TYPES

    def label(self, language: str = "en") -> str:
        return pick_label(self.labels, language) or self.name

    def message(self, language: str = "en") -> str:
        return pick_label(self.constraint_message, language)


@dataclass(frozen=True)
class Form:
    form_id: str
    title: str
    version: str
    languages: tuple[str, ...]
    fields: tuple[Field, ...]
    choices: dict[str, tuple[Choice, ...]]
    source: str

    @property
    def answers(self) -> tuple[Field, ...]:
        """The fields that are columns of a response file, in form order."""
        return tuple(f for f in self.fields if f.is_answer)

    @property
    def meta(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.type in META_TYPES)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{name!r} is not a field of form {self.form_id}")

    def choice_names(self, list_name: str) -> tuple[str, ...]:
        return tuple(c.name for c in self.choices[list_name])

    def choice_attribute(self, list_name: str, column: str) -> dict[str, str]:
        """``{choice name: value of an extra choices column}``, e.g. ``belt_and_road``."""
        return {c.name: c.attributes.get(column, "") for c in self.choices[list_name]}


def pick_label(texts: dict[str, str], language: str) -> str:
    """The text in ``language`` (matched on the code in brackets or the name), else the first."""
    for key, text in texts.items():
        if text and (key == language or key.endswith(f"({language})") or key.startswith(language)):
            return text
    return next((t for t in texts.values() if t), "")


def bundled_form_path(name: str) -> Path:
    """Path of a form shipped with the package: ``holder`` or ``patent``."""
    if name not in BUNDLED_FORMS:
        raise FormError(f"no bundled form {name!r}; choose one of {', '.join(BUNDLED_FORMS)}")
    return Path(str(resources.files("patentreach.survey.instrument").joinpath(f"{name}.xlsx")))


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _sheet_rows(path: Path) -> dict[str, list[dict[str, str]]]:
    from patentreach.survey.table_files import TableFileError, workbook_sheets

    try:
        book = workbook_sheets(path)
    except TableFileError as exc:
        raise FormError(str(exc)) from None
    sheets: dict[str, list[dict[str, str]]] = {}
    for title, rows in book:
        if not rows:
            continue
        header = ["" if h is None else str(h).strip() for h in rows[0]]
        sheets[title.strip().lower()] = [
            {h: _cell(v) for h, v in zip(header, row, strict=False) if h} for row in rows[1:]
        ]
    return sheets


def _by_language(row: dict[str, str], column: str) -> dict[str, str]:
    out = {}
    for key, value in row.items():
        if key == column:
            out["default"] = value
        elif key.startswith(f"{column}::"):
            out[key.split("::", 1)[1]] = value
    return out


def _expression(text: str, where: str) -> Expression | None:
    if not text:
        return None
    try:
        return parse(text)
    except XPathError as exc:
        raise FormError(f"{where}: {exc}") from exc


Choices = dict[str, tuple[Choice, ...]]


def _parse_fields(rows: list[dict[str, str]], choices: Choices) -> list[Field]:
    fields: list[Field] = []
    groups: list[tuple[str, Expression | None]] = []
    for number, row in enumerate(rows, start=2):
        raw_type = " ".join(row.get("type", "").split())
        if not raw_type:
            continue
        base, _, list_name = raw_type.partition(" ")
        base = base.replace(" ", "_")
        if raw_type in ("begin group", "end group", "begin repeat", "end repeat"):
            base, list_name = raw_type.replace(" ", "_"), ""
        where = f"survey row {number} ({row.get('name', '')})"
        if base in ("begin_repeat", "end_repeat"):
            raise FormError(f"{where}: repeats are not supported (responses are one row per unit)")
        if base == "begin_group":
            groups.append((row.get("name", ""), _expression(row.get("relevant", ""), where)))
            continue
        if base == "end_group":
            if not groups:
                raise FormError(f"{where}: end_group without begin_group")
            groups.pop()
            continue
        if base not in ANSWER_TYPES | META_TYPES | LAYOUT_TYPES:
            raise FormError(f"{where}: question type {raw_type!r} is not supported")
        if base.startswith("select") and list_name not in choices:
            raise FormError(f"{where}: choice list {list_name!r} is not on the choices sheet")
        own = _expression(row.get("relevant", ""), where)
        relevant = tuple(e for _, e in groups if e is not None) + ((own,) if own else ())
        required = row.get("required", "").lower()
        fields.append(
            Field(
                name=row.get("name", ""),
                type=base,
                list_name=list_name or None,
                labels=_by_language(row, "label"),
                required=None if required in FALSE_CELLS else row.get("required"),
                relevant=relevant,
                constraint=_expression(row.get("constraint", ""), where),
                constraint_message=_by_language(row, "constraint_message"),
                choice_filter=_expression(row.get("choice_filter", ""), where),
                groups=tuple(g for g, _ in groups),
                sheet_row=number,
            )
        )
    if groups:
        raise FormError(f"group {groups[-1][0]!r} is never closed")
    return fields


def _check_references(fields: list[Field], choices: Choices) -> None:
    names = {f.name for f in fields}
    for f in fields:
        where = f"survey row {f.sheet_row} ({f.name})"
        expressions = [*f.relevant, f.constraint, f.choice_filter]
        if f.required and f.required.lower() not in TRUE_CELLS:
            expressions.append(_expression(f.required, where))
        for expression in filter(None, expressions):
            missing = expression.references - names
            if missing:
                raise FormError(f"{where}: {expression.text!r} refers to unknown {sorted(missing)}")
            if expression is not f.choice_filter and expression.choice_columns:
                raise FormError(f"{where}: bare name in {expression.text!r} (write ${{name}})")
        if f.choice_filter is not None and f.list_name:
            columns = {"name"} | {k for c in choices[f.list_name] for k in c.attributes}
            unknown = f.choice_filter.choice_columns - columns
            if unknown:
                raise FormError(f"{where}: choice_filter uses unknown columns {sorted(unknown)}")


def load_form(source: str | Path) -> Form:
    """Load a bundled form by name (``holder``, ``patent``) or an XLSForm ``.xlsx`` by path."""
    path = bundled_form_path(source) if str(source) in BUNDLED_FORMS else Path(source)
    return _load(path.resolve())


@cache
def _load(path: Path) -> Form:
    if not path.exists():
        raise FormError(f"{path}: no such form")
    sheets = _sheet_rows(path)
    if "survey" not in sheets:
        raise FormError(f"{path}: an XLSForm needs a 'survey' sheet")
    choices: dict[str, list[Choice]] = {}
    for row in sheets.get("choices", []):
        list_name = row.get("list_name") or row.get("list name", "")
        if not list_name:
            continue
        attributes = {
            k: v
            for k, v in row.items()
            if k not in ("list_name", "list name", "name") and not k.startswith(("label", "media"))
        }
        choices.setdefault(list_name, []).append(Choice(row.get("name", ""), _by_language(row, "label"), attributes))
    frozen = {k: tuple(v) for k, v in choices.items()}
    fields = _parse_fields(sheets["survey"], frozen)
    _check_references(fields, frozen)
    settings = (sheets.get("settings") or [{}])[0]
    header = sheets["survey"][0] if sheets["survey"] else {}
    languages = tuple(k.split("::", 1)[1] for k in header if k.startswith("label::"))
    return Form(
        form_id=settings.get("form_id") or path.stem,
        title=settings.get("form_title") or path.stem,
        version=settings.get("version", ""),
        languages=languages,
        fields=tuple(fields),
        choices=frozen,
        source=str(path),
    )


def form_summary(form: Form, language: str = "en") -> pd.DataFrame:
    """One row per answer field: name, type, label, relevance, required, constraint - the form as
    a reviewer reads it (the ``survey form`` command prints this)."""
    rows = []
    for f in form.answers:
        kind = f.type + (f" {f.list_name}" if f.list_name else "")
        rows.append(
            {
                "name": f.name,
                "type": kind,
                "label": f.label(language),
                "relevant": " and ".join(e.text for e in f.relevant),
                "required": "yes" if f.required and f.required.lower() in TRUE_CELLS else "",
                "constraint": f.constraint.text if f.constraint else "",
            }
        )
    return pd.DataFrame(rows)


def to_xform(source: str | Path) -> str:
    """The ODK XForm XML for a form, converted by pyxform (which also checks the XLSForm)."""
    from pyxform.xls2xform import convert

    path = bundled_form_path(source) if str(source) in BUNDLED_FORMS else Path(source)
    return convert(xlsform=str(path), pretty_print=True).xform
