"""A small, hand-written evaluator for the subset of ODK XPath that our XLSForms use.

Why hand-written: XLSForm ``relevant``, ``constraint``, ``required`` and ``choice_filter`` cells are
ODK XPath expressions. pyxform converts them into XForm XML but never evaluates them (ODK Collect
and Enketo do that on the device), yet the response import must apply the same skip logic and
constraints to rows that arrive later as CSV or XLSX. The text comes from a spreadsheet, so Python's
``eval`` is out of the question; a general XPath engine (elementpath, lxml) would need each row
turned into an XML instance. What the forms need is small: a tokenizer, a recursive-descent parser
to a frozen AST and a vectorised evaluator, a few hundred lines.

The evaluator is vectorised: an expression is evaluated once over whole columns of responses
(numpy arrays), so validating 60,000 rows costs milliseconds per expression; a single row is just
a column of length one.

Supported, with XPath 1.0 semantics:

* literals ``'text'``, ``"text"``, ``12``, ``0.5``; ``.`` (the current answer); ``${name}`` (another
  answer); a bare ``name`` inside a ``choice_filter`` (a column of the choices sheet);
* ``or``, ``and``, ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``+``, ``-``, ``*``, ``div``,
  ``mod``, unary ``-``, parentheses. Comparison follows XPath 1.0: if either side is a boolean
  both are compared as booleans, else if either side is a number both are compared as numbers
  (an empty answer is ``NaN``, so ``. >= 0`` is false for it), else as strings; ``<`` and
  friends always compare numbers;
* functions ``selected``, ``count-selected``, ``string-length``, ``not``, ``true``, ``false``,
  ``number``, ``int``, ``string``, ``boolean``, ``concat``, ``contains``, ``starts-with``,
  ``regex`` (``re.search``; anchor the pattern), ``if``, ``coalesce``.

Inside a repeat group, :func:`rewrite` turns an expression of one instance into one of the flat
wide columns before it is parsed: ``${name}`` of a field of the same repeat becomes that instance's
column (``${market_2_share}``, ODK's ``current()``-relative reading), ``position(..)`` the instance
number, and ``count(${repeat})`` the number of answered instances (a sum of one test per
instance). These two are rewritten away, never evaluated, so they are not in
:data:`SUPPORTED_FUNCTIONS`.

Anything else (paths, predicates, ``instance()``, dates, ``position()`` outside a repeat ...) is
rejected when the form is loaded, with the expression and the offending token in the message, so a
form never silently escapes validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

Kind = Literal["string", "number", "boolean"]


class XPathError(ValueError):
    """An expression outside the supported subset, or one that does not parse."""


# --- tokens ----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})
    | (?P<number>\d+(?:\.\d*)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<dot>\.)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)
    )""",
    re.VERBOSE,
)

_KEYWORDS = {"and", "or", "div", "mod"}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ref, number, string, op, dot, name, keyword, end
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    stripped_end = len(text.rstrip())
    while pos < stripped_end:
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            char = text[pos:].strip()[:1]
            raise XPathError(f"unexpected character {char!r} at {pos} in {text!r}")
        group = match.lastgroup or ""
        value = match.group(group)
        kind = "keyword" if group == "name" and value in _KEYWORDS else group
        tokens.append(_Token(kind, value, match.start(group)))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# --- AST -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Constant:
    value: str | float


@dataclass(frozen=True, slots=True)
class Current:
    pass


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class ChoiceColumn:
    name: str


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node


Node = Constant | Current | Ref | ChoiceColumn | Call | BinOp | Negate

