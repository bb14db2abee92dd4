"""Load an XLSForm workbook into a small frozen model the response import can validate against.

The XLSForm (ODK/Kobo standard) is the master definition of the survey: the same workbook goes to
ODK Collect, Enketo or KoboToolbox for fieldwork and is read here for validation and analysis.
We read the three sheets ourselves (openpyxl) rather than through pyxform's JSON because validation
needs the raw cells - ``relevant``, ``constraint``, ``required``, ``choice_filter`` and extra choice
columns such as ``belt_and_road`` - and pyxform only converts them; :func:`to_xform` still runs
pyxform so a form that ODK would reject is rejected here too.

Every expression is parsed when the form loads (see :mod:`xpath_subset`), and every ``${name}``
must name a field of the form, so a form outside the supported subset fails at load time, never
halfway through an import.

Repeat groups (``begin_repeat`` ... ``end_repeat``) keep one row per unit: each instance is a set
of wide columns, ``<repeat>_<n>_<question>`` (``market_1_country``, ``market_1_share``,
``market_2_country`` ...), the columns of the ODK/Kobo wide export (``market[2]/country``) under
names that SPSS, Stata and a paper import accept. The form model holds them as ordinary fields,
expanded when the form loads, so validation, the web form, the exports and the codebook need
nothing of their own for them:

* a repeat has at most :data:`MAX_INSTANCES` instances (10): ``repeat_count`` as a whole number
  sets it lower; as an expression (``${n_markets}``) instance *n* is asked only while
  ``repeat_count >= n``;
* inside an instance, ``${question}`` of the same repeat reads that instance's column (ODK's
  ``current()``-relative reading), ``position(..)`` is the instance number, and anywhere
  ``count(${repeat})`` counts the answered instances (:func:`xpath_subset.rewrite`);
* an instance left wholly blank is absent: its ``required`` questions are required only once one
  of its questions is answered;
* repeats nest one level deep (a repeat inside a repeat would square the columns), and a question
  inside a repeat is read from outside only through ``count()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from patentreach.survey.xpath_subset import Expression, XPathError, parse, rewrite

BUNDLED_FORMS = ("holder", "patent")

# Types whose answers are columns of the response file, and how they are checked.
ANSWER_TYPES = {"integer", "decimal", "text", "select_one", "select_multiple", "date"}
# Metadata that ODK/Kobo exports add; passed through unvalidated when present.
META_TYPES = {"start", "end", "today", "deviceid", "username", "phonenumber", "audit", "calculate"}
LAYOUT_TYPES = {"note", "begin_group", "end_group"}
TRUE_CELLS = {"yes", "true", "true()", "1"}
FALSE_CELLS = {"", "no", "false", "false()", "0"}


MAX_INSTANCES = 10
"""The most instances of a repeat (each is a set of columns of the unit's row: a bound keeps every
response file, page and export bounded)."""


class FormError(ValueError):
    """The workbook is not an XLSForm this package can validate against."""


@dataclass(frozen=True)
class Slot:
    """Where a field of a repeat sits: the repeat, the instance (from 1), the question's name on
    the survey sheet, and the repeat's labels (for "Export market 2: Country")."""

    repeat: str
    index: int
    question: str
    repeat_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Repeat:
    """A repeat group: its name and labels, how many instances it can have, its questions (names
    on the survey sheet, answer fields only) and, for ``repeat_count`` expressions, the count."""

    name: str
    labels: dict[str, str]
    instances: int
    questions: tuple[str, ...]
    count: Expression | None
    sheet_row: int

    def column(self, index: int, question: str) -> str:
        """The wide column of ``question`` in instance ``index``: ``market_2_share``."""
        return f"{self.name}_{index}_{question}"

    def columns(self, index: int) -> tuple[str, ...]:
        return tuple(self.column(index, q) for q in self.questions)

    def label(self, language: str = "en") -> str:
        return pick_label(self.labels, language) or self.name


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
    hints: dict[str, str] = field(default_factory=dict)
    calculation: Expression | None = None
    appearance: str = ""
    repeat: Slot | None = None
    required_cell: str = ""

    @property
    def is_answer(self) -> bool:
        return self.type in ANSWER_TYPES

    def label(self, language: str = "en") -> str:
        """The question's label; in a repeat, with its instance: "Export market 2: Country"."""
        own = self.question_label(language)
        if self.repeat is None:
            return own
        item = pick_label(self.repeat.repeat_labels, language) or self.repeat.repeat
        if language.startswith("zh"):
            return f"{item}{self.repeat.index}：{own}"
        return f"{item} {self.repeat.index}: {own}"

    def question_label(self, language: str = "en") -> str:
        """The label as on the survey sheet (a repeat's question without its instance)."""
        return pick_label(self.labels, language) or (self.repeat.question if self.repeat else self.name)

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
    repeats: tuple[Repeat, ...] = ()

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

    def repeat(self, name: str) -> Repeat:
        for r in self.repeats:
            if r.name == name:
                return r
        raise KeyError(f"{name!r} is not a repeat of form {self.form_id}")

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


