"""The event-time shift detector for one rule: a rate test on distinct stories, with a statistical footing.

For each rule the pipeline feeds the detector one `Observation` per article that mentions the rule's actor.
The detector keeps, per story (`story_id`, near-duplicate articles), the first article of the story in event
time: that article's time, label and outlet are what count, so a wire story republished by five outlets
counts once.

At time t (the `published_at` of the newest observation) it compares the recent window (t - window, t] with
the baseline (t - window - baseline, t - window]:

- k_w: distinct evidencing stories in the window, k_b: in the baseline ("expresses" for a rise, "denies" for
  a fall);
- p-value: the exact conditional test for two Poisson rates. Under H0 (one rate throughout), given the total
  n = k_w + k_b' (k_b' = k_b + prior_events), k_w ~ Binomial(n, p0) with p0 = window / (window + baseline).
  The pseudo-count keeps an empty baseline from being a zero rate (then any single story would be infinitely
  many times the baseline);
- rate ratio: (k_w / window) / (k_b' / baseline).

Cold start: the baseline only reaches back to when the detector started watching (`started_at`, by default
the first observation's event time), so its effective span is min(baseline, t - window - started_at), which
is what p0 and the rate ratio use. A detector that has watched for a few hours therefore needs far stronger
evidence than one with a full baseline, and one that has watched for less than a window cannot fire at all:
an unseen baseline is not an empty one.

It fires when p < alpha, ratio >= min_ratio (and, with `share_test`, the share of the actor's stories that
carry the evidence rose significantly too: a guard against volume spikes, off by default because it also
holds back real shifts of an actor whose coverage is mostly that stance), k_w >= min_evidence, the window's evidencing stories come from
at least min_sources outlets, no alert within `cooldown` before t, and no episode is active. A fall further
needs a baseline that expressed the stance (>= min_evidence expressing stories) and a window whose
expressing share is below the baseline's: you cannot fall from nothing.

An alert opens an episode: no second alert until it resolves, i.e. until, for `resolve_after` (default:
three windows, so a sustained stance with a lull is not announced twice), the window held fewer than min_evidence evidencing stories and the test was not significant.

Observations may arrive late (out of event-time order): they are inserted into the time-sorted index. One
older than the retained horizon (window + baseline + 1 day before the newest event time) is dropped and
counted in `late_dropped`. All state round-trips through `to_state`/`from_state` as JSON-compatible data.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from scipy.special import betainc
from scipy.stats import binom

from monitor.types import Direction, Label, Observation, StanceKey

__all__ = [
    "Decision",
    "DetectorConfig",
    "ShiftDetector",
    "WindowStats",
    "rate_p_value",
]

MARGIN = timedelta(days=1)
STATE_VERSION = 1


@dataclass(frozen=True)
class DetectorConfig:
    direction: Direction
    window: timedelta = timedelta(hours=24)
    baseline: timedelta = timedelta(days=14)
    min_evidence: int = 3
    min_sources: int = 2
    cooldown: timedelta = timedelta(hours=72)
    # 0.001, not 0.01: the test is repeated at every article of every rule, so a looser level lets chance
    # runs of three or four misread sentences through (see BENCHMARKS.md, "Significance level").
    alpha: float = 0.001
    min_ratio: float = 3.0
    share_test: bool = (
        False  # also require the evidencing share of the actor's stories to rise (volume guard)
    )
    prior_events: float = 0.5  # pseudo-count added to the baseline so an empty baseline is not a zero rate
    resolve_after: timedelta | None = None  # default: = window

    def __post_init__(self) -> None:
        if self.direction not in ("rise", "fall"):
            raise ValueError(f"direction must be 'rise' or 'fall' (got {self.direction!r})")
        if self.window <= timedelta(0) or self.baseline <= timedelta(0):
            raise ValueError(f"window and baseline must be positive (got {self.window}, {self.baseline})")
        if self.min_evidence < 1 or self.min_sources < 1:
            raise ValueError("min_evidence and min_sources must be at least 1")
        if self.cooldown < timedelta(0):
            raise ValueError(f"cooldown must not be negative (got {self.cooldown})")
        if not 0.0 < self.alpha < 1.0:
            raise ValueError(f"alpha must be in (0, 1) (got {self.alpha})")
        if self.min_ratio < 0.0:
            raise ValueError(f"min_ratio must not be negative (got {self.min_ratio})")
        if self.prior_events <= 0.0:
            raise ValueError(f"prior_events must be positive (got {self.prior_events})")
        if self.resolve_after is not None and self.resolve_after < timedelta(0):
            raise ValueError(f"resolve_after must not be negative (got {self.resolve_after})")

    @property
    def evidence_label(self) -> Label:
        return "expresses" if self.direction == "rise" else "denies"

    @property
    def resolve_delay(self) -> timedelta:
        return 3 * self.window if self.resolve_after is None else self.resolve_after

    @property
    def horizon(self) -> timedelta:
        """How far before the newest event time observations are kept."""
        return self.window + self.baseline + MARGIN

    @property
    def p0(self) -> float:
        """The window's share of the tested span with a full baseline: the success probability under H0."""
        return self.window / (self.window + self.baseline)


