"""The ``solve``, ``validate``, ``convert`` and ``list`` commands: one scenario file in, one answer out.

Each command converts its options, calls one library function, and echoes the
rendered result. Bad input raises :class:`~gametheory.errors.InputError`, which
the command group (:mod:`gametheory.cli`) turns into one line on stderr and
exit code 2.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from .._limits import check_timeout
from ..errors import InputError
from ._common import STRICT_HELP, echo, load_and_bind, out_option, set_option, write_output


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@set_option()
@click.option("--preset", default=None, help="Use a named preset of the scenario (e.g. --preset art5_like).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "latex"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--method",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "pure", "enumerate", "polynomial", "lh", "logit"]),
    help="auto: all equilibria (exact 2-player enumeration or N-player polynomial); pure: pure equilibria only; "
    "lh: 2-player Lemke-Howson from every label (fast, may miss equilibria); "
    "logit: the one equilibrium selected by logit QRE tracing (N players, fast on large games).",
)
@click.option(
    "--timeout",
    type=float,
    callback=lambda ctx, param, value: check_timeout(value, what="--timeout"),
    default=None,
    help="Stop enumerating after this many seconds (the list is then marked incomplete).",
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option(
    "--correlated",
    is_flag=True,
    help="Also report the correlated equilibria: the welfare-maximising one, each player's payoff range over "
    "all of them, and for small games the vertices of their polytope.",
)
@out_option()
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
    from ..analysis import analyse
    from ..report import render_solution

    scenario, game = load_and_bind(file, sets, preset, strict)
    solution = analyse(game, method=method, timeout=timeout, scenario=scenario, correlated=correlated)
    write_output(render_solution(solution, scenario, fmt), out)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@set_option()
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
        scenario, game = load_and_bind(file, sets, None, strict)
        if any(p.distribution is not None for p in scenario.parameters.values()):
            from ..sensitivity.montecarlo import resolve_distributions

            resolve_distributions(scenario)  # the checks `montecarlo` would make, with file and JSON path
        shape = "x".join(str(n) for n in game.shape)
        echo(
            f"ok  {file}: {scenario.title} ({game.num_players} players, {shape}, {len(scenario.parameters)} parameters)"
        )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--to",
    "target",
    type=click.Choice(["nfg", "json", "efg"]),
    default=None,
    help="Output format (efg: Gambit game tree, for tree and Bayesian scenarios). "
    "Required, except for a spreadsheet (.csv, .xlsx), which becomes a scenario .json by default.",
)
@click.option(
    "--form",
    type=click.Choice(["payoff", "outcome"]),
    default="payoff",
    show_default=True,
    help="Gambit .nfg variant: a flat payoff list, or named outcomes.",
)
@set_option()
@click.option("--preset", default=None, help="Use a named preset of the scenario.")
@click.option("--strict", is_flag=True, help="Treat a parameter outside its declared range as an error.")
@out_option()
def convert(file, target, form, sets, preset, strict, out) -> None:
    """Convert FILE to a Gambit .nfg file or a scenario .json, with parameters bound.

    A scenario's payoffs are evaluated at its defaults (changed by --preset and
    --set); the output holds those numbers exactly (fractions stay fractions).
    A game typed into a spreadsheet (.csv, .xlsx; for three or more players a
    table per strategy profile of the others) becomes a scenario .json that
    keeps its parameters and expressions (docs/how-to/spreadsheet.md).

    \b
    Examples:
      gametheory convert games/deterrence.json --to nfg > deterrence.nfg
      gametheory convert games/deterrence.json --to nfg --set x_r=4.9 --out g1.nfg
      gametheory convert game.nfg --to json > game.json
      gametheory convert games/sequencing.json --to efg --set pledge_us=2 > g4.efg
      gametheory convert matrix.xlsx --out matrix.json
    """
    from ..formats.spreadsheet import is_spreadsheet, write_spreadsheet_json

    if is_spreadsheet(file) and target in (None, "json") and not sets and preset is None:
        write_output(write_spreadsheet_json(file), out)
        return
    if target is None:
        raise InputError("convert needs --to nfg, --to json or --to efg (only a spreadsheet has a default)")
    scenario, game = load_and_bind(file, sets, preset, strict)
    if target == "nfg":
        from ..formats.nfg import gambit_label_issues, write_nfg

        for issue in gambit_label_issues(game):
            echo(f"warning: {issue}", err=True)
        text = write_nfg(game, form=form)
    elif target == "efg":
        from ..formats.efg import scenario_efg

        text = scenario_efg(scenario, game)
    else:
        from ..formats.scenario_json import write_scenario_json

        text = write_scenario_json(game, source=file)
    write_output(text, out)


def _default_games_dir() -> Path:
    here = Path.cwd() / "games"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "games"


@click.command(name="list")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def list_scenarios(directory) -> None:
    """List the scenarios in DIRECTORY (default: ./games) with their titles and players.

    \b
    Example:
      gametheory list
      gametheory list games/classics
    """
    from ..scenario import load_scenario

    root = Path(directory) if directory else _default_games_dir()
    if not root.is_dir():
        raise InputError(f"no such directory: {root}")
    files = sorted(root.rglob("*.json"))
    if not files:
        echo(f"no scenario files under {root}")
        return
    for path in files:
        shown = os.path.relpath(path)
        try:
            scenario = load_scenario(path)
        except InputError as exc:
            echo(f"{shown}\n    INVALID: {exc}")
            continue
        players = " x ".join(f"{p.name}" for p in scenario.players)
        echo(f"{shown}\n    {scenario.title} [{players}]")
        if scenario.teaches:
            echo(f"    {scenario.teaches}")