Choices = dict[str, tuple[Choice, ...]]


def _kind(row: dict[str, str]) -> tuple[str, str]:
    """(type, list name) of a survey row: ``begin group`` and ``begin_group`` alike."""
    raw_type = " ".join(row.get("type", "").split())
    if raw_type in ("begin group", "end group", "begin repeat", "end repeat"):
        return raw_type.replace(" ", "_"), ""
    base, _, list_name = raw_type.partition(" ")
    return base, list_name


@dataclass
class _Block:
    """A repeat's rows (``start`` is its begin_repeat, ``end`` its end_repeat, indexes of rows)."""

    repeat: Repeat
    start: int
    end: int
    relevant: str
    count_text: str
    names: tuple[str, ...]  # every named row inside, questions, calculations and notes


def _structure(rows: list[dict[str, str]]) -> dict[int, _Block]:
    """Check how groups and repeats open and close, and find the repeats (by begin row index)."""
    stack: list[tuple[str, str, int]] = []  # (kind, name, row index)
    blocks: dict[int, _Block] = {}
    for i, row in enumerate(rows):
        base, _ = _kind(row)
        name = row.get("name", "")
        where = f"survey row {i + 2} ({name})"
        open_repeat = next((s for s in stack if s[0] == "repeat"), None)
        if base == "begin_group":
            stack.append(("group", name, i))
        elif base == "begin_repeat":
            if not name:
                raise FormError(f"{where}: a repeat needs a name")
            if open_repeat:
                raise FormError(f"{where}: repeat {name!r} inside repeat {open_repeat[1]!r}: repeats nest one "
                                "level deep at most (each instance is a set of columns of the unit's row)")
            stack.append(("repeat", name, i))
        elif base == "end_group":
            if not stack or stack[-1][0] != "group":
                if stack:
                    raise FormError(f"{where}: end_group inside repeat {stack[-1][1]!r} "
                                    "(close it with end_repeat first)")
                raise FormError(f"{where}: end_group without begin_group")
            stack.pop()
        elif base == "end_repeat":
            if not stack or stack[-1][0] != "repeat":
                if open_repeat:
                    raise FormError(f"{where}: end_repeat while group {stack[-1][1]!r} inside repeat "
                                    f"{open_repeat[1]!r} is still open")
                raise FormError(f"{where}: end_repeat without begin_repeat")
            start = stack.pop()[2]
            blocks[start] = _block(rows, start, i)
    if stack:
        kind, name, start = stack[-1]
        if kind == "repeat" or any(s[0] == "repeat" for s in stack):
            kind, name, start = next(s for s in stack if s[0] == "repeat")
            raise FormError(f"survey row {start + 2} ({name}): repeat {name!r} is never closed (no end_repeat)")
        raise FormError(f"group {name!r} is never closed")
    return blocks


