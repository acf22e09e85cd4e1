"""What the commands share: option help, option parsing, loading, warnings, output and progress.

Every command module of :mod:`gametheory.cli` takes these from here and from
nowhere else, so that ``--set`` and ``--vary`` mean the same in every command,
every library warning reaches stderr as one ``warning:`` line, every output
file is written atomically, and one progress bar is drawn the same way.
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from .._io import atomic_write
from ..errors import InputError
from ..escape import terminal
from ..formats import load

EXIT_INPUT = 2
EXIT_INTERNAL = 1

SET_HELP = "Override a parameter, e.g. --set m_us=2.1 (repeatable; decimals and fractions like 3/4 stay exact)."
OUT_HELP = "Write to this file instead of stdout."
STRICT_HELP = "Treat a parameter outside its declared range as an error, not a warning."

#: One ``--vary`` axis: ``(LO, HI, N)`` as given; None where the form leaves it to the command's default.
VaryAxis = tuple[str | None, str | None, int | None]


def set_option(help: str = SET_HELP) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The repeatable ``--set NAME=VALUE`` option; the command receives the raw pairs as ``sets``."""
    return click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help=help)


def out_option(help: str = OUT_HELP) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The optional ``--out FILE`` option of the commands that print to stdout by default."""
    return click.option("--out", type=click.Path(dir_okay=False), default=None, help=help)


def preset_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--preset NAME`` option (a named preset of the scenario)."""
    return click.option("--preset", default=None, help="Use a named preset of the scenario (e.g. --preset art5_like).")


def format_option(choices: tuple[str, ...] = ("text", "json", "markdown", "latex")):
    """The ``--format`` option; the command receives it as ``fmt``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


class BadInput(click.ClickException):
    """Bad input or usage: one line on stderr, exit code 2."""

    exit_code = EXIT_INPUT

    def show(self, file=None) -> None:
        click.echo(f"error: {terminal(self.message)}", err=True)


class InternalError(click.ClickException):
    """A bug in gametheory: one line on stderr (a traceback with GAMETHEORY_DEBUG=1), exit code 1."""

    exit_code = EXIT_INTERNAL

    def show(self, file=None) -> None:
        click.echo(f"internal error: {terminal(self.message)} (set GAMETHEORY_DEBUG=1 for a traceback)", err=True)


def parse_assignments(
    items: tuple[str, ...], option: str, form: str, *, example: str = "", unique: bool = False
) -> dict[str, str]:
    """``NAME=TEXT`` options (``--set``, ``--dist``) -> ``{name: text}``, in the order given.

    ``form`` is what the error message says the option expects (``"NAME=VALUE"``),
    ``example`` an optional instance of it shown after the offending text; with
    ``unique`` a name given twice is an error, otherwise the last one wins.
    The texts are parsed later, by whoever knows what they mean.
    """
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            hint = f" (e.g. {example})" if example else ""
            raise InputError(f"{option} expects {form}, got {item!r}{hint}")
        if unique and name in values:
            raise InputError(f"{option} gives {name} twice")
        values[name] = value
    return values


def parse_sets(items: tuple[str, ...]) -> dict[str, str]:
    """``--set name=value`` pairs (values are parsed exactly later, by the scenario)."""
    return parse_assignments(items, "--set", "NAME=VALUE")


def parse_vary(items: tuple[str, ...], *, complete: bool = False, min_points: int | None = None) -> dict[str, VaryAxis]:
    """``--vary`` options -> ``{name: (lo, hi, n)}``, in the order given.

    The forms are ``NAME``, ``NAME=LO:HI`` and ``NAME=LO:HI:N``; what a form
    leaves out is None (the command's default: the declared range, its usual
    number of points). ``complete`` accepts ``NAME=LO:HI:N`` only (a sweep
    needs the whole grid); ``min_points`` is the least N the command can use.
    LO and HI stay text: the library reads them exactly.
    """
    usage = "NAME=LO:HI:N (e.g. x_r=0:15:100)" if complete else "NAME, NAME=LO:HI or NAME=LO:HI:N (e.g. x_r=0:15:301)"
    axes: dict[str, VaryAxis] = {}
    for item in items:
        name, sep, spec = item.partition("=")
        name = name.strip()
        parts = [part.strip() for part in spec.split(":")] if sep else []
        well_formed = all(parts) and len(parts) in ((3,) if complete else (0, 2, 3))
        if not name or not well_formed:
            raise InputError(f"--vary expects {usage}, got {item!r}")
        lo, hi = (parts[0], parts[1]) if parts else (None, None)
        count = None
        if len(parts) == 3:
            try:
                count = int(parts[2])
            except ValueError:
                raise InputError(f"--vary {name}: N must be a whole number of points, got {parts[2]!r}") from None
            if min_points is not None and count < min_points:
                raise InputError(f"--vary {name}: N must be at least {min_points}, got {count}")
        if name in axes:
            raise InputError(f"--vary {name} is given twice")
        axes[name] = (lo, hi, count)
    return axes


@contextmanager
def warnings_to_stderr(file: str) -> Iterator[None]:
    """Show the library warnings of the block (e.g. a --set value outside its range) on stderr.

    Each distinct warning becomes one ``warning: FILE: message`` line, after
    the block; a block that raises shows none (its error says what matters).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen = set()
    for warning in caught:
        text = str(warning.message)
        if text not in seen:
            seen.add(text)
            click.echo(f"warning: {terminal(file)}: {terminal(text)}", err=True)


