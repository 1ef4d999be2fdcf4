"""The Faust worker against a real Kafka-protocol broker (Tansu on loopback), as ops run it.

The workers run as subprocesses (`python -m monitor worker`) so that one can be killed with SIGKILL. Every
scenario compares the worker's alerts with what the in-process pipeline (`replay`) gives for the same input.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer
from prometheus_client import CollectorRegistry

from monitor.alerts import alert_to_dict
from monitor.articles import parse_article
from monitor.metrics import Metrics
from monitor.pipeline import Pipeline
from monitor.rules import load_rules
from monitor.silences import Silence, save_silences
from monitor.slack import sample_alert
from monitor.stance import StanceScorer
from tests.kafka_broker import Broker, free_port

pytestmark = [pytest.mark.integration, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "articles.jsonl"
RULES = ROOT / "rules"
PARTITIONS = 4
WAIT = 180.0  # seconds: model load + scoring the sample on a busy 2-core machine


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    server = Broker(tmp_path_factory.mktemp("tansu") / "tansu.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sample_lines() -> list[str]:
    return [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def expected(sample_lines: list[str], head: Any) -> dict[str, Any]:
    """What `replay` gives for the sample: alerts (as DESIGN JSON) and update ids.

    With a fresh model, as `replay` and each worker start: the session's shared embedder has cached
    embeddings computed in other batches, which differ in the last float bits and can tip a borderline call.
    """
    from monitor.embedding import SentenceTransformerEmbedder

    rules = load_rules(RULES)
    scorer = StanceScorer(rules, SentenceTransformerEmbedder(), head)
    pipeline = Pipeline(rules, scorer, Metrics.create(CollectorRegistry()))
    articles = sorted((parse_article(line) for line in sample_lines), key=lambda a: (a.published_at, a.id))
    alerts: list[dict[str, Any]] = []
    updates: list[str] = []
    for start in range(0, len(articles), 64):
        result = pipeline.process(articles[start : start + 64])
        alerts += [alert_to_dict(a) for a in result.alerts]
        updates += [u.id for u in result.updates]
    assert len(alerts) >= 2, "the sample must produce alerts for these tests to mean anything"
    return {"alerts": {a["id"]: a for a in alerts}, "updates": set(updates)}


class Deployment:
    """One test's topics and consumer group on the shared broker, and its worker processes."""

    def __init__(self, broker: Broker, tmp_path: Path) -> None:
        self.broker = broker
        self.tmp_path = tmp_path
        suffix = uuid.uuid4().hex[:8]
        self.topics = {
            "articles": f"articles-{suffix}",
            "alerts": f"alerts-{suffix}",
            "updates": f"updates-{suffix}",
            "dlq": f"dlq-{suffix}",
            "scored": f"scored-{suffix}",
            "slack": f"slack-{suffix}",
        }
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "SLACK_BOT_TOKEN"},
            "HF_HUB_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
            "STANCE_MONITOR_APP_ID": f"stance-monitor-{suffix}",
            "STANCE_MONITOR_ARTICLES_TOPIC": self.topics["articles"],
            "STANCE_MONITOR_ALERTS_TOPIC": self.topics["alerts"],
            "STANCE_MONITOR_UPDATES_TOPIC": self.topics["updates"],
            "STANCE_MONITOR_DLQ_TOPIC": self.topics["dlq"],
            "STANCE_MONITOR_SCORED_TOPIC": self.topics["scored"],
            "STANCE_MONITOR_SLACK_TOPIC": self.topics["slack"],
            "STANCE_MONITOR_SLACK_DLQ_TOPIC": f"slack-dlq-{suffix}",
            "STANCE_MONITOR_PARTITIONS": str(PARTITIONS),
            # a fast group join and failover on loopback; one record per producer batch (see DESIGN.md)
            "KAFKA_SESSION_TIMEOUT": "2.0",
            "KAFKA_HEARTBEAT_INTERVAL": "0.5",
            "KAFKA_PRODUCER_MAX_BATCH_SIZE": "1",
            # Faust's data dir (default: APP_ID-data in the working directory, which is the checkout)
            "APP_DATADIR": str(tmp_path / "faust-data"),
        }
        self.workers: list[tuple[subprocess.Popen[bytes], Path, int]] = []

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "monitor", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=self.env,
            timeout=300,
        )

    def start_worker(self, rules: Path = RULES) -> int:
        port = free_port()
        log = self.tmp_path / f"worker-{len(self.workers)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "monitor",
                "worker",
                "--rules",
                str(rules),
                "--metrics-port",
                str(port),
                "--metrics-addr",
                "127.0.0.1",
                "--loglevel",
                os.environ.get("TEST_WORKER_LOGLEVEL", "info"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append((process, log, port))
        return len(self.workers) - 1

    def kill(self, index: int) -> None:
        process = self.workers[index][0]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def terminate(self, index: int) -> int:
        """SIGTERM, as Kubernetes stops a pod; the worker's exit code."""
        process = self.workers[index][0]
        process.terminate()
        return process.wait(timeout=60)

    def get(self, index: int, path: str) -> tuple[int, str]:
        port = self.workers[index][2]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def metric(self, index: int, name: str) -> float:
        _, text = self.get(index, "/metrics")
        return sum(
            float(line.split()[-1])
            for line in text.splitlines()
            if line.startswith(name + " ") or line.startswith(name + "{")
        )

    def problems(self) -> str:
        """The workers' warnings and errors (for failure messages)."""
        lines = [
            f"{log.name}: {line}"
            for _, log, _ in self.workers
            for line in log.read_text(errors="replace").splitlines()
            if "WARNING" in line or "ERROR" in line or "generation id" in line
        ]
        return "\n".join(lines[-40:])

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n" + log.read_text(errors="replace")[-4000:] for _, log, _ in self.workers
        )

    def stop(self) -> None:
        for process, _, _ in self.workers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()

    def produce_raw(self, values: list[bytes], topic: str = "articles", key: bytes | None = None) -> None:
        producer = KafkaProducer(bootstrap_servers=self.broker.bootstrap, acks="all")
        for value in values:
            producer.send(self.topics[topic], key=key, value=value)
        producer.flush()
        producer.close()

    def read(
        self, topic: str, *, until: int, timeout: float = WAIT, check: Any = None, settle: float = 0.0
    ) -> list[dict[str, Any]]:
        """Every message on `topic`: waits until there are at least `until` (or the timeout, or a worker
        dies), then keeps reading for `settle` seconds so that anything sent twice shows up."""
        consumer = KafkaConsumer(
            self.topics[topic],
            bootstrap_servers=self.broker.bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            group_id=None,
            consumer_timeout_ms=1000,
        )
        messages: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                messages += [json.loads(m.value) for m in consumer]
                if len(messages) >= until:
                    break
                if check is not None:
                    check()
            settled = time.monotonic() + settle
            while time.monotonic() < settled:
                messages += [json.loads(m.value) for m in consumer]
        finally:
            consumer.close()
        return messages

    def alive(self) -> None:
        for process, _, _ in self.workers:
            if process.returncode is None and process.poll() is not None:
                raise AssertionError(f"worker exited with {process.returncode}:\n{self.logs()}")