# function name -> (min args, max args or None)
_ARITY: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "number": (1, 1),
    "int": (1, 1),
    "string": (1, 1),
    "boolean": (1, 1),
    "concat": (1, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "regex": (2, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
}

SUPPORTED_FUNCTIONS = frozenset(_ARITY)


class _Parser:
    """Recursive descent over XPath 1.0 precedence: or < and < equality < relational < additive
    < multiplicative < unary."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise XPathError(f"expected {text!r} at {token.pos} in {self.text!r}, got {token.text!r}")

    def parse(self) -> Node:
        node = self.binary(0)
        token = self.peek()
        if token.kind != "end":
            raise XPathError(f"unexpected {token.text!r} at {token.pos} in {self.text!r}")
        return node

    _LEVELS: tuple[tuple[str, ...], ...] = (
        ("or",),
        ("and",),
        ("=", "!="),
        ("<", "<=", ">", ">="),
        ("+", "-"),
        ("*", "div", "mod"),
    )

    def binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while self.peek().kind in ("op", "keyword") and self.peek().text in self._LEVELS[level]:
            op = self.take().text
            node = BinOp(op, node, self.binary(level + 1))
        return node

    def unary(self) -> Node:
        if self.peek().kind == "op" and self.peek().text == "-":
            self.take()
            return Negate(self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return Constant(float(token.text))
        if token.kind == "string":
            return Constant(token.text[1:-1])
        if token.kind == "dot":
            return Current()
        if token.kind == "ref":
            return Ref(token.text[2:-1])
        if token.kind == "op" and token.text == "(":
            node = self.binary(0)
            self.expect(")")
            return node
        if token.kind == "name":
            if self.peek().text == "(":
                return self.call(token)
            return ChoiceColumn(token.text)
        raise XPathError(f"unexpected {token.text or 'end'!r} at {token.pos} in {self.text!r}")

    def call(self, name: _Token) -> Node:
        if name.text not in _ARITY:
            raise XPathError(
                f"function {name.text}() in {self.text!r} is not in the supported subset ({', '.join(sorted(_ARITY))})"
            )
        self.expect("(")
        args: list[Node] = []
        if self.peek().text != ")":
            args.append(self.binary(0))
            while self.peek().text == ",":
                self.take()
                args.append(self.binary(0))
        self.expect(")")
        low, high = _ARITY[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            raise XPathError(f"{name.text}() takes {low}-{high or 'n'} arguments in {self.text!r}")
        return Call(name.text, tuple(args))


# --- values ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Value:
    """A typed column (or a scalar, broadcast by numpy) produced by evaluating a node."""

    kind: Kind
    data: object
    source: str | None = None  # the field name, when the value is an answer column as given


def _strings(data: object, n: int) -> np.ndarray:
    if isinstance(data, np.ndarray) and data.ndim == 1:
        return data if data.dtype == object else data.astype(object)
    # a constant: a read-only broadcast view, no copy per row
    scalar = np.empty((), dtype=object)
    scalar[()] = data.item() if isinstance(data, np.ndarray) else data
    return np.broadcast_to(scalar, (n,))


def _cached(ctx: Context, value: Value, what: str, make: Callable[[], object]) -> object:
    """Conversions of an answer column are reused within one context (a column referenced by
    several conditions, or by a choice filter evaluated once per choice, is converted once)."""
    if value.source is None:
        return make()
    key = (what, value.source)
    if key not in ctx.cache:
        ctx.cache[key] = make()
    return ctx.cache[key]


def to_number(value: Value, ctx: Context) -> np.ndarray:
    n = ctx.n
    if value.kind in ("number", "boolean"):
        return np.broadcast_to(np.asarray(value.data, dtype=float), (n,))

    def convert() -> np.ndarray:
        text = pd.Series(_strings(value.data, n), dtype=object).str.strip()
        return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)

    return _cached(ctx, value, "number", convert)  # type: ignore[return-value]


def _number_to_string(x: float) -> str:
    if np.isnan(x):
        return "NaN"
    if np.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def to_string(value: Value, ctx: Context) -> np.ndarray:
    n = ctx.n
    if value.kind == "string":
        return _strings(value.data, n)
    if value.kind == "boolean":
        flags = np.broadcast_to(np.asarray(value.data, dtype=bool), (n,))
        return np.where(flags, "true", "false").astype(object)
    numbers = np.broadcast_to(np.asarray(value.data, dtype=float), (n,))
    return np.array([_number_to_string(x) for x in numbers], dtype=object)


def to_boolean(value: Value, ctx: Context) -> np.ndarray:
    n = ctx.n
    if value.kind == "boolean":
        return np.broadcast_to(np.asarray(value.data, dtype=bool), (n,))
    if value.kind == "number":
        numbers = np.broadcast_to(np.asarray(value.data, dtype=float), (n,))
        return (numbers != 0) & ~np.isnan(numbers)
    return np.array([len(s) > 0 for s in _strings(value.data, n)], dtype=bool)


# --- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What names mean while evaluating: answers by field name (arrays of strings, all of length
    ``n``), the current field for ``.``, and choice-sheet columns (scalars) for a choice filter."""

    answers: Mapping[str, np.ndarray]
    n: int
    current: str | None = None
    choice: Mapping[str, str] | None = None
    cache: dict[tuple[str, str], object] = field(default_factory=dict, compare=False, repr=False)

    def for_choice(self, choice: Mapping[str, str]) -> Context:
        """The same answers seen from one choice of a list (the cache is shared)."""
        return Context(self.answers, self.n, self.current, choice, self.cache)


def _compare(op: str, left: Value, right: Value, ctx: Context) -> np.ndarray:
    if op in ("=", "!="):
        if "boolean" in (left.kind, right.kind):
            a, b = to_boolean(left, ctx), to_boolean(right, ctx)
        elif "number" in (left.kind, right.kind):
            a, b = to_number(left, ctx), to_number(right, ctx)
        else:
            a, b = to_string(left, ctx), to_string(right, ctx)
        equal = np.asarray(a == b, dtype=bool)
        return equal if op == "=" else ~equal
    a, b = to_number(left, ctx), to_number(right, ctx)
    with np.errstate(invalid="ignore"):
        result = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    return np.asarray(result, dtype=bool)


def _arithmetic(op: str, left: Value, right: Value, ctx: Context) -> np.ndarray:
    a, b = to_number(left, ctx), to_number(right, ctx)
    with np.errstate(divide="ignore", invalid="ignore"):
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "div":
            return a / b
        return np.fmod(a, b)


def _tokens_of(value: Value, ctx: Context) -> list[frozenset[str]]:
    """The space-separated choices of a ``select_multiple`` answer, per row."""
    return _cached(  # type: ignore[return-value]
        ctx, value, "tokens", lambda: [frozenset(s.split()) for s in to_string(value, ctx)]
    )


def _call(node: Call, ctx: Context) -> Value:
    fn = node.function
    args = [evaluate(arg, ctx) for arg in node.args]
    if fn == "true":
        return Value("boolean", True)
    if fn == "false":
        return Value("boolean", False)
    if fn == "not":
        return Value("boolean", ~to_boolean(args[0], ctx))
    if fn == "boolean":
        return Value("boolean", to_boolean(args[0], ctx))
    if fn == "number":
        return Value("number", to_number(args[0], ctx))
    if fn == "int":
        return Value("number", np.trunc(to_number(args[0], ctx)))
    if fn == "string":
        return Value("string", to_string(args[0], ctx))
    if fn == "string-length":
        return Value("number", np.array([len(s) for s in to_string(args[0], ctx)], dtype=float))
    if fn == "count-selected":
        lists = _tokens_of(args[0], ctx)
        return Value("number", np.array([len(t) for t in lists], dtype=float))
    if fn == "selected":
        lists = _tokens_of(args[0], ctx)
        if not isinstance(args[1].data, np.ndarray):  # one value for every row: the common case
            wanted = to_string(Value(args[1].kind, np.array([args[1].data])), Context({}, 1))[0]
            return Value("boolean", np.array([wanted.strip() in t for t in lists], dtype=bool))
        wanted_rows = to_string(args[1], ctx)
        found = [w.strip() in t for t, w in zip(lists, wanted_rows, strict=True)]
        return Value("boolean", np.array(found, dtype=bool))
    if fn == "concat":
        parts = [to_string(a, ctx) for a in args]
        joined = ["".join(p) for p in zip(*parts, strict=True)]
        return Value("string", np.array(joined, dtype=object))
    if fn in ("contains", "starts-with", "regex"):
        text, pattern = to_string(args[0], ctx), to_string(args[1], ctx)
        test: Callable[[str, str], bool]
        if fn == "contains":
            test = lambda s, p: p in s  # noqa: E731
        elif fn == "starts-with":
            test = lambda s, p: s.startswith(p)  # noqa: E731
        else:
            test = lambda s, p: re.search(p, s) is not None  # noqa: E731
        return Value("boolean", np.array([test(s, p) for s, p in zip(text, pattern, strict=True)]))
    if fn == "if":
        condition = to_boolean(args[0], ctx)
        if args[1].kind == args[2].kind == "number":
            yes, no = to_number(args[1], ctx), to_number(args[2], ctx)
            return Value("number", np.where(condition, yes, no))
        yes_s, no_s = to_string(args[1], ctx), to_string(args[2], ctx)
        return Value("string", np.where(condition, yes_s, no_s).astype(object))
    if fn == "coalesce":
        first, second = to_string(args[0], ctx), to_string(args[1], ctx)
        return Value("string", np.where(first != "", first, second).astype(object))
    raise XPathError(f"function {fn}() is not in the supported subset")  # pragma: no cover


def evaluate(node: Node, ctx: Context) -> Value:
    """Evaluate ``node`` over all ``ctx.n`` rows at once."""
    if isinstance(node, Constant):
        return Value("number" if isinstance(node.value, float) else "string", node.value)
    if isinstance(node, Current):
        if ctx.current is None:
            raise XPathError("'.' used where there is no current answer")
        return Value("string", ctx.answers[ctx.current], ctx.current)
    if isinstance(node, Ref):
        if node.name not in ctx.answers:
            raise XPathError(f"${{{node.name}}} is not a field of the form")
        return Value("string", ctx.answers[node.name], node.name)
    if isinstance(node, ChoiceColumn):
        if ctx.choice is None or node.name not in ctx.choice:
            raise XPathError(f"bare name {node.name!r} is only allowed in a choice_filter")
        return Value("string", ctx.choice[node.name])
    if isinstance(node, Negate):
        return Value("number", -to_number(evaluate(node.operand, ctx), ctx))
    if isinstance(node, Call):
        return _call(node, ctx)
    left, right = evaluate(node.left, ctx), evaluate(node.right, ctx)
    if node.op == "or":
        return Value("boolean", to_boolean(left, ctx) | to_boolean(right, ctx))
    if node.op == "and":
        return Value("boolean", to_boolean(left, ctx) & to_boolean(right, ctx))
    if node.op in ("=", "!=", "<", "<=", ">", ">="):
        return Value("boolean", _compare(node.op, left, right, ctx))
    return Value("number", _arithmetic(node.op, left, right, ctx))


def _walk(node: Node) -> list[Node]:
    out: list[Node] = [node]
    if isinstance(node, Call):
        for arg in node.args:
            out.extend(_walk(arg))
    elif isinstance(node, BinOp):
        out.extend(_walk(node.left) + _walk(node.right))
    elif isinstance(node, Negate):
        out.extend(_walk(node.operand))
    return out


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its source text, AST, and the names it reads."""

    text: str
    tree: Node

    @property
    def references(self) -> frozenset[str]:
        """Field names read through ``${name}``."""
        return frozenset(n.name for n in _walk(self.tree) if isinstance(n, Ref))

    @property
    def choice_columns(self) -> frozenset[str]:
        """Bare names (choice-sheet columns); only meaningful in a ``choice_filter``."""
        return frozenset(n.name for n in _walk(self.tree) if isinstance(n, ChoiceColumn))

    @property
    def uses_current(self) -> bool:
        return any(isinstance(n, Current) for n in _walk(self.tree))

    def evaluate(self, ctx: Context) -> Value:
        return evaluate(self.tree, ctx)

    def truth(self, ctx: Context) -> np.ndarray:
        """The expression's XPath boolean value for every row, as a numpy bool array."""
        return np.array(to_boolean(self.evaluate(ctx), ctx), dtype=bool)


_CACHE: dict[str, Expression] = {}


def parse(text: str) -> Expression:
    """Parse ``text`` (cached: forms repeat expressions such as ``${x} = 'yes'``)."""
    if text not in _CACHE:
        _CACHE[text] = Expression(text, _Parser(text).parse())
    return _CACHE[text]


def evaluate_row(text: str, answers: Mapping[str, str], current: str | None = None) -> object:
    """Convenience for one row of string answers: the expression's value as a Python scalar
    (``bool``, ``float`` or ``str``). Used by tests and the ``form`` command's ``--check``."""
    ctx = Context({k: np.array([v], dtype=object) for k, v in answers.items()}, 1, current)
    value = parse(text).evaluate(ctx)
    if value.kind == "boolean":
        return bool(to_boolean(value, ctx)[0])
    if value.kind == "number":
        return float(to_number(value, ctx)[0])
    return str(to_string(value, ctx)[0])


def rewrite(
    text: str,
    siblings: Mapping[str, str],
    position: int | None,
    counts: Mapping[str, str],
    elsewhere: Mapping[str, str],
) -> tuple[str, str]:
    """``text`` as written in one instance of a repeat, for the flat wide columns.

    ``siblings``: the names of the instance's own fields and their columns (``share`` ->
    ``market_2_share``); ``position``: the instance number (``None`` outside a repeat);
    ``counts``: each repeat's count of answered instances as an expression; ``elsewhere``: fields
    inside a repeat that this expression cannot see (name -> their repeat), refused by name.

    Returns ``(readable, full)``: both with the columns and the position put in; ``readable``
    keeps ``count(${repeat})`` as written (for messages and the codebook), ``full`` has the count
    spelled out and is what is parsed. Works on tokens, so a ``${...}`` inside a string literal is
    left alone."""
    tokens = _tokenize(text)
    readable: list[str] = []
    full: list[str] = []
    at = 0
    i = 0
    while tokens[i].kind != "end":
        token = tokens[i]
        kinds = [t.text if t.kind in ("op", "dot") else t.kind for t in tokens[i + 1 : i + 5]]
        if token.kind == "name" and token.text == "count" and kinds[:3] == ["(", "ref", ")"]:
            name = tokens[i + 2].text[2:-1]
            if name not in counts:
                raise XPathError(f"count() in {text!r} counts the instances of a repeat, and {name!r} is not one")
            end = tokens[i + 3].pos + 1
            readable.append(text[at:end])
            full.append(text[at : token.pos] + counts[name])
            at, i = end, i + 4
            continue
        if token.kind == "name" and token.text == "position" and kinds == ["(", ".", ".", ")"]:
            if position is None:
                raise XPathError(f"position(..) in {text!r} is only meaningful inside a repeat")
            end = tokens[i + 4].pos + 1
            for out in (readable, full):
                out.append(text[at : token.pos] + str(position))
            at, i = end, i + 5
            continue
        if token.kind == "ref":
            name = token.text[2:-1]
            if name in siblings:
                replaced = f"${{{siblings[name]}}}"
            elif name in elsewhere:
                raise XPathError(
                    f"${{{name}}} in {text!r} is a question of repeat {elsewhere[name]!r}: refer to it from inside "
                    f"that repeat, or count its answered instances with count(${{{elsewhere[name]}}})"
                )
            else:
                replaced = token.text
            for out in (readable, full):
                out.append(text[at : token.pos] + replaced)
            at = token.pos + len(token.text)
        i += 1
    readable.append(text[at:])
    full.append(text[at:])
    return "".join(readable), "".join(full)
