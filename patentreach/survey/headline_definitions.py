"""The headline indicators' definitions: ``instrument/headlines.yaml`` read and checked.

Kept apart from the estimation (:mod:`headlines`) because the file is data a statistician edits:
this module's one job is to turn it into frozen objects or fail in one line naming the file, the
line and the indicator. Expressions are parsed by :mod:`xpath_subset` (the forms' own subset) and
every ``${name}`` must be a question of the unit's form or a ``derived`` variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from patentreach.survey.instrument.form import Form, load_form
from patentreach.survey.xpath_subset import Expression, XPathError, parse

UNITS = {"holder": "enterprise_id", "patent": "patent_id"}
FORMS = {"holder": "holder", "patent": "patent"}
LANGUAGES = ("zh", "en")
MESSAGES = ("no_estimate", "no_data", "no_interval")
_INDICATOR_KEYS = {
    "key",
    "unit",
    "label",
    "sentence",
    "population",
    "denominator",
    "numerator",
    "published",
    "breakdowns",
    "__line__",
}


class HeadlineError(ValueError):
    """An indicator file or an input that cannot be used: the message names the file, the
    indicator (and its line) or the record, and what is wrong."""


@dataclass(frozen=True)
class Derived:
    """A select_multiple answer restricted to the choices that pass a choice filter, e.g. the
    partner countries that are Belt and Road signatories."""

    name: str
    source: str
    choice_filter: Expression
    definition: dict[str, str]


@dataclass(frozen=True)
class Indicator:
    key: str
    unit: str
    label: dict[str, str]
    sentence: dict[str, str]
    population: Expression | None
    denominator: Expression
    numerator: Expression
    published: dict[str, Any]
    breakdowns: tuple[str, ...]
    line: int

    def definition(self) -> dict[str, str]:
        """The three expressions as written (the table's definition columns)."""
        return {
            "population": self.population.text if self.population else "all units",
            "denominator": self.denominator.text,
            "numerator": self.numerator.text,
        }


@dataclass(frozen=True)
class Indicators:
    """The whole file: its version and provenance, messages, breakdowns and indicators."""

    version: str
    date: str
    source: str
    method: dict[str, str]
    messages: dict[str, dict[str, str]]
    breakdowns: dict[str, dict[str, Any]]
    derived: dict[str, Derived]
    indicators: tuple[Indicator, ...]
    path: str

    def get(self, key: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        keys = ", ".join(i.key for i in self.indicators)
        raise HeadlineError(f"no headline {key!r} in {self.path}; choose one of {keys}")

    def message(self, name: str, lang: str, **values: str) -> str:
        return in_language(self.messages[name], lang).format(**values)


class _LineLoader(yaml.SafeLoader):
    """Records the line of each mapping (``__line__``) so errors can point at it."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def default_path() -> Path:
    return Path(str(resources.files("patentreach.survey.instrument") / "headlines.yaml"))


def load_indicators(path: str | Path | None = None) -> Indicators:
    """Read and check an indicator file (the bundled one by default): every expression parses and
    names only variables of its unit's form (or a derived variable); errors name the indicator and
    the line."""
    return _load_indicators(str(Path(path).resolve()) if path else str(default_path()))


@cache
def _load_indicators(path: str) -> Indicators:
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LineLoader)  # a SafeLoader subclass
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        raise HeadlineError(f"{path}{where}: cannot read the indicator file ({problem})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), list):
        raise HeadlineError(f"{path}: an indicator file is a mapping with a list under 'indicators'")
    for key in ("version", "messages", "method", "breakdowns"):
        if key not in raw:
            raise HeadlineError(f"{path}: missing {key!r}")
    for name in MESSAGES:
        texts = raw["messages"].get(name) if isinstance(raw["messages"], dict) else None
        if not isinstance(texts, dict) or any(not texts.get(lang) for lang in LANGUAGES):
            raise HeadlineError(f"{path}: messages: {name!r} needs both zh and en")
    forms = {unit: load_form(name) for unit, name in FORMS.items()}
    derived = {
        name: _derived(path, name, spec, forms["holder"])
        for name, spec in (raw.get("derived") or {}).items()
        if name != "__line__"
    }
    breakdowns = {k: _strip_lines(v) for k, v in raw["breakdowns"].items() if k != "__line__"}
    seen: set[str] = set()
    indicators = []
    for spec in raw["indicators"]:
        indicator = _indicator(path, spec, forms, derived, breakdowns)
        if indicator.key in seen:
            raise HeadlineError(f"{path}, line {indicator.line}: indicator {indicator.key!r} is defined twice")
        seen.add(indicator.key)
        indicators.append(indicator)
    return Indicators(
        version=str(raw["version"]),
        date=str(raw.get("date", "")),
        source=str(raw.get("source", "")),
        method=_strip_lines(raw["method"]),
        messages=_strip_lines(raw["messages"]),
        breakdowns=breakdowns,
        derived=derived,
        indicators=tuple(indicators),
        path=path,
    )


def _derived(path: str, name: str, spec: dict, form: Form) -> Derived:
    where = f"{path}, line {spec.get('__line__', '?')}: derived variable {name!r}"
    source = spec.get("from", "")
    try:
        field = form.field(source)
    except KeyError:
        raise HeadlineError(f"{where}: 'from' names {source!r}, not a question of the holder form") from None
    if field.type != "select_multiple" or not field.list_name:
        raise HeadlineError(f"{where}: 'from' must be a select_multiple question ({source} is {field.type})")
    try:
        choice_filter = parse(str(spec.get("choice_filter", "")))
    except XPathError as exc:
        raise HeadlineError(f"{where}: {exc}") from None
    columns = {"name"} | {k for c in form.choices[field.list_name] for k in c.attributes}
    unknown = choice_filter.choice_columns - columns
    if unknown or choice_filter.references:
        bad = sorted(unknown | choice_filter.references)
        raise HeadlineError(f"{where}: the choice_filter reads {bad}, not columns of list {field.list_name!r}")
    return Derived(name, source, choice_filter, _strip_lines(spec.get("definition", {})))


def _indicator(
    path: str, spec: Any, forms: dict[str, Form], derived: dict[str, Derived], breakdowns: dict
) -> Indicator:
    line = spec.get("__line__", "?") if isinstance(spec, dict) else "?"
    key = spec.get("key", "?") if isinstance(spec, dict) else "?"
    where = f"{path}, line {line}: indicator {key!r}"
    if not isinstance(spec, dict):
        raise HeadlineError(f"{where}: each indicator is a mapping")
    unknown = set(spec) - _INDICATOR_KEYS
    if unknown:
        raise HeadlineError(f"{where}: unknown keys {sorted(unknown)}")
    for needed in ("key", "unit", "label", "sentence", "denominator", "numerator"):
        if needed not in spec:
            raise HeadlineError(f"{where}: missing {needed!r}")
    unit = spec["unit"]
    if unit not in UNITS:
        raise HeadlineError(f"{where}: unit {unit!r} is not one of {', '.join(UNITS)}")
    names = {f.name for f in forms[unit].fields} | (set(derived) if unit == "holder" else set())

    def expression(name: str) -> Expression | None:
        text = spec.get(name)
        if text is None:
            return None
        try:
            parsed = parse(str(text))
        except XPathError as exc:
            raise HeadlineError(f"{where}: {name}: {exc}") from None
        missing = parsed.references - names
        if missing:
            raise HeadlineError(
                f"{where}: {name} {parsed.text!r} names {', '.join(sorted(missing))}, not a variable of the {unit} form"
            )
        if parsed.choice_columns:
            raise HeadlineError(f"{where}: {name}: bare name in {parsed.text!r} (write ${{name}})")
        return parsed

    for text_key in ("label", "sentence"):
        texts = spec[text_key]
        if not isinstance(texts, dict) or any(not texts.get(lang) for lang in LANGUAGES):
            raise HeadlineError(f"{where}: {text_key} needs both zh and en")
    for lang in LANGUAGES:
        try:
            spec["sentence"][lang].format(estimate="", ci="", ci_lower="", ci_upper="", level="", n="")
        except (KeyError, IndexError, ValueError) as exc:
            raise HeadlineError(f"{where}: sentence ({lang}) has an unknown placeholder {exc}") from None
    chosen = tuple(spec.get("breakdowns") or ())
    for b in chosen:
        if b not in breakdowns:
            raise HeadlineError(f"{where}: breakdown {b!r} is not defined under 'breakdowns'")
    denominator, numerator = expression("denominator"), expression("numerator")
    assert denominator is not None and numerator is not None
    return Indicator(
        key=str(key),
        unit=unit,
        label=_strip_lines(spec["label"]),
        sentence=_strip_lines(spec["sentence"]),
        population=expression("population"),
        denominator=denominator,
        numerator=numerator,
        published=_strip_lines(spec.get("published") or {}),
        breakdowns=chosen,
        line=int(line) if isinstance(line, int) else 0,
    )


def in_language(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")
