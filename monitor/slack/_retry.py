"""Retrying Slack: inside one Web API call, and between calls.

Inside a call, slack_sdk retry handlers: 429 (waits Retry-After), 5xx and connection errors. slack_sdk retries
only connection errors by default and sleeps with `time.sleep`; these handlers take the sleep function (tests
pass a fake clock's) and report each retry (for metrics). A 429 asking for a wait longer than `max_wait` is not
retried here: the call fails as transient and the caller waits instead of blocking.

Between calls, once a call has failed as transient: `retry_wait`, the one policy of both delivery loops (the
in-process outbox, monitor.slack.SlackSink, and the Kafka worker's, streams/delivery.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    HttpRequest,
    HttpResponse,
    Jitter,
    RateLimitErrorRetryHandler,
    RetryHandler,
    RetryState,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from monitor.slack._errors import SlackTransientError

Sleep = Callable[[float], None]
OnRetry = Callable[[], None]
Backoff = Callable[[int], float]

RETRIED_STATUSES = (500, 502, 503, 504)


def _jitter(duration: float) -> float:
    """50-150% of `duration`, so monitors that failed together do not retry in step."""
    return duration * (0.5 + random.random())


def exponential_backoff(attempt: int, *, base: float = 1.0, cap: float = 60.0) -> float:
    """1 s, 2 s, 4 s ... up to a minute, jittered."""
    return _jitter(min(cap, base * 2.0 ** max(attempt - 1, 0)))


def retry_wait(error: SlackTransientError, attempt: int, backoff: Backoff = exponential_backoff) -> float:
    """Seconds to wait after the `attempt`-th transient failure in a row: the backoff, or the 429's
    Retry-After when Slack asked for longer."""
    return max(error.retry_after or 0.0, backoff(attempt))


class ProportionalJitter(Jitter):
    """Jitter of 50-150% of the backoff (slack_sdk's default adds up to 1 s whatever the backoff)."""

    def recalculate(self, duration: float) -> float:
        return _jitter(duration)


def retry_after_seconds(headers: Mapping[str, Any] | None) -> float | None:
    """The Retry-After header in seconds, if present and numeric."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) and value else value
            try:
                return max(float(str(raw)), 0.0)
            except ValueError:
                return None
    return None


class _SleepsWith(RetryHandler):
    """Common part: sleep with the injected function, tell `on_retry`, then let slack_sdk retry."""

    _sleep: Sleep
    _on_retry: OnRetry

    def _wait_for(self, state: RetryState, response: HttpResponse | None) -> float:
        return self.interval_calculator.calculate_sleep_duration(state.current_attempt)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self._on_retry()
        self._sleep(self._wait_for(state, response))
        state.increment_current_attempt()


class RateLimitRetry(_SleepsWith, RateLimitErrorRetryHandler):
    """Waits exactly the 429's Retry-After (1 s if absent), up to `max_wait` seconds."""

    def __init__(self, max_retry_count: int, max_wait: float, sleep: Sleep, on_retry: OnRetry) -> None:
        RateLimitErrorRetryHandler.__init__(self, max_retry_count=max_retry_count)
        self._max_wait = max_wait
        self._sleep = sleep
        self._on_retry = on_retry

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after_seconds(response.headers)
        return wait is None or wait <= self._max_wait

    def _wait_for(self, state: RetryState, response: HttpResponse | None) -> float:
        wait = retry_after_seconds(response.headers) if response is not None else None
        return 1.0 if wait is None else wait


class ServerErrorRetry(_SleepsWith, ServerErrorRetryHandler):
    """Retries 500, 502, 503 and 504 with backoff (slack_sdk's own handler takes only 500 and 503)."""

    def __init__(self, max_retry_count: int, backoff: float, sleep: Sleep, on_retry: OnRetry) -> None:
        ServerErrorRetryHandler.__init__(
            self,
            max_retry_count=max_retry_count,
            interval_calculator=BackoffRetryIntervalCalculator(backoff, ProportionalJitter()),
        )
        self._sleep = sleep
        self._on_retry = on_retry

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in RETRIED_STATUSES


class ConnectionRetry(_SleepsWith, ConnectionErrorRetryHandler):
    """Retries connection errors (refused, reset, timed out) with backoff."""

    def __init__(self, max_retry_count: int, backoff: float, sleep: Sleep, on_retry: OnRetry) -> None:
        ConnectionErrorRetryHandler.__init__(
            self,
            max_retry_count=max_retry_count,
            interval_calculator=BackoffRetryIntervalCalculator(backoff, ProportionalJitter()),
            error_types=[OSError],  # URLError, ConnectionError, TimeoutError, RemoteDisconnected...
        )
        self._sleep = sleep
        self._on_retry = on_retry


def retry_handlers(
    *, max_retries: int, backoff: float, max_retry_after: float, sleep: Sleep, on_retry: OnRetry
) -> list[RetryHandler]:
    return [
        RateLimitRetry(max_retries, max_retry_after, sleep, on_retry),
        ServerErrorRetry(max_retries, backoff, sleep, on_retry),
        ConnectionRetry(max_retries, backoff, sleep, on_retry),
    ]
