"""The one code path from articles to alerts.

`replay`, `run` and the Faust worker all call Pipeline.process(); only how articles arrive and
where alerts go differs. A batch goes through these steps:

    dedupe ids -> group near-duplicate stories -> split into sentences and keep those naming an actor
    -> embed (one batch) -> judge each (sentence, rule key) -> one observation per (article, key)
    -> each rule's event-time detector -> alerts

State (seen ids, story index, detectors) is plain data: to_state()/from_state() round-trip it as JSON.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from monitor.actors import ActorMatcher
from monitor.articles import Article, SeenIds
from monitor.detector import Decision, DetectorConfig, ShiftDetector
from monitor.metrics import Metrics
from monitor.rules import RuleDef, RuleSet
from monitor.stance import StanceScorer
from monitor.stories import StoryIndex
from monitor.text import strip_dateline
from monitor.types import Alert, Evidence, Judgement, Observation, StanceKey

log = logging.getLogger(__name__)

MAX_EVIDENCE = 5
QUOTE_WINDOW = timedelta(days=3)
MAX_QUOTES = 50_000
_NOT_WORDS = re.compile(r"[^a-z]+")


def _fingerprint(sentence: str) -> str:
    return _NOT_WORDS.sub(" ", strip_dateline(sentence)[0].lower()).strip()


def detector_config(rule: RuleDef) -> DetectorConfig:
    return DetectorConfig(
        direction=rule.direction,
        window=rule.window,
        baseline=rule.baseline,
        min_evidence=rule.min_evidence,
        min_sources=rule.min_sources,
        cooldown=rule.cooldown,
        alpha=rule.alpha,
        min_ratio=rule.min_ratio,
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def alert_id(rule: RuleDef, fired_at: datetime) -> str:
    """Stable across replays and re-deliveries: the rule and the event time that completed the condition."""
    return f"{rule.id}:{_iso(fired_at)}"


@dataclass
class BatchResult:
    alerts: list[Alert]
    observations: list[Observation]
    processed: int
    duplicates: int


class Pipeline:
    """Articles in, alerts out. Not thread-safe: one pipeline per worker/partition."""

    def __init__(self, rules: RuleSet, scorer: StanceScorer, metrics: Metrics | None = None) -> None:
        self.metrics = metrics
        self.scorer = scorer
        self.seen = SeenIds()
        self.stories = StoryIndex()
        self.detectors: dict[str, ShiftDetector] = {}
        self.started_at: datetime | None = None
        self._quotes: dict[tuple[StanceKey, str], tuple[str, datetime]] = {}
        self.set_rules(rules)

    def set_rules(self, rules: RuleSet) -> None:
        """Swap in a new rule set; detectors of rules that did not change keep their state."""
        old = getattr(self, "rules", None)
        self.rules = rules
        self.scorer.set_rules(rules)
        self.matcher = ActorMatcher({a.id: a.aliases for a in rules.actors.values()})
        self.active_rules = [r for r in rules.rules if r.enabled]
        self.keys: list[StanceKey] = rules.keys()
        kept: dict[str, ShiftDetector] = {}
        for rule in self.active_rules:
            previous = self.detectors.get(rule.id)
            # `is not None`, not truthiness: a detector with no stories yet has len() == 0
            if previous is not None and old is not None and _same_rule(old, rule):
                kept[rule.id] = previous
            else:
                kept[rule.id] = self._new_detector(rule)
        self.detectors = kept
        if self.metrics:
            self.metrics.rules_loaded.set(len(self.active_rules))

    def _new_detector(self, rule: RuleDef) -> ShiftDetector:
        return ShiftDetector(detector_config(rule), started_at=self.started_at)

    # -- processing ---------------------------------------------------------------------------

    def process(self, articles: Sequence[Article], now: datetime | None = None) -> BatchResult:
        """Process a batch (any order; it is sorted by event time) and return the alerts it fired."""
        fresh: list[Article] = []
        duplicates = 0
        for article in articles:
            if self.seen.add(article.id):
                fresh.append(article)
            else:
                duplicates += 1
        if self.metrics and duplicates:
            self.metrics.articles_duplicate.inc(duplicates)
        fresh.sort(key=lambda a: (a.published_at, a.id))
        if not fresh:
            return BatchResult([], [], 0, duplicates)
        if self.started_at is None:
            self.started_at = fresh[0].published_at
            for rule in self.active_rules:
                self.detectors[rule.id] = self._new_detector(rule)

        observations = self.observe(fresh)
        alerts: list[Alert] = []
        by_key: dict[StanceKey, list[RuleDef]] = {}
        for rule in self.active_rules:
            by_key.setdefault(rule.key, []).append(rule)
        for obs in observations:
            for rule in by_key.get(obs.key, []):
                decision = self.detectors[rule.id].observe(obs)
                if decision is not None:
                    alerts.append(self._alert(rule, decision))
        if self.metrics:
            self.metrics.articles_processed.inc(len(fresh))
            self.metrics.record_event_time(fresh[-1].published_at, now or datetime.now(UTC))
            for alert in alerts:
                self.metrics.alerts_fired.labels(rule=alert.rule_id, severity=alert.severity).inc()
        return BatchResult(alerts, observations, len(fresh), duplicates)

    def observe(self, articles: Sequence[Article]) -> list[Observation]:
        """Score a batch of articles into observations (one per article and key whose actor it names)."""
        story_ids = [self.stories.assign(a.id, a.published_at, a.body) for a in articles]
        per_article = [self.matcher.sentences(a.id, a.body) for a in articles]
        flat = [s for sentences in per_article for s in sentences]
        started = time.perf_counter()
        prepared = self.scorer.prepare([s.text for s in flat])
        judgements = self.scorer.judge(prepared, self.keys)
        if self.metrics:
            self.metrics.sentences_matched.inc(len(flat))
            self.metrics.sentences_embedded.inc(len(flat))
            if flat:
                self.metrics.embedding_batch_size.observe(len(flat))
                self.metrics.embedding_duration.observe(time.perf_counter() - started)

        observations: list[Observation] = []
        offset = 0
        for article, story_id, sentences in zip(articles, story_ids, per_article, strict=True):
            rows = judgements[offset : offset + len(sentences)]
            named = [{m.actor_id for m in p.mentions} for p in prepared[offset : offset + len(sentences)]]
            offset += len(sentences)
            for j, key in enumerate(self.keys):
                indices = [i for i, actors in enumerate(named) if key.actor in actors]
                if not indices:
                    continue
                best_index, best = _strongest([(i, rows[i][j]) for i in indices])
                quote = sentences[best_index].text
                obs = Observation(
                    key=key,
                    article_id=article.id,
                    story_id=self._quote_story(key, quote, story_id, article.published_at),
                    source=article.outlet,
                    url=article.url,
                    published_at=article.published_at,
                    label=best.label,
                    score=best.score if best.label != "none" else max(best.p_expresses, best.p_denies),
                    quote=quote,
                )
                observations.append(obs)
                if self.metrics:
                    self.metrics.observations.labels(
                        actor=key.actor, stance=key.stance, label=obs.label
                    ).inc()
        return observations

    def _quote_story(self, key: StanceKey, quote: str, story_id: str, published_at: datetime) -> str:
        """Articles that carry the same sentence (wire copy inside otherwise different articles) are one story.

        The sentence is compared without its dateline, case, digits and punctuation, within QUOTE_WINDOW.
        """
        fingerprint = (key, _fingerprint(quote))
        known = self._quotes.get(fingerprint)
        if known is not None and abs(published_at - known[1]) <= QUOTE_WINDOW:
            return known[0]
        self._quotes[fingerprint] = (story_id, published_at)
        if len(self._quotes) > 2 * MAX_QUOTES:  # forget the oldest half; the window is short anyway
            for old in sorted(self._quotes, key=lambda f: self._quotes[f][1])[:MAX_QUOTES]:
                del self._quotes[old]
        return story_id

    def _alert(self, rule: RuleDef, decision: Decision) -> Alert:
        evidence = [
            Evidence(
                article_id=o.article_id,
                source=o.source,
                url=o.url,
                published_at=_iso(o.published_at),
                quote=o.quote,
            )
            for o in decision.evidence[:MAX_EVIDENCE]
        ]
        return Alert(
            id=alert_id(rule, decision.fired_at),
            rule_id=rule.id,
            title=rule.title,
            actor=rule.actor,
            stance=rule.stance,
            target=rule.target,
            direction=rule.direction,
            severity=rule.severity,
            fired_at=_iso(decision.fired_at),
            window_start=_iso(decision.window_start),
            window_end=_iso(decision.window_end),
            score=round(decision.score, 4),
            baseline=round(decision.baseline, 4),
            evidence=evidence,
            channel=rule.channel,
            labels=dict(rule.labels),
            window_count=decision.window_count,
            window_total=decision.window_total,
            baseline_count=decision.baseline_count,
            baseline_total=decision.baseline_total,
            p_value=decision.p_value,
        )

    # -- state --------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "version": 1,
            "started_at": _iso(self.started_at) if self.started_at else None,
            "seen": self.seen.to_list(),
            "stories": self.stories.to_state(),
            "detectors": {rule_id: d.to_state() for rule_id, d in self.detectors.items()},
        }

    def load_state(self, state: dict[str, Any]) -> None:
        started = state.get("started_at")
        self.started_at = datetime.fromisoformat(started.replace("Z", "+00:00")) if started else None
        self.seen = SeenIds.from_list(state.get("seen", []))
        self.stories = StoryIndex.from_state(state["stories"]) if "stories" in state else StoryIndex()
        saved = state.get("detectors", {})
        for rule in self.active_rules:
            if rule.id in saved:
                self.detectors[rule.id] = ShiftDetector.from_state(detector_config(rule), saved[rule.id])


def _strongest(candidates: list[tuple[int, Judgement]]) -> tuple[int, Judgement]:
    """The sentence that speaks most clearly: a stance-bearing label beats none, then the higher score."""
    return max(candidates, key=lambda c: (c[1].label != "none", c[1].score if c[1].label != "none" else 0.0))


def _same_rule(old: RuleSet, rule: RuleDef) -> bool:
    try:
        previous = old.rule(rule.id)
    except KeyError:
        return False
    return detector_config(previous) == detector_config(rule) and previous.key == rule.key
