"""A real Prometheus scrapes a real `stance-monitor run`: the figures it stores equal what the run did, the
alert rules of deploy/prometheus/alerts.yml load and evaluate, and every Grafana panel query works.

tests/unit/test_deploy.py checks the metric names by reading the files; this checks them against the server
that ops will query, with the exposition format Prometheus negotiates (OpenMetrics) and PromQL's own parser.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from monitor.rules import load_rules

pytestmark = [pytest.mark.integration, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
RULES = ROOT / "rules"
#: examples/articles-with-errors.jsonl is examples/articles.jsonl plus three malformed lines (examples/README.md)
VALID = ROOT / "examples" / "articles.jsonl"
STREAM = ROOT / "examples" / "articles-with-errors.jsonl"
#: Dashboard queries that may return nothing from `run`: the Kafka lag is set by the worker only, and failed
#: Slack deliveries have one series per error code, which appears at the first failure. Their metric names
#: must still be ones the run exports (checked against the scraped metadata).
NO_SERIES_FROM_RUN = {"stance_monitor_kafka_consumer_lag", "stance_monitor_slack_delivery_failures_total"}
JOB = "stance-monitor"  # the job alerts.yml selects


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def parse_time(text: str) -> float:
    """Prometheus' RFC 3339 times carry nanoseconds, which datetime does not take."""
    trimmed = re.sub(r"(\.\d{6})\d*", r"\1", text).replace("Z", "+00:00")
    return datetime.fromisoformat(trimmed).timestamp()


def wait_for(what: str, check: Callable[[], bool], timeout: float, logs: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{logs()}")
        time.sleep(0.5)


class PromAPI:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, **params: str) -> Any:
        url = f"{self.base}{path}?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:  # a bad query answers 400 with the error in the body
            return json.loads(exc.read())

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/-/ready", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def query(self, expr: str) -> list[dict[str, Any]]:
        answer = self.get("/api/v1/query", query=expr)
        assert answer["status"] == "success", f"{expr}: {answer.get('errorType')}: {answer.get('error')}"
        result: list[dict[str, Any]] = answer["data"]["result"]
        return result

    def values(self, expr: str, label: str | None = None) -> dict[str, float]:
        """An instant vector as {label value (or ""): value}."""
        return {(s["metric"].get(label, "") if label else ""): float(s["value"][1]) for s in self.query(expr)}

    def value(self, expr: str) -> float | None:
        found = self.values(expr)
        return found.get("")


