"""The web application: Starlette routes over :class:`~argmap.serve.service.Service`.

- One grounded knowledge base is shared by every request, and clingo's
  ``Control`` is not thread-safe: every question runs on one worker thread of
  the application's own (a single-thread executor), so questions are answered
  one at a time, in the order they came, without threads queueing on a lock,
  and the event loop never blocks.  The knowledge base's ``timeout`` bounds
  every solve.  Each answer says how long the question took on that thread
  (``Server-Timing: solve;dur=<ms>``) and how long it waited for it
  (``queue;dur=<ms>``).
- A request body is read up to :data:`MAX_BODY` bytes (413 beyond), must be
  JSON (415 otherwise: a form on another site cannot post here), and must be a
  JSON object whose text is all valid Unicode (400: no lone surrogate such as
  ``"\\ud800"``, no ``NaN``), decided once, where the body is read.  Each client
  may make :data:`RATE` requests a second, with bursts of twice that (429
  beyond, with ``Retry-After``).
- Only requests whose Host header names an allowed host are answered (400
  otherwise, as JSON): the loopback names and the ``--host`` given (no DNS
  rebinding).
- Bad input is a JSON error with the command line's message (422); a solve
  that runs out of time is 503; anything unexpected is 500 with a message,
  never a traceback.  An error's text is escaped where it could not be sent
  as UTF-8, so an error response itself never fails.
- Every response carries a Content-Security-Policy that allows only this
  server's own script and style, and no framing.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..model.errors import InputError, one_of
from .service import Service

#: The largest request body accepted (bytes).
MAX_BODY = 512 * 1024
#: Requests a second each client may make (bursts of twice as many).
RATE = 50.0
#: Hosts the server always answers to (the Host header without its port); others are refused (no DNS rebinding).
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
#: A lone surrogate: JSON's ``\\ud800`` escape gives one, and it is not Unicode text (it cannot be UTF-8).
_SURROGATE = re.compile("[\ud800-\udfff]")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_STATIC = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


class _SecurityHeaders:
    """Adds the Content-Security-Policy and its companions to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


class _Hosts:
    """Answers only requests whose Host header (without its port) is one of `allowed`; others get a JSON 400."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = tuple(dict.fromkeys(h.lower() for h in allowed))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
        if host_of(given) in self.allowed:
            await self.app(scope, receive, send)
            return
        exc = InputError(f"'{given}' is not a host this server answers to", key="Host", expected=one_of(self.allowed))
        await error(400, f"argmap: {exc}", exc)(scope, receive, send)


def host_of(header: str) -> str:
    """A Host header's host, lower case, without its port (``[::1]:8765`` -> ``[::1]``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.split(":", 1)[0]


class _Rate:
    """A token bucket per client address."""

    def __init__(self, rate: float | None) -> None:
        self.rate = rate
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """0 when `client` may ask now (a token is taken), else the seconds until it may."""
        if self.rate is None:
            return 0.0
        now = time.monotonic()
        burst = 2 * self.rate
        with self._lock:
            tokens, last = self._buckets.get(client, (burst, now))
            tokens = min(burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return (1 - tokens) / self.rate
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 10_000:  # forget idle clients rather than grow without bound
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}
            return 0.0


