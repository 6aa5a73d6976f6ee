"""A real HTTP server on loopback that serves the simulated reporting-platform API (and misbehaves on demand).

    GET /v1/{cooperatives|reports|meetings|digital|kdmp|mentoring}?updated_since=ISO-8601&page_token=T&page_size=N
    Authorization: Bearer <token>
    → 200 {"items": [...], "next_page_token": "…" | null}

Items are served in a stable order (updated_at, then the item's key) filtered by `updated_at > updated_since`;
page tokens are opaque keyset positions, so pages stay consistent while items are added. Missing or wrong
token → 401 JSON; unknown path → 404 JSON; bad parameter → 400 JSON. A naive `updated_since` is read as UTC.

Faults for tests, queued per endpoint and consumed one per request, in order (`inject`):
    ("status", 500)      answer with that status and a JSON error
    ("retry_after", 2)   429 with `Retry-After: 2`
    ("sleep", 1.5)       wait that many seconds, then answer normally (provokes client timeouts)
    ("truncated",)       200 whose JSON body is cut in half
    ("endless",)         from now on this endpoint never ends: when the data run out, the last page is
                         served again with a fresh next_page_token (sticky until `clear_faults`)
`requests` records every request (method, path, query, authorization header) for assertions.
"""
from __future__ import annotations

import base64
import bisect
import json
import logging
import threading
from collections import defaultdict, deque
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

ENDPOINTS = ("cooperatives", "reports", "meetings", "digital", "kdmp", "mentoring")
FILES = {"cooperatives": "cooperatives.json", "reports": "reports.json", "meetings": "meetings.json", "digital": "digital.json",
         "kdmp": "kdmp.json", "mentoring": "mentoring.json"}
KEYS = {
    "cooperatives": ("nik",),
    "reports": ("nik", "period_end"),
    "meetings": ("nik", "fiscal_year"),
    "digital": ("nik", "stage_date", "stage"),
    "kdmp": ("village_code", "as_of"),
    "mentoring": ("activity_date", "mentor", "kind", "nik", "village_code", "topic"),
}
FAULT_KINDS = {"status": 1, "retry_after": 1, "sleep": 1, "truncated": 0, "endless": 0}


def load_platform_dir(platform_dir: str | Path) -> dict[str, list[dict]]:
    """The four JSON files written by `ingest.simulator.write` (folder `platform/`) as endpoint → items."""
    folder = Path(platform_dir)
    # (a folder written before the kdmp and mentoring endpoints has no file for them: they serve nothing)
    return {endpoint: json.loads((folder / name).read_text(encoding="utf-8")) if (folder / name).exists() else []
            for endpoint, name in FILES.items()}


