"""Help that reads like help: no ``<bool>``, ``<str>``, ``<list[Path]>`` type labels.

Typer (0.2x) prints a Python type label beside every option and argument in ``--help``; for a
statistician ``--help <bool>`` and ``--origin <str>`` are noise. The help text of each option
already says what it takes, so this module gives every parameter a plain label instead:

* flags (``--prepared/--no-prepared``, ``--help``) get none;
* choices show their values (``csv|json``);
* other options show a word from their own name (``--out OUT``, ``--origin-rule RULE``), unless
  their author chose a ``metavar``;
* arguments show nothing in the type column (their name is already in the first column);
* a docstring paragraph wrapped over several source lines is joined into one, so help does not
  break lines in the middle of a sentence (typer's rich help keeps source line breaks); paragraphs
  that look laid out by hand (indented lines, bullets, ``$`` examples, click's ``\b``) are kept.

It runs once on the finished command tree (``label_tree``), so every command, including those
registered by other modules, reads the same way.

It also gives every ``--help`` option the default ``False``: Typer (0.29) coerces an unset
``--help`` (``None``) through a Pydantic adapter, so ``patentreach info --help`` imported Pydantic
(0.1-0.3 s) only to check the root's unused ``--help``; a bool default skips that check.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import typer
from typer.core import TyperArgument, TyperOption


def label_tree(command: typer.core.TyperCommand | typer.core.TyperGroup) -> None:
    """Give every parameter of ``command`` and its subcommands a readable label."""
    command.help = _join_wrapped_paragraphs(command.help)
    help_option = command.get_help_option(typer.Context(command))
    if help_option is not None and help_option.default is None:
        help_option.default = False
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if isinstance(param, TyperOption):
            _label_option(param)
        elif isinstance(param, TyperArgument):
            _label_argument(param)
    for sub in getattr(command, "commands", {}).values():
        label_tree(sub)


def _label_option(option: TyperOption) -> None:
    if option.metavar is not None:
        return
    if option.is_flag or option.count:
        option.metavar = ""
        return
    choices = getattr(option.type_descriptor, "choices", None) if option.type_descriptor.is_choice else None
    if choices:
        option.metavar = "|".join(str(getattr(c, "value", c)) for c in choices)
        return
    long_names = [name for name in option.opts if name.startswith("--")] or option.opts
    option.metavar = long_names[0].lstrip("-").split("-")[-1].upper()


def _label_argument(argument: TyperArgument) -> None:
    if argument.metavar is None:
        argument.metavar = (argument.name or "value").upper()
    no_type: Callable[[typer.Context], str | None] = lambda ctx: None  # noqa: E731
    argument.display_type_rich = no_type  # type: ignore[method-assign]


def _join_wrapped_paragraphs(text: str | None) -> str | None:
    if not text:
        return text
    return "\n\n".join(_join_if_prose(p) for p in inspect.cleandoc(text).split("\n\n"))


_LAID_OUT = ("-", "*", "•", "$", "|", ">", "\b", " ", "\t")


def _join_if_prose(paragraph: str) -> str:
    lines = paragraph.split("\n")
    if any(line.startswith(_LAID_OUT) for line in lines):
        return paragraph
    return " ".join(line.strip() for line in lines)
