"""A loopback stand-in for the GitHub REST API, for tests that run the real ``applygate`` command.

Point ``GITHUB_API_URL`` at ``server.url``. Routes answer by method and path (the query string is
given to handlers); every request is recorded, so tests can count requests and assert what was
sent. A request nobody routed answers 404 and is kept in ``unmatched``.

    with FakeGitHub() as api:
        api.add("GET", "/repos/o/r/pulls/7", json_of("pulls-get.json"))
        api.add_pages("/repos/o/r/issues/7/comments", comments)
        run(..., env={"GITHUB_API_URL": api.url})
        assert api.count("GET") == 5
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def json_of(name: str) -> Any:
    """One of GitHub's example payloads: ``events/<event>.json`` (tests/fixtures/events) or a REST
    example ``<operation>.json`` (tests/fixtures/github-api/rest)."""
    if name.startswith("events/"):
        return json.loads((FIXTURES / name).read_text())
    return json.loads((FIXTURES / "github-api" / "rest" / name).read_text())


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any  # parsed JSON, or None
    at: float = field(default_factory=time.monotonic, compare=False)  # when it arrived

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as it is instead of ``body`` as JSON (an HTML error page)


Handler = Callable[[Request], Response]


class FakeGitHub:
    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.requests: list[Request] = []
        self.unmatched: list[Request] = []
        self._routes: dict[tuple[str, str], Handler] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # shutdown waits for a poll: 0.5 s by default
            daemon=True,
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- routes -------------------------------------------------------------------------------

    def route(self, method: str, path: str, handler: Handler) -> None:
        self._routes[(method.upper(), path)] = handler

    def add(
        self,
        method: str,
        path: str,
        body: Any = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Always answer ``body`` with ``status``."""
        answer = Response(status, body, headers or {})
        self.route(method, path, lambda _request: answer)

    def add_sequence(self, method: str, path: str, answers: Sequence[Response]) -> None:
        """Answer each request with the next of ``answers``; the last one repeats."""
        queue = list(answers)

        def next_answer(_request: Request) -> Response:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.route(method, path, next_answer)

    def add_pages(
        self, path: str, items: Iterable[Any], filter_: Callable[..., bool] | None = None
    ) -> None:
        """A list endpoint paged as GitHub pages it: ``per_page`` (max 100), ``page``, Link next.

        ``filter_(item, query)`` drops items the query excludes (e.g. ``since``).
        """
        everything = list(items)

        def page(request: Request) -> Response:
            per_page = min(int(request.query.get("per_page", "30")), 100)
            number = int(request.query.get("page", "1"))
            kept = [i for i in everything if filter_ is None or filter_(i, request.query)]
            chunk = kept[(number - 1) * per_page : number * per_page]
            headers = {}
            if number * per_page < len(kept):
                query = {**request.query, "page": str(number + 1)}
                link = "&".join(f"{k}={v}" for k, v in query.items())
                headers["Link"] = f'<{self.url}{request.path}?{link}>; rel="next"'
            return Response(200, chunk, headers)

        self.route("GET", path, page)

    def add_review_edits(self, edited: Iterable[str] = ()) -> None:
        """GraphQL's answer about reviews: ``lastEditedAt`` set for the node ids in ``edited``."""
        changed = set(edited)

        def nodes(request: Request) -> Response:
            ids = request.body["variables"]["ids"]
            found = [
                {"id": i, "lastEditedAt": "2026-11-01T14:00:00Z" if i in changed else None}
                for i in ids
            ]
            return Response(200, {"data": {"nodes": found}})

        self.route("POST", "/graphql", nodes)

    # --- what was asked -----------------------------------------------------------------------

    def count(self, method: str | None = None, path: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method) and (path is None or r.path == path)
            )

    def sent(self, method: str, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    # --- the server ---------------------------------------------------------------------------

    def _answer(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(request)
            handler = self._routes.get((request.method, request.path))
            if handler is None:
                self.unmatched.append(request)
        if self.latency:
            time.sleep(self.latency)
        if handler is None:
            return Response(
                404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
            )
        return handler(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: with Nagle's algorithm the body waits for
            # the client's delayed ACK, ~40 ms a request that GitHub would not add
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                    headers=dict(self.headers.items()),
                    body=json.loads(raw) if raw else None,
                )
                answer = fake._answer(request)
                payload = b"" if answer.body is None else json.dumps(answer.body).encode()
                kind = "application/json; charset=utf-8"
                if answer.raw is not None:
                    payload, kind = answer.raw, "text/html; charset=utf-8"
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up waiting (its timeout)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return _Handler
