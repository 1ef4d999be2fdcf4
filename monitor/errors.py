"""The one root exception of stance-monitor.

Every error the monitor raises on purpose derives from MonitorError, so a caller (the CLI,
a stream agent) can catch "our" failures apart from bugs::

    MonitorError
     ├── FileProblemsError   files a user wrote have problems; one `file:line: what is wrong` message each
     │    ├── RuleError       rule files are invalid (monitor.rules)
     │    ├── TimelineError   a labelled timeline for `eval` is incomplete or malformed (monitor.evaluation)
     │    └── RuleTestError   rule test files (`rules test`) are invalid (monitor.ruletest)
     ├── ArticleError    an incoming article cannot be parsed or lacks fields (monitor.articles)
     ├── DeliveryError   an alert could not be delivered (Slack, Kafka, file)
     │    └── SlackDeliveryError   (monitor.slack) .code, .permanent
     │         ├── SlackTransientError   retry later (5xx, 429, connection); .retry_after
     │         └── SlackPermanentError   dead-letter it (channel_not_found, invalid_auth, ...)
     └── SlackConfigError   Slack settings unusable (bad SLACK_MENTIONS...) (monitor.slack); a ValueError too
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base class of all errors raised on purpose by stance-monitor."""


#: The `reason` codes of ArticleError (the labels of `articles_rejected_total`, with the worker's own).
ARTICLE_REASONS: tuple[str, ...] = (
    "invalid_json",
    "not_an_object",
    "missing_field",
    "invalid_field",
    "future_timestamp",
)


class ArticleError(MonitorError):
    """An article that cannot be used; `reason` (one of ARTICLE_REASONS) is a short code for metrics."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class FileProblemsError(MonitorError):
    """Files a user wrote that have problems: `messages` holds one line per problem, `file:line: what is
    wrong`; str(err) joins them with newlines."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


class RuleError(FileProblemsError):
    """One or more rule files are invalid (raised by monitor.rules.load_rules).

    Each message reads `file:line: where: what is wrong (got X; expected Y)`.
    """


class DeliveryError(MonitorError):
    """An alert that could not be delivered."""


class TimelineError(FileProblemsError):
    """A labelled timeline (articles, labels/shifts.json, labels/sentences.jsonl) that `eval` cannot use."""


class RuleTestError(FileProblemsError):
    """One or more rule test files (`*.test.yaml`, `stance-monitor rules test`) are invalid."""