def _block(rows: list[dict[str, str]], start: int, end: int) -> _Block:
    row = rows[start]
    name = row.get("name", "")
    where = f"survey row {start + 2} ({name})"
    inside = [(r.get("name", ""), _kind(r)[0]) for r in rows[start + 1 : end]]
    questions = tuple(n for n, kind in inside if n and kind in ANSWER_TYPES)
    if not questions:
        raise FormError(f"{where}: repeat {name!r} has no question")
    count_text = row.get("repeat_count", "").strip()
    instances = MAX_INSTANCES
    if count_text.isdigit():
        instances = int(count_text)
        if not 1 <= instances <= MAX_INSTANCES:
            raise FormError(f"{where}: repeat_count {instances} is outside 1-{MAX_INSTANCES}, the number of "
                            "instances a repeat may have")
        count_text = ""
    repeat = Repeat(name, _by_language(row, "label"), instances, questions, None, start + 2)
    names = tuple(n for n, kind in inside if n and kind not in LAYOUT_TYPES | {"begin_repeat", "end_repeat"})
    return _Block(repeat, start, end, row.get("relevant", ""), count_text, names)


@dataclass(frozen=True)
class _Scope:
    """How expressions read in one place of the form: the instance's own columns, its number,
    the repeats' counts and the repeat questions out of reach."""

    siblings: dict[str, str]
    position: int | None
    counts: dict[str, str]
    elsewhere: dict[str, str]
    repeat: Repeat | None = None

    def expression(self, text: str, where: str) -> Expression | None:
        if not text:
            return None
        try:
            readable, full = rewrite(text, self.siblings, self.position, self.counts, self.elsewhere)
            return Expression(readable, parse(full).tree)
        except XPathError as exc:
            raise FormError(f"{where}: {exc}") from exc

    def full_text(self, text: str, where: str) -> str:
        try:
            return rewrite(text, self.siblings, self.position, self.counts, self.elsewhere)[1]
        except XPathError as exc:
            raise FormError(f"{where}: {exc}") from exc


def _presence(repeat: Repeat, index: int) -> str:
    """True when instance ``index`` has an answer: a wholly blank instance is absent."""
    columns = ", ".join(f"${{{c}}}" for c in repeat.columns(index))
    return f"(string-length(concat({columns})) > 0)"


def _expression(text: str, where: str) -> Expression | None:
    if not text:
        return None
    try:
        return parse(text)
    except XPathError as exc:
        raise FormError(f"{where}: {exc}") from exc


def _parse_fields(rows: list[dict[str, str]], choices: Choices) -> tuple[list[Field], tuple[Repeat, ...]]:
    blocks = _structure(rows)
    counts = {
        b.repeat.name: "(" + " + ".join(_presence(b.repeat, k) for k in range(1, b.repeat.instances + 1)) + ")"
        for b in blocks.values()
    }
    in_repeat = {name: b.repeat.name for b in blocks.values() for name in b.names}
    outside = {r.get("name", "") for i, r in enumerate(rows)
               if not any(b.start < i < b.end for b in blocks.values())}
    elsewhere = {k: v for k, v in in_repeat.items() if k not in outside}
    top = _Scope({}, None, counts, elsewhere)
    fields: list[Field] = []
    groups: list[tuple[str, tuple[Expression, ...]]] = []
    repeats: list[Repeat] = []

    def build(start: int, end: int, scope: _Scope) -> None:
        i = start
        while i < end:
            row = rows[i]
            number = i + 2
            base, list_name = _kind(row)
            where = f"survey row {number} ({row.get('name', '')})"
            if base == "begin_repeat":
                block = blocks[i]
                count = top.expression(block.count_text, where)
                repeat = replace(block.repeat, count=count)
                repeats.append(repeat)
                for k in range(1, repeat.instances + 1):
                    siblings = {n: repeat.column(k, n) for n in block.names}
                    mine = {n: r for n, r in elsewhere.items() if r != repeat.name}
                    inner = _Scope(siblings, k, counts, mine, repeat)
                    conditions = tuple(filter(None, [inner.expression(block.relevant, where)]))
                    if count is not None:
                        asked = parse(f"number({top.full_text(block.count_text, where)}) >= {k}")
                        conditions += (Expression(f"{count.text} >= {k}", asked.tree),)
                    groups.append((repeat.name, conditions))
                    build(i + 1, block.end, inner)
                    groups.pop()
                i = block.end + 1
                continue
            i += 1
            if not " ".join(row.get("type", "").split()):
                continue
            if base == "begin_group":
                condition = scope.expression(row.get("relevant", ""), where)
                groups.append((row.get("name", ""), (condition,) if condition else ()))
                continue
            if base == "end_group":
                groups.pop()
                continue
            if base not in ANSWER_TYPES | META_TYPES | LAYOUT_TYPES:
                raise FormError(f"{where}: question type {' '.join(row.get('type', '').split())!r} is not supported")
            if base.startswith("select") and list_name not in choices:
                raise FormError(f"{where}: choice list {list_name!r} is not on the choices sheet")
            fields.append(_field(row, base, list_name, number, scope, groups))

    build(0, len(rows), top)
    _check_columns(fields)
    return fields, tuple(repeats)


