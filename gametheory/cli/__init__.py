"""The command-line interface: a thin layer over the library.

Each command converts its options, calls one library function, and echoes the
rendered result. Errors are translated to exit codes in one place
(:class:`App`): 2 for bad input or usage (one line on stderr, no traceback),
1 for an internal error.

The commands live in one module per group (:mod:`~gametheory.cli.solve`,
:mod:`~gametheory.cli.sensitivity`, :mod:`~gametheory.cli.analysis`,
:mod:`~gametheory.cli.dynamics`, :mod:`~gametheory.cli.teaching`), which share
what they have in common through :mod:`gametheory.cli._common`; this module
makes the group :data:`app` and lists them by name in :data:`COMMANDS`, each
module imported when one of its commands is first used.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys
from collections.abc import Mapping
from typing import Any

import click

from .._limits import room_for_deep_trees
from ..errors import GameTheoryError, InputError
from ._common import BadInput, InternalError, command_started

__all__ = ["App", "BadInput", "InternalError", "app", "main"]

#: Every command of the application (``gametheory --help`` lists them by name): the module of ``cli/`` that
#: defines it and its name there. A module is imported when one of its commands is used, so that a command
#: does not pay for importing the others.
COMMANDS: dict[str, tuple[str, str]] = {
    "solve": ("solve", "solve"),
    "validate": ("solve", "validate"),
    "convert": ("solve", "convert"),
    "list": ("solve", "list_scenarios"),
    "sensitivity": ("sensitivity", "sensitivity"),
    "sweep": ("sensitivity", "sweep"),
    "montecarlo": ("analysis", "montecarlo_command"),
    "tornado": ("analysis", "tornado_command"),
    "dynamics": ("dynamics", "dynamics"),
    "report": ("teaching", "report"),
    "explain": ("teaching", "explain"),
    "commit": ("commit", "commit"),
    "app": ("live", "app_command"),
    "compare": ("analyst", "compare"),
    "region": ("analyst", "region"),
    "drivers": ("analyst", "drivers"),
}


class App(click.Group):
    """The command group; imports the module of a command of ``lazy_commands`` at its first use
    (:data:`COMMANDS` for :data:`app`; none for a group made of command objects, as in tests) and translates
    library errors to exit codes once, for every command."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.lazy_commands, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, name = self.lazy_commands[cmd_name]
            self.add_command(getattr(importlib.import_module(f"{__name__}.{module}"), name), cmd_name)
        return self.commands.get(cmd_name)

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


@click.group(
    cls=App, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
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


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``gametheory`` console script.

    SIGTERM ends the run like Ctrl-C does, through every ``finally``, so no
    temporary file is left behind by a terminated command.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app.main(args=argv, prog_name="gametheory")
    finally:
        # What is left is freed by the exit itself: the collector's passes at shutdown need not walk the
        # modules' objects again (20 to 30 ms, a tenth of ``gametheory solve``).
        gc.freeze()


def _terminate(signum: int, frame: object) -> None:
    sys.exit(128 + signum)
