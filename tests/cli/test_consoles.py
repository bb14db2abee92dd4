"""Rich's names in the command modules stand for Rich's own objects, made on first use
(``cli/consoles.py``), so a command prints exactly as with Rich imported at the top."""

from __future__ import annotations

import io

from rich.console import Console as RichConsole
from rich.table import Table as RichTable
from rich.text import Text as RichText

from patentreach.cli.consoles import Table, Text, escape, lazy_console


def test_a_deferred_name_makes_richs_own_object():
    table = Table(title="offices")
    assert type(table) is RichTable and table.title == "offices"
    assert type(Text.assemble(("error:", "red"), " x")) is RichText
    assert escape("[red]") == "\\[red]"


def test_a_lazy_console_is_made_on_first_use_with_its_options():
    console = lazy_console(file=io.StringIO(), width=30, highlight=False)
    assert object.__getattribute__(console, "_console") is None
    console.print("[bold]note:[/bold] written")
    real = console.real()
    assert type(real) is RichConsole and real.width == 30
    assert real.file.getvalue() == "note: written\n"


def test_assignments_and_with_reach_the_real_console():
    console = lazy_console(file=io.StringIO())
    console.soft_wrap = True
    assert console.real().soft_wrap is True
    with console as entered:
        assert entered is console.real()