class _JSON(JSONResponse):
    """JSON as UTF-8; a lone surrogate, should one ever reach an answer, sent as its escape (``\\ud800`` for U+D800)
    instead of failing the response."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
        return text.encode("utf-8", "backslashreplace")


def _escaped(value: Any) -> Any:
    """`value` with every lone surrogate in its text spelled out (``\\ud800``), so it can be sent."""
    if isinstance(value, str):
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return value


def error(status: int, message: str, exc: InputError | None = None, **headers: str) -> JSONResponse:
    """The JSON every error has: ``{"error": text, "status": code, ...}`` (with an InputError's parts).

    What it echoes of the request is escaped where it is not valid Unicode, so the answer can always be
    sent; `headers` are added to the response (``retry_after="2"`` gives ``retry-after: 2``)."""
    body: dict[str, Any] = {"error": _escaped(message), "status": status}
    if exc is not None:
        body.update(
            message=_escaped(exc.message),
            path=_escaped(exc.path),
            line=exc.line,
            column=exc.column,
            key=_escaped(exc.key),
            expected=_escaped(exc.expected),
            suggestion=_escaped(exc.suggestion),
        )
    extra = {k.replace("_", "-"): v for k, v in headers.items()}
    return _JSON(body, status_code=status, headers={"cache-control": "no-store", **extra})


def _not_unicode(body: Any) -> str | None:
    """The field of a decoded JSON body whose text (a value or a key) holds a lone surrogate, named as
    ``proposal.title``, ``changes.set[1]`` or ``proposal: a key``; None when all its text is Unicode."""
    todo: list[tuple[Any, str]] = [(body, "")]
    while todo:
        value, where = todo.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return where or "the body"
        elif isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    return f"{where}: a key" if where else "a key"
                todo.append((item, f"{where}.{key}" if where else key))
        elif isinstance(value, list):
            todo.extend((item, f"{where}[{i}]") for i, item in enumerate(value, 1))
    return None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def create_app(
    service: Service,
    *,
    max_body: int = MAX_BODY,
    rate: float | None = RATE,
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS,
) -> Starlette:
    """The ASGI application for one knowledge base.

    Args:
        service: the knowledge base's questions (ground it first with ``service.warm()``).
        max_body: the largest request body, in bytes.
        rate: requests a second per client (None: unbounded, for benchmarks).
        allowed_hosts: the hosts a request's Host header may name (without the port; an IPv6
            address in brackets, ``[::1]``); see :func:`argmap.serve.server.allowed_hosts`.
    """
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argmap-serve")
    limiter = _Rate(rate)
    static = {name: (resources.files(__package__) / "static" / name).read_bytes() for name in _STATIC}

    def timed(queued: float, fn: Callable[..., Any], *args: Any) -> tuple[Any, float, float]:
        started = time.perf_counter()
        result = fn(*args)
        return result, started - queued, time.perf_counter() - started

    async def answer(request: Request, fn: Callable[..., Any], *args: Any) -> Response:
        """Run one question on the worker thread, and turn what it raises into JSON."""
        client = request.client.host if request.client else "?"
        wait = limiter.wait(client)
        if wait:
            return error(429, "too many requests; wait a moment and try again", retry_after=str(math.ceil(wait)))
        loop = asyncio.get_running_loop()
        try:
            result, waited, took = await loop.run_in_executor(worker, timed, time.perf_counter(), fn, *args)
        except InputError as exc:
            if exc.key == "--timeout":
                return error(503, f"argmap: {exc}", exc)
            return error(422, f"argmap: {exc}", exc)
        except Exception as exc:  # an internal bug: say so, with a message, and log the traceback
            traceback.print_exc(file=sys.stderr)
            return error(500, f"argmap: internal error: {type(exc).__name__}: {exc}")
        timing = f"queue;dur={waited * 1000:.2f}, solve;dur={took * 1000:.2f}"
        if isinstance(result, Response):
            result.headers["server-timing"] = timing
            return result
        return _JSON(result, headers={"cache-control": "no-store", "server-timing": timing})

    async def body_of(request: Request) -> dict[str, Any] | Response:
        """The request's JSON object, or the error response that says why not."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return error(415, "the body must be JSON (Content-Type: application/json)")
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_body):
            return error(413, f"the body is larger than the limit of {max_body} bytes")
        data = bytearray()
        async for chunk in request.stream():
            data += chunk
            if len(data) > max_body:
                return error(413, f"the body is larger than the limit of {max_body} bytes")
        try:
            body = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
        except UnicodeDecodeError:
            return error(400, "the body is not UTF-8")
        except (ValueError, RecursionError) as exc:
            return error(400, f"the body is not JSON: {exc}")
        if not isinstance(body, dict):
            return error(400, "the body must be a JSON object")
        if b"\\u" in data:  # a lone surrogate can only come from an escape (UTF-8 cannot hold one)
            where = _not_unicode(body)
            if where is not None:
                exc = InputError("not valid Unicode text: a lone surrogate", key=where)
                return error(400, f"argmap: {exc}", exc)
        return body

    def posted(fn: Callable[[dict[str, Any]], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            body = await body_of(request)
            if isinstance(body, Response):
                return body
            return await answer(request, fn, body)

        return endpoint

    def got(fn: Callable[[], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            return await answer(request, fn)

        return endpoint

    async def proposal_file(request: Request) -> Response:
        return await answer(request, service.proposal_file, request.path_params["name"])

    def report(body: dict[str, Any]) -> Response:
        html, name = service.report(body)
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"content-disposition": attachment(f"{name}-report.html"), "cache-control": "no-store"},
        )

    async def page(request: Request) -> Response:
        return Response(static["index.html"], media_type=_STATIC["index.html"])

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static or name == "index.html":
            return error(404, f"no such file: {name}")
        return Response(static[name], media_type=_STATIC[name], headers={"cache-control": "no-cache"})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error(exc.status_code, str(exc.detail))

    async def internal_error(request: Request, exc: Exception) -> Response:  # outside a question: still JSON
        return error(500, f"argmap: internal error: {type(exc).__name__}: {exc}")

    routes = [
        Route("/", page),
        Route("/static/{name}", asset),
        Route("/api/vocabulary", got(service.vocabulary)),
        Route("/api/claims", got(service.claims)),
        Route("/api/proposals", got(service.proposals)),
        Route("/api/proposals/{name}", proposal_file),
        Route("/api/check", posted(service.check), methods=["POST"]),
        Route("/api/whatif", posted(service.whatif), methods=["POST"]),
        Route("/api/repair", posted(service.repair), methods=["POST"]),
        Route("/api/map", posted(service.map), methods=["POST"]),
        Route("/api/report", posted(report), methods=["POST"]),
    ]
    middleware = [Middleware(_SecurityHeaders), Middleware(_Hosts, allowed=allowed_hosts)]
    handlers = {HTTPException: http_error, Exception: internal_error}
    application = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
    application.state.worker = worker  # shut down by whoever stops serving (see argmap.serve.server.run)
    return application


def attachment(filename: str) -> str:
    """A Content-Disposition that downloads as `filename` (RFC 6266): ``filename`` in safe ASCII (anything
    else becomes ``_``), and ``filename*`` with the name itself, percent-encoded UTF-8."""
    from urllib.parse import quote

    plain = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    spelled = quote(filename.encode("utf-8", "backslashreplace"), safe="")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{spelled}"
