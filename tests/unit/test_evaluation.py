"""The quality figures: alerts against labelled shifts, sentence labels against gold, held-out heads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from monitor.alerts import Alert
from monitor.errors import TimelineError
from monitor.evaluation import (
    SentenceTable,
    classification_report,
    domain_fingerprint,
    load_table,
    predict_labels,
    read_shifts,
    save_table,
    score_alerts,
)
from monitor.slack import sample_alert
from monitor.stance import StanceFeatures
from monitor.types import StanceKey

START = datetime(2025, 6, 1, tzinfo=UTC)


def at(hours: float) -> str:
    return (START + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def alert(rule_id: str, hours: float) -> Alert:
    """An alert of `rule_id` fired `hours` after START (scoring reads only the rule and the time)."""
    fired_at = START + timedelta(hours=hours)
    return sample_alert(START).model_copy(
        update={"id": f"{rule_id}-{hours}", "rule_id": rule_id, "fired_at": fired_at}
    )


def test_score_alerts_counts_hits_repeats_false_alerts_and_quiet_rules() -> None:
    shifts = [{"rule_id": "a", "start": at(0)}, {"rule_id": "b", "start": at(200)}]
    alerts = [
        alert("a", 6),  # hit, 6 h late
        alert("a", 30),  # the same episode again: a repeat
        alert("a", 0 + 73),  # more than 72 h after the shift started: false
        alert("quiet", 10),  # a rule with no shift: false, and on a quiet rule
        alert("b", 202),  # hit, 2 h late
    ]
    scored = score_alerts(alerts, shifts, ["a", "b", "quiet", "also-quiet"], n_articles=500)
    assert {k: scored[k] for k in ("shifts", "alerts", "hits", "repeats", "false_alerts", "missed")} == {
        "shifts": 2,
        "alerts": 5,
        "hits": 2,
        "repeats": 1,
        "false_alerts": 2,
        "missed": 0,
    }
    assert scored["precision"] == 0.4 and scored["recall"] == 1.0
    assert scored["f1"] == pytest.approx(2 * 0.4 / 1.4, abs=1e-4)
    assert scored["median_delay_h"] == 4.0  # median of 6 h and 2 h
    assert scored["false_alerts_per_1000_articles"] == 4.0
    assert (scored["quiet_rules"], scored["alerts_on_quiet_rules"]) == (2, 1)
    assert {"rule_id": "quiet", "false_alert_at": at(10)} in scored["details"]


def test_score_alerts_reports_a_missed_shift_and_no_delay_without_hits() -> None:
    scored = score_alerts([], [{"rule_id": "a", "start": at(0)}], ["a"], n_articles=10)
    assert (scored["hits"], scored["missed"], scored["precision"], scored["recall"]) == (0, 1, 0.0, 0.0)
    assert scored["median_delay_h"] is None
    assert scored["details"] == [{"rule_id": "a", "start": at(0), "delay_h": None}]


def test_classification_report_per_class_stance_f1_and_confusion() -> None:
    # 0 none, 1 expresses, 2 denies
    gold = np.array([1, 1, 1, 2, 2, 0, 0, 0, 0, 0])
    predicted = np.array([1, 1, 0, 2, 1, 0, 0, 0, 0, 1])
    report = classification_report(gold, predicted)
    expresses = report["per_class"]["expresses"]
    assert (expresses["precision"], expresses["recall"], expresses["support"]) == (0.5, 0.6667, 3)
    assert expresses["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), abs=1e-4)
    denies = report["per_class"]["denies"]
    assert (denies["precision"], denies["recall"], denies["f1"]) == (1.0, 0.5, 0.6667)
    assert report["stance_f1"] == pytest.approx((expresses["f1"] + denies["f1"]) / 2, abs=1e-4)
    # rows gold, columns predicted, in the order expresses / denies / none
    assert report["confusion"]["labels"] == ["expresses", "denies", "none"]
    assert report["confusion"]["rows_gold_cols_predicted"] == [[2, 0, 1], [1, 1, 0], [1, 0, 4]]


def synthetic_table(rows_per_stance: int = 120) -> SentenceTable:
    """Three stances whose labels follow the first feature: a head trained on any two learns the third."""
    rng = np.random.default_rng(0)
    stances = np.repeat(np.array(["a", "b", "c"]), rows_per_stance)
    labels = rng.choice([0, 1, 2], size=len(stances), p=[0.6, 0.25, 0.15])
    features = rng.normal(size=(len(stances), len(StanceFeatures.names()))).astype(np.float32)
    features[:, 0] += 3.0 * labels
    n = len(stances)
    # Two extra labelled rows that were never scored (their actor is not named): they stay "none".
    gold = np.concatenate([labels, [1, 0]])
    return SentenceTable(
        features=features,
        labels=labels,
        stances=stances,
        scored=np.arange(n),
        gold=gold,
        keys=[StanceKey("x", str(s)) for s in stances],
        groups=np.arange(n),
    )


def test_labels_follow_the_one_threshold_and_tables_round_trip(tmp_path: Path) -> None:
    probabilities = np.asarray([[0.2, 0.7, 0.1], [0.5, 0.1, 0.4], [0.1, 0.3, 0.6], [0.3, 0.5, 0.2]])
    assert predict_labels(probabilities).tolist() == [1, 0, 2, 1]
    table = synthetic_table()
    save_table(table, tmp_path / "t.npz")
    again = load_table(tmp_path / "t.npz")
    assert np.array_equal(again.features, table.features) and again.keys == table.keys


def test_the_domain_fingerprint_follows_the_rule_text(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("actors: {}\n", encoding="utf-8")
    first = domain_fingerprint(rules)
    assert first == domain_fingerprint(rules) and len(first) == 16
    rules.write_text("actors: {}\nstances: {}\n", encoding="utf-8")
    assert domain_fingerprint(rules) != first


def test_read_shifts_names_each_bad_shift(tmp_path: Path) -> None:
    path = tmp_path / "shifts.json"
    path.write_text(
        '[{"rule_id": "a", "start": "2025-06-13T00:00:00Z"}, {"rule_id": "b"},'
        ' {"rule_id": "c", "start": "2025-06-13"}, {"rule_id": "d", "start": "soon"}]'
    )
    with pytest.raises(TimelineError) as caught:
        read_shifts(path)
    assert caught.value.messages == [
        f"{path}: shift #2: needs rule_id and start",
        f"{path}: shift #3: start '2025-06-13' needs a time zone (e.g. 2025-06-13T00:00:00Z)",
        f"{path}: shift #4: start 'soon' is not an ISO 8601 time",
    ]
    path.write_text('[{"rule_id": "a", "start": "2025-06-13T00:00:00Z"}]')
    assert read_shifts(path) == [{"rule_id": "a", "start": "2025-06-13T00:00:00Z"}]


def test_labelled_rows_are_put_in_their_articles_event_time_order() -> None:
    from monitor.articles import parse_article
    from monitor.evaluation import in_stream_order

    def article(article_id: str, hours: float) -> Any:
        return parse_article(
            json.dumps({"id": article_id, "source": "Wire", "published_at": at(hours), "body": "x"})
        )

    articles = [article("late", 5), article("early", 1), article("tie-b", 3), article("tie-a", 3)]
    rows = [
        {"article_id": a, "n": n}
        for n, a in enumerate(["late", "unknown", "early", "tie-b", "early", "tie-a"])
    ]
    ordered = in_stream_order(rows, articles)
    assert [(r["article_id"], r["n"]) for r in ordered] == [
        ("early", 2),
        ("early", 4),
        ("tie-a", 5),
        ("tie-b", 3),
        ("late", 0),
        ("unknown", 1),
    ]


def two_stance_rows(labels: tuple[str, str, str] = ("expresses", "denies", "none")) -> list[dict[str, Any]]:
    sentences = [
        ("Russia offered to mediate between the two sides.", "mediation", None),
        ("Russia ruled out acting as a mediator.", "mediation", None),
        ("Russia's harvest was late.", "mediation", None),
        ("Russia delivered air defence systems to Iran.", "military_support", "iran"),
        ("Russia denied sending weapons to Iran.", "military_support", "iran"),
        ("Russia and Iran signed a tourism deal.", "military_support", "iran"),
    ]
    return [
        {
            "article_id": f"a{i}",
            "sentence": s,
            "actor": "russia",
            "stance": st,
            "target": t,
            "label": labels[i % 3],
        }
        for i, (s, st, t) in enumerate(sentences)
    ]


def test_timeline_rows_are_checked_and_in_event_time_order(tmp_path: Path) -> None:
    from monitor.evaluation import timeline_rows
    from monitor.rules import load_rules

    articles = [
        {"id": "a1", "source": "Wire", "published_at": at(5), "body": "x"},
        {"id": "a0", "source": "Wire", "published_at": at(1), "body": "x"},
    ]
    (tmp_path / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    (tmp_path / "labels").mkdir()
    rows = two_stance_rows()[:2]  # a0's row first in the file
    (tmp_path / "labels" / "sentences.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in reversed(rows))
    )
    rules = load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml")
    assert [r["article_id"] for r in timeline_rows(tmp_path, rules)] == ["a0", "a1"]
    with (tmp_path / "labels" / "sentences.jsonl").open("a") as handle:
        handle.write(
            '{"article_id": "a2", "sentence": "x", "actor": "nobody", "stance": "mediation", "label": "none"}\n'
        )
    with pytest.raises(TimelineError, match="sentences.jsonl:3"):
        timeline_rows(tmp_path, rules)