def _parse_time(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _micros(value: datetime) -> int:
    return int(value.timestamp() * 1_000_000)


def _encode(position: list, repeat: int = 0) -> str:
    data = {"p": position, "e": repeat} if repeat else {"p": position}
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(token: str) -> dict:
    padded = token + "=" * (-len(token) % 4)
    data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    if not isinstance(data, dict) or "p" not in data:
        raise ValueError("not a page token")
    return data


class _Collection:
    """One endpoint's items in serving order, with their sort keys for keyset paging."""

    def __init__(self, endpoint: str, items: list[dict]):
        key_fields = KEYS.get(endpoint, ())

        def sort_key(item: dict) -> tuple:
            stamp = _micros(_parse_time(str(item["updated_at"])))
            return (stamp, *(str(item.get(k, "")) for k in key_fields), json.dumps(item, sort_keys=True) if not key_fields else "")

        pairs = sorted(((sort_key(item), item) for item in items), key=lambda p: p[0])
        self.keys = [list(k) for k, _ in pairs]
        self.stamps = [k[0] for k, _ in pairs]
        self.items = [item for _, item in pairs]

    def page(self, since: int | None, position: list | None, size: int) -> tuple[list[dict], list | None, int]:
        start = bisect.bisect_right(self.stamps, since) if since is not None else 0
        if position is not None:
            start = max(start, bisect.bisect_right(self.keys, position))
        chunk = self.items[start : start + size]
        end = start + len(chunk)
        last = self.keys[end - 1] if chunk else position
        return chunk, (last if end < len(self.items) else None), start


class PlatformServer:
    """The simulated platform API on a loopback port, in a daemon thread. Use as a context manager."""

    def __init__(
        self,
        data: dict[str, list[dict]],
        token: str = "simulasi-token",
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int = 500,
        max_page_size: int = 5000,
    ):
        self.token = token
        self.host = host
        self.port = port
        self.page_size = page_size
        self.max_page_size = max_page_size
        self._lock = threading.Lock()
        self._collections = {endpoint: _Collection(endpoint, data.get(endpoint, [])) for endpoint in ENDPOINTS}
        self._faults: dict[str, deque] = defaultdict(deque)
        self._endless: set[str] = set()
        self._requests: list[dict] = []
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- life cycle
    def start(self) -> "PlatformServer":
        if self._httpd is not None:
            return self
        handler = _make_handler(self)
        httpd = ThreadingHTTPServer((self.host, self.port), handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        httpd.handle_error = lambda request, address: log.debug("platform server: error from %s", address, exc_info=True)
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._stopping.clear()
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="platform-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> "PlatformServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # ---- test controls
    def inject(self, endpoint: str, fault: tuple) -> None:
        """Queue a fault for the next request to `endpoint` (see the module docstring for the kinds)."""
        if endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {endpoint!r}")
        if not fault or fault[0] not in FAULT_KINDS or len(fault) != 1 + FAULT_KINDS[fault[0]]:
            raise ValueError(f"unknown fault {fault!r}; expected one of {sorted(FAULT_KINDS)}")
        with self._lock:
            self._faults[endpoint].append(tuple(fault))

    def clear_faults(self, endpoint: str | None = None) -> None:
        with self._lock:
            for name in [endpoint] if endpoint else list(ENDPOINTS):
                self._faults[name].clear()
                self._endless.discard(name)

    def set_items(self, endpoint: str, items: list[dict]) -> None:
        """Replace an endpoint's data (e.g. to simulate new submissions between two incremental pulls)."""
        collection = _Collection(endpoint, items)
        with self._lock:
            self._collections[endpoint] = collection

    @property
    def requests(self) -> list[dict]:
        with self._lock:
            return [dict(r) for r in self._requests]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # ---- request handling (called from handler threads)
    def _next_fault(self, endpoint: str) -> tuple | None:
        with self._lock:
            return self._faults[endpoint].popleft() if self._faults[endpoint] else None

    def _respond(self, method: str, raw_path: str, headers) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        auth = headers.get("Authorization")
        with self._lock:
            self._requests.append({"method": method, "path": parts.path, "query": query, "authorization": auth})
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) != 2 or segments[0] != "v1" or segments[1] not in ENDPOINTS:
            return _json(404, {"error": "not_found", "message": f"unknown endpoint {parts.path}"})
        if method != "GET":
            return _json(405, {"error": "method_not_allowed"}, {"Allow": "GET"})
        endpoint = segments[1]
        if auth != f"Bearer {self.token}":
            return _json(401, {"error": "unauthorized", "message": "missing or invalid bearer token"}, {"WWW-Authenticate": "Bearer"})

        fault = self._next_fault(endpoint)
        truncated = False
        if fault:
            kind = fault[0]
            if kind == "status":
                return _json(int(fault[1]), {"error": "injected", "status": int(fault[1])})
            if kind == "retry_after":
                return _json(429, {"error": "rate_limited", "retry_after": fault[1]}, {"Retry-After": str(fault[1])})
            if kind == "sleep":
                if self._stopping.wait(float(fault[1])):
                    return _json(503, {"error": "shutting_down"})
            if kind == "truncated":
                truncated = True
            if kind == "endless":
                with self._lock:
                    self._endless.add(endpoint)

        try:
            since = _micros(_parse_time(query["updated_since"])) if query.get("updated_since") else None
        except ValueError:
            return _json(400, {"error": "bad_request", "message": "updated_since must be ISO-8601"})
        try:
            size = int(query.get("page_size") or self.page_size)
            if not 1 <= size <= self.max_page_size:
                raise ValueError
        except ValueError:
            return _json(400, {"error": "bad_request", "message": f"page_size must be 1..{self.max_page_size}"})
        position, repeat = None, 0
        if query.get("page_token"):
            try:
                token = _decode(query["page_token"])
                position, repeat = token["p"], int(token.get("e", 0))
            except (ValueError, KeyError, TypeError):
                return _json(400, {"error": "bad_request", "message": "invalid page_token"})

        with self._lock:
            collection = self._collections[endpoint]
            endless = endpoint in self._endless
        items, last, start = collection.page(since, position, size)
        next_token = _encode(last) if last is not None else None
        if endless and next_token is None:
            # serve this page again and again: the token points back to just before it
            next_token = _encode(collection.keys[start - 1] if start > 0 else [-1], repeat + 1)
        status, extra, body = _json(200, {"items": items, "next_page_token": next_token})
        if truncated:
            body = body[: len(body) // 2]
        return status, extra, body


def _json(status: int, payload: dict, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return status, dict(headers or {}), json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _make_handler(server: PlatformServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"
        server_version = "SimulatedPlatform/1.0"

        def _handle(self, method: str) -> None:
            try:
                status, headers, body = server._respond(method, self.path, self.headers)
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. its timeout)
                log.debug("platform server: client went away during %s %s", method, self.path)

        def do_GET(self) -> None:  # noqa: N802
            self._handle("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            log.debug("platform server: " + format, *args)

    return Handler


def serve(platform_dir: str | Path, token: str, host: str = "127.0.0.1", port: int = 0) -> PlatformServer:
    """Start a server for the files in `platform_dir` (written by `write`); the caller stops it (`.stop()`)."""
    return PlatformServer(load_platform_dir(platform_dir), token=token, host=host, port=port).start()
