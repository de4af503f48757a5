"""Running the page: a socket bound first (so a busy port is a clear error), then uvicorn on it."""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import webbrowser
from collections.abc import Callable

from ..model.errors import InputError

#: Seconds the server gives open connections to finish when it is stopped.
GRACE = 3


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, local: tuple[str, ...]) -> tuple[str, ...]:
    """The hosts a request's Host header may name: `local` (the loopback names), the `host` given (an IPv6
    address in brackets, as a Host header writes it) and, for a wildcard address (``0.0.0.0``, ``::``), which
    no Host header names, this machine's name and the addresses it resolves to."""
    out = [*local, f"[{host}]" if ":" in host else host]
    try:
        wildcard = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        wildcard = False
    if wildcard:
        name = socket.gethostname()
        out += [name, socket.getfqdn()]
        try:
            found = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except OSError:
            found = []
        for *_, address in found:
            ip = str(address[0]).split("%")[0]
            out.append(f"[{ip}]" if ":" in ip else ip)
    return tuple(dict.fromkeys(h.lower() for h in out))


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free port).

    Raises:
        InputError: the host does not resolve (``--host``), its address is not one of this machine's
            (``--host``), or the port is taken or not allowed (``--port``).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"cannot resolve host '{host}': {exc.strerror}", key="--host") from None
    family, kind, proto, _, address = infos[0]
    # The protocol must be given (IPPROTO_TCP, not 0): asyncio sets TCP_NODELAY only on connections of a
    # socket that says it is TCP, and without it each answer waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRNOTAVAIL:
            raise InputError(
                f"cannot listen on {host}: {address[0]} is not an address of this machine",
                key="--host",
                expected="one of this machine's addresses (127.0.0.1 by default)",
            ) from None
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror}", key="--port", expected="a free port (or --port 0)"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run(
    app: object, sock: socket.socket, *, open_browser: bool = False, ready: Callable[[], None] | None = None
) -> None:
    """Serve `app` on `sock` until SIGINT or SIGTERM (uvicorn's handlers; they are re-raised once it has stopped)."""
    import uvicorn

    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACE,
        server_header=False,
    )
    server = uvicorn.Server(config)
    url = url_of(sock, sock.getsockname()[0])

    def announce() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            if ready is not None:
                ready()
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, name="argmap-serve-ready", daemon=True).start()
    server.run(sockets=[sock])
