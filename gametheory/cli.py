"""The command-line interface: a thin layer over the library.

Each command converts its options, calls one library function, and echoes the
rendered result. Errors are translated to exit codes in one place
(:func:`main`): 2 for bad input or usage (one line on stderr, no traceback),
1 for an internal error.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import click

from .errors import GameTheoryError, InputError

EXIT_INPUT = 2
EXIT_INTERNAL = 1


def _parse_sets(items: tuple[str, ...]) -> dict[str, str]:
    """``--set name=value`` pairs (values are parsed exactly later, by the scenario)."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise InputError(f"--set expects NAME=VALUE, got {item!r}")
        values[name] = value
    return values


def _load_and_bind(file: str, sets: tuple[str, ...], preset: str | None, strict: bool):
    """Load a scenario or Gambit file and bind its parameters; range warnings go to stderr."""
    from . import load

    scenario = load(file)
    overrides = _parse_sets(sets)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        game = scenario.bind(overrides, preset=preset, strict=strict)
    for warning in caught:
        click.echo(f"warning: {scenario.file or file}: {warning.message}", err=True)
    return scenario, game


def _write_output(text: str, out: str | None) -> None:
    """Print ``text`` or write it atomically to ``out`` (never a half-written file)."""
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    target = Path(out)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


SET_HELP = "Override a parameter, e.g. --set m_us=2.1 (repeatable; decimals and fractions like 3/4 stay exact)."


class BadInput(click.ClickException):
    """Bad input or usage: one line on stderr, exit code 2."""

    exit_code = EXIT_INPUT

    def show(self, file=None) -> None:
        click.echo(f"error: {self.message}", err=True)


class InternalError(click.ClickException):
    """A bug in gametheory: one line on stderr (a traceback with GAMETHEORY_DEBUG=1), exit code 1."""

    exit_code = EXIT_INTERNAL

    def show(self, file=None) -> None:
        click.echo(f"internal error: {self.message} (set GAMETHEORY_DEBUG=1 for a traceback)", err=True)


