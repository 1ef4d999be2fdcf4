"""deploy/: the Prometheus alert rules name metrics the monitor really exports and pass their promtool unit
tests; compose, Alertmanager, the Dockerfile and the Kubernetes manifest have the properties ops rely on."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
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


def kubernetes(kind: str) -> dict[str, Any]:
    docs = list(YAML(typ="safe").load_all((DEPLOY / "kubernetes" / "stance-monitor.yaml").read_text()))
    return next(doc for doc in docs if doc and doc["kind"] == kind)


def worker_container() -> dict[str, Any]:
    container: dict[str, Any] = kubernetes("Deployment")["spec"]["template"]["spec"]["containers"][0]
    return container


def test_the_kubernetes_workers_take_the_token_from_a_secret() -> None:
    container = worker_container()
    assert container["args"][0] == "worker"
    token = next(e for e in container["env"] if e["name"] == "SLACK_BOT_TOKEN")
    assert "secretKeyRef" in token["valueFrom"] and "value" not in token


# --- Prometheus alert rules: promtool unit tests ------------------------------------------------------------

ALERTS = DEPLOY / "prometheus" / "alerts.yml"
RULE_TESTS = sorted((DEPLOY / "prometheus" / "tests").glob("*.yml"))


def alert_names() -> list[str]:
    rules = YAML(typ="safe").load(ALERTS.read_text())
    return [rule["alert"] for group in rules["groups"] for rule in group["rules"] if "alert" in rule]


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("promtool")
    if exe is None:
        pytest.skip("promtool not installed (Debian package prometheus; .ci/run installs it)")
    return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=120, check=False)


def test_every_alert_has_a_case_that_fires_and_one_that_stays_quiet() -> None:
    firing: set[str] = set()
    quiet: set[str] = set()
    for path in RULE_TESTS:
        for case in YAML(typ="safe").load(path.read_text())["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = set(alert_names())
    assert names, "alerts.yml should hold alerting rules"
    assert not names - firing, f"alerts with no firing case: {sorted(names - firing)}"
    assert not names - quiet, f"alerts with no quiet case: {sorted(names - quiet)}"


def test_promtool_checks_the_alert_rules() -> None:
    result = promtool("check", "rules", ALERTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_tests_of_the_alert_rules_pass() -> None:
    assert RULE_TESTS
    result = promtool("test", "rules", *RULE_TESTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_sends_alerts_to_the_compose_alertmanager() -> None:
    config = YAML(typ="safe").load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    targets = [
        t for am in config["alerting"]["alertmanagers"] for sc in am["static_configs"] for t in sc["targets"]
    ]
    compose = YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text())
    alertmanager = compose["services"]["alertmanager"]
    assert "alertmanager:9093" in targets
    assert any(v.startswith("./alertmanager:") for v in alertmanager["volumes"])
    assert "alertmanager" in compose["services"]["prometheus"]["depends_on"]
    # the rules select the job that scrapes the workers
    assert any(job["job_name"] == "stance-monitor" for job in config["scrape_configs"])
    assert 'job="stance-monitor"' in ALERTS.read_text()
    result = promtool("check", "config", "--syntax-only", DEPLOY / "prometheus" / "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr


# --- Alertmanager ---------------------------------------------------------------------------------------------

AM_CONFIG = DEPLOY / "alertmanager" / "alertmanager.yml"


def test_alertmanager_routes_to_the_compose_webhook_receiver() -> None:
    config = YAML(typ="safe").load(AM_CONFIG.read_text())
    receivers = {r["name"]: r for r in config["receivers"]}
    default = receivers[config["route"]["receiver"]]
    url = default["webhook_configs"][0]["url"]
    compose = YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text())
    host = url.split("//", 1)[1].split(":", 1)[0]
    assert host in compose["services"], f"{url} names no compose service"
    text = AM_CONFIG.read_text()
    assert "slack_configs" in text and "pagerduty_configs" in text  # documented, commented out


def test_amtool_accepts_the_alertmanager_config() -> None:
    exe = shutil.which("amtool")
    if exe is None:
        pytest.skip("amtool not installed (Debian package prometheus-alertmanager; .ci/run installs it)")
    result = subprocess.run([exe, "check-config", str(AM_CONFIG)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    routed = subprocess.run(
        [exe, "config", "routes", "test", f"--config.file={AM_CONFIG}", "severity=page", "alertname=X"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert routed.stdout.strip() == "ops-webhook", routed.stdout + routed.stderr
