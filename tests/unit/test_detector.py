"""The event-time shift detector: known answers, false-alarm guards, episodes, late data and state."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest
from scipy.stats import binom

from monitor.detector import (
    Decision,
    DetectorConfig,
    Fired,
    MoreEvidence,
    Resolved,
    ShiftDetector,
    rate_p_value,
)
from monitor.types import Label, Observation, StanceKey

KEY = StanceKey("russia", "mediation")
T0 = datetime(2025, 6, 1, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


class Stream:
    """Builds observations with unique article ids (and, unless told, one story per article)."""

    def __init__(self) -> None:
        self.n = 0

    def obs(
        self,
        t: datetime,
        label: Label = "expresses",
        source: str = "Wire A",
        story: str | None = None,
        score: float = 0.9,
    ) -> Observation:
        self.n += 1
        return Observation(
            key=KEY,
            article_id=f"a-{self.n:05d}",
            story_id=story or f"s-{self.n:05d}",
            source=source,
            url=f"https://example.org/{self.n}",
            published_at=t,
            label=label,
            score=score,
            quote=f"sentence {self.n}",
        )


def run(det: ShiftDetector, observations: Iterable[Observation]) -> list[Decision]:
    return [d for o in observations if (d := det.observe(o)) is not None]


def rise(**kw: object) -> DetectorConfig:
    """A rise config for the rate-test mechanics; the share test (volume guard) has tests of its own."""
    kw.setdefault("share_test", False)
    return DetectorConfig(direction="rise", **kw)  # type: ignore[arg-type]


def test_p_value_matches_the_binomial_tail_at_integer_n() -> None:
    p0 = 1 / 15
    for k_w, k_b in [(1, 0), (3, 2), (4, 5), (6, 10), (10, 40)]:
        expected = binom.sf(k_w - 1, k_w + k_b, p0)
        assert rate_p_value(k_w, float(k_b), p0) == pytest.approx(expected, rel=1e-9)
    assert rate_p_value(0, 3.5, p0) == 1.0
    # continuous in n: the pseudo-count moves the p-value between its integer neighbours
    assert rate_p_value(4, 5.0, p0) < rate_p_value(4, 5.5, p0) < rate_p_value(4, 6.0, p0)


def test_known_answer_background_then_multi_outlet_burst() -> None:
    s = Stream()
    rng = random.Random(7)
    background: list[Observation] = []
    t = T0
    while True:  # Poisson background: one expressing story every two days on average, for 20 days
        t += timedelta(days=rng.expovariate(0.5))
        if t >= T0 + timedelta(days=20):
            break
        background.append(s.obs(t, source=rng.choice(["Wire 1", "Wire 2", "Wire 3"])))
    assert len(background) == 13
    start = T0 + timedelta(days=20, hours=6)
    outlets = ["Alpha", "Beta", "Alpha", "Gamma", "Delta", "Beta"]  # 6 stories, 4 outlets, within 10 hours
    burst = [s.obs(start + 2 * H * i, source=outlets[i], score=0.5 + 0.05 * i) for i in range(6)]

    det = ShiftDetector(rise(), started_at=T0)
    assert run(det, background) == []
    decisions = run(det, burst)

    assert len(decisions) == 1
    d = decisions[0]
    # At the default alpha 0.001 the 4th burst story is not yet enough (p = 0.0024 against 5 baseline
    # stories; at 0.01 it would have fired there). The 5th completes it, two hours later, when the oldest
    # of those baseline stories has left the 14-day baseline (p = 0.00019 against 4).
    before = det.counts_at(burst[3].published_at)
    assert (before.window_count, before.baseline_count) == (4, 5)
    assert 0.001 <= before.p_value < 0.01
    assert d.fired_at == burst[4].published_at
    assert (d.window_start, d.window_end) == (burst[4].published_at - D, burst[4].published_at)
    assert (d.window_count, d.baseline_count) == (5, 4)
    assert (d.window_total, d.baseline_total) == (5, 4)
    assert d.p_value == pytest.approx(rate_p_value(5, 4.5, 1 / 15))
    assert d.p_value < 0.001
    assert d.rate_ratio == pytest.approx(5 / (4.5 / 14))
    assert d.score == 1.0 and d.baseline == 1.0
    # evidence: one per story, strongest of each distinct outlet first, then the rest
    assert [o.article_id for o in d.evidence] == [burst[i].article_id for i in (4, 3, 2, 1)] + [
        burst[0].article_id
    ]
    assert det.active_episode


def test_steady_background_never_fires() -> None:
    s = Stream()
    obs: list[Observation] = []
    for day in range(60):
        obs.append(s.obs(T0 + day * D + 9 * H, source=f"Wire {day % 3}"))
        obs.append(s.obs(T0 + day * D + 15 * H, label="none", source="Wire 9"))
    det = ShiftDetector(rise())
    assert run(det, obs) == []
    assert det.counts_at(obs[-1].published_at).window_count == 1


def test_volume_burst_of_none_never_fires() -> None:
    s = Stream()
    obs = [s.obs(T0 + day * D, source="Wire A") for day in range(0, 20, 3)]
    burst_start = T0 + 20 * D
    obs += [s.obs(burst_start + 5 * timedelta(minutes=i), "none", f"Outlet {i % 7}") for i in range(200)]
    det = ShiftDetector(rise(), started_at=T0)
    assert run(det, obs) == []
    stats = det.counts_at(obs[-1].published_at)
    assert stats.window_total == 200 and stats.window_count == 0


def test_single_outlet_burst_is_a_rumour() -> None:
    s = Stream()
    burst = [s.obs(T0 + 20 * D + i * H, source="Caspian Herald") for i in range(8)]
    det = ShiftDetector(rise(), started_at=T0)
    assert run(det, burst) == []
    stats = det.counts_at(burst[-1].published_at)
    assert stats.window_count == 8 and stats.window_sources == 1 and stats.p_value < 1e-6
    # a second outlet completes it
    assert run(ShiftDetector(rise(), started_at=T0), [*burst, s.obs(T0 + 20 * D + 9 * H, source="Other")])


def test_near_duplicates_count_once() -> None:
    s = Stream()
    t = T0 + 20 * D
    copies = [s.obs(t + i * H, source=f"Outlet {i}", story="wire-1") for i in range(5)]
    det = ShiftDetector(rise(min_evidence=2, min_sources=2), started_at=T0)
    assert run(det, copies) == []
    stats = det.counts_at(t + 5 * H)
    assert (stats.window_count, stats.window_total, stats.window_sources) == (1, 1, 1)
    # the first article of the story is the one that counts, even when it arrives last
    late_first = s.obs(t - H, source="First Outlet", story="wire-1")
    det.observe(late_first)
    stats = det.counts_at(t + 5 * H)
    assert stats.window_count == 1
    assert det.counts_at(t - 30 * timedelta(minutes=1)).window_count == 1


def test_redelivered_article_counts_once() -> None:
    s = Stream()
    o = s.obs(T0 + 20 * D, source="A")
    det = ShiftDetector(rise(), started_at=T0)
    det.observe(o)
    det.observe(o)
    assert det.counts_at(o.published_at).window_count == 1


def sustained(s: Stream, start: datetime, days: int, every: timedelta) -> list[Observation]:
    out: list[Observation] = []
    t = start
    i = 0
    while t < start + days * D:
        out.append(s.obs(t, source=["Alpha", "Beta", "Gamma"][i % 3]))
        t += every
        i += 1
    return out


def test_episode_fires_once_then_again_after_it_resolves() -> None:
    s = Stream()
    quiet = [s.obs(T0 + day * D, "none", "Wire") for day in range(15)]
    first = sustained(s, T0 + 15 * D, days=8, every=3 * H)  # 8 a day for 8 days, far past the cooldown
    det = ShiftDetector(rise(), started_at=T0)
    decisions = run(det, [*quiet, *first])
    assert [d.fired_at for d in decisions] == [first[2].published_at]
    assert det.active_episode
    # past the cooldown the rate is still significantly up: only the open episode holds a second alert back
    later = det.counts_at(first[2].published_at + 80 * H)
    assert later.p_value < 0.01 and later.rate_ratio >= 3 and later.window_count >= 3

    # the stream stops: the window holds fewer than 3 stories once the third-last (at last - 6h) leaves it, at
    # last + 18h; calm for resolve_after (default: three windows) from then, the episode ends at last + 90h
    last = first[-1].published_at
    assert not det.check_resolved(last + D)
    assert not det.check_resolved(last + 90 * H - timedelta(seconds=1))
    assert det.check_resolved(last + 90 * H)
    assert not det.active_episode
    assert not det.check_resolved(last + 5 * D)  # a transition, reported once

    # a new burst once the old episode is out of the baseline fires again
    second = sustained(s, last + 20 * D, days=1, every=2 * H)
    decisions = run(det, second)
    assert [d.fired_at for d in decisions] == [second[2].published_at]


def test_new_burst_resolves_a_stale_episode_without_check_calls() -> None:
    s = Stream()
    first = sustained(s, T0 + 15 * D, days=1, every=3 * H)
    second = sustained(s, T0 + 35 * D, days=1, every=3 * H)
    det = ShiftDetector(rise(), started_at=T0)
    decisions = run(det, [*first, *second])
    assert [d.fired_at for d in decisions] == [first[2].published_at, second[2].published_at]
    assert det.check_resolved(second[-1].published_at)  # the first episode's end is still reported once
    assert not det.check_resolved(second[-1].published_at)


def test_step_says_what_happened_to_the_episode() -> None:
    s = Stream()
    first = sustained(s, T0 + 15 * D, days=1, every=3 * H)
    repeat = s.obs(first[-1].published_at + H, story=first[-1].story_id)  # a known story: no news
    second = sustained(s, T0 + 35 * D, days=1, every=3 * H)
    det = ShiftDetector(rise(), started_at=T0)
    events = [(o.article_id, e) for o in [*first, repeat, *second] for e in det.step(o)]
    fired = [(a, e.decision.fired_at) for a, e in events if isinstance(e, Fired)]
    assert fired == [
        (first[2].article_id, first[2].published_at),
        (second[2].article_id, second[2].published_at),
    ]
    # every later story of the first burst is more evidence for the episode that fired at first[2]; the
    # repeat of a known story is not; the second burst's first story ends the stale episode before it counts
    more = [(a, e.episode) for a, e in events if isinstance(e, MoreEvidence)]
    assert more[: len(first) - 3] == [(o.article_id, first[2].published_at) for o in first[3:]]
    assert repeat.article_id not in {a for a, _ in more}
    resolved = [(a, e) for a, e in events if isinstance(e, Resolved)]
    assert resolved == [(second[0].article_id, Resolved(first[2].published_at, second[0].published_at))]
    assert [episode for _, episode in more[len(first) - 3 :]] == [second[2].published_at] * (len(second) - 3)


def test_cooldown_blocks_a_resolved_rule() -> None:
    s = Stream()
    cfg = rise(cooldown=timedelta(days=30), resolve_after=timedelta(hours=1))
    first = sustained(s, T0 + 15 * D, days=1, every=3 * H)
    second = sustained(s, T0 + 35 * D, days=1, every=3 * H)
    det = ShiftDetector(cfg, started_at=T0)
    assert len(run(det, first)) == 1
    assert det.check_resolved(T0 + 20 * D)
    assert run(det, second) == []


def test_fall_needs_a_stance_to_fall_from() -> None:
    s = Stream()
    expressing = [s.obs(T0 + day * D + 10 * H, source=f"Wire {day % 3}") for day in range(16)]
    start = T0 + 16 * D + 12 * H
    denials = [s.obs(start + i * 3 * H, "denies", ["Alpha", "Beta", "Gamma", "Alpha"][i]) for i in range(4)]
    fall = DetectorConfig(direction="fall")

    det = ShiftDetector(fall, started_at=T0)
    assert run(det, expressing) == []
    decisions = run(det, denials)
    assert [d.fired_at for d in decisions] == [denials[2].published_at]
    d = decisions[0]
    assert d.window_count == 3 and d.baseline_count == 0
    assert d.baseline_total == 14
    # a fall is told by its denials' share; the baseline had none
    assert d.score == 1.0 and d.baseline == 0.0

    # the same denials with no expressing baseline: nothing to fall from
    s2 = Stream()
    nothing = [s2.obs(T0 + day * D + 10 * H, "none", f"Wire {day % 3}") for day in range(16)]
    denials2 = [s2.obs(start + i * 3 * H, "denies", ["Alpha", "Beta", "Gamma", "Alpha"][i]) for i in range(4)]
    assert run(ShiftDetector(fall, started_at=T0), [*nothing, *denials2]) == []


def test_fall_needs_the_expressing_share_to_drop() -> None:
    s = Stream()
    baseline: list[Observation] = []
    for day in range(16):  # the stance is expressed in a third of the stories
        baseline.append(s.obs(T0 + day * D + 10 * H, source=f"Wire {day % 3}"))
        baseline.append(s.obs(T0 + day * D + 11 * H, "none", "Wire 9"))
        baseline.append(s.obs(T0 + day * D + 12 * H, "none", "Wire 8"))
    start = T0 + 16 * D + 14 * H
    # a lively debate: denials, but the stance is expressed even more than before
    window: list[Observation] = []
    for i in range(4):
        window.append(s.obs(start + i * 3 * H, "denies", ["Alpha", "Beta", "Gamma", "Alpha"][i]))
        window.append(s.obs(start + i * 3 * H + H, "expresses", "Delta"))
        window.append(s.obs(start + i * 3 * H + 2 * H, "expresses", "Epsilon"))
    fall = DetectorConfig(direction="fall")
    det = ShiftDetector(fall, started_at=T0)
    assert run(det, [*baseline, *window]) == []
    stats = det.counts_at(window[-1].published_at)
    assert stats.window_count == 4 and stats.p_value < 0.01  # the denials alone would have fired
    assert stats.window_expressing / stats.window_total > stats.baseline_expressing / stats.baseline_total


def test_late_observations_are_counted_within_the_horizon_and_dropped_beyond() -> None:
    s = Stream()
    base = T0 + 20 * D
    cfg = rise(min_evidence=4)
    det = ShiftDetector(cfg, started_at=T0)
    a = s.obs(base + 10 * H, source="Alpha")
    b = s.obs(base + 12 * H, source="Beta")
    c = s.obs(base + 14 * H, source="Gamma")
    late = s.obs(base + 11 * H, source="Delta")  # arrives last, published second
    assert run(det, [a, b, c]) == []
    assert det.counts_at(base + 14 * H).window_count == 3
    decisions = run(det, [late])
    assert det.counts_at(base + 14 * H).window_count == 4
    # the condition first held at c's event time, once the late story is in
    assert [d.fired_at for d in decisions] == [c.published_at]
    assert late.article_id in {o.article_id for o in decisions[0].evidence}

    too_old = s.obs(base + 14 * H - cfg.horizon - H, source="Old")
    assert det.observe(too_old) is None
    assert det.late_dropped == 1
    assert det.counts_at(too_old.published_at).window_count == 0


def test_cold_start_needs_a_baseline() -> None:
    s = Stream()
    burst = [s.obs(T0 + i * H, source=["Alpha", "Beta", "Gamma"][i % 3]) for i in range(10)]
    det = ShiftDetector(rise())  # started at the first observation: no baseline watched yet
    assert run(det, burst) == []
    assert det.counts_at(burst[-1].published_at).baseline_span == timedelta(0)
    # with a watched, quiet baseline the same burst fires
    assert run(ShiftDetector(rise(), started_at=T0 - 15 * D), burst)


def test_memory_is_pruned_to_the_horizon() -> None:
    s = Stream()
    det = ShiftDetector(rise())
    for day in range(100):
        det.observe(s.obs(T0 + day * D, "none", "Wire"))
    assert len(det) == 17  # 16 days back, both ends included
    assert len(det.to_state()["seen"]) <= 18


def test_state_round_trip_mid_stream_gives_identical_decisions() -> None:
    s = Stream()
    rng = random.Random(11)
    obs: list[Observation] = []
    for day in range(60):
        rate = 10 if day in (20, 21, 45) else 1
        for _ in range(rate):
            t = T0 + day * D + timedelta(seconds=rng.randrange(86400))
            label: Label = rng.choice(["expresses", "none", "none"]) if rate == 1 else "expresses"
            story = f"dup-{rng.randrange(3)}-{day}" if rng.random() < 0.3 else None
            obs.append(s.obs(t, label, f"Outlet {rng.randrange(5)}", story=story, score=rng.random()))
    obs.sort(key=lambda o: o.published_at)
    # a little disorder: swap some neighbours
    for i in range(0, len(obs) - 1, 7):
        obs[i], obs[i + 1] = obs[i + 1], obs[i]

    def drive(det: ShiftDetector, items: list[Observation]) -> list[object]:
        out: list[object] = []
        for o in items:
            out.append(det.observe(o))
            out.append(det.check_resolved(o.published_at))
        return out

    cut = len(obs) // 2 + 3
    whole = ShiftDetector(rise())
    reference = drive(whole, obs)
    assert any(isinstance(x, Decision) for x in reference)

    first = ShiftDetector(rise())
    head = drive(first, obs[:cut])
    restored = ShiftDetector.from_state(rise(), json.loads(json.dumps(first.to_state())))
    tail = drive(restored, obs[cut:])
    assert head + tail == reference
    assert restored.to_state() == whole.to_state()


def test_config_validation() -> None:
    with pytest.raises(ValueError):
        DetectorConfig(direction="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        rise(window=timedelta(0))
    assert rise().resolve_delay == timedelta(hours=72)  # three windows of calm end an episode
    assert DetectorConfig(direction="fall").evidence_label == "denies"


def test_volume_guard_ignores_more_evidence_at_the_same_share() -> None:
    """A spike in coverage multiplies a classifier's false positives; the share of evidence does not move."""
    s = Stream()
    obs: list[Observation] = []
    for day in range(20):  # baseline: 10 stories a day mentioning the actor, one in ten "expressing"
        for i in range(10):
            label = "expresses" if i == 0 and day % 2 == 0 else "none"
            obs.append(s.obs(T0 + day * D + i * H, label, f"Wire {i % 4}"))
    spike = T0 + 20 * D
    for i in range(80):  # a day of heavy coverage: 80 stories, still one in ten "expressing"
        label = "expresses" if i % 10 == 0 else "none"
        obs.append(s.obs(spike + i * timedelta(minutes=15), label, f"Outlet {i % 6}"))
    guarded = ShiftDetector(DetectorConfig(direction="rise", share_test=True), started_at=T0)
    assert run(guarded, obs) == []
    stats = guarded.counts_at(obs[-1].published_at)
    assert stats.p_value < 0.01 and stats.share_p_value >= 0.01  # the rate rose, the share did not
    unguarded = ShiftDetector(rise(), started_at=T0)
    assert len(run(unguarded, obs)) == 1


def test_volume_guard_lets_a_real_shift_through() -> None:
    s = Stream()
    obs = [s.obs(T0 + day * D + i * H, "none", f"Wire {i}") for day in range(20) for i in range(5)]
    start = T0 + 20 * D
    burst = [s.obs(start + i * H, "expresses", f"Outlet {i % 3}") for i in range(4)]
    det = ShiftDetector(DetectorConfig(direction="rise", share_test=True), started_at=T0)
    decisions = run(det, obs + burst)
    assert [d.fired_at for d in decisions] == [burst[2].published_at]