def _field(row: dict[str, str], base: str, list_name: str, number: int, scope: _Scope,
           groups: list[tuple[str, tuple[Expression, ...]]]) -> Field:
    """One field of the survey sheet, in one instance when ``scope`` is a repeat's."""
    question = row.get("name", "")
    where = f"survey row {number} ({question})"
    repeat = scope.repeat
    own = scope.expression(row.get("relevant", ""), where)
    relevant = tuple(e for _, conditions in groups for e in conditions) + ((own,) if own else ())
    cell = row.get("required", "")
    required: str | None = None
    if cell.lower() not in FALSE_CELLS:
        required = cell if repeat is None and cell.lower() in TRUE_CELLS else scope.full_text(cell, where)
        if repeat is not None and scope.position is not None:
            present = _presence(repeat, scope.position)
            required = present if cell.lower() in TRUE_CELLS else f"({required}) and {present}"
    slot = None
    name = question
    if repeat is not None and scope.position is not None:
        slot = Slot(repeat.name, scope.position, question, repeat.labels)
        name = repeat.column(scope.position, question)
    return Field(
        name=name,
        type=base,
        list_name=list_name or None,
        labels=_by_language(row, "label"),
        required=required,
        relevant=relevant,
        constraint=scope.expression(row.get("constraint", ""), where),
        constraint_message=_by_language(row, "constraint_message"),
        choice_filter=scope.expression(row.get("choice_filter", ""), where),
        groups=tuple(g for g, _ in groups),
        sheet_row=number,
        hints=_by_language(row, "hint"),
        calculation=scope.expression(row.get("calculation", ""), where),
        appearance=row.get("appearance", ""),
        repeat=slot,
        required_cell="" if cell.lower() in FALSE_CELLS else cell,
    )


def _check_columns(fields: list[Field]) -> None:
    """A repeat's wide column must not be the name of another field."""
    seen: dict[str, Field] = {}
    for f in fields:
        if not f.name:
            continue
        other = seen.get(f.name)
        if other is not None and (f.repeat or other.repeat):
            made = f if f.repeat else other
            raise FormError(f"survey row {made.sheet_row} ({made.repeat.question if made.repeat else made.name}): "
                            f"the column {f.name} of repeat {made.repeat.repeat if made.repeat else ''!r} is also "
                            f"the name of the field on survey row {(other if made is f else f).sheet_row}")
        seen[f.name] = f


def _check_references(fields: list[Field], choices: Choices) -> None:
    names = {f.name for f in fields}
    for f in fields:
        where = f"survey row {f.sheet_row} ({f.repeat.question if f.repeat else f.name})"
        expressions = [*f.relevant, f.constraint, f.choice_filter, f.calculation]
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
    fields, repeats = _parse_fields(sheets["survey"], frozen)
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
        repeats=repeats,
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