def share_p_value(k_w: int, n_w: int, k_b: int, n_b: int) -> float:
    """One-sided binomial test that the window's evidencing share k_w/n_w exceeds the baseline share.

    The rate test alone fires on volume: when an actor is suddenly in the news for something else, a
    classifier's small false-positive rate turns into more false evidence. The share of the actor's
    articles that carry the stance does not move then. The baseline share is smoothed
    ((k_b + 0.5) / (n_b + 1)) so an empty baseline is not a zero share.
    """
    if k_w <= 0 or n_w <= 0:
        return 1.0
    p_b = (k_b + 0.5) / (n_b + 1.0)
    return float(binom.sf(k_w - 1, n_w, min(p_b, 1.0)))


def rate_p_value(k_w: int, k_b: float, p0: float) -> float:
    """One-sided p-value that the window's rate exceeds the baseline's.

    P(X >= k_w) for X ~ Binomial(k_w + k_b, p0). k_b already includes the prior pseudo-count, so
    n = k_w + k_b is not an integer. Rather than round n up (which moves the test in steps), this uses the
    beta-function form of the binomial tail, P(X >= k) = I_p0(k, n - k + 1): exact for integer n and
    continuous between them.
    """
    if k_w <= 0:
        return 1.0
    return float(betainc(float(k_w), k_b + 1.0, p0))


@dataclass(frozen=True)
class WindowStats:
    """The counts and the test at one event time (what `counts_at` returns)."""

    at: datetime
    window_start: datetime
    window_end: datetime
    window_count: int  # distinct evidencing stories in the window
    window_total: int  # distinct stories mentioning the actor (all labels) in the window
    baseline_count: int
    baseline_total: int
    baseline_span: timedelta  # the part of the baseline the detector has watched (less at a cold start)
    window_expressing: int
    baseline_expressing: int
    window_sources: int  # distinct outlets among the window's evidencing stories
    p_value: float
    rate_ratio: float
    share_p_value: float = 0.0

    @property
    def score(self) -> float:
        return self.window_count / max(1, self.window_total)

    @property
    def baseline(self) -> float:
        return self.baseline_count / max(1, self.baseline_total)


@dataclass
class Decision:
    """Returned by `observe` when the rule fires."""

    fired_at: datetime
    window_start: datetime
    window_end: datetime
    window_count: int
    window_total: int
    baseline_count: int
    baseline_total: int
    score: float
    baseline: float
    p_value: float
    # The window's evidencing observations, one per story: the strongest of each distinct outlet first,
    # then the rest by score.
    evidence: list[Observation] = field(default_factory=list)
    rate_ratio: float = 0.0
    sources: int = 0
    baseline_span: timedelta = timedelta(0)  # the part of the baseline watched (less at a cold start)


