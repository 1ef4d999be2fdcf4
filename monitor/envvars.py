"""Reading settings from environment variables: a blank value means the default, a bad one is a ValueError
that names the variable (the CLI prints it as one `configuration error:` line)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TypeVar

N = TypeVar("N", int, float)


def env_text(env: Mapping[str, str], name: str, default: str) -> str:
    return env.get(name, "").strip() or default


def env_int(env: Mapping[str, str], name: str, default: int, *, positive: bool = False) -> int:
    return _number(env, name, default, int, "whole number", positive)


def env_float(env: Mapping[str, str], name: str, default: float, *, positive: bool = False) -> float:
    return _number(env, name, default, float, "number", positive)


def _number(
    env: Mapping[str, str], name: str, default: N, parse: Callable[[str], N], noun: str, positive: bool
) -> N:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    what = f"a positive {noun}" if positive else f"a {noun}"
    try:
        value = parse(raw)
    except ValueError:
        raise ValueError(f"{name} must be {what} (got {raw!r})") from None
    if positive and not 0 < value < math.inf:
        raise ValueError(f"{name} must be {what} (got {raw!r})")
    return value
