"""A local HTTP server on 127.0.0.1 serving a dictionary of routes, recording every request.

Used by the tests (and the benchmarks) so that nothing ever touches the internet.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None  # sent as ETag; a matching If-None-Match is answered 304
    # A handler that writes the whole response itself (resets, truncation...).
    raw: Callable[[BaseHTTPRequestHandler], None] | None = None


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up (a crawl stopped or killed mid-download, a timeout) is normal in
    these tests: socketserver would print its traceback on stderr for each one.

    Its listen backlog is a real server's (nginx: 511), not socketserver's 5: a crawl opens its
    concurrent connections at once, and a connection dropped from a full backlog waits a second
    for TCP to try again, which made every crawl of this server start a second late."""

    request_queue_size = 511

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class LocalServer:
    """``with LocalServer() as server: server.add("/feed", Route(...)); server.url("/feed")``"""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self.active = 0  # requests being answered now, and the most ever at once (politeness tests)
        self.max_active = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                try:
                    self._get()
                finally:
                    with server._lock:
                        server.active -= 1

            def _get(self) -> None:
                with server._lock:
                    server.requests.append(SeenRequest("GET", self.path, dict(self.headers.items())))
                # Like real sites, ignore query parameters a route does not know (utm_*, fbclid...).
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.raw is not None:
                    route.raw(self)
                    return
                if route.etag is not None:
                    if self.headers.get("If-None-Match") == route.etag:
                        self._send(304, {"ETag": route.etag}, b"")
                        return
                    self._send(route.status, {**route.headers, "ETag": route.etag}, route.body)
                    return
                self._send(route.status, route.headers, route.body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def paths_requested(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def count(self, path: str) -> int:
        return self.paths_requested().count(path)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
