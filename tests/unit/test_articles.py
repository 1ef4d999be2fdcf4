from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.articles import Article, SeenIds, parse_article, read_articles
from monitor.errors import ArticleError, MonitorError

GOOD = {
    "id": "a-000123",
    "title": "Russia offers mediation",
    "body": "MOSCOW (CPA) - Russia offered to mediate.",
    "published_at": "2025-06-13T14:22:00Z",
    "source": "Example Wire",
    "url": "https://www.example.org/x",
    "lang": "en",
}


def line(**changes: object) -> str:
    data = {**GOOD, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...})


def reject(raw: str | bytes | dict[str, object]) -> ArticleError:
    with pytest.raises(ArticleError) as info:
        parse_article(raw)
    assert isinstance(info.value, MonitorError)
    return info.value


def test_good_article_from_text_bytes_and_dict() -> None:
    for raw in (line(), line().encode(), dict(GOOD)):
        article = parse_article(raw)
        assert article.id == "a-000123"
        assert article.published_at == datetime(2025, 6, 13, 14, 22, tzinfo=UTC)
        assert article.source == "Example Wire"
        assert article.outlet == "Example Wire"


def test_only_required_fields_and_unknown_fields_kept() -> None:
    article = parse_article(
        json.dumps({"id": "x", "body": "Text.", "published_at": "2025-06-13T14:22:00Z", "extra": [1, 2]})
    )
    assert article.title is None and article.url is None and article.lang is None
    assert article.model_extra == {"extra": [1, 2]}
    assert article.outlet == "unknown"


def test_offset_normalised_to_utc_and_fraction_kept() -> None:
    article = parse_article(line(published_at="2025-06-13T17:22:00.250+03:00"))
    assert article.published_at == datetime(2025, 6, 13, 14, 22, 0, 250000, tzinfo=UTC)
    assert article.published_at.utcoffset() is not None


def test_outlet_falls_back_to_url_host() -> None:
    assert parse_article(line(source=None)).outlet == "example.org"
    assert parse_article(line(source="  ", url="https://news.example/a")).outlet == "news.example"
    assert parse_article(line(source=None, url=None)).outlet == "unknown"


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        ("", "empty message: expected a JSON object"),
        (b"\xff\xfe{", "not valid UTF-8 at byte 0"),
    ],
)
def test_invalid_json(raw: str | bytes, detail: str) -> None:
    err = reject(raw)
    assert err.reason == "invalid_json"
    assert str(err) == detail


@pytest.mark.parametrize(("raw", "kind"), [("[1, 2]", "array"), ('"text"', "string"), ("42", "number")])
def test_not_an_object(raw: str, kind: str) -> None:
    err = reject(raw)
    assert err.reason == "not_an_object"
    assert str(err) == f"expected a JSON object with id, body and published_at (got {kind})"


@pytest.mark.parametrize("name", ["id", "body", "published_at"])
def test_missing_field(name: str) -> None:
    err = reject(line(**{name: ...}))
    assert err.reason == "missing_field"
    assert str(err) == f"{name}: required field is missing"
    err = reject(line(**{name: None}))
    assert err.reason == "missing_field"
    assert str(err) == f"{name}: required field is missing (got null)"


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        (
            {"published_at": "yesterday"},
            'published_at: expected an RFC 3339 timestamp like 2025-06-13T14:22:00Z (got "yesterday")',
        ),
        (
            {"published_at": "2025-06-13T14:22:00"},
            "published_at: expected an RFC 3339 timestamp like 2025-06-13T14:22:00Z, "
            'with a timezone such as Z or +02:00 (got "2025-06-13T14:22:00")',
        ),
        (
            {"published_at": 1749824520},
            "published_at: expected an RFC 3339 timestamp like 2025-06-13T14:22:00Z (got number 1749824520)",
        ),
        (
            {"published_at": "2025-02-30T14:22:00Z"},
            "published_at: expected an RFC 3339 timestamp like 2025-06-13T14:22:00Z; "
            'that date or time does not exist (got "2025-02-30T14:22:00Z")',
        ),
        ({"body": "   "}, 'body: expected non-empty text (got "   ")'),
        ({"body": ["a"]}, 'body: expected the article text as a string (got array ["a"])'),
        ({"id": ""}, 'id: expected a non-empty string (got "")'),
        ({"id": 7}, "id: expected a non-empty string (got number 7)"),
        ({"url": 3}, "url: expected a string or null (got number 3)"),
        ({"title": {"a": 1}}, 'title: expected a string or null (got object {"a": 1})'),
    ],
)
def test_invalid_field(changes: dict[str, object], detail: str) -> None:
    err = reject(line(**changes))
    assert err.reason == "invalid_field"
    assert str(err) == detail


def test_long_bad_value_is_truncated_in_detail() -> None:
    err = reject(line(published_at="x" * 500))
    assert len(str(err)) < 200
    assert str(err).endswith("...)")


def test_direct_construction_rejects_naive_datetime() -> None:
    with pytest.raises(ValueError):
        Article(id="x", body="b", published_at=datetime(2025, 6, 13))  # noqa: DTZ001


def _jsonl() -> str:
    return "\n".join([line(id="a1"), "", "   ", "not json", line(id="a2", body=""), line(id="a3")]) + "\n"


def test_read_articles_from_path_and_streams(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(_jsonl(), encoding="utf-8")
    for source in (path, str(path), io.StringIO(_jsonl()), io.BytesIO(_jsonl().encode())):
        rows = list(read_articles(source))
        assert [n for n, _, _ in rows] == [1, 4, 5, 6]
        assert isinstance(rows[0][1], Article) and rows[0][1].id == "a1"
        assert isinstance(rows[1][1], ArticleError) and rows[1][1].reason == "invalid_json"
        assert rows[1][2] == "not json"
        assert isinstance(rows[2][1], ArticleError) and rows[2][1].reason == "invalid_field"
        assert isinstance(rows[3][1], Article) and rows[3][1].id == "a3"
        assert rows[3][2] == line(id="a3")


def test_seen_ids_dedupes_and_evicts_least_recent() -> None:
    seen = SeenIds(max_size=3)
    assert seen.add("a") and seen.add("b") and seen.add("c")
    assert not seen.add("a")  # re-delivery; "a" becomes most recent
    assert seen.add("d")  # evicts "b"
    assert "b" not in seen and "a" in seen
    assert len(seen) == 3
    assert seen.to_list() == ["c", "a", "d"]
    again = SeenIds.from_list(json.loads(json.dumps(seen.to_list())), max_size=3)
    assert not again.add("c")
    assert again.add("b")
    with pytest.raises(ValueError):
        SeenIds(0)