# -- what happened to the rule's episode at one observation (returned by `ShiftDetector.step`) -----------


@dataclass(frozen=True)
class Fired:
    """The rule fired: a new episode opens at `decision.fired_at`."""

    decision: Decision


@dataclass(frozen=True)
class MoreEvidence:
    """Another independent story supports the open episode that fired at `episode`."""

    episode: datetime
    observation: Observation


@dataclass(frozen=True)
class Resolved:
    """The open episode that fired at `episode` ended: calm for `resolve_after`, noticed at `at`."""

    episode: datetime
    at: datetime


EpisodeEvent = Fired | MoreEvidence | Resolved


def _source_key(source: str) -> str:
    return source.strip().casefold()


def _rank_evidence(observations: list[Observation]) -> list[Observation]:
    ordered = sorted(observations, key=lambda o: (-o.score, o.published_at, o.article_id))
    first: list[Observation] = []
    rest: list[Observation] = []
    seen: set[str] = set()
    for obs in ordered:
        key = _source_key(obs.source)
        (rest if key in seen else first).append(obs)
        seen.add(key)
    return first + rest


def _obs_to_json(obs: Observation) -> dict[str, Any]:
    return {
        "key": {"actor": obs.key.actor, "stance": obs.key.stance, "target": obs.key.target},
        "article_id": obs.article_id,
        "story_id": obs.story_id,
        "source": obs.source,
        "url": obs.url,
        "published_at": obs.published_at.isoformat(),
        "label": obs.label,
        "score": obs.score,
        "quote": obs.quote,
    }


def _obs_from_json(data: dict[str, Any]) -> Observation:
    key = data["key"]
    label = data["label"]
    if label not in ("expresses", "denies", "none"):
        raise ValueError(f"bad label in detector state (got {label!r})")
    return Observation(
        key=StanceKey(actor=key["actor"], stance=key["stance"], target=key.get("target")),
        article_id=data["article_id"],
        story_id=data["story_id"],
        source=data["source"],
        url=data.get("url"),
        published_at=datetime.fromisoformat(data["published_at"]),
        label=label,
        score=float(data["score"]),
        quote=data["quote"],
    )