class App(click.Group):
    """The command group; translates library errors to exit codes once, for every command."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
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
def app() -> None:
    """Solve game-theoretic scenarios whose payoffs are expressions of named parameters.

    \b
    Examples:
      gametheory solve games/deterrence.json
      gametheory solve games/deterrence.json --set m_us=2.1 --format json
      gametheory validate games/*.json
      gametheory list
    """


@app.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help=SET_HELP)
@click.option("--preset", default=None, help="Use a named preset of the scenario (e.g. --preset art5_like).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown", "latex"]), default="text", show_default=True,
    help="Output format.",
)
@click.option(
    "--method", default="auto", show_default=True,
    type=click.Choice(["auto", "pure", "enumerate", "polynomial", "lh", "logit"]),
    help="auto: all equilibria (exact 2-player enumeration or N-player polynomial); pure: pure equilibria only; "
    "lh: 2-player Lemke-Howson from every label (fast, may miss equilibria); "
    "logit: the one equilibrium selected by logit QRE tracing (N players, fast on large games).",
)
@click.option("--timeout", type=float, default=None, help="Stop enumerating after this many seconds (the list is then marked incomplete).")
@click.option("--strict", is_flag=True, help="Treat a parameter outside its declared range as an error, not a warning.")
@click.option(
    "--correlated", is_flag=True,
    help="Also report the correlated equilibria: the welfare-maximising one, each player's payoff range over "
    "all of them, and for small games the vertices of their polytope.",
)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout.")
def solve(file, sets, preset, fmt, method, timeout, strict, correlated, out) -> None:
    """Find and certify the equilibria of FILE (a scenario .json or a Gambit .nfg).

    \b
    Examples:
      gametheory solve games/deterrence.json
      gametheory solve games/deterrence.json --set m_us=2.1 --set x_r=6
      gametheory solve games/guarantee_menu.json --preset art5_like --format markdown
      gametheory solve games/classics/chicken.json --correlated
      gametheory solve game.nfg --format json
    """
    from .analysis import analyse
    from .report import render_solution

    scenario, game = _load_and_bind(file, sets, preset, strict)
    solution = analyse(game, method=method, timeout=timeout, scenario=scenario, correlated=correlated)
    _write_output(render_solution(solution, scenario, fmt), out)


@app.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help=SET_HELP)
@click.option("--strict", is_flag=True, help="Treat a parameter outside its declared range as an error.")
def validate(files, sets, strict) -> None:
    """Check scenario files: schema, names, every payoff expression, the values at the defaults,
    and the Monte Carlo distributions the parameters declare.

    Prints one line per valid file; stops at the first invalid one with exit code 2.

    \b
    Example:
      gametheory validate games/*.json games/classics/*.json
    """
    for file in files:
        scenario, game = _load_and_bind(file, sets, None, strict)
        if any(p.distribution is not None for p in scenario.parameters.values()):
            from .sensitivity.montecarlo import resolve_distributions

            resolve_distributions(scenario)  # the checks `montecarlo` would make, with file and JSON path
        shape = "x".join(str(n) for n in game.shape)
        click.echo(
            f"ok  {file}: {scenario.title} ({game.num_players} players, {shape}, "
            f"{len(scenario.parameters)} parameters)"
        )


@app.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--to", "target", type=click.Choice(["nfg", "json", "efg"]), required=True,
              help="Output format (efg: Gambit game tree, for tree and Bayesian scenarios).")
@click.option(
    "--form", type=click.Choice(["payoff", "outcome"]), default="payoff", show_default=True,
    help="Gambit .nfg variant: a flat payoff list, or named outcomes.",
)
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help=SET_HELP)
@click.option("--preset", default=None, help="Use a named preset of the scenario.")
@click.option("--strict", is_flag=True, help="Treat a parameter outside its declared range as an error.")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout.")
def convert(file, target, form, sets, preset, strict, out) -> None:
    """Convert FILE to a Gambit .nfg file or a scenario .json, with parameters bound.

    A scenario's payoffs are evaluated at its defaults (changed by --preset and
    --set); the output holds those numbers exactly (fractions stay fractions).

    \b
    Examples:
      gametheory convert games/deterrence.json --to nfg > deterrence.nfg
      gametheory convert games/deterrence.json --to nfg --set x_r=4.9 --out g1.nfg
      gametheory convert game.nfg --to json > game.json
      gametheory convert games/sequencing.json --to efg --set pledge_us=2 > g4.efg
    """
    scenario, game = _load_and_bind(file, sets, preset, strict)
    if target == "nfg":
        from .formats.nfg import gambit_label_issues, write_nfg

        for issue in gambit_label_issues(game):
            click.echo(f"warning: {issue}", err=True)
        text = write_nfg(game, form=form)
    elif target == "efg":
        from .formats.efg import scenario_efg

        text = scenario_efg(scenario, game)
    else:
        from .formats.scenario_json import write_scenario_json

        text = write_scenario_json(game, source=file)
    _write_output(text, out)


def _default_games_dir() -> Path:
    here = Path.cwd() / "games"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "games"


@app.command(name="list")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def list_scenarios(directory) -> None:
    """List the scenarios in DIRECTORY (default: ./games) with their titles and players.

    \b
    Example:
      gametheory list
      gametheory list games/classics
    """
    from .scenario import load_scenario

    root = Path(directory) if directory else _default_games_dir()
    if not root.is_dir():
        raise InputError(f"no such directory: {root}")
    files = sorted(root.rglob("*.json"))
    if not files:
        click.echo(f"no scenario files under {root}")
        return
    for path in files:
        shown = os.path.relpath(path)
        try:
            scenario = load_scenario(path)
        except InputError as exc:
            click.echo(f"{shown}\n    INVALID: {exc}")
            continue
        players = " x ".join(f"{p.name}" for p in scenario.players)
        click.echo(f"{shown}\n    {scenario.title} [{players}]")
        if scenario.teaches:
            click.echo(f"    {scenario.teaches}")


def _register_commands() -> None:
    """Commands that live in their own modules (each imports its heavy parts lazily)."""
    from .cli_analysis import montecarlo_command, tornado_command
    from .cli_dynamics import dynamics
    from .cli_sensitivity import sensitivity, sweep
    from .cli_teaching import explain, report

    for command in (sensitivity, sweep, montecarlo_command, tornado_command, dynamics, report, explain):
        app.add_command(command)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``gametheory`` console script."""
    app.main(args=argv, prog_name="gametheory")


if __name__ == "__main__":  # pragma: no cover
    main()
