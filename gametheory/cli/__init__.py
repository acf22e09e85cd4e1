"""The command-line interface: a thin layer over the library.

Each command converts its options, calls one library function, and echoes the
rendered result. Errors are translated to exit codes in one place
(:class:`App`): 2 for bad input or usage (one line on stderr, no traceback),
1 for an internal error.

The commands live in one module per group (:mod:`~gametheory.cli.solve`,
:mod:`~gametheory.cli.sensitivity`, :mod:`~gametheory.cli.analysis`,
:mod:`~gametheory.cli.dynamics`, :mod:`~gametheory.cli.teaching`), which share
what they have in common through :mod:`gametheory.cli._common`; this module
makes the group :data:`app` and registers them all.
"""

from __future__ import annotations

import os
import signal
import sys

import click

from .._limits import room_for_deep_trees
from ..errors import GameTheoryError, InputError
from ._common import BadInput, InternalError, command_started
from .analysis import montecarlo_command, tornado_command
from .analyst import compare, drivers, region
from .commit import commit
from .dynamics import dynamics
from .live import app_command
from .sensitivity import sensitivity, sweep
from .solve import convert, list_scenarios, solve, validate
from .teaching import explain, report

__all__ = ["App", "BadInput", "InternalError", "app", "main"]


class App(click.Group):
    """The command group; translates library errors to exit codes once, for every command."""

    def invoke(self, ctx: click.Context):
        try:
            with room_for_deep_trees():  # trees up to the documented depth are walked recursively
                return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, BrokenPipeError):
            raise  # click ends quietly when the reader of stdout has gone (``gametheory list | head -1``)
        except InputError as exc:
            raise BadInput(str(exc)) from None
        except GameTheoryError as exc:
            raise InternalError(str(exc)) from None
        except Exception as exc:
            if os.environ.get("GAMETHEORY_DEBUG"):
                raise
            raise InternalError(f"{type(exc).__name__}: {exc}") from None


@click.group(cls=App, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gametheory")
@click.option("--quiet", "-q", is_flag=True, help="No progress reports on stderr (warnings and errors still show).")
@click.pass_context
def app(ctx: click.Context, quiet: bool) -> None:
    """Solve game-theoretic scenarios whose payoffs are expressions of named parameters.

    \b
    Examples:
      gametheory solve games/deterrence.json
      gametheory solve games/deterrence.json --set m_us=2.1 --format json
      gametheory validate games/*.json
      gametheory list
      gametheory --quiet report games/deterrence.json --out g1.html

    Long commands report progress on stderr: a line redrawn on a terminal,
    otherwise one line every few seconds.
    """
    ctx.meta["gametheory.quiet"] = quiet
    command_started()


#: Every command of the application (``gametheory --help`` lists them by name).
COMMANDS = (
    solve,
    validate,
    convert,
    list_scenarios,
    sensitivity,
    sweep,
    montecarlo_command,
    tornado_command,
    dynamics,
    report,
    explain,
    commit,
    app_command,
    compare,
    region,
    drivers,
)
for command in COMMANDS:
    app.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``gametheory`` console script.

    SIGTERM ends the run like Ctrl-C does, through every ``finally``, so no
    temporary file is left behind by a terminated command.
    """
    signal.signal(signal.SIGTERM, _terminate)
    app.main(args=argv, prog_name="gametheory")


def _terminate(signum: int, frame: object) -> None:
    sys.exit(128 + signum)
