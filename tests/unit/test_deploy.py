"""deploy/: the Prometheus alert rules name metrics the monitor really exports and pass their promtool unit
tests; compose, Alertmanager, the Dockerfile and the Kubernetes manifest have the properties ops rely on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path, PurePosixPath
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
    dashboard = json.loads((DEPLOY / "grafana" / "stance-monitor.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = {name for expr in exprs for name in re.findall(r"stance_monitor_[a-z_]+", expr)}
    known = exported_names()
    assert used and used <= known, f"unknown metric names: {sorted(used - known)}"


# --- Grafana ----------------------------------------------------------------------------------------------------

GRAFANA = DEPLOY / "grafana"
DATASOURCES = GRAFANA / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVIDERS = GRAFANA / "provisioning" / "dashboards" / "stance-monitor.yml"
PROVISIONING = PurePosixPath("/etc/grafana/provisioning")  # the image's default GF_PATHS_PROVISIONING


def mounted_at(service: dict[str, Any], host: Path) -> PurePosixPath | None:
    """Where `host` (a file under deploy/) appears in the service's container, from its read-only bind mounts."""
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        if not source.startswith("."):
            continue  # a named volume
        source_path = (DEPLOY / source).resolve()
        if host.resolve().is_relative_to(source_path):
            assert mode == ["ro"], f"{volume}: mount the Grafana configuration read-only"
            return PurePosixPath(target) / host.resolve().relative_to(source_path).as_posix()
    return None


def test_compose_runs_grafana_provisioned_with_the_prometheus_datasource_and_the_dashboard() -> None:
    compose = YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text())
    grafana = compose["services"]["grafana"]
    image = grafana["image"]
    assert image.startswith("grafana/grafana:") and re.fullmatch(r"\d+\.\d+\.\d+", image.split(":")[1]), image
    assert "127.0.0.1:3000:3000" in grafana["ports"]  # loopback only, like Prometheus and Alertmanager
    env = grafana["environment"]
    assert env.get("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer") == "Viewer"  # anonymous users may only look
    assert env["GF_SECURITY_ADMIN_PASSWORD"].startswith("${GRAFANA_ADMIN_PASSWORD")
    assert "prometheus" in grafana["depends_on"]
    # both provisioning files where Grafana reads them, and the dashboard where its provider looks
    assert mounted_at(grafana, DATASOURCES) == PROVISIONING / "datasources" / DATASOURCES.name
    assert mounted_at(grafana, DASHBOARD_PROVIDERS) == PROVISIONING / "dashboards" / DASHBOARD_PROVIDERS.name
    providers = YAML(typ="safe").load(DASHBOARD_PROVIDERS.read_text())["providers"]
    dashboard_at = mounted_at(grafana, GRAFANA / "stance-monitor.json")
    assert dashboard_at is not None and dashboard_at.suffix == ".json"
    assert any(
        p["type"] == "file" and dashboard_at.is_relative_to(p["options"]["path"]) for p in providers
    ), f"no file provider loads {dashboard_at}"


def test_the_grafana_datasource_is_the_compose_prometheus_and_the_dashboard_selects_it() -> None:
    compose = YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text())
    (datasource,) = YAML(typ="safe").load(DATASOURCES.read_text())["datasources"]
    assert datasource["type"] == "prometheus" and datasource["access"] == "proxy"
    url = urllib.parse.urlsplit(datasource["url"])
    assert url.hostname == "prometheus" and url.hostname in compose["services"]
    published = {port.rsplit(":", 1)[1] for port in compose["services"]["prometheus"]["ports"]}
    assert str(url.port) in published, f"{datasource['url']}: Prometheus listens on {published}"
    dashboard = json.loads((GRAFANA / "stance-monitor.json").read_text())
    variables = {v["name"]: v for v in dashboard["templating"]["list"] if v["type"] == "datasource"}
    for panel in dashboard["panels"]:
        ref = panel["datasource"]
        uid = ref["uid"]
        if variable := re.fullmatch(r"\$\{(\w+)\}|\$(\w+)", uid):
            chosen = variables[variable.group(1) or variable.group(2)]
            assert chosen["query"] == datasource["type"], panel["title"]
            uid = chosen["current"]["value"]
        assert ref["type"] == datasource["type"], panel["title"]
        assert uid == datasource["uid"], (
            f"panel {panel['title']!r} selects {uid}, provisioned: {datasource['uid']}"
        )


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


