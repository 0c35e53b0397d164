"""One HTTP request of a verification criterion, with the standard library (urllib).

Never raises for the server's or the network's failure: an error status is an answer like any
other, and no answer (refused, unresolvable, timed out) is an observation with its reason. The
body is read up to 1 MiB, within the attempt's timeout, and redacted before anyone sees it.

A redirect is not followed: its 3xx status is the answer. Following it would let a login page's
200 pass for the service, and would send the criterion's headers (an Authorization) to whatever
host the Location names. The whole attempt, headers and body, ends at its timeout even when the
server drips bytes slowly enough that no single read times out.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import IO

from applygate import __version__
from applygate.core.criteria import HttpCheck
from applygate.core.expect import Observation
from applygate.core.redact import Redactor

MAX_BODY = 1024 * 1024
CHUNK = 64 * 1024


class _BodyTimeoutError(Exception):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None  # urllib then raises HTTPError with the 3xx status: that is the answer


def fetch(
    check: HttpCheck,
    timeout: float,
    redact: Redactor | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Observation:
    """Send the request; the status and body, or why none came, within ``timeout`` seconds."""
    found: list[Observation] = []

    def attempt() -> None:
        try:
            found.append(_fetch(check, timeout, redact, clock))
        except Exception as error:  # fail closed: the attempt failed, with why
            reason = (redact or Redactor())(f"{type(error).__name__}: {error}")
            found.append(Observation(error=reason, timeout=timeout))

    worker = threading.Thread(
        target=attempt,
        name="applygate-http",
        daemon=True,  # a server that never stops dripping cannot hold the run
    )
    worker.start()
    worker.join(timeout)
    return found[0] if found else Observation(timed_out=True, timeout=timeout)


def _fetch(
    check: HttpCheck, timeout: float, redact: Redactor | None, clock: Callable[[], float]
) -> Observation:
    scrub = redact or Redactor()
    data = check.body.encode("utf-8") if check.body is not None else None
    # Fresh evidence only: a cache between us and the service must ask it again (the criterion's
    # own headers may say otherwise).
    fresh = {"Cache-Control": "no-cache", "Pragma": "no-cache"}
    headers = {"User-Agent": f"applygate/{__version__}", **fresh, **dict(check.headers)}
    # The URL was checked to be http(s) when the criteria file was read.
    request = urllib.request.Request(  # noqa: S310
        check.url, data=data, headers=headers, method=check.method
    )
    deadline = clock() + timeout
    try:
        opener = urllib.request.build_opener(_NoRedirect)
        with opener.open(request, timeout=timeout) as response:
            status, body = response.status, _read(response, deadline, clock)
    except urllib.error.HTTPError as error:
        try:
            status, body = error.code, _read(error, deadline, clock)
        finally:
            error.close()
    except (_BodyTimeoutError, TimeoutError):
        return Observation(timed_out=True, timeout=timeout)
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return Observation(timed_out=True, timeout=timeout)
        return Observation(error=scrub(_reason(error.reason)), timeout=timeout)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Observation(error=scrub(_reason(error)), timeout=timeout)
    text = scrub(body)
    return Observation(status=status, text=text, output=text, timeout=timeout)


def _read(stream: IO[bytes], deadline: float, clock: Callable[[], float]) -> str:
    chunks: list[bytes] = []
    size = 0
    while size < MAX_BODY:
        if clock() > deadline:
            raise _BodyTimeoutError
        chunk = stream.read(min(CHUNK, MAX_BODY - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _reason(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return f"could not resolve host ({reason.strerror or reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__
