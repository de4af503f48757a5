"""Entry point, shared options, lazy command loading, and the mapping of errors to exit codes.

Exit codes: 0 success, 1 a verdict or finding the user should look at, 2 bad
input or usage, 130/143 interrupted, 141 the reader of stdout left (as a
process killed by SIGPIPE reports).  Each command lives in its own module and
is imported only when it runs (``argmap af`` never imports the engine).
"""

from __future__ import annotations

import errno
import importlib
import math
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Argmap

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
#: The reader of stdout left (`argmap check DIR | head -1`): 128 + SIGPIPE, what a shell reports for a
#: process SIGPIPE killed, so that it is not taken for a finding (1).
EXIT_PIPE_CLOSED = 141

#: Every command: name -> (module under argmap.cli, function, one-line help for `argmap --help`).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("commands", "check", "Judge proposals: every verdict, with reasons and quotes."),
    "claims": ("commands", "claims", "List every claim with its kind, paraphrase and quote."),
    "explain": ("commands", "explain", "Explain a proposal's verdicts from the rules that fired."),
    "whatif": ("commands", "whatif", "Compare a proposal's verdicts before and after changes."),
    "repair": ("commands", "repair", "The smallest changes that make a proposal reach its goals."),
    "sensitivity": ("commands", "sensitivity", "Which claims each verdict rests on; which are pivotal."),
    "explore": ("explore", "explore_command", "Search a design space: counts, optima, a Pareto front."),
    "test": ("testing", "test_command", "Run scenario files as tests, with coverage."),
    "lint": ("lint", "lint_command", "Check the knowledge base against its sources and the contract."),
    "schema": ("lint", "schema_command", "Print the JSON Schema of proposal or scenario files."),
    "diff": ("commands", "diff", "Which verdicts change between two versions of a knowledge base."),
    "map": ("graph", "map_command", "Draw the argument map of the knowledge base or a proposal."),
    "report": ("graph", "report_command", "Write a self-contained HTML report on proposals."),
    "serve": ("serve", "serve_command", "Serve a page for exploring counterfactuals in the browser."),
    "af": ("af", "af_command", "Solve an abstract argumentation task (ICCMA formats)."),
    "af-kb": ("af", "af_kb", "Which of the source's positions each semantics accepts."),
    "kb-path": ("project", "kb_path", "Print where the shipped knowledge base lives."),
    "init": ("project", "init", "Scaffold a new knowledge base in a folder."),
}


def _leave(ctx: click.Context, code: int) -> None:
    """Exit with `code`; if clingo is still grounding in a helper thread, without finalising the
    interpreter (which would crash that thread), once the output is flushed."""
    if "argmap.engine.interrupts" in sys.modules:
        from ..engine.interrupts import grounding_in_progress

        if grounding_in_progress():
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    ctx.exit(code)


class _Group(click.Group):
    """Loads each command on first use; turns user errors into a message and exit 2, interrupts into 130/143."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        found = COMMANDS.get(name)
        if found is None:
            return super().get_command(ctx, name)  # a command added with @main.command (a plugin, a test)
        module = importlib.import_module(f"{__package__}.{found[0]}")
        return getattr(module, found[1])  # type: ignore[no-any-return]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, _, short) in COMMANDS.items()]
        rows += [(name, cmd.get_short_help_str()) for name, cmd in self.commands.items() if name not in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        """The root's own options (``--timeout -1`` before the command name) are reported as every
        argmap error reads, not with click's "Error:"."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            if parent is not None:
                raise
            if exc.ctx is not None:
                click.echo(f"{exc.ctx.get_usage()}\nTry '{exc.ctx.command_path} --help' for help.\n", err=True)
            click.echo(f"argmap: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)

    def invoke(self, ctx: click.Context) -> Any:
        from ..model.errors import InputError

        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"argmap: {exc}", err=True)
            _leave(ctx, EXIT_INPUT)  # a grounding abandoned at its deadline may still run in a thread
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            # click's usage line and hint, then the error as every argmap error reads (not click's "Error:")
            if exc.ctx is not None:
                click.echo(f"{exc.ctx.get_usage()}\nTry '{exc.ctx.command_path} --help' for help.\n", err=True)
            click.echo(f"argmap: error: {exc.format_message()}", err=True)
            ctx.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"argmap: error: {exc.format_message()}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("argmap: interrupted", err=True)
            _leave(ctx, 130)
        except _SigtermError:
            click.echo("argmap: terminated", err=True)
            _leave(ctx, 143)
        except OSError as exc:
            # A reader that stopped reading (`argmap ... | head -1`).  clingo re-raises an exception from
            # a callback (explore's progress) without its errno, so the type is checked as well.
            if not (isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE):
                raise
            stdout_closed()
            ctx.exit(EXIT_PIPE_CLOSED)


def stdout_closed() -> None:
    """Point stdout at the null device once its reader has gone, so that nothing written or flushed
    later (the interpreter flushes stdout on exit) raises BrokenPipeError again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (click's test runner)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


class Seconds(click.ParamType):
    """A number of seconds: finite, from 0.1 to a day."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number) or not 0.1 <= number <= 86400:
            self.fail(f"{value!r} is not a number of seconds from 0.1 to 86400", param, ctx)
        return number


