"""Articles: the input record, its parser with clear errors, a JSONL reader and re-delivery dedupe.

An article is one Kafka message value on topic `articles` or one line of a JSONL file (DESIGN.md, "Article").
`parse_article` never lets a pydantic or json error escape: every problem becomes an `ArticleError` whose
`reason` is a short bounded code (safe for a metric label) and whose `detail` names the field.

An article dated beyond the wall clock plus `InputLimits.max_future_skew` is rejected ("future_timestamp"): one
such article would otherwise carry the event-time clock (watermarks, windows, the lag metric) years ahead for
every rule. Only the future is refused, so a replay of a timeline from any past year works as before.
"""

from __future__ import annotations

import json
import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import IO, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from monitor.errors import ArticleError
from monitor.limits import InputLimits

__all__ = ["Article", "ArticleError", "SeenIds", "parse_article", "read_articles"]

_DEFAULT_LIMITS = InputLimits()  # for callers that pass none (tests, tools)

REQUIRED_FIELDS: tuple[str, ...] = ("id", "body", "published_at")
OPTIONAL_TEXT_FIELDS: tuple[str, ...] = ("title", "source", "url", "lang")

# RFC 3339 date-time: full date, "T" (or "t" or a space, as RFC 3339 section 5.6 allows), time with optional
# fraction, and a mandatory offset ("Z" or +HH:MM).
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$")
_TIMESTAMP_HINT = "expected an RFC 3339 timestamp like 2025-06-13T14:22:00Z"


def _show(value: object, limit: int = 60) -> str:
    """A short, JSON-like rendering of a bad value for an error message."""
    if isinstance(value, datetime):
        text = json.dumps(value.isoformat())
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=repr)
        except (TypeError, ValueError):
            text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _parse_timestamp(value: object) -> datetime:
    """RFC 3339 text (or an aware datetime) to an aware UTC datetime; ValueError with a clear message."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{_TIMESTAMP_HINT}, with a timezone (got {_show(value)})")
        return value.astimezone(UTC)
    if not isinstance(value, str):
        raise ValueError(f"{_TIMESTAMP_HINT} (got {_type_name(value)} {_show(value)})")
    text = value.strip()
    if not _RFC3339.match(text):
        if re.match(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", text):
            raise ValueError(f"{_TIMESTAMP_HINT}, with a timezone such as Z or +02:00 (got {_show(value)})")
        raise ValueError(f"{_TIMESTAMP_HINT} (got {_show(value)})")
    normal = text.replace("t", "T").replace("z", "Z")
    if " " in normal:
        normal = normal.replace(" ", "T", 1)
    # datetime.fromisoformat keeps at most microseconds: trim nanosecond fractions.
    normal = re.sub(r"(\.\d{6})\d+", r"\1", normal)
    try:
        parsed = datetime.fromisoformat(normal)
    except ValueError:
        raise ValueError(
            f"{_TIMESTAMP_HINT}; that date or time does not exist (got {_show(value)})"
        ) from None
    return parsed.astimezone(UTC)


class Article(BaseModel):
    """One news article. Unknown fields are kept (in `model_extra`) and ignored."""

    model_config = ConfigDict(extra="allow")

    id: str
    body: str
    published_at: datetime
    title: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _check_id(cls, value: object) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a non-empty string (got {_type_name(value)} {_show(value)})")
        if not value.strip():
            raise ValueError(f"expected a non-empty string (got {_show(value)})")
        return value

    @field_validator("body", mode="before")
    @classmethod
    def _check_body(cls, value: object) -> str:
        if not isinstance(value, str):
            raise ValueError(
                f"expected the article text as a string (got {_type_name(value)} {_show(value)})"
            )
        if not value.strip():
            raise ValueError(f"expected non-empty text (got {_show(value)})")
        return value

    @field_validator("published_at", mode="before")
    @classmethod
    def _check_published_at(cls, value: object) -> datetime:
        return _parse_timestamp(value)

    @field_validator("title", "source", "url", "lang", mode="before")
    @classmethod
    def _check_optional_text(cls, value: object) -> str | None:
        if value is None or isinstance(value, str):
            return value
        raise ValueError(f"expected a string or null (got {_type_name(value)} {_show(value)})")

    @property
    def outlet(self) -> str:
        """The outlet to credit: `source`, else the url's host, else "unknown"."""
        if self.source and self.source.strip():
            return self.source.strip()
        if self.url:
            try:
                host = urlsplit(self.url.strip()).hostname
            except ValueError:
                host = None
            if host:
                return host.removeprefix("www.")
        return "unknown"