@pytest.fixture
def deployment(broker: Broker, tmp_path: Path) -> Iterator[Deployment]:
    deploy = Deployment(broker, tmp_path)
    yield deploy
    deploy.stop()


def ids(messages: list[dict[str, Any]]) -> list[str]:
    return [m["id"] for m in messages]


def alert_differences(alerts: list[dict[str, Any]], expected: dict[str, dict[str, Any]]) -> str:
    """Which fields of which alerts differ from replay's (the dicts are too long for pytest's diff)."""
    lines = []
    for alert in alerts:
        want = expected.get(alert["id"], {})
        for field in sorted(set(alert) | set(want)):
            got, wanted = alert.get(field), want.get(field)
            if field == "evidence":
                got = [e["article_id"] for e in got or []]
                wanted = [e["article_id"] for e in wanted or []]
            if got != wanted:
                lines.append(f"{alert['id']} {field}: worker {got!r}, replay {wanted!r}")
    return "\n".join(lines) or "only the evidence details differ"


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def split_at_first_alert(lines: list[str], expected: dict[str, Any]) -> int:
    """Index just after the article that completed the first alert: a kill there is mid-stream."""
    first = min(a["fired_at"] for a in expected["alerts"].values())
    return next(i for i, line in enumerate(lines) if json.loads(line)["published_at"] > first)