def _timeout_callback(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """--timeout after a command name wins over one before it."""
    if value is not None:
        root = ctx.find_root()
        if isinstance(root.obj, dict):
            root.obj["timeout"] = value
    return value


def timeout_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--timeout",
        "timeout_",
        type=Seconds(),
        metavar="SECONDS",
        expose_value=False,
        callback=_timeout_callback,
        help="Bound each solve, and the grounding of rule files that are not argmap's own (default 60 s for those).",
    )(func)


def _root_options(ctx: click.Context) -> dict[str, Any]:
    root = ctx.find_root().obj
    return root if isinstance(root, dict) else {}


def _kb_callback(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """--kb after a command name replaces any given before it (`argmap --kb F check` = `argmap check --kb F`)."""
    return value or tuple(_root_options(ctx).get("kb", ()))


def _layer_callback(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Layers given before the command name come first, then the command's own."""
    return (*_root_options(ctx).get("layers", ()), *value)


KB_HELP = "Knowledge-base entry file (repeatable), replacing the project config's or the shipped one."
LAYER_HELP = "Rule file added on top of the knowledge base (repeatable)."


def kb_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--kb (replace the knowledge base), --layer (add rules on top) and --timeout; each may also be given
    before the command name (`argmap --kb F check ...`)."""
    func = timeout_option(func)
    func = click.option(
        "--layer", "layers", multiple=True, type=click.Path(dir_okay=False), callback=_layer_callback, help=LAYER_HELP
    )(func)
    return click.option(
        "--kb", "kb", multiple=True, type=click.Path(dir_okay=False), callback=_kb_callback, help=KB_HELP
    )(func)


def format_option(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format."
    )


def output_option(help_text: str, *, required: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--output", "-o", "output", required=required, metavar="FILE", help=help_text)


def timeout() -> float | None:
    """The --timeout given to `argmap` or to the command (seconds), if any."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj.get("timeout") if isinstance(obj, dict) else None


def open_app(kb: tuple[str, ...] = (), layers: tuple[str, ...] = ()) -> Argmap:
    """The API object for this run: the knowledge base (config, --kb, --layer) and --timeout."""
    from ..api import Argmap

    return Argmap(list(kb) or None, layers=layers, timeout=timeout())


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
            if "argmap.engine.interrupts" in sys.modules:
                from ..engine.interrupts import interrupt_all

                interrupt_all()

    threading.Thread(target=watch, name="argmap-signals", daemon=True).start()


def entry(*args: Any, **kwargs: Any) -> None:
    """The `argmap` console script: the command line, with the signal watchdog."""
    _install_signal_watchdog()
    try:
        main(*args, **kwargs)
    except _SigtermError:  # past click's own handling (between its exit and here): exit as it would
        click.echo("argmap: terminated", err=True)
        raise SystemExit(143) from None
    finally:
        # The command is over and its files are written: from here a signal ends the process the usual
        # way (-15, -2) rather than raising into the interpreter's shutdown with a traceback.
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            sys.stdout.flush()
        except OSError:  # the reader left after the last write (BrokenPipeError)
            stdout_closed()
            raise SystemExit(EXIT_PIPE_CLOSED) from None


class _SigtermError(BaseException):
    """SIGTERM, turned into an exception so that `finally` blocks (temporary files) run."""


def _deferred(signum: int) -> bool:
    if "argmap.engine.interrupts" not in sys.modules:
        return False
    from ..engine.interrupts import defer_signal

    return defer_signal(signum)


def _on_sigterm(signum: int, frame: object) -> None:
    if not _deferred(signum):
        raise _SigtermError


def _on_sigint(signum: int, frame: object) -> None:
    if not _deferred(signum):
        raise KeyboardInterrupt


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="argmap")
@click.option(
    "--timeout",
    type=Seconds(),
    metavar="SECONDS",
    help="Bound each solve, and the grounding of rule files that are not argmap's own (default 60 s for those).",
)
@click.option("--kb", "kb", multiple=True, type=click.Path(dir_okay=False), help=KB_HELP)
@click.option("--layer", "layers", multiple=True, type=click.Path(dir_okay=False), help=LAYER_HELP)
@click.pass_context
def main(ctx: click.Context, timeout: float | None, kb: tuple[str, ...], layers: tuple[str, ...]) -> None:
    """argmap: check proposals against an argument encoded in ASP.

    The claims of a source text are clingo rules, each tied to its verbatim
    quote; proposals are YAML files; clingo derives the verdicts the knowledge
    base declares for each proposal, and why.
    """
    ctx.obj = {"timeout": timeout, "kb": kb, "layers": layers}
    if (kb or layers) and ctx.invoked_subcommand is not None:
        command = ctx.command.get_command(ctx, ctx.invoked_subcommand)  # type: ignore[attr-defined]
        if command is not None and not any(param.name == "kb" for param in command.params):
            given = "--kb" if kb else "--layer"
            raise click.UsageError(f"{given}: `argmap {ctx.invoked_subcommand}` reads no knowledge base")
    signal.signal(signal.SIGTERM, _on_sigterm)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)


def inputs(app: Argmap, *paths: str) -> tuple[str, ...]:
    """What a command read, which its -o may not overwrite: every rule file of the knowledge base
    (entry files, includes, layers) and the given proposal, scenario or space `paths`."""
    return (*(src.path for src in app.kb.sources()), *paths)


def out(text: str) -> None:
    sys.stdout.write(text)