def load_and_bind(file: str, sets: tuple[str, ...], preset: str | None, strict: bool):
    """Load a scenario or Gambit file and bind its parameters; range warnings go to stderr."""
    scenario = load(file)
    overrides = parse_sets(sets)
    with warnings_to_stderr(scenario.file or file):
        game = scenario.bind(overrides, preset=preset, strict=strict)
    return scenario, game


def load_with_overrides(file: str, sets: tuple[str, ...], preset: str | None):
    """Load a scenario and check the --set values without binding (range warnings go to stderr).

    For the commands that hand the overrides to a library function that binds
    the scenario many times (sensitivity, sweep): their warnings appear once, here.
    """
    scenario = load(file)
    overrides = parse_sets(sets)
    with warnings_to_stderr(scenario.file or file):
        scenario.parameter_values(overrides, preset=preset)
    return scenario, overrides


def figure_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--size WxH`` and ``--dpi N`` options of the commands that draw a plot (e.g. for slides)."""
    func = click.option(
        "--dpi", type=int, default=None, help="Resolution of a .png plot in dots per inch (default 150)."
    )(func)
    return click.option(
        "--size",
        default=None,
        metavar="WxH",
        help="Size of the plot in inches, e.g. --size 13.3x7.5 for a 16:9 slide (default: fitted to the content).",
    )(func)


@contextmanager
def figure_settings(size: str | None, dpi: int | None) -> Iterator[None]:
    """Save the plots drawn in the block at ``--size`` and ``--dpi``."""
    from ..report.plots import figure_options as settings

    inches = None
    if size is not None:
        width, sep, height = size.lower().partition("x")
        try:
            inches = (float(width), float(height))
        except ValueError:
            sep = ""
        if not sep:
            raise InputError(f"--size expects WIDTHxHEIGHT in inches (e.g. 13.3x7.5), got {size!r}")
    with settings(inches, dpi):
        yield


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` of text that may hold names from a file: control characters made visible."""
    click.echo(terminal(message), err=err, nl=nl)


def write_output(text: str, out: str | None) -> None:
    """Print ``text``, or write it to the file ``out`` atomically (never a half-written file).

    Control characters a file put into the text (ANSI escapes, carriage
    returns, bidi overrides, lone surrogates) are written as visible escapes.
    """
    text = terminal(text)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    atomic_write(out, text)


#: Seconds between progress lines when stderr is not a terminal (a log file, a CI job, a pipe).
LOG_EVERY = 5.0
#: Seconds between redraws of the progress line on a terminal.
DRAW_EVERY = 0.1


def command_started() -> float:
    """When the running command started (``time.perf_counter``), for times that cover the whole command."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    if root is None:
        return time.perf_counter()
    return root.meta.setdefault("gametheory.started", time.perf_counter())


def _clock(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


class ProgressBar:
    """A ``(done, total)`` progress callback that reports on stderr.

    On a terminal one line is redrawn in place; otherwise (a log, a pipe) a line is
    printed every :data:`LOG_EVERY` seconds and at the end. The time left is
    estimated from the pace since the first report, so the start-up work done before
    it (deriving closed forms, starting workers) does not inflate the estimate.
    """

    def __init__(self, label: str, *, terminal: bool | None = None) -> None:
        self.label = label
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self._started = time.perf_counter()
        self._first: tuple[float, int] | None = None
        self._shown_at = -math.inf
        self._closed = False
        self._drawn = False

    def eta(self, done: int, total: int, now: float) -> float | None:
        """Seconds left at the pace since the first report (None until two reports make a pace)."""
        if self._first is None or done <= self._first[1]:
            return None
        pace = (now - self._first[0]) / (done - self._first[1])
        return pace * (total - done)

    def line(self, done: int, total: int, now: float) -> str:
        share = done / total if total else 1.0
        left = self.eta(done, total, now)
        rest = "" if left is None or done >= total else f", about {_clock(left)} left"
        return f"{self.label}: {done}/{total} ({share:.0%}), {_clock(now - self._started)}{rest}"

    def __call__(self, done: int, total: int) -> None:
        if self._closed:
            return
        now = time.perf_counter()
        if self._first is None:
            self._first = (now, done)
        finished = done >= total
        if finished or now - self._shown_at >= (DRAW_EVERY if self.terminal else LOG_EVERY):
            self._shown_at = now
            text = self.line(done, total, now)
            if self.terminal:
                click.echo("\r\x1b[2K" + text, nl=False, err=True)
                self._drawn = True
            else:
                click.echo(text, err=True)
        if finished:
            self.close()

    def close(self) -> None:
        """End the bar's line (on an interruption too); later reports are ignored."""
        if self._drawn and not self._closed:
            click.echo("", err=True)
        self._closed = True


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressBar | None]:
    """Progress reports on stderr for the block: a redrawn line on a terminal, a line every few seconds
    otherwise; None (no reports wanted) with ``gametheory --quiet``."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().meta.get("gametheory.quiet"):
        yield None
        return
    bar = ProgressBar(label)
    try:
        yield bar
    finally:
        bar.close()