def ingest_until_the_first_alert(
    deployment: Deployment, lines: list[str], expected: dict[str, Any], *, workers: int
) -> int:
    """Ingest the sample up to its first alert, start the workers, wait for that alert; return the cut."""
    cut = split_at_first_alert(lines, expected)
    first_part = write_lines(deployment.tmp_path / "first.jsonl", lines[:cut])
    assert deployment.cli("ingest", str(first_part)).returncode == 0
    for _ in range(workers):
        deployment.start_worker()
    first = deployment.read("alerts", until=1, check=deployment.alive)
    assert len(first) == 1, f"got {ids(first)}; {deployment.tmp_path}"
    return cut


def test_worker_alerts_equal_replay_and_bad_messages_go_to_the_dead_letter_topic(
    deployment: Deployment, sample_lines: list[str], expected: dict[str, Any], tmp_path: Path
) -> None:
    ingested = deployment.cli("ingest", str(write_lines(tmp_path / "sample.jsonl", sample_lines)))
    assert ingested.returncode == 0, ingested.stderr
    assert f"sent {len(sample_lines)} articles" in ingested.stderr
    bad = [
        b"{not json",
        b'["an", "array"]',
        b'{"id": "x-1", "published_at": "2025-03-02T00:00:00Z"}',
        b'{"id": "x-2", "body": "Russia.", "published_at": "yesterday"}',
    ]
    deployment.produce_raw(bad)
    deployment.start_worker()

    alerts = deployment.read("alerts", until=len(expected["alerts"]), check=deployment.alive, settle=3)
    dead = deployment.read("dlq", until=len(bad), timeout=30)
    # the stream went on past the bad messages: every article counted, every alert there
    assert sorted(ids(alerts)) == sorted(expected["alerts"]), (
        f"got {ids(alerts)}; {deployment.tmp_path}\n{deployment.problems()}"
    )
    assert {a["id"]: a for a in alerts} == expected["alerts"], alert_differences(alerts, expected["alerts"])
    updates = deployment.read("updates", until=len(expected["updates"]), timeout=30)
    assert set(ids(updates)) == expected["updates"]
    assert sorted(d["reason"] for d in dead) == [
        "invalid_field",
        "invalid_json",
        "missing_field",
        "not_an_object",
    ]
    assert all(d["error"] and d["topic"] == deployment.topics["articles"] for d in dead)
    assert {d["value"] for d in dead} == {b.decode() for b in bad}
    # what a newcomer reads with `stance-monitor tail`
    tailed = deployment.cli("tail", "--from-beginning", "--idle-exit", "3")
    assert tailed.returncode == 0, tailed.stderr
    assert sorted(json.loads(line)["id"] for line in tailed.stdout.splitlines()) == sorted(expected["alerts"])
    assert deployment.metric(0, "stance_monitor_articles_processed_total") == len(sample_lines)
    assert deployment.metric(0, "stance_monitor_articles_rejected_total") == len(bad)
    # what the probes see: alive, and ready (model loaded, rules valid, consumer joined)
    assert deployment.get(0, "/healthz")[0] == 200
    assert deployment.get(0, "/readyz") == (200, "model: ok\nrules: ok\nconsumer: ok\n")
    # stopped as Kubernetes stops a pod: it leaves the group and exits cleanly
    assert deployment.terminate(0) == 0, deployment.logs()


def test_a_worker_killed_mid_stream_recovers_its_state_without_losing_or_repeating_alerts(
    deployment: Deployment, sample_lines: list[str], expected: dict[str, Any], tmp_path: Path
) -> None:
    cut = ingest_until_the_first_alert(deployment, sample_lines, expected, workers=1)
    deployment.kill(0)

    # the rest of the stream arrives while the worker is down; a new worker takes over from the changelog
    assert (
        deployment.cli("ingest", str(write_lines(tmp_path / "rest.jsonl", sample_lines[cut:]))).returncode
        == 0
    )
    deployment.start_worker()
    alerts = deployment.read("alerts", until=len(expected["alerts"]), check=deployment.alive, settle=5)
    assert sorted(ids(alerts)) == sorted(expected["alerts"]), (
        f"got {ids(alerts)}; {deployment.tmp_path}\n{deployment.problems()}"
    )
    # the baselines survived the kill: the counts behind every alert are those of an uninterrupted replay
    assert {a["id"]: a for a in alerts} == expected["alerts"], alert_differences(alerts, expected["alerts"])