def _opt_time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _opt_iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class ShiftDetector:
    """Watches one rule's observations and decides, in event time, when its stance shifted."""

    def __init__(self, config: DetectorConfig, started_at: datetime | None = None) -> None:
        """`started_at`: the event time the stream was watched from (default: the first observation's)."""
        self.config = config
        self._started_at = started_at
        # story_id -> the story's first article (earliest published_at, then article_id)
        self._reps: dict[str, Observation] = {}
        # (published_at, story_id) of every representative, sorted: for window iteration and pruning
        self._order: list[tuple[datetime, str]] = []
        # the representatives' times, sorted, per label: for counting by bisection
        self._times: dict[Label, list[datetime]] = {"expresses": [], "denies": [], "none": []}
        self._seen: dict[str, datetime] = {}  # article_id -> published_at: re-delivery does not double-count
        self._watermark: datetime | None = None  # newest event time seen
        self._last_fired: datetime | None = None
        self._episode = False
        self._resolved_pending = False
        self._last_seen_prune: datetime | None = None
        self.late_dropped = 0

    # -- the public surface ----------------------------------------------------------------------------------

    @property
    def active_episode(self) -> bool:
        return self._episode

    @property
    def last_fired(self) -> datetime | None:
        return self._last_fired

    @property
    def watermark(self) -> datetime | None:
        return self._watermark

    @property
    def started_at(self) -> datetime | None:
        return self._started_at

    def __len__(self) -> int:
        """Stories retained."""
        return len(self._reps)

    def knows_story(self, story_id: str) -> bool:
        return story_id in self._reps

    @property
    def evidence_label(self) -> Label:
        return self.config.evidence_label

    def observe(self, obs: Observation) -> Decision | None:
        """Insert one observation and evaluate the rule at its event time; a `Decision` when the rule fires.

        A late observation (older than the newest event time) is also re-evaluated at the later observations'
        times within one window after it, since it may complete a condition that they did not; the alert then
        carries the event time at which the condition first held.
        """
        t = obs.published_at
        cfg = self.config
        if self._watermark is not None and t < self._watermark - cfg.horizon:
            self.late_dropped += 1
            return None
        if obs.article_id in self._seen:
            return None
        self._seen[obs.article_id] = t
        if self._started_at is None or t < self._started_at:
            self._started_at = t
        self._insert(obs)
        if self._watermark is None or t > self._watermark:
            self._watermark = t
            self._prune(t - cfg.horizon)
        watermark = self._watermark
        if t < watermark - MARGIN:
            # too late to be judged at its own time (the baseline behind it is partly pruned): it only counts
            return None

        if self._episode and t >= watermark and self._calm_throughout(t - cfg.resolve_delay, t):
            self._episode = False
            self._resolved_pending = True

        for at in self._evaluation_times(t, watermark):
            decision = self._evaluate(at)
            if decision is not None:
                return decision
        return None

    def step(self, obs: Observation) -> list[EpisodeEvent]:
        """Observe `obs` and say what happened to the episode: it resolved, it fired, or it gained a story.

        Resolution is noticed only at an observation that moves event time forward (a late one cannot end an
        episode), and it comes before a new alert at the same observation. More evidence is a new story with
        the rule's evidencing label while an episode is open.
        """
        open_episode = self._last_fired if self._episode else None
        new_story = obs.story_id not in self._reps
        decision = self.observe(obs)
        events: list[EpisodeEvent] = []
        watermark = self._watermark
        if (
            open_episode is not None
            and watermark is not None
            and obs.published_at >= watermark
            and self.check_resolved(obs.published_at)
        ):
            events.append(Resolved(open_episode, obs.published_at))
            open_episode = None
        if decision is not None:
            events.append(Fired(decision))
        elif (
            open_episode is not None
            and new_story
            and obs.story_id in self._reps
            and obs.label == self.config.evidence_label
        ):
            events.append(MoreEvidence(open_episode, obs))
        return events

    def check_resolved(self, now: datetime) -> bool:
        """True once, when an active episode has ended: for `resolve_after` up to `now`, the window held fewer
        than min_evidence evidencing stories and the rate test was not significant."""
        if self._resolved_pending:
            self._resolved_pending = False
            return True
        if not self._episode:
            return False
        if self._calm_throughout(now - self.config.resolve_delay, now):
            self._episode = False
            return True
        return False

    def counts_at(self, t: datetime) -> WindowStats:
        """The window and baseline counts and the rate test at event time t (from the retained stories)."""
        cfg = self.config
        w_start = t - cfg.window
        b_start = w_start - cfg.baseline
        ev = self._times[cfg.evidence_label]
        k_w = self._count(ev, w_start, t)
        k_b = self._count(ev, b_start, w_start)
        totals_w = sum(self._count(times, w_start, t) for times in self._times.values())
        totals_b = sum(self._count(times, b_start, w_start) for times in self._times.values())
        ex = self._times["expresses"]
        span = self._baseline_span(t)
        p_value, ratio = self._test(k_w, k_b, span)
        return WindowStats(
            at=t,
            window_start=w_start,
            window_end=t,
            window_count=k_w,
            window_total=totals_w,
            baseline_count=k_b,
            baseline_total=totals_b,
            baseline_span=span,
            window_expressing=self._count(ex, w_start, t),
            baseline_expressing=self._count(ex, b_start, w_start),
            window_sources=len({_source_key(o.source) for o in self._window_evidence(w_start, t)}),
            p_value=p_value,
            rate_ratio=ratio,
            share_p_value=share_p_value(k_w, totals_w, k_b, totals_b),
        )

    def to_state(self) -> dict[str, Any]:
        """JSON-compatible state (ISO 8601 datetimes), e.g. for a Faust table."""
        return {
            "version": STATE_VERSION,
            "observations": [_obs_to_json(self._reps[story]) for _, story in self._order],
            "seen": {article: when.isoformat() for article, when in self._seen.items()},
            "started_at": _opt_iso(self._started_at),
            "watermark": _opt_iso(self._watermark),
            "last_fired": _opt_iso(self._last_fired),
            "episode": self._episode,
            "resolved_pending": self._resolved_pending,
            "last_seen_prune": _opt_iso(self._last_seen_prune),
            "late_dropped": self.late_dropped,
        }

    @classmethod
    def from_state(cls, config: DetectorConfig, state: dict[str, Any]) -> ShiftDetector:
        version = state.get("version")
        if version != STATE_VERSION:
            raise ValueError(
                f"unsupported detector state version (got {version!r}; expected {STATE_VERSION})"
            )
        det = cls(config, started_at=_opt_time(state["started_at"]))
        for item in state["observations"]:
            det._insert(_obs_from_json(item))
        det._seen = {article: datetime.fromisoformat(when) for article, when in state["seen"].items()}
        det._watermark = _opt_time(state["watermark"])
        det._last_fired = _opt_time(state["last_fired"])
        det._episode = bool(state["episode"])
        det._resolved_pending = bool(state["resolved_pending"])
        det._last_seen_prune = _opt_time(state.get("last_seen_prune"))
        det.late_dropped = int(state["late_dropped"])
        return det

    # -- internals -------------------------------------------------------------------------------------------

    def _baseline_span(self, t: datetime) -> timedelta:
        cfg = self.config
        if self._started_at is None:
            return timedelta(0)
        return max(timedelta(0), min(cfg.baseline, t - cfg.window - self._started_at))

    def _test(self, k_w: int, k_b: int, span: timedelta) -> tuple[float, float]:
        """(p-value, rate ratio) of k_w stories in the window against k_b in a baseline of this span."""
        cfg = self.config
        if span <= timedelta(0):
            return 1.0, 0.0
        k_b_prior = k_b + cfg.prior_events
        ratio = (k_w / cfg.window.total_seconds()) / (k_b_prior / span.total_seconds())
        return rate_p_value(k_w, k_b_prior, cfg.window / (cfg.window + span)), ratio

    @staticmethod
    def _count(times: list[datetime], start: datetime, end: datetime) -> int:
        """How many times fall in (start, end]."""
        return bisect.bisect_right(times, end) - bisect.bisect_right(times, start)

    def _insert(self, obs: Observation) -> None:
        current = self._reps.get(obs.story_id)
        if current is not None:
            if (obs.published_at, obs.article_id) >= (current.published_at, current.article_id):
                return  # a later copy of a story already counted
            self._remove(current)
        self._reps[obs.story_id] = obs
        bisect.insort(self._order, (obs.published_at, obs.story_id))
        bisect.insort(self._times[obs.label], obs.published_at)

    def _remove(self, rep: Observation) -> None:
        del self._reps[rep.story_id]
        i = bisect.bisect_left(self._order, (rep.published_at, rep.story_id))
        del self._order[i]
        times = self._times[rep.label]
        del times[bisect.bisect_left(times, rep.published_at)]

    def _prune(self, cutoff: datetime) -> None:
        while self._order and self._order[0][0] < cutoff:
            self._remove(self._reps[self._order[0][1]])
        # the re-delivery set is scanned at most once an hour of event time
        if self._last_seen_prune is None or cutoff - self._last_seen_prune >= timedelta(hours=1):
            self._seen = {a: when for a, when in self._seen.items() if when >= cutoff}
            self._last_seen_prune = cutoff

    def _window_evidence(self, start: datetime, end: datetime) -> list[Observation]:
        """The evidencing representatives published in (start, end]."""
        label = self.config.evidence_label
        lo = bisect.bisect_right(self._order, (start, "\U0010ffff"))
        hi = bisect.bisect_right(self._order, (end, "\U0010ffff"))
        reps = (self._reps[story] for _, story in self._order[lo:hi])
        return [o for o in reps if o.label == label]

    def _evaluation_times(self, t: datetime, watermark: datetime) -> list[datetime]:
        """t itself, then (for a late observation) the later observations' times its window reaches."""
        if t >= watermark:
            return [t]
        until = min(watermark, t + self.config.window)
        lo = bisect.bisect_right(self._order, (t, "\U0010ffff"))
        hi = bisect.bisect_left(self._order, (until, ""))
        later = sorted({when for when, _ in self._order[lo:hi]})
        return [t, *later, until] if until == watermark else [t, *later]

    def _evaluate(self, t: datetime) -> Decision | None:
        cfg = self.config
        if self._episode:
            return None
        if self._last_fired is not None and t - self._last_fired < cfg.cooldown:
            return None
        stats = self.counts_at(t)
        if not self._fires(stats):
            return None
        self._last_fired = t
        self._episode = True
        return Decision(
            fired_at=t,
            window_start=stats.window_start,
            window_end=stats.window_end,
            window_count=stats.window_count,
            window_total=stats.window_total,
            baseline_count=stats.baseline_count,
            baseline_total=stats.baseline_total,
            score=stats.score,
            baseline=stats.baseline,
            p_value=stats.p_value,
            evidence=_rank_evidence(self._window_evidence(stats.window_start, stats.window_end)),
            rate_ratio=stats.rate_ratio,
            sources=stats.window_sources,
            baseline_span=stats.baseline_span,
        )

    def _fires(self, s: WindowStats) -> bool:
        cfg = self.config
        if s.window_count < cfg.min_evidence or s.window_sources < cfg.min_sources:
            return False
        if s.p_value >= cfg.alpha or s.rate_ratio < cfg.min_ratio:
            return False
        if cfg.share_test and s.share_p_value >= cfg.alpha:
            return False  # more evidence only because the actor is in the news more: a volume spike
        if cfg.direction == "fall":
            if s.baseline_expressing < cfg.min_evidence:
                return False  # cannot fall from nothing
            window_share = s.window_expressing / max(1, s.window_total)
            baseline_share = s.baseline_expressing / max(1, s.baseline_total)
            if window_share >= baseline_share:
                return False
        return True

    def _calm(self, t: datetime) -> bool:
        cfg = self.config
        ev = self._times[cfg.evidence_label]
        w_start = t - cfg.window
        k_w = self._count(ev, w_start, t)
        if k_w >= cfg.min_evidence:
            return False
        k_b = self._count(ev, w_start - cfg.baseline, w_start)
        return self._test(k_w, k_b, self._baseline_span(t))[0] >= cfg.alpha

    def _calm_throughout(self, start: datetime, end: datetime) -> bool:
        """Whether the window was calm at every event time in [start, end].

        The counts are step functions of time that change only where an evidencing story enters the window
        (r), leaves it into the baseline (r + window) or leaves the baseline (r + window + baseline); checking
        `start` and every such point in (start, end] is therefore exact.
        """
        cfg = self.config
        ev = self._times[cfg.evidence_label]
        points = {start}
        for shift in (timedelta(0), cfg.window, cfg.window + cfg.baseline):
            lo = bisect.bisect_right(ev, start - shift)
            hi = bisect.bisect_right(ev, end - shift)
            points.update(r + shift for r in ev[lo:hi])
        return all(self._calm(p) for p in sorted(points))
