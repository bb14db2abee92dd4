"""``--help`` in framed panels, printed without Rich (so the CLI starts at once).

Why: Typer's own help (``typer.rich_utils``) imports Rich's console, tables, Markdown (with
markdown-it) and tracebacks (with Pygments) before it prints a line: about 0.15 s of the 0.38 s
``patentreach --help`` took on a quiet machine (issue #20). The CLI therefore runs Typer in
plain mode (``rich_markup_mode=None``: click's formatter, no Rich at start) and this module
gives click's formatter the same shape as before: the usage line, the help text, then the
arguments, options and commands each in a box (``╭─ Options ─╮ … ╰─╯``), one row per item, the
whole first paragraph of a command's help in a group's list (click would cut it to one line
ending in ``...``), as wide as the terminal (``$COLUMNS``), words never split at hyphens (option
names stay whole). No colours: Rich is imported only by the commands that print tables or
progress bars.

``panel_tree`` is applied to every built command (as ``help_labels.label_tree`` is).
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import typer
from typer._click.formatting import HelpFormatter

# Widths as Rich measured them: the terminal's (or $COLUMNS), never under this.
MIN_WIDTH = 40
FIRST_COLUMN_MAX = 30
COLUMN_GAP = 2


class PanelHelpFormatter(HelpFormatter):
    """Click's help formatter drawing each section as a framed panel."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        # (click's own width is min(terminal, 80) - 2, and 80 under its test runner; Rich used the
        # terminal's whole width, which the help's readers and tests were used to)
        super().__init__(indent_increment, width=width or max(shutil.get_terminal_size().columns, MIN_WIDTH),
                         max_width=max_width)
        self._frames: list[list[str]] = []

    def write_text(self, text: str) -> None:
        """Each paragraph wrapped to the width; lines laid out by hand (bullets, indented lines,
        click's ``\\b`` blocks) kept as lines (click would join them into one)."""
        indent = " " * self.current_indent
        width = self._inner_width() - self.current_indent
        paragraphs = []
        for paragraph in text.split("\n\n"):
            lines = paragraph.split("\n")
            if lines and lines[0].strip() == "\b":
                lines = lines[1:]
            elif not _laid_out(lines):
                lines = [" ".join(line.strip() for line in lines)]
            paragraphs.append("\n".join(_wrap(line, width, indent) for line in lines))
        self.write("\n\n".join(paragraphs) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = FIRST_COLUMN_MAX,
                 col_spacing: int = COLUMN_GAP) -> None:
        """Two columns: a name (and its metavar), then its help wrapped beside it; a name wider
        than ``col_max`` puts its help on the next line, as click does."""
        rows = list(rows)
        if not rows:
            return
        indent = " " * self.current_indent
        first = min(max(len(name) for name, *_ in rows), col_max) + col_spacing
        text_width = max(self._inner_width() - self.current_indent - first, 10)
        for name, *rest in rows:
            help_text = rest[0] if rest else ""
            lines = _wrap_paragraphs(help_text, text_width) if help_text else []
            if not lines:
                self.write(f"{indent}{name}\n")
                continue
            if len(name) > first - col_spacing:
                self.write(f"{indent}{name}\n")
                lines_out = lines
            else:
                self.write(f"{indent}{name.ljust(first)}{lines[0]}\n")
                lines_out = lines[1:]
            for line in lines_out:
                self.write(f"{indent}{' ' * first}{line}\n")

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        """The section's lines framed: ``╭─ name ─…─╮``, ``│ line │``, ``╰─…─╯``."""
        self.write_paragraph()
        outer, self.buffer = self.buffer, []
        indent, self.current_indent = self.current_indent, 0
        self._frames.append(outer)
        try:
            yield
        finally:
            body, self.buffer = "".join(self.buffer), self._frames.pop()
            self.current_indent = indent
            self.write(_frame(name, body.rstrip("\n").split("\n"), self.width))

    def write_paragraph(self) -> None:
        # (panels follow each other without a blank line, as Rich printed them)
        if self.buffer and not self.buffer[-1].endswith("╯\n"):
            self.write("\n")

    def _inner_width(self) -> int:
        """The width text may take: inside a panel, the panel's inside."""
        return self.width - 4 if self._frames else self.width


def _laid_out(lines: list[str]) -> bool:
    return len(lines) > 1 and any(line[:1] in (" ", "\t", "-", "*", "•", "$", "|", ">") for line in lines)


def _wrap(line: str, width: int, indent: str) -> str:
    if not line.strip():
        return ""
    hanging = indent + " " * (len(line) - len(line.lstrip()))
    if line.lstrip().startswith(("- ", "* ", "• ")):
        hanging += "  "
    return "\n".join(textwrap.wrap(line, width + len(indent), initial_indent=indent, subsequent_indent=hanging,
                                   break_on_hyphens=False)) or indent


def _wrap_paragraphs(text: str, width: int) -> list[str]:
    """Help of an option or command: paragraphs joined into lines and wrapped (as Rich did)."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        lines += textwrap.wrap(" ".join(paragraph.split()), width, break_on_hyphens=False) or [""]
    return lines


def _frame(title: str, lines: list[str], width: int) -> str:
    inner = width - 4
    top = f"╭─ {title} " + "─" * max(width - len(title) - 5, 0) + "╮"
    middle = [f"│ {line.ljust(inner)} │" for line in lines]
    return "\n".join([top, *middle, "╰" + "─" * (width - 2) + "╯"]) + "\n"


class PanelContext(typer.Context):
    """A context whose help formatter draws panels."""

    formatter_class = PanelHelpFormatter


def panel_tree(command: typer.core.TyperCommand | typer.core.TyperGroup) -> None:
    """Give ``command`` and its subcommands panelled help, and a group's list of commands the
    whole first paragraph of each command's help."""
    command.context_class = PanelContext
    if command.short_help is None and command.help:
        command.short_help = _first_paragraph(command.help)
    for sub in getattr(command, "commands", {}).values():
        panel_tree(sub)


def _first_paragraph(text: str) -> str:
    import inspect

    first = inspect.cleandoc(text).partition("\f")[0].split("\n\n")[0]
    return " ".join(first.replace("\b", "").split())