# --- the image ------------------------------------------------------------------------------------------------


def test_the_image_runs_as_non_root_with_its_own_writable_data_dir_and_a_healthcheck() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    user = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)[-1]
    uid = user.split(":")[0]
    assert uid.isdigit() and uid != "0", f"USER {user}: numeric and not root, so runAsNonRoot can check it"
    data_dir = re.search(r"APP_DATADIR=(/\S+)", dockerfile)
    assert data_dir, "Faust's data dir is set (its default is relative to the root-owned WORKDIR)"
    owned = re.search(rf"chown {re.escape(user)} (/\S+)", dockerfile)
    assert owned and data_dir.group(1).startswith(owned.group(1) + "/"), "the data dir belongs to the user"
    assert re.findall(r"^WORKDIR\s+(\S+)", dockerfile, re.M)[-1] == owned.group(1)
    assert f"HOME={owned.group(1)}" in dockerfile  # the Slack outbox and caches default under HOME
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (.+)$", dockerfile, re.M | re.S)
    assert healthcheck and "curl" not in healthcheck.group(1)  # python:slim has no curl
    assert "urllib.request" in healthcheck.group(1) and "/healthz" in healthcheck.group(1)


# --- Kubernetes -----------------------------------------------------------------------------------------------


def test_the_kubernetes_image_is_pinned_with_a_pull_policy() -> None:
    container = worker_container()
    image = container["image"]
    assert "@sha256:" in image or re.search(r":[\w.-]+$", image.rsplit("/", 1)[-1]), f"{image}: no tag"
    assert not image.endswith(":latest")
    assert container["imagePullPolicy"] in {"IfNotPresent", "Always"}


def test_the_kubernetes_probes_ask_the_health_endpoints_on_the_metrics_port() -> None:
    container = worker_container()
    port = next(p for p in container["ports"] if p["name"] == "metrics")
    assert port["containerPort"] == 9108
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        assert container[probe]["httpGet"]["port"] in ("metrics", 9108), probe
        assert container[probe]["httpGet"]["path"] == path, probe


def test_the_kubernetes_worker_runs_locked_down_with_writable_emptydirs() -> None:
    pod = kubernetes("Deployment")["spec"]["template"]["spec"]
    container = worker_container()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    sc = container["securityContext"]
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["capabilities"]["drop"] == ["ALL"]
    # with a read-only root, everything the process writes needs a volume: the data dir (HOME, Faust) and /tmp
    empty_dirs = {v["name"] for v in pod["volumes"] if "emptyDir" in v}
    mounted = {m["mountPath"] for m in container["volumeMounts"] if m["name"] in empty_dirs}
    data_dir = re.search(r"HOME=(/\S+)", (DEPLOY / "Dockerfile").read_text())
    assert data_dir and {data_dir.group(1), "/tmp"} <= mounted


def test_the_kubernetes_service_exposes_the_metrics_port_of_the_workers() -> None:
    service = kubernetes("Service")
    pod_labels = kubernetes("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    port = next(p for p in service["spec"]["ports"] if p["name"] == "metrics")
    assert port["port"] == 9108 and port["targetPort"] in ("metrics", 9108)


def to_bytes(quantity: str) -> float:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 1e3, "M": 1e6, "G": 1e9}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return float(quantity.removesuffix(suffix)) * factor
    return float(quantity)


def test_the_kubernetes_resources_fit_the_measured_memory() -> None:
    resources = worker_container()["resources"]
    request = to_bytes(resources["requests"]["memory"])
    limit = to_bytes(resources["limits"]["memory"])
    # replay's peak RSS is 0.7-0.8 GB measured here (1.2-1.5 GB reported on bigger streams): the limit leaves
    # room for the worker's tables, and the request is not over the limit
    assert resources["requests"]["cpu"]
    assert 0.7e9 <= request <= limit and limit >= 1.5e9
