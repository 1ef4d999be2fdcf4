"""/healthz and /readyz beside /metrics: is the process alive, and is it ready to do its job.

Readiness is a set of named checks, each a flag the process sets (`model`, `rules`) or a function read on
each request (`consumer`: the worker has joined its group and is not rebalancing). /readyz answers 200 when
every check holds and 503 otherwise, with one `name: ok|waiting` line per check, so a probe's log says what
is missing. /healthz answers 200 while the process serves requests at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app


class Health:
    def __init__(self) -> None:
        self._checks: dict[str, Callable[[], bool]] = {}
        self._flags: dict[str, bool] = {}

    def require(self, name: str, check: Callable[[], bool] | None = None) -> None:
        """Readiness needs `name`: the given function, or a flag that `mark(name)` sets."""
        if check is None:
            self._flags.setdefault(name, False)
            check = lambda: self._flags[name]  # noqa: E731 - a closure over the flag
        self._checks[name] = check

    def mark(self, name: str, ok: bool = True) -> None:
        self._flags[name] = ok
        self._checks.setdefault(name, lambda: self._flags[name])

    def status(self) -> dict[str, bool]:
        result: dict[str, bool] = {}
        for name, check in self._checks.items():
            try:
                result[name] = bool(check())
            except Exception:  # a check that cannot answer is not ready
                result[name] = False
        return result

    def ready(self) -> bool:
        return all(self.status().values())


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # probes every few seconds: no access log
        return None


def serve(registry: CollectorRegistry, health: Health, port: int, addr: str) -> WSGIServer:
    """Serve /metrics, /healthz and /readyz on `addr:port` from a daemon thread (port 0: a free port)."""
    metrics_app = make_wsgi_app(registry)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        if path == "/readyz":
            status = health.status()
            body = "".join(f"{name}: {'ok' if ok else 'waiting'}\n" for name, ok in status.items())
            start_response(
                "200 OK" if all(status.values()) else "503 Service Unavailable",
                [("Content-Type", "text/plain")],
            )
            return [body.encode()]
        return metrics_app(environ, start_response)  # type: ignore[no-any-return]

    server = make_server(addr, port, app, _ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True, name="metrics-http").start()
    return server
