"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

try:
    from tests.slack_server import SlackServer
except ImportError:  # tests/ is not a package and the repo root is not on sys.path
    from slack_server import SlackServer  # type: ignore[no-redef]


@pytest.fixture
def slack_server() -> Iterator[SlackServer]:
    """A local Slack Web API (tests/slack_server.py): `.url` is its base URL, `.token` its token."""
    with SlackServer() as server:
        yield server


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> Callable[[Mapping[str, str]], None]:
    """Sets the variables a settings test reads, after removing the real environment's KAFKA_*, SLACK_*,
    STANCE_MONITOR_* and XDG_STATE_HOME (settings read names in any case), so a developer's own do not leak in."""
    for name in list(os.environ):
        if name.upper().startswith(("KAFKA_", "SLACK_", "STANCE_MONITOR_", "XDG_STATE_HOME")):
            monkeypatch.delenv(name)

    def set_environ(values: Mapping[str, str]) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_environ


@pytest.fixture(scope="session")
def embedder() -> Any:
    """The real all-MiniLM-L6-v2 model, loaded offline once per test session."""
    from monitor.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def head() -> Any:
    from monitor.stance import StanceHead

    return StanceHead.from_table()


@pytest.fixture(scope="session")
def fixture_rules() -> Any:
    from monitor.rules import load_rules

    return load_rules(FIXTURES / "rules.yaml")
