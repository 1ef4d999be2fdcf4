"""The Slack messages, as Block Kit objects (slack_sdk.models.blocks, whose `to_dict()` enforces Slack's limits).

A headline message per alert; thread replies for follow-up evidence and for the resolution; the headline again,
marked resolved, for `chat.update`. Every piece of article or rule text goes through `escape_mrkdwn`, so it
shows literally: it can never ping `<!channel>`, a user or a group, nor form a link. The only `<...>` in a
message are the links built here (http/https URLs only, labels escaped) and the configured mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from monitor.alerts import Alert, AlertUpdate, Evidence
from monitor.render import describe_counts, format_time, trim_words

#: Quotes shown in the headline message and in one follow-up reply: the first from each distinct outlet.
MAX_QUOTES: Final = 3
#: Longest quote shown, in characters, before escaping (escaping at most quintuples it: 5 * 280 < 3000).
MAX_QUOTE_CHARS: Final = 280
#: Longest outlet name shown.
MAX_SOURCE_CHARS: Final = 80
#: Longest URL turned into a link (after `&` -> `&amp;`); a longer one is left out rather than cut.
MAX_URL_CHARS: Final = 1000
#: Slack's limit for header text.
MAX_HEADER_CHARS: Final = 150

SEVERITY_EMOJI: Final = {
    "info": ":information_source:",
    "low": ":large_blue_circle:",
    "medium": ":large_orange_circle:",
    "high": ":red_circle:",
    "critical": ":rotating_light:",
}
RESOLVED_EMOJI: Final = ":white_check_mark:"

_SAFE_URL = re.compile(r"https?://[^\s<>|\"'`\x00-\x1f\x7f]+", re.IGNORECASE)


@dataclass(frozen=True)
class SlackMessage:
    """One message: Block Kit blocks and the plain fallback `text` (notifications, screen readers)."""

    text: str
    blocks: list[Block]

    def blocks_as_dicts(self) -> list[dict[str, Any]]:
        """The blocks as JSON-ready dicts; raises SlackObjectFormationError if one breaks Slack's limits."""
        return [block.to_dict() for block in self.blocks]


