"""The one code path from articles to alerts, in two stages.

`replay`, `run` and the Faust worker all run these two stages; only how articles arrive, where the stages
run and where alerts go differ.

1. `ArticleScorer.score` (the expensive part): split into sentences, keep those naming an actor,
   embed them in one batch, judge each (sentence, rule key) and keep each article's strongest sentence per
   key. It keeps no state: a sentence's judgement depends on the sentence and the rules alone, never on
   what came before it in the stream. The result is one `ScoredArticle` per (article, actor named): what detection needs,
   without the body.
2. `ActorDetection.process` (stateful, per actor): near-duplicate stories, the same quote carried by several
   outlets, each of the actor's rules' event-time detectors -> alerts, plus follow-up evidence and
   resolutions of alerts already fired (`AlertUpdate`).

In-process, `Pipeline` chains the two and keeps one `ActorDetection` per actor. The worker runs stage 1 on
the `articles` partitions and stage 2 on a topic keyed by actor, so one actor's baselines live on one
partition. Because stage 1 is stateless and stage 2 state is per actor in both, the two give the same
alerts for the same input.
All state is plain data: to_state()/from_state() round-trip it as JSON.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from monitor.alerts import Alert, AlertUpdate, Evidence
from monitor.articles import Article, SeenIds
from monitor.detector import Decision, DetectorConfig, Fired, MoreEvidence, Resolved, ShiftDetector
from monitor.limits import InputLimits
from monitor.metrics import Metrics
from monitor.rules import RuleDef, RuleSet
from monitor.stance import PreparedSentence, StanceScorer
from monitor.stories import StoryIndex, body_signature
from monitor.text import cap_text, segment, strip_dateline
from monitor.types import (
    Judgement,
    Label,
    Observation,
    Sentence,
    StanceKey,
    iso_utc,
    make_alert_id,
    parse_utc,
)

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


def alert_id(rule: RuleDef, fired_at: datetime) -> str:
    """Stable across replays and re-deliveries: the rule and the event time that completed the condition."""
    return make_alert_id(rule.id, fired_at)


# -- stage 1: scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """An article's strongest sentence for one stance key, and what the scorer made of it."""

    key: StanceKey
    label: Label
    score: float
    quote: str