def test_two_workers_share_partitions_and_one_takes_over_when_the_other_dies(
    deployment: Deployment, sample_lines: list[str], expected: dict[str, Any], tmp_path: Path
) -> None:
    cut = ingest_until_the_first_alert(deployment, sample_lines, expected, workers=2)
    # both took part: each scored some of the articles
    shares = [deployment.metric(i, "stance_monitor_articles_processed_total") for i in (0, 1)]
    assert all(share > 0 for share in shares) and sum(shares) >= cut, shares
    deployment.kill(0)

    assert (
        deployment.cli("ingest", str(write_lines(tmp_path / "rest.jsonl", sample_lines[cut:]))).returncode
        == 0
    )
    alerts = deployment.read("alerts", until=len(expected["alerts"]), check=deployment.alive, settle=5)
    assert sorted(ids(alerts)) == sorted(expected["alerts"]), (
        f"got {ids(alerts)}; {deployment.tmp_path}\n{deployment.problems()}"
    )
    assert {a["id"]: a for a in alerts} == expected["alerts"], alert_differences(alerts, expected["alerts"])


def slack_posts(
    deployment: Deployment, slack_server: Any, at_least: int, *, timeout: float = WAIT, settle: float = 2.0
) -> list[dict[str, Any]]:
    """The messages posted to Slack, once there are `at_least` (or the timeout), after `settle` more seconds
    in which anything posted twice would show."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(slack_server.calls("chat.postMessage")) < at_least:
        deployment.alive()
        time.sleep(0.5)
    time.sleep(settle)
    return list(slack_server.calls("chat.postMessage"))


def test_worker_posts_each_alert_to_slack_once_after_an_outage_except_those_silenced(
    deployment: Deployment,
    sample_lines: list[str],
    expected: dict[str, Any],
    tmp_path: Path,
    slack_server: Any,
) -> None:
    muted = "china-calls-ceasefire"  # one of the sample's two alerts: recorded on the topic, not posted
    silences = tmp_path / "silences.yaml"
    always = {"starts_at": datetime(2000, 1, 1, tzinfo=UTC), "ends_at": datetime(2100, 1, 1, tzinfo=UTC)}
    save_silences(silences, [Silence(matchers={"rule": muted}, comment="known story", **always)])
    deployment.env.update(
        SLACK_BOT_TOKEN=slack_server.token,
        SLACK_API_URL=slack_server.url,
        SLACK_DEFAULT_CHANNEL="#geo-alerts",
        STANCE_MONITOR_SILENCES=str(silences),
    )
    slack_server.down()
    assert deployment.cli("ingest", str(write_lines(tmp_path / "sample.jsonl", sample_lines))).returncode == 0
    deployment.start_worker()
    # Slack is down, scoring and detection are not: every alert reaches the topic
    alerts = deployment.read("alerts", until=len(expected["alerts"]), check=deployment.alive, settle=2)
    assert sorted(ids(alerts)) == sorted(expected["alerts"])
    assert muted in {a["rule_id"] for a in alerts}
    assert slack_server.calls("chat.postMessage") == []
    assert slack_server.calls("chat.postMessage", ok_only=False), "the worker should have been trying"

    slack_server.up()
    notified = [a for a in expected["alerts"].values() if a["rule_id"] != muted]
    notified_updates = [u for u in expected["updates"] if not u.startswith(f"{muted}:")]
    wanted = len(notified) + len(notified_updates)
    posts = slack_posts(deployment, slack_server, wanted, timeout=120, settle=3)
    headlines = [p for p in posts if not p.get("thread_ts")]
    replies = [p for p in posts if p.get("thread_ts")]
    assert len(headlines) == len(notified), f"{len(headlines)} headlines; {deployment.tmp_path}"
    assert sorted(h["text"] for h in headlines) == sorted(
        h["text"] for h in {h["text"]: h for h in headlines}.values()
    )
    assert len(replies) == len(notified_updates)
    resolved = [u for u in notified_updates if u.endswith("/resolved")]
    assert len(slack_server.calls("chat.update")) == len(resolved)
    assert deployment.metric(0, "stance_monitor_alerts_suppressed_total") == 1


def test_worker_forgets_the_slack_deliveries_of_threads_quiet_past_the_retention(
    deployment: Deployment, slack_server: Any
) -> None:
    # one partition, so that every message below is handled where the old records live
    deployment.env.update(
        SLACK_BOT_TOKEN=slack_server.token,
        SLACK_API_URL=slack_server.url,
        SLACK_DEFAULT_CHANNEL="#geo-alerts",
        STANCE_MONITOR_PARTITIONS="1",
        STANCE_MONITOR_SLACK_RETENTION="8",
    )
    old = sample_alert(datetime(2025, 3, 1, tzinfo=UTC)).model_copy(update={"id": "r:old"})
    new = sample_alert(datetime(2025, 3, 2, tzinfo=UTC)).model_copy(update={"id": "r:new"})

    def publish(alert: Any) -> None:  # as the detection stage queues an alert for Slack
        value = json.dumps({"type": "alert", "alert": alert_to_dict(alert)}).encode()
        deployment.produce_raw([value], topic="slack", key=alert.id.encode())

    def wait_for_posts(count: int) -> None:
        assert len(slack_posts(deployment, slack_server, count, settle=2)) == count, f"{deployment.tmp_path}"

    deployment.start_worker()
    # the worker creates its topics (one partition); a producer that came first would create them with the
    # broker's default count, which Faust rejects for a table's source topic
    consumer = KafkaConsumer(bootstrap_servers=deployment.broker.bootstrap)
    deadline = time.monotonic() + WAIT
    while not consumer.partitions_for_topic(deployment.topics["slack"]) and time.monotonic() < deadline:
        deployment.alive()
        time.sleep(0.5)
    consumer.close()
    publish(old)
    wait_for_posts(1)
    publish(old)  # re-delivered within the retention: the record says it is in Slack already
    wait_for_posts(1)
    time.sleep(8)  # the old alert's thread is now quiet for longer than the retention
    publish(new)  # handling this message looks over the partition's records and deletes the old alert's
    wait_for_posts(2)
    publish(old)  # so a re-delivery now is posted again (why the retention must outlast the topic's)
    wait_for_posts(3)
    publish(new)  # while the new one's record stays
    wait_for_posts(3)


def test_worker_reloads_edited_rules_and_keeps_the_old_ones_when_an_edit_is_broken(
    deployment: Deployment, tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    active = len([r for r in load_rules(rules).rules if r.enabled])
    deployment.start_worker(rules)

    def wait_for(name: str, value: float, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            deployment.alive()
            try:
                if deployment.metric(0, name) == value:
                    return
            except OSError:  # /metrics not up yet (the model is loading)
                pass
            time.sleep(0.5)
        raise AssertionError(f"{name} never reached {value}; {deployment.tmp_path}")

    wait_for("stance_monitor_rules_loaded", active)
    deadline = time.monotonic() + WAIT  # ready: model loaded and consumer joined, so its timers run
    while deployment.get(0, "/readyz")[0] != 200 and time.monotonic() < deadline:
        deployment.alive()
        time.sleep(0.5)
    (rules / "broken.yaml").write_text("rules:\n  - id: no-actor\n    title: Missing fields\n")
    wait_for("stance_monitor_rules_reload_failures_total", 1)
    assert deployment.metric(0, "stance_monitor_rules_loaded") == active  # the previous rules stay
    (rules / "broken.yaml").write_text(
        "rules:\n  - id: qatar-offers-mediation-too\n    title: Qatar offers mediation\n"
        "    actor: qatar\n    stance: mediation\n    direction: rise\n"
    )
    wait_for("stance_monitor_rules_loaded", active + 1)