def _first_error(exc: ValidationError) -> ArticleError:
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(part) for part in err.get("loc", ())) or "article"
    ctx = err.get("ctx") or {}
    original = ctx.get("error")
    message = str(original) if isinstance(original, Exception) else str(err.get("msg", "is not valid"))
    if err.get("type") == "missing":
        return ArticleError("missing_field", f"{loc}: required field is missing")
    return ArticleError("invalid_field", f"{loc}: {message}")


def _skew(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:g} days" if hours >= 24 else f"{hours:g} hours"


def _check_event_time(article: Article, max_future_skew: timedelta, now: datetime | None = None) -> Article:
    """`article`, or ArticleError "future_timestamp" when its published_at is more than `max_future_skew`
    ahead of `now` (default: the wall clock, UTC)."""
    now = datetime.now(UTC) if now is None else now
    if article.published_at > now + max_future_skew:
        raise ArticleError(
            "future_timestamp",
            f"published_at: {_show(article.published_at)} is more than {_skew(max_future_skew)} ahead of the "
            f"clock ({now.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}); expected the time it was published "
            "(STANCE_MONITOR_MAX_FUTURE_SKEW sets the tolerance)",
        )
    return article


def parse_article(
    line: str | bytes | bytearray | Mapping[str, Any],
    limits: InputLimits | None = None,
    now: datetime | None = None,
) -> Article:
    """Parse one JSON object (text, bytes or an already decoded mapping) into an Article.

    Raises ArticleError with reason "invalid_json", "not_an_object", "missing_field", "invalid_field" or
    "future_timestamp" (published_at beyond `now`, default the wall clock, plus `limits.max_future_skew`).
    """
    data: object
    if isinstance(line, bytes | bytearray):
        try:
            line = bytes(line).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArticleError("invalid_json", f"not valid UTF-8 at byte {exc.start}") from None
    if isinstance(line, str):
        text = line.strip()
        if not text:
            raise ArticleError("invalid_json", "empty message: expected a JSON object")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ArticleError(
                "invalid_json", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
        except RecursionError:
            raise ArticleError("invalid_json", "not valid JSON: nested too deeply") from None
    else:
        data = line
    if not isinstance(data, Mapping):
        raise ArticleError(
            "not_an_object", f"expected a JSON object with id, body and published_at (got {_type_name(data)})"
        )
    for name in REQUIRED_FIELDS:
        if name not in data:
            raise ArticleError("missing_field", f"{name}: required field is missing")
        if data[name] is None:
            raise ArticleError("missing_field", f"{name}: required field is missing (got null)")
    try:
        article = Article.model_validate(dict(data))
    except ValidationError as exc:
        raise _first_error(exc) from None
    return _check_event_time(article, (limits or _DEFAULT_LIMITS).max_future_skew, now)


PathOrStream = str | os.PathLike[str] | IO[str] | IO[bytes] | Iterable[str] | Iterable[bytes]


def _lines(source: PathOrStream) -> Iterator[str | bytes]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield from handle
    else:
        yield from source


def read_articles(
    source: PathOrStream, limits: InputLimits | None = None
) -> Iterator[tuple[int, Article | ArticleError, str]]:
    """Yield (line_number, Article or ArticleError, raw_line) for each non-blank line of a JSONL source.

    `source` is a path, a text or binary stream, or any iterable of lines. Line numbers count from 1 and
    include blank lines, so they match what an editor shows. `raw_line` has its line ending removed.
    """
    for number, line in enumerate(_lines(source), start=1):
        raw = bytes(line).decode("utf-8", errors="replace") if isinstance(line, bytes | bytearray) else line
        raw = raw.rstrip("\r\n")
        if not raw.strip():
            continue
        try:
            result: Article | ArticleError = parse_article(line, limits)
        except ArticleError as exc:
            result = exc
        yield number, result, raw


class SeenIds:
    """A bounded memory of processed article ids, so a re-delivered article is not counted twice.

    `add` returns False for an id already held. When full, the least recently seen id is forgotten.
    """

    def __init__(self, max_size: int = 1_000_000) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.max_size = max_size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, article_id: str) -> bool:
        if article_id in self._ids:
            self._ids.move_to_end(article_id)
            return False
        self._ids[article_id] = None
        while len(self._ids) > self.max_size:
            self._ids.popitem(last=False)
        return True

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def to_list(self) -> list[str]:
        """The ids held, oldest first (a JSON-compatible state)."""
        return list(self._ids)

    @classmethod
    def from_list(cls, ids: Iterable[str], max_size: int = 1_000_000) -> SeenIds:
        seen = cls(max_size)
        for article_id in ids:
            seen.add(article_id)
        return seen
