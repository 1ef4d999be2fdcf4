"""The one wait between Slack delivery attempts, shared by the in-process outbox and the Kafka worker."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

import streams.delivery
from monitor.slack import SlackTransientError, exponential_backoff, retry_wait
from streams.delivery import SlackDelivery, TableStore
from streams.settings import StreamSettings


@pytest.mark.parametrize(("attempt", "nominal"), [(1, 1.0), (2, 2.0), (3, 4.0), (7, 60.0), (30, 60.0)])
def test_the_backoff_doubles_up_to_a_minute_with_jitter(attempt: int, nominal: float) -> None:
    waits = [exponential_backoff(attempt) for _ in range(200)]
    assert all(0.5 * nominal <= w <= 1.5 * nominal for w in waits)
    assert len(set(waits)) > 1  # jittered, so monitors that failed together do not retry in step


def test_slack_s_retry_after_wins_when_longer() -> None:
    limited = SlackTransientError("ratelimited", "a1", retry_after=90.0)
    assert retry_wait(limited, 1, lambda attempt: 5.0) == 90.0
    assert retry_wait(limited, 9, lambda attempt: 120.0) == 120.0
    assert retry_wait(SlackTransientError("http_5xx", "a1"), 3, lambda attempt: attempt * 10.0) == 30.0


def test_the_worker_waits_by_the_same_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    failures = [
        SlackTransientError("ratelimited", "a1", retry_after=90.0),
        SlackTransientError("http_5xx", "a1"),
        SlackTransientError("http_5xx", "a1"),
    ]
    posts: list[str] = []

    def post() -> None:
        posts.append("a1")
        if failures:
            raise failures.pop(0)

    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(streams.delivery.asyncio, "sleep", no_sleep)
    # only what the retry loop uses; the Faust app, topics and notifier are not needed for it
    delivery = SlackDelivery.__new__(SlackDelivery)
    delivery.settings = StreamSettings()
    delivery.store = TableStore({})  # type: ignore[arg-type]  # a dict stands in for the Faust table
    delivery.executor = ThreadPoolExecutor(max_workers=1)
    asyncio.run(delivery._with_retries(post, "a1", b"{}", 0))
    delivery.executor.shutdown()

    assert len(posts) == 4
    assert waits[0] == 90.0  # the 429's Retry-After
    assert 1.0 <= waits[1] <= 3.0 and 2.0 <= waits[2] <= 6.0  # 2 s and 4 s, jittered
