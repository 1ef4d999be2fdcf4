"""deploy/: the Prometheus alert rules name metrics the monitor really exports; compose mounts what exists."""

from __future__ import annotations

import re
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from ruamel.yaml import YAML

from monitor.metrics import Metrics

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def exported_names() -> set[str]:
    registry = CollectorRegistry()
    metrics = Metrics.create(registry)
    metrics.kafka_consumer_lag.labels(topic="articles", partition="0").set(0)  # labelled series show once set
    text = generate_latest(registry).decode()
    return {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE")} | {
        re.split(r"[{ ]", line)[0] for line in text.splitlines() if line and not line.startswith("#")
    }


def test_alert_rules_use_exported_metric_names() -> None:
    rules = YAML(typ="safe").load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    used = {name for expr in exprs for name in re.findall(r"stance_monitor_[a-z_]+", expr)}
    assert used, "the rules should watch the monitor's own metrics"
    known = exported_names()
    assert used <= known, f"unknown metric names: {sorted(used - known)}"


def test_compose_runs_the_worker_with_the_rules_mounted_and_the_token_from_the_environment() -> None:
    compose = YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text())
    worker = compose["services"]["worker"]
    assert worker["command"][0] == "worker"
    assert any(v.startswith("../rules:") for v in worker["volumes"])
    assert (DEPLOY / worker["build"]["dockerfile"].removeprefix("deploy/")).exists()
    assert worker["environment"]["SLACK_BOT_TOKEN"] == "${SLACK_BOT_TOKEN:-}"
    assert "KAFKA_PROCESS_ROLES" in compose["services"]["kafka"]["environment"]  # KRaft, no ZooKeeper


def test_the_grafana_dashboard_uses_exported_metric_names() -> None:
    import json

    dashboard = json.loads((DEPLOY / "grafana" / "stance-monitor.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = {name for expr in exprs for name in re.findall(r"stance_monitor_[a-z_]+", expr)}
    known = exported_names()
    assert used and used <= known, f"unknown metric names: {sorted(used - known)}"


def test_the_kubernetes_workers_take_the_token_from_a_secret() -> None:
    deployment = YAML(typ="safe").load((DEPLOY / "kubernetes" / "stance-monitor.yaml").read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][0] == "worker"
    token = next(e for e in container["env"] if e["name"] == "SLACK_BOT_TOKEN")
    assert "secretKeyRef" in token["valueFrom"] and "value" not in token
