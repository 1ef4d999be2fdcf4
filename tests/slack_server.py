"""A local HTTP server speaking the subset of the Slack Web API that stance-monitor uses.

Bound to 127.0.0.1 on a free port, served from a daemon thread. Point slack_sdk at `server.url`
(or SLACK_API_URL) and script failures per test:

    server.fail_next(2, status=500)          # the next two calls answer HTTP 500
    server.rate_limit_next(1, retry_after=1)  # the next call answers 429 with Retry-After: 1
    server.error_for_channel("#nope", "channel_not_found")  # 200 {"ok": false, "error": ...}

Every request is recorded in `server.requests`; successful `chat.postMessage` bodies in `server.messages`.
"""

from __future__ import annotations

import json
import threading
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

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.messages.clear()
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

    def _respond(
        self, api_method: str, authorization: str, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
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
                ts = self._next_ts() if api_method == "chat.postMessage" else str(body.get("ts", ""))
                message = {"type": "message", "text": body.get("text", ""), "ts": ts, "bot_id": "B123"}
                if api_method == "chat.postMessage":
                    self.messages.append(body)
                return 200, {"ok": True, "channel": "C123", "ts": ts, "message": message}, {}
            return 200, {"ok": False, "error": "unknown_method"}, {}
