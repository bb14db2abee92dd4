"""Progress bars for the long commands that are not ingests (``synth``, ``demo``): Rich, on
stderr so stdout stays the result, and transient so a finished run leaves only its result."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

StepHook = Callable[[int, int, str], None]
"""``(done, total, message)``: ``done`` of ``total`` steps finished, ``message`` says what is next."""


@contextmanager
def step_bar(title: str) -> Iterator[StepHook]:
    """A bar advanced by ``(done, total, message)`` calls; hidden when stderr is not a terminal."""
    from rich.console import Console  # (Rich loads when a bar is shown, not at the CLI's start)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(title, total=None)

        def update(done: int, total: int, message: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{title}: {message}")

        yield update
