"""`argmap serve`: the browser page for exploring counterfactuals (Starlette and uvicorn, imported here only)."""

from __future__ import annotations

import click

from ..model.errors import InputError
from .root import EXIT_OK, kb_option, main, open_app, timeout

#: The bound on each solve while serving, when --timeout is not given (seconds).
DEFAULT_TIMEOUT = 10.0


@main.command("serve")
@kb_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on (another than this machine's loopback address is warned about).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option(
    "--proposals",
    "proposal_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Folder of proposal files the page may load (repeatable; default: the knowledge base's project config's).",
)
@click.option(
    "--max-rate",
    type=click.FloatRange(min=1),
    default=50.0,
    show_default=True,
    help="Requests a second each client may make (bursts of twice as many).",
)
def serve_command(
    kb: tuple[str, ...],
    layers: tuple[str, ...],
    host: str,
    port: int,
    open_browser: bool,
    proposal_dirs: tuple[str, ...],
    max_rate: float,
) -> None:
    """Serve a page for exploring the knowledge base's counterfactuals in the browser.

    The page edits a proposal from the knowledge base's vocabulary and shows
    its verdicts with their reasons and quotes as you edit; what-ifs (change a
    component, reject a claim, move the date of the stances), repairs, the
    argument map focused on one verdict, and the claims.  The URL holds the
    proposal and the changes.  JSON endpoints under /api/ (see the README).

    The knowledge base is grounded once, at start; questions are answered one
    at a time, each solve bounded by --timeout (default 10 s).  Listens on
    127.0.0.1 unless --host says otherwise.  Ctrl-C stops it.  Needs
    starlette and uvicorn (pip install 'argmap[serve]').  Exit 0 when stopped,
    2 on bad input.
    """
    from .. import serve

    missing = serve.available()
    if missing is not None:
        raise InputError(f"{serve.MISSING}, and {missing} is not installed", expected=serve.INSTALL)
    from ..io import config as config_module
    from ..serve.app import LOCAL_HOSTS, create_app
    from ..serve.server import allowed_hosts, bind, is_loopback, run, url_of
    from ..serve.service import Service

    sock = bind(host, port)  # first: a host that does not resolve or is not this machine's is the only message
    try:
        if not is_loopback(sock.getsockname()[0]):
            click.echo(
                f"argmap: warning: serving on {host}: anyone who can reach this address can use the page "
                "(it has no login)",
                err=True,
            )
        app = open_app(kb, layers)
        folders = proposal_dirs
        if not folders:
            folders = (config_module.find(app.kb.base_root()) if kb else app.config).proposals
        service = Service(app, folders)
        service.warm()  # ground now, under the grounding bound; a bad knowledge base is reported before serving
    except BaseException:
        sock.close()
        raise
    app.timeout = timeout() or DEFAULT_TIMEOUT
    asgi = create_app(service, rate=max_rate, allowed_hosts=allowed_hosts(host, LOCAL_HOSTS))
    url = url_of(sock, host)

    def ready() -> None:
        click.echo(f"argmap: serving {app.kb.files[0]} at {url} (Ctrl-C to stop)", err=True)

    try:
        run(asgi, sock, open_browser=open_browser, ready=ready)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        asgi.state.worker.shutdown(wait=False, cancel_futures=True)  # questions still queued are dropped
    click.echo("argmap: stopped", err=True)
    raise SystemExit(EXIT_OK)
