"""The CLI's stderr console and its one way to stop on a broken user file."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from rich.console import Console

from monitor.errors import FileProblemsError

err = Console(stderr=True, soft_wrap=True)  # never wrap: `file:line:` messages must stay one line in a pipe

T = TypeVar("T")


def or_exit(read: Callable[[], T]) -> T:
    """`read()`, or, when a file the user wrote is broken, each `file:line:` problem on stderr and exit 2."""
    try:
        return read()
    except FileProblemsError as exc:
        for message in exc.messages:
            err.print(message, markup=False, highlight=False)
        raise typer.Exit(2) from exc
