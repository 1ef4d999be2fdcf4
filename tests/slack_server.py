"""A local HTTP server speaking the subset of the Slack Web API that stance-monitor uses.

Bound to 127.0.0.1 on a free port, served from a daemon thread. Point slack_sdk at `server.url`
(or SLACK_API_URL) and script failures per test:

    server.fail_next(2, status=500)          # the next two calls answer HTTP 500
    server.rate_limit_next(1, retry_after=1)  # the next call answers 429 with Retry-After: 1
    server.error_for_channel("#nope", "channel_not_found")  # 200 {"ok": false, "error": ...}
    server.outage(60, status=500, clock=fake.now)  # every call answers 500 until `clock` is 60 s later
    server.down(503) / server.up()            # an outage with no set end

Channels are created on first use: a name ("#geo-alerts") gets a stable id ("C0000001"), and either form is
accepted afterwards, as Slack does. `chat.postMessage` (with or without `thread_ts`) stores the message under
its channel and ts; `chat.update` edits a stored one (else `message_not_found`).

Every request is recorded in `server.requests` (method, JSON/form body, status, response); successful
`chat.postMessage` bodies are in `server.messages`, successful `chat.update` bodies in `server.updates`, the
current text and blocks of every message in `server.channel_messages[channel_id][ts]`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

DEFAULT_TOKEN = "xoxb-test-0000-secret-token"


@dataclass
class RecordedRequest:
    api_method: str  # e.g. "chat.postMessage"
    http_method: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 0  # the HTTP status answered
    response: dict[str, Any] = field(default_factory=dict)


def _parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/json":
        parsed = json.loads(raw.decode("utf-8"))
        return parsed if isinstance(parsed, dict) else {"_json": parsed}
    if ctype == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
        )
        out: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                out[name] = payload.decode("utf-8", errors="replace")
        return out
    return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))


class SlackServer:
    """The fake Slack Web API. Use as a context manager or call start()/stop()."""

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.requests: list[RecordedRequest] = []
        self.messages: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.channel_messages: dict[str, dict[str, dict[str, Any]]] = {}
        self._channel_ids: dict[str, str] = {}
        self._outage: tuple[Callable[[], float], float, int] | None = None  # (clock, until, status)
        self._lock = threading.Lock()
        self._failures: list[int] = []  # statuses to answer next, in order
        self._rate_limits: list[int] = []  # Retry-After values to answer next
        self._channel_errors: dict[str, str] = {}
        self._ts = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting ---------------------------------------------------------------------------------

    def fail_next(self, n: int, status: int = 500) -> None:
        with self._lock:
            self._failures.extend([status] * n)

    def rate_limit_next(self, n: int, retry_after: int = 1) -> None:
        with self._lock:
            self._rate_limits.extend([retry_after] * n)

    def error_for_channel(self, channel: str, error: str) -> None:
        with self._lock:
            self._channel_errors[channel] = error

    def outage(self, seconds: float, status: int = 500, clock: Callable[[], float] = time.monotonic) -> None:
        """Answer every call with `status` until `clock()` has moved `seconds` past now."""
        with self._lock:
            self._outage = (clock, clock() + seconds, status)

    def down(self, status: int = 503) -> None:
        with self._lock:
            self._outage = (time.monotonic, float("inf"), status)

    def up(self) -> None:
        with self._lock:
            self._outage = None

    def channel_id(self, channel: str) -> str:
        """The id of a channel given by name or id (creating it on first use)."""
        with self._lock:
            return self._resolve_channel(channel)

    def calls(self, api_method: str, *, ok_only: bool = True) -> list[dict[str, Any]]:
        """Bodies of the recorded calls of one method (only those Slack accepted, unless ok_only=False)."""
        with self._lock:
            return [
                r.body
                for r in self.requests
                if r.api_method == api_method and (not ok_only or r.response.get("ok"))
            ]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.messages.clear()
            self.updates.clear()
            self.channel_messages.clear()
            self._outage = None
            self._failures.clear()
            self._rate_limits.clear()
            self._channel_errors.clear()

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def start(self) -> SlackServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                server._handle(self)

            def do_GET(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SlackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- handling ----------------------------------------------------------------------------------

    def _next_ts(self) -> str:
        self._ts += 1
        return f"{1700000000 + self._ts // 1000000}.{self._ts % 1000000:06d}"

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        api_method = path[len("/api/") :] if path.startswith("/api/") else path
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        try:
            body = _parse_body(h.headers.get("Content-Type", ""), raw)
        except (ValueError, UnicodeDecodeError):
            body = {"_raw": raw.decode("utf-8", errors="replace")}
        if "?" in h.path:
            body = {**dict(parse_qsl(h.path.split("?", 1)[1])), **body}
        record = RecordedRequest(api_method, h.command, dict(h.headers.items()), body)
        status, payload, headers = self._respond(api_method, h.headers.get("Authorization", ""), body)
        record.status, record.response = status, payload
        with self._lock:
            self.requests.append(record)
        data = json.dumps(payload).encode("utf-8")
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)

    def _resolve_channel(self, channel: str) -> str:
        if channel in self._channel_ids.values():
            return channel
        if channel not in self._channel_ids:
            self._channel_ids[channel] = f"C{len(self._channel_ids) + 1:07d}"
        return self._channel_ids[channel]

    def _respond(
        self, api_method: str, authorization: str, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            if self._outage is not None:
                clock, until, status = self._outage
                if clock() < until:
                    return status, {"ok": False, "error": "service_unavailable"}, {}
                self._outage = None
            if self._rate_limits:
                retry_after = self._rate_limits.pop(0)
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
            if self._failures:
                status = self._failures.pop(0)
                return status, {"ok": False, "error": "internal_error"}, {}
            if authorization != f"Bearer {self.token}":
                error = "not_authed" if not authorization else "invalid_auth"
                return 200, {"ok": False, "error": error}, {}
            if api_method == "auth.test":
                return 200, {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "monitor",
                             "team_id": "T123", "user_id": "U999", "bot_id": "B123"}, {}  # fmt: skip
            if api_method in ("chat.postMessage", "chat.update"):
                channel = str(body.get("channel", ""))
                if not channel:
                    return 200, {"ok": False, "error": "channel_not_found"}, {}
                if channel in self._channel_errors:
                    return 200, {"ok": False, "error": self._channel_errors[channel]}, {}
                if not body.get("text") and not body.get("blocks"):
                    return 200, {"ok": False, "error": "no_text"}, {}
                channel_id = self._resolve_channel(channel)
                stored = self.channel_messages.setdefault(channel_id, {})
                if api_method == "chat.update":
                    ts = str(body.get("ts", ""))
                    if ts not in stored:
                        return 200, {"ok": False, "error": "message_not_found"}, {}
                    stored[ts] = {**stored[ts], "text": body.get("text", ""), "blocks": body.get("blocks")}
                    self.updates.append(body)
                else:
                    ts = self._next_ts()
                    stored[ts] = {"text": body.get("text", ""), "blocks": body.get("blocks"),
                                  "thread_ts": body.get("thread_ts")}  # fmt: skip
                    self.messages.append(body)
                message = {"type": "message", "text": body.get("text", ""), "ts": ts, "bot_id": "B123"}
                return 200, {"ok": True, "channel": channel_id, "ts": ts, "message": message}, {}
            return 200, {"ok": False, "error": "unknown_method"}, {}


class FakeClock:
    """Seconds that pass only when someone sleeps: `sleep(d)` moves `now()` on by d at once.

    Pass `clock.sleep` to the code under test and `clock.now` to `SlackServer.outage`, and a minute of outage
    and backoff takes a few milliseconds. Thread-safe (the outbox thread sleeps while the test reads).
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
            self.sleeps.append(seconds)
        time.sleep(0.001)  # let other threads run, as a real sleep would
