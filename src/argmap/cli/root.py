"""Entry point, shared options, and the mapping of errors to exit codes.

Exit codes: 0 success (every proposal consistent and credible), 1 a verdict
the user should look at, 2 bad input or usage, 130/143 interrupted.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import click

from .. import guard
from ..api import Argmap
from ..engine import defer_signal, grounding_in_progress, interrupt_all
from ..errors import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _leave(ctx: click.Context, code: int) -> None:
    """Exit with `code`; if clingo is still grounding in a helper thread, without finalising the
    interpreter (which would crash that thread), once the output is flushed."""
    if grounding_in_progress():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    ctx.exit(code)


class _Group(click.Group):
    """Turns user errors into a message and exit 2, and interrupts into 130."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"argmap: {exc}", err=True)
            ctx.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("argmap: interrupted", err=True)
            _leave(ctx, 130)
        except _SigtermError:
            click.echo("argmap: terminated", err=True)
            _leave(ctx, 143)


def kb_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--kb",
        "kb",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Knowledge-base rule file (repeatable; later files layer rules on earlier ones). "
        "Default: the article's knowledge base shipped with argmap.",
    )(func)


def format_option(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format."
    )


def timeout() -> float | None:
    """The --timeout given to `argmap` (seconds), if any."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj.get("timeout") if isinstance(obj, dict) else None


def probe_kb(kb: tuple[str, ...]) -> None:
    """Ground the user's rule files once in a child process under a hard limit (no-op for argmap's own)."""
    if kb:
        guard.probe(kb, seconds=timeout() or guard.GROUND_SECONDS)


def open_kb(kb: tuple[str, ...], *, trace: bool = False) -> Argmap:
    """The knowledge base: argmap's own, or the user's files, first ground under a hard limit."""
    probe_kb(kb)
    return Argmap(list(kb) or None, trace=trace, timeout=timeout())


def _install_signal_watchdog() -> None:
    """Let SIGINT and SIGTERM stop argmap even inside a long clingo solve.

    Python runs signal handlers only between its own instructions, never inside
    a blocking C call such as clingo's solve.  Python's C-level handler can still
    write each signal to a pipe (`signal.set_wakeup_fd`); a watchdog thread
    reads it and interrupts any running solve, which returns, and the handler
    then raises as usual (KeyboardInterrupt, or _SigtermError), so `finally`
    blocks and the atomic writer's clean-up run.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)

    def watch() -> None:
        while os.read(read_end, 64):
            interrupt_all()

    threading.Thread(target=watch, name="argmap-signals", daemon=True).start()


def entry(*args: Any, **kwargs: Any) -> None:
    """The `argmap` console script: the command line, with the signal watchdog."""
    _install_signal_watchdog()
    main(*args, **kwargs)


class _SigtermError(BaseException):
    """SIGTERM, turned into an exception so that `finally` blocks (temporary files) run."""


def _on_sigterm(signum: int, frame: object) -> None:
    if not defer_signal(signum):
        raise _SigtermError


def _on_sigint(signum: int, frame: object) -> None:
    if not defer_signal(signum):
        raise KeyboardInterrupt


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="argmap")
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 86400),
    metavar="SECONDS",
    help="Bound each solve, and the grounding of rule files given with --kb (default 60 s for those).",
)
@click.pass_context
def main(ctx: click.Context, timeout: float | None) -> None:
    """argmap: check proposals against an argument encoded in ASP.

    The claims of a source text are clingo rules, each tied to its verbatim
    quote; proposals are YAML files; clingo derives whether each proposal is
    consistent, credible, feasible now, and what risk it leaves, and why.
    """
    ctx.obj = {"timeout": timeout}
    signal.signal(signal.SIGTERM, _on_sigterm)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)


def out(text: str) -> None:
    sys.stdout.write(text)


# Commands register themselves on `main` when imported.
from . import af, commands, explore, graph, lint, testing  # noqa: E402,F401