@dataclass
class ScoredArticle:
    """One article as the detection stage of one actor sees it (JSON-serialisable; no body)."""

    article_id: str
    actor: str
    published_at: datetime
    source: str
    url: str | None
    signature: list[int] | None  # MinHash of the body (near-duplicate stories); None: too short to compare
    verdicts: list[Verdict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "actor": self.actor,
            "published_at": iso_utc(self.published_at),
            "source": self.source,
            "url": self.url,
            "signature": self.signature,
            "verdicts": [
                {
                    "stance": v.key.stance,
                    "target": v.key.target,
                    "label": v.label,
                    "score": v.score,
                    "quote": v.quote,
                }
                for v in self.verdicts
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoredArticle:
        actor = str(data["actor"])
        signature = data.get("signature")
        return cls(
            article_id=str(data["article_id"]),
            actor=actor,
            published_at=parse_utc(str(data["published_at"])),
            source=str(data["source"]),
            url=data.get("url"),
            signature=[int(v) for v in signature] if signature is not None else None,
            verdicts=[
                Verdict(
                    key=StanceKey(actor, str(v["stance"]), v.get("target")),
                    label=v["label"],
                    score=float(v["score"]),
                    quote=str(v["quote"]),
                )
                for v in data.get("verdicts", [])
            ],
        )


class ArticleScorer:
    """Stage 1: articles -> ScoredArticle per actor named. Holds the rules and the model; no stream state."""

    def __init__(
        self,
        rules: RuleSet,
        scorer: StanceScorer,
        metrics: Metrics | None = None,
        limits: InputLimits | None = None,
    ) -> None:
        self.scorer = scorer
        self.metrics = metrics
        self.limits = limits if limits is not None else InputLimits()
        self.set_rules(rules)

    def set_rules(self, rules: RuleSet) -> None:
        self.scorer.set_rules(rules)
        self.matcher = self.scorer.matcher  # one automaton of the rules' aliases, built once per rule set
        self.keys: list[StanceKey] = rules.keys()

    def sentences(self, article: Article) -> tuple[str, list[Sentence]]:
        """The article's body within the input limits, and its sentences that name an actor.

        Every later text stage (dateline regexes, the parse, attribution, clause splitting, embedding)
        works on these sentences, so capping their length makes each stage's cost linear in the body's.
        """
        body, cut_body = cap_text(article.body, self.limits.max_body_chars)
        texts, long_sentences = segment(body, self.limits.max_sentence_chars)
        if self.metrics:
            self.metrics.sentences.inc(len(texts))
            if cut_body:
                self.metrics.articles_truncated.labels(reason="body_too_long").inc()
            if long_sentences:
                self.metrics.articles_truncated.labels(reason="sentence_too_long").inc()
        if cut_body or long_sentences:
            log.info(
                "article %r cut to the input limits: body %d of %d characters, %d sentences hard-split",
                article.id, len(body), len(article.body), long_sentences,
            )  # fmt: skip
        return body, self.matcher.mentioned(article.id, texts)

    def verdicts(
        self,
        sentences: Sequence[Sentence],
        prepared: Sequence[PreparedSentence],
        judgements: Sequence[Sequence[Judgement]],
    ) -> dict[str, list[Verdict]]:
        """One article's verdict per named actor and stance key: the judgement of its strongest sentence."""
        named = [{m.actor_id for m in p.mentions} for p in prepared]
        by_actor: dict[str, list[Verdict]] = {}
        for j, key in enumerate(self.keys):
            indices = [i for i, actors in enumerate(named) if key.actor in actors]
            if not indices:
                continue
            best_index, best = _strongest([(i, judgements[i][j]) for i in indices])
            score = best.score if best.label != "none" else max(best.p_expresses, best.p_denies)
            by_actor.setdefault(key.actor, []).append(
                Verdict(key, best.label, float(score), sentences[best_index].text)
            )
        return by_actor

    def score(self, articles: Sequence[Article], now: datetime | None = None) -> list[ScoredArticle]:
        """Score a batch of new articles; `now` is the clock of the event-time lag metric (default: wall clock)."""
        capped = [self.sentences(a) for a in articles]
        per_article = [sentences for _, sentences in capped]
        flat = [s for sentences in per_article for s in sentences]
        started = time.perf_counter()
        prepared = self.scorer.prepare(flat)  # with the mentions found above: each sentence matched once
        judgements = self.scorer.judge(prepared, self.keys)
        if self.metrics:
            self.metrics.sentences_matched.inc(len(flat))
            self.metrics.sentences_embedded.inc(len(flat))
            if flat:
                self.metrics.embedding_batch_size.observe(len(flat))
                self.metrics.embedding_duration.observe(time.perf_counter() - started)

        scored: list[ScoredArticle] = []
        offset = 0
        for article, (body, sentences) in zip(articles, capped, strict=True):
            end = offset + len(sentences)
            by_actor = self.verdicts(sentences, prepared[offset:end], judgements[offset:end])
            offset = end
            if not by_actor:
                continue
            signature = body_signature(body)
            as_ints = [int(v) for v in signature] if signature is not None else None
            for actor, verdicts in by_actor.items():
                scored.append(
                    ScoredArticle(
                        article_id=article.id,
                        actor=actor,
                        published_at=article.published_at,
                        source=article.outlet,
                        url=article.url,
                        signature=as_ints,
                        verdicts=verdicts,
                    )
                )
        if self.metrics and articles:  # counted once scored, so "processed" never runs ahead of the work
            self.metrics.articles_processed.inc(len(articles))
            newest = max(a.published_at for a in articles)
            self.metrics.record_event_time(newest, now or datetime.now(UTC))
        return scored


# -- stage 2: detection -------------------------------------------------------------------------------


@dataclass
class DetectionResult:
    alerts: list[Alert] = field(default_factory=list)
    updates: list[AlertUpdate] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)


class ActorDetection:
    """Stage 2 for one actor: near-duplicate stories, repeated quotes and the detectors of its rules."""

    def __init__(self, actor: str, rules: Sequence[RuleDef], metrics: Metrics | None = None) -> None:
        self.actor = actor
        self.metrics = metrics
        self.stories = StoryIndex()
        self.detectors: dict[str, ShiftDetector] = {}
        self._quotes: dict[tuple[StanceKey, str], tuple[str, datetime]] = {}
        self.set_rules(rules)

    def set_rules(self, rules: Sequence[RuleDef]) -> None:
        """Swap in the actor's new rules; detectors of rules whose detection did not change keep their state."""
        old = {r.id: r for r in getattr(self, "rules", [])}
        self.rules = [r for r in rules if r.actor == self.actor and r.enabled]
        kept: dict[str, ShiftDetector] = {}
        for rule in self.rules:
            previous = self.detectors.get(rule.id)
            before = old.get(rule.id)
            # `is not None`, not truthiness: a detector with no stories yet has len() == 0
            if previous is not None and before is not None and _same_detection(before, rule):
                kept[rule.id] = previous
            else:
                kept[rule.id] = ShiftDetector(detector_config(rule))
        self.detectors = kept

    def process(self, items: Iterable[ScoredArticle]) -> DetectionResult:
        """Feed scored articles (any order; sorted here by event time) to the actor's detectors."""
        result = DetectionResult()
        by_key: dict[StanceKey, list[RuleDef]] = {}
        for rule in self.rules:
            by_key.setdefault(rule.key, []).append(rule)
        for item in sorted(items, key=lambda i: (i.published_at, i.article_id)):
            signature = np.asarray(item.signature, dtype=np.uint64) if item.signature is not None else None
            story_id = self.stories.assign_signature(item.article_id, item.published_at, signature)
            for verdict in item.verdicts:
                rules = by_key.get(verdict.key)
                if not rules:
                    continue
                obs = Observation(
                    key=verdict.key,
                    article_id=item.article_id,
                    story_id=self._quote_story(verdict.key, verdict.quote, story_id, item.published_at),
                    source=item.source,
                    url=item.url,
                    published_at=item.published_at,
                    label=verdict.label,
                    score=verdict.score,
                    quote=verdict.quote,
                )
                result.observations.append(obs)
                if self.metrics:
                    self.metrics.observations.labels(
                        actor=obs.key.actor, stance=obs.key.stance, label=obs.label
                    ).inc()
                for rule in rules:
                    self._feed(rule, obs, result)
        if self.metrics:
            for alert in result.alerts:
                self.metrics.alerts_fired.labels(rule=alert.rule_id, severity=alert.severity).inc()
        return result

    def _feed(self, rule: RuleDef, obs: Observation, result: DetectionResult) -> None:
        """One observation into one rule's detector; what it says happened becomes alerts and follow-ups."""
        for event in self.detectors[rule.id].step(obs):
            match event:
                case Fired(decision):
                    result.alerts.append(self._alert(rule, decision))
                case MoreEvidence(episode, evidence):
                    result.updates.append(
                        _update(alert_id(rule, episode), rule, evidence.published_at, evidence)
                    )
                case Resolved(episode, at):
                    result.updates.append(_update(alert_id(rule, episode), rule, at))

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

    def _prune_quotes(self) -> None:
        newest = max((when for _, when in self._quotes.values()), default=None)
        if newest is not None:
            self._quotes = {f: v for f, v in self._quotes.items() if v[1] >= newest - QUOTE_WINDOW}

    def _alert(self, rule: RuleDef, decision: Decision) -> Alert:
        return Alert(
            id=alert_id(rule, decision.fired_at),
            rule_id=rule.id,
            title=rule.title,
            actor=rule.actor,
            stance=rule.stance,
            target=rule.target,
            direction=rule.direction,
            severity=rule.severity,
            fired_at=decision.fired_at,
            window_start=decision.window_start,
            window_end=decision.window_end,
            score=round(decision.score, 4),
            baseline=round(decision.baseline, 4),
            evidence=tuple(_evidence(o) for o in decision.evidence[:MAX_EVIDENCE]),
            channel=rule.channel,
            labels=dict(rule.labels),
            window_count=decision.window_count,
            window_total=decision.window_total,
            baseline_count=decision.baseline_count,
            baseline_total=decision.baseline_total,
            p_value=decision.p_value,
            actor_name=rule.actor_name or rule.actor,
            target_name=rule.target_name or rule.target,
            stance_label=rule.stance_label or rule.stance,
            baseline_seconds=int(decision.baseline_span.total_seconds()),
        )

    # -- state ----------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        self._prune_quotes()
        return {
            "version": 1,
            "actor": self.actor,
            "stories": self.stories.to_state(),
            "quotes": [
                [key.stance, key.target, text, story, iso_utc(when)]
                for (key, text), (story, when) in sorted(self._quotes.items(), key=lambda kv: kv[1][1])
            ],
            "detectors": {rule_id: d.to_state() for rule_id, d in self.detectors.items()},
        }

    @classmethod
    def from_state(
        cls, state: dict[str, Any], rules: Sequence[RuleDef], metrics: Metrics | None = None
    ) -> ActorDetection:
        if state.get("version") != 1:
            raise ValueError(f"unsupported actor detection state version {state.get('version')!r}")
        detection = cls(str(state["actor"]), rules, metrics)
        detection.stories = StoryIndex.from_state(state["stories"])
        for stance, target, text, story, when in state.get("quotes", []):
            detection._quotes[(StanceKey(detection.actor, stance, target), text)] = (story, parse_utc(when))
        saved = state.get("detectors", {})
        for rule in detection.rules:
            if rule.id in saved:
                detection.detectors[rule.id] = ShiftDetector.from_state(detector_config(rule), saved[rule.id])
        return detection


def _update(alert: str, rule: RuleDef, at: datetime, evidence: Observation | None = None) -> AlertUpdate:
    """A follow-up of `alert` at event time `at`: more `evidence`, or without it the episode's end (ids stable
    across replays)."""
    return AlertUpdate(
        id=f"{alert}/evidence/{evidence.article_id}" if evidence else f"{alert}/resolved",
        alert_id=alert,
        rule_id=rule.id,
        kind="evidence" if evidence else "resolved",
        at=at,
        evidence=(_evidence(evidence),) if evidence else (),
        channel=rule.channel,
    )


def _evidence(obs: Observation) -> Evidence:
    return Evidence(
        article_id=obs.article_id,
        source=obs.source,
        url=obs.url,
        published_at=obs.published_at,
        quote=obs.quote,
    )


class Detection:
    """Stage 2 for every actor: one `ActorDetection` per actor, all under one set of active rules."""

    def __init__(self, rules: RuleSet, metrics: Metrics | None = None) -> None:
        self.metrics = metrics
        self.actors: dict[str, ActorDetection] = {}
        self.set_rules(rules)

    def set_rules(self, rules: RuleSet) -> None:
        """Swap in a new rule set; detectors of rules that did not change keep their state."""
        self.active_rules = rules.active()
        for detection in self.actors.values():
            detection.set_rules(self.active_rules)
        if self.metrics:
            self.metrics.set_rules(self.active_rules)

    def actor(self, actor: str) -> ActorDetection:
        """The actor's detection, new if the actor has not been seen."""
        if actor not in self.actors:
            self.actors[actor] = ActorDetection(actor, self.active_rules, self.metrics)
        return self.actors[actor]

    def restore(self, actor: str, state: dict[str, Any] | None) -> ActorDetection:
        """The actor's detection as `state` (from `to_state`) left it, or new without one (a takeover)."""
        if state:
            self.actors[actor] = ActorDetection.from_state(state, self.active_rules, self.metrics)
        else:
            self.actors[actor] = ActorDetection(actor, self.active_rules, self.metrics)
        return self.actors[actor]

    def process(self, items: Iterable[ScoredArticle]) -> DetectionResult:
        """Each actor's scored articles through its detection; alerts and updates in event-time order."""
        by_actor: dict[str, list[ScoredArticle]] = {}
        for item in items:
            by_actor.setdefault(item.actor, []).append(item)
        result = DetectionResult()
        for actor, scored in by_actor.items():
            detected = self.actor(actor).process(scored)
            result.alerts += detected.alerts
            result.updates += detected.updates
            result.observations += detected.observations
        result.alerts.sort(key=lambda a: (a.fired_at, a.id))
        result.updates.sort(key=lambda u: (u.at, u.id))
        return result

    def to_state(self) -> dict[str, Any]:
        return {actor: d.to_state() for actor, d in sorted(self.actors.items())}

    def load_state(self, state: dict[str, Any]) -> None:
        self.actors = {
            actor: ActorDetection.from_state(saved, self.active_rules, self.metrics)
            for actor, saved in state.items()
        }


# -- in-process: both stages --------------------------------------------------------------------------


@dataclass
class BatchResult:
    alerts: list[Alert]
    observations: list[Observation]
    processed: int
    duplicates: int
    updates: list[AlertUpdate] = field(default_factory=list)


class Pipeline:
    """Articles in, alerts out, in one process: dedupe, then the two stages. Not thread-safe."""

    def __init__(
        self,
        rules: RuleSet,
        scorer: StanceScorer,
        metrics: Metrics | None = None,
        limits: InputLimits | None = None,
    ) -> None:
        self.metrics = metrics
        self.seen = SeenIds()
        self.scoring = ArticleScorer(rules, scorer, metrics, limits)
        self.detection = Detection(rules, metrics)
        self.rules = rules

    def set_rules(self, rules: RuleSet) -> None:
        """Swap in a new rule set; detectors of rules that did not change keep their state."""
        self.rules = rules
        self.scoring.set_rules(rules)
        self.detection.set_rules(rules)

    @property
    def detectors(self) -> dict[str, ShiftDetector]:
        """Every active rule's detector (rules whose actor has not appeared yet have none)."""
        return {
            rule_id: d
            for detection in self.detection.actors.values()
            for rule_id, d in detection.detectors.items()
        }

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
        if not fresh:
            return BatchResult([], [], 0, duplicates)
        fresh.sort(key=lambda a: (a.published_at, a.id))  # the same batches embed alike in run and replay
        detected = self.detection.process(self.scoring.score(fresh, now))
        return BatchResult(detected.alerts, detected.observations, len(fresh), duplicates, detected.updates)

    def replay(
        self, articles: Iterable[Article], batch_size: int = 128
    ) -> Iterator[tuple[list[Article], BatchResult]]:
        """A finite stream as `replay` and `rules test` run it: in event-time order, in batches, each batch's
        clock at its newest article. Yields each batch with what it fired."""
        ordered = sorted(articles, key=lambda a: (a.published_at, a.id))
        for start in range(0, len(ordered), batch_size):
            batch = ordered[start : start + batch_size]
            yield batch, self.process(batch, now=batch[-1].published_at)

    # -- state ----------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {"version": 2, "seen": self.seen.to_list(), "actors": self.detection.to_state()}

    def load_state(self, state: dict[str, Any]) -> None:
        if state.get("version") != 2:
            raise ValueError(
                f"unsupported pipeline state version {state.get('version')!r} (expected 2); "
                "start without --state to rebuild it"
            )
        self.seen = SeenIds.from_list(state.get("seen", []))
        self.detection.load_state(state.get("actors", {}))


def _strongest(candidates: list[tuple[int, Judgement]]) -> tuple[int, Judgement]:
    """The sentence that speaks most clearly: a stance-bearing label beats none, then the higher score."""
    return max(candidates, key=lambda c: (c[1].label != "none", c[1].score if c[1].label != "none" else 0.0))


def _same_detection(old: RuleDef, new: RuleDef) -> bool:
    return detector_config(old) == detector_config(new) and old.key == new.key
