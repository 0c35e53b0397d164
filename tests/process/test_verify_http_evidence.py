"""HTTP criteria must pass only on the service's own fresh answer: a redirect (to a login page, to
another host) is the answer, not something to follow, and a server that drips its answer cannot
hold an attempt past its timeout."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from applygate.core.criteria import parse_criteria
from applygate.core.redact import Redactor
from applygate.core.verification import VerifySettings
from applygate.flows.criteria_run import VerifyOutcome, real_probe
from applygate.flows.criteria_run import verify as run_verify


@contextmanager
def server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def verify(body: str, cwd: Path) -> VerifyOutcome:
    criteria = parse_criteria(f"version: 1\ncriteria:\n{body}", "verify.yml")
    probe = real_probe(str(cwd), dict(os.environ), Redactor())
    return run_verify(criteria, VerifySettings(), probe)


def test_a_redirect_to_a_login_page_is_not_the_service_answering(tmp_path: Path) -> None:
    seen: list[tuple[str, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, self.headers.get("Authorization")))
            if self.path == "/healthz":
                self.send_response(302)
                self.send_header("Location", "/login")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            payload = b"<html>please sign in: ok</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with server(Handler) as url:
        health = f"{url}/healthz"
        body = (
            f"  - {{name: 2xx, http: {{url: '{health}', headers: {{Authorization: t0k}}}}}}\n"
            f"  - {{name: ok, http: {{url: '{health}'}}, expect: {{status: 200}}}}\n"
        )
        outcome = verify(body, tmp_path)
    assert not outcome.passed
    assert [r.attempts[0].observation.status for r in outcome.result.results] == [302, 302]
    assert [path for path, _ in seen] == ["/healthz", "/healthz"]  # never followed to /login


def test_a_server_dripping_its_answer_cannot_hold_an_attempt_past_its_timeout(
    tmp_path: Path,
) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            while not stop.is_set():  # one byte at a time, each well within the socket timeout
                try:
                    conn.sendall(b"o")
                except OSError:
                    return
                time.sleep(0.05)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    started = time.monotonic()
    try:
        outcome = verify(f"  - {{name: drip, http: {{url: '{url}'}}, timeout: 500ms}}\n", tmp_path)
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 5.0  # generous: without the bound it runs for 80 s
    (result,) = outcome.result.results
    assert result.attempts[0].observation.timed_out
    assert not outcome.passed


def test_a_cache_in_front_of_the_service_is_asked_to_revalidate(tmp_path: Path) -> None:
    from tests.support.http_site import Site

    with Site() as site:
        site.answer("/healthz", (200, "ok"))
        outcome = verify(f"  - {{name: up, http: {{url: '{site.url}/healthz'}}}}\n", tmp_path)
    assert outcome.passed
    (sent,) = site.headers
    lowered = {key.lower(): value for key, value in sent.items()}
    assert lowered["cache-control"] == "no-cache"
    assert lowered["pragma"] == "no-cache"