def escape_mrkdwn(text: str) -> str:
    """Escape Slack's control characters so text shows literally: `&`, `<`, `>` (in that order).

    After this no `<!channel>`, `<@U123>` or `<url|label>` in the input can form a mention or a link.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str | None) -> str | None:
    """The URL escaped for use inside `<url|label>`, or None unless it is a plain http(s) URL."""
    if not url or not _SAFE_URL.fullmatch(url):
        return None
    escaped = url.replace("&", "&amp;")
    return escaped if len(escaped) <= MAX_URL_CHARS else None


def slack_link(url: str | None, label: str) -> str:
    """`<url|label>` for a safe http(s) URL; otherwise just the escaped label (an unsafe URL is not shown)."""
    href = safe_url(url)
    return f"<{href}|{escape_mrkdwn(label)}>" if href else escape_mrkdwn(label)


def _plain(text: str, limit: int) -> str:
    # plain_text is not parsed for mentions, but angle brackets from a rule title have no business there.
    return trim_words(text.replace("<", "‹").replace(">", "›"), limit)


def distinct_outlets(evidence: Sequence[Evidence], limit: int = MAX_QUOTES) -> list[Evidence]:
    """The first evidence item from each distinct outlet (in the given order), at most `limit`."""
    chosen: list[Evidence] = []
    seen: set[str] = set()
    for item in evidence:
        outlet = (item.source or item.url or item.article_id).strip().casefold()
        if outlet in seen:
            continue
        seen.add(outlet)
        chosen.append(item)
        if len(chosen) == limit:
            break
    return chosen


def quote_block(item: Evidence) -> SectionBlock:
    """> “quote”  — <url|Outlet> · 2025-06-14 08:00 UTC (verbatim: no auto-linking inside article text)."""
    quote = escape_mrkdwn(trim_words(item.quote, MAX_QUOTE_CHARS))
    source = trim_words(item.source or "unknown outlet", MAX_SOURCE_CHARS)
    when = escape_mrkdwn(format_time(item.published_at))
    return SectionBlock(
        text=MarkdownTextObject(text=f">“{quote}”\n— {slack_link(item.url, source)} · {when}", verbatim=True)
    )


def _more_articles(total: int, shown: int) -> str | None:
    rest = total - shown
    if rest <= 0:
        return None
    return f"+ {rest} more article{'s' if rest != 1 else ''} in the evidence"


def alert_message(
    alert: Alert,
    *,
    mention: str | None = None,
    resolved_at: datetime | None = None,
) -> SlackMessage:
    """The headline message of an alert; with `resolved_at`, the same message marked resolved (no mention)."""
    e = escape_mrkdwn
    actor = alert.actor_name or alert.actor
    target = (alert.target_name or alert.target) if alert.target else None
    counts = describe_counts(alert)
    counts = counts[:1].upper() + counts[1:]
    emoji = RESOLVED_EMOJI if resolved_at else SEVERITY_EMOJI.get(alert.severity, "")
    prefix = "Resolved: " if resolved_at else ""
    mention = None if resolved_at else mention

    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=_plain(f"{emoji} {prefix}{alert.title}", MAX_HEADER_CHARS))),
    ]
    if resolved_at:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"{RESOLVED_EMOJI} Resolved {e(format_time(resolved_at))}: "
                        "the stance is back at its baseline."
                    )
                ]
            )
        )
    summary = f"{mention} " if mention else ""
    blocks.append(SectionBlock(text=MarkdownTextObject(text=f"{summary}*{e(counts)}*")))
    blocks.append(
        SectionBlock(
            fields=[
                MarkdownTextObject(
                    text=f"*Severity*\n{SEVERITY_EMOJI.get(alert.severity, '')} {e(alert.severity)}"
                ),
                MarkdownTextObject(text=f"*Actor*\n{e(actor)}"),
                MarkdownTextObject(text=f"*Stance*\n{e(alert.stance)}"),
                MarkdownTextObject(text=f"*Target*\n{e(target) if target else '—'}"),
                MarkdownTextObject(text=f"*Direction*\n{e(alert.direction)}"),
                MarkdownTextObject(
                    text=f"*Score*\n{alert.score:.2f} (baseline {alert.baseline:.2f}, p = {alert.p_value:.3g})"
                ),
            ]
        )
    )
    quotes = distinct_outlets(alert.evidence)
    if quotes:
        blocks.append(DividerBlock())
        blocks.extend(quote_block(item) for item in quotes)
        more = _more_articles(len(alert.evidence), len(quotes))
        if more:
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    footer = [
        MarkdownTextObject(text=f"rule `{e(alert.rule_id)}`"),
        MarkdownTextObject(
            text=f"window {e(format_time(alert.window_start))} – {e(format_time(alert.window_end))}"
        ),
        MarkdownTextObject(text=f"alert `{e(alert.id)}`"),
    ]
    if alert.labels:
        labels = ", ".join(f"{e(k)}={e(v)}" for k, v in sorted(alert.labels.items()))
        footer.append(MarkdownTextObject(text=f"labels: {labels}"))
    blocks.append(ContextBlock(elements=footer))

    text = f"{prefix}{alert.title} ({alert.severity}): {counts}"
    if quotes:
        first = quotes[0]
        text += f" — “{trim_words(first.quote, 120)}” ({first.source or 'unknown outlet'})"
    fallback = (f"{mention} " if mention else "") + e(text)
    return SlackMessage(text=fallback, blocks=blocks)


def evidence_reply(update: AlertUpdate, title: str) -> SlackMessage:
    """A thread reply with follow-up evidence for an open alert."""
    quotes = distinct_outlets(update.evidence)
    n = len(update.evidence)
    heading = f"More evidence: {n} more article{'s' if n != 1 else ''} ({format_time(update.at)})"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=f"*{escape_mrkdwn(heading)}*"))]
    blocks.extend(quote_block(item) for item in quotes)
    more = _more_articles(n, len(quotes))
    if more:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    text = f"More evidence for {title}"
    if quotes:
        text += f": “{trim_words(quotes[0].quote, 120)}” ({quotes[0].source or 'unknown outlet'})"
    return SlackMessage(text=escape_mrkdwn(text), blocks=blocks)


def resolved_reply(update: AlertUpdate, title: str) -> SlackMessage:
    """The short thread reply when an episode ends."""
    line = f"Resolved {format_time(update.at)}: the stance is back at its baseline."
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"{RESOLVED_EMOJI} {escape_mrkdwn(line)}"))
    ]
    return SlackMessage(text=escape_mrkdwn(f"Resolved: {title}. {line}"), blocks=blocks)