def dashboard_exprs() -> list[tuple[str, str]]:
    dashboard = json.loads((DEPLOY / "grafana" / "stance-monitor.json").read_text())
    return [
        (f"panel {panel['title']!r} {target['refId']}", target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]


def alert_rules() -> list[dict[str, Any]]:
    groups = YAML(typ="safe").load((DEPLOY / "prometheus" / "alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def metric_names(expr: str) -> set[str]:
    return set(re.findall(r"stance_monitor_[a-z_]+", expr))


def family(name: str) -> str:
    """The metric family a sample name belongs to: OpenMetrics metadata names counters without `_total`."""
    return re.sub(r"_(total|bucket|count|sum|created)$", "", name)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes the test starts; killed however it ends."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)


def test_prometheus_scraping_run_stores_its_figures_and_evaluates_every_rule_and_panel(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    prometheus = shutil.which("prometheus")
    if prometheus is None:
        pytest.skip("the prometheus binary is not installed (Debian package prometheus; .ci/run installs it)")
    valid_ids = [json.loads(line)["id"] for line in VALID.read_text().splitlines() if line.strip()]
    stream_lines = [line for line in STREAM.read_text().splitlines() if line.strip()]
    assert len(set(valid_ids)) == len(valid_ids)  # no duplicates: each valid line is processed once
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(STREAM, inbox / "articles.jsonl")
    alerts_out, dead_letter, state = (
        tmp_path / "alerts.jsonl",
        tmp_path / "dead.jsonl",
        tmp_path / "state.json",
    )
    run_err, prom_log = tmp_path / "run.err", tmp_path / "prometheus.log"

    def logs() -> str:
        tails = [
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in (run_err, prom_log)
            if p.exists()
        ]
        return "\n".join(tails)

    # --- the monitor (--metrics-port 0 would disable /metrics, so a port that was free a moment ago)
    env = {
        k: v for k, v in os.environ.items() if k != "SLACK_BOT_TOKEN" and not k.startswith("STANCE_MONITOR_")
    }
    target = f"127.0.0.1:{free_port()}"
    with (tmp_path / "run.out").open("wb") as out, run_err.open("wb") as err:
        run = subprocess.Popen(
            [sys.executable, "-m", "monitor", "run", "--source", str(inbox / "articles.jsonl"),
             "--rules", str(RULES), "--alerts-out", str(alerts_out), "--dead-letter", str(dead_letter),
             "--state", str(state), "--metrics-port", target.split(":")[1], "--poll", "0.2"],
            stdout=out, stderr=err, cwd=ROOT, env={**env, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"},
        )  # fmt: skip
    processes.append(run)

    # /metrics is served before the model loads, so Prometheus sees the counters at 0 first (as in production)
    def serving() -> bool:
        return f"on http://{target}" in run_err.read_text(errors="replace") or run.poll() is not None

    wait_for("run to serve /metrics", serving, 120, logs)
    assert run.poll() is None, logs()

    # --- Prometheus: scrape and evaluate every second, with the shipped alert rules
    config = tmp_path / "prometheus.yml"
    config.write_text(
        json.dumps(  # JSON is YAML
            {
                "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
                "rule_files": [str(DEPLOY / "prometheus" / "alerts.yml")],
                "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": [target]}]}],
            }
        )
    )
    prom_port = free_port()
    with prom_log.open("wb") as log:
        processes.append(
            subprocess.Popen(
                [
                    prometheus,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                    f"--web.listen-address=127.0.0.1:{prom_port}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=tmp_path,
            )
        )
    api = PromAPI(prom_port)
    wait_for("Prometheus to be ready", api.ready, 60, logs)

    # --- wait until the run has processed the whole stream: its state (saved after each batch's alerts are
    # written) holds every valid id. Then wait for a scrape and a rule evaluation after that.
    def stream_done() -> bool:
        assert run.poll() is None, logs()
        saved = json.loads(state.read_text()) if state.exists() else {"seen": []}
        return set(valid_ids) <= set(saved["seen"])

    wait_for("run to process the stream", stream_done, 300, logs)
    done_at = time.time()

    scraped_at: list[float] = []

    def scraped_after_done() -> bool:
        stamp = api.value(f'timestamp(up{{job="{JOB}"}})')
        scraped_at[:] = [stamp] if stamp is not None and stamp > done_at else []
        return bool(scraped_at)

    wait_for("a scrape after the stream was processed", scraped_after_done, 30, logs)

    def evaluated_after_scrape() -> bool:
        groups = api.get("/api/v1/rules")["data"]["groups"]
        return bool(groups) and all(parse_time(g["lastEvaluation"]) > scraped_at[0] for g in groups)

    wait_for("the alert rules to be evaluated on the final figures", evaluated_after_scrape, 30, logs)

    # --- the figures Prometheus stores equal what the run did
    assert api.value(f'up{{job="{JOB}"}}') == 1
    assert api.value("stance_monitor_articles_processed_total") == len(valid_ids)
    rejected = api.values("stance_monitor_articles_rejected_total", "reason")
    dead_reasons = Counter(json.loads(line)["reason"] for line in dead_letter.read_text().splitlines())
    assert sum(rejected.values()) == len(stream_lines) - len(valid_ids) == dead_reasons.total()
    assert {reason: n for reason, n in rejected.items() if n} == dead_reasons
    assert api.value("stance_monitor_articles_duplicate_total") == 0
    active = load_rules(RULES).active()
    assert api.value("stance_monitor_rules_loaded") == len(active)
    assert api.value("stance_monitor_rules_reload_failures_total") == 0
    fired = api.values("sum by (rule) (stance_monitor_alerts_fired_total)", "rule")
    # every active rule exports its series, at 0 until it fires
    assert set(fired) == {rule.id for rule in active}
    written = Counter(json.loads(line)["rule_id"] for line in alerts_out.read_text().splitlines())
    assert written, "the sample stream should raise alerts (examples/README.md)"
    assert {rule: n for rule, n in fired.items() if n} == written
    newest = max(json.loads(line)["published_at"] for line in VALID.read_text().splitlines())
    assert api.value("stance_monitor_last_event_time_seconds") == parse_time(newest)

    # --- every metric name the dashboard and the alert rules use is one the scraped monitor describes
    metadata = api.get("/api/v1/targets/metadata", match_target=f'{{job="{JOB}"}}')["data"]
    described = {entry["metric"] for entry in metadata}
    exprs = dashboard_exprs() + [(f"alert {rule['alert']}", rule["expr"]) for rule in alert_rules()]
    for where, expr in exprs:
        unknown = {
            name for name in metric_names(expr) if name not in described and family(name) not in described
        }
        assert not unknown, f"{where}: {sorted(unknown)} not exported by the monitor"

    # --- every dashboard query parses, evaluates, and shows data unless it only reads series run never sets
    for where, expr in dashboard_exprs():
        result = api.query(expr)
        if not metric_names(expr) <= NO_SERIES_FROM_RUN:
            assert result, f"{where}: {expr} returns no data"

    # --- every alert rule loaded, evaluated without error, and is in the state this healthy run implies
    loaded = {
        rule["name"]: rule
        for group in api.get("/api/v1/rules", type="alert")["data"]["groups"]
        for rule in group["rules"]
    }
    assert set(loaded) == {rule["alert"] for rule in alert_rules()}
    for name, rule in loaded.items():
        assert rule["health"] == "ok", f"{name}: {rule['health']}: {rule.get('lastError')}"
        api.query(rule["query"])
    states = {name: rule["state"] for name, rule in loaded.items()}
    # The sample's newest article is from March 2025, over an hour ago: the event-time lag alert is pending
    # (its `for:` is 15 m); a running monitor with 3 rejects in 316 lines trips nothing else.
    assert states.pop("StanceMonitorEventTimeLag") == "pending"
    assert set(states.values()) == {"inactive"}, states

    # --- run stops cleanly on SIGTERM, as a container runtime stops it
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=60) == 0, logs()
